"""The `partways` command line: a thin layer over the Python API.

Start-up is kept light: command modules import only typer; Babel, Jinja2,
pydantic and above all openai are imported inside the commands that use them.
"""

from __future__ import annotations

from typing import Annotated

import typer

from partways import __version__
from partways.commands import batch as batch_commands
from partways.commands import draft as draft_commands
from partways.commands import lint as lint_commands
from partways.commands import script as script_commands
from partways.commands import team as team_commands

app = typer.Typer(
    name="partways",
    help="Part ways with a customer, respectfully: compose, check and polish exit letters "
    "in English, Persian, Malay and Greek.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"partways {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """Part ways with a customer, respectfully."""


for _module in (draft_commands, team_commands, batch_commands, script_commands, lint_commands):
    _module.register(app)


def main() -> None:
    """The whole CLI (the executable itself is partways.launch.main)."""
    app()
