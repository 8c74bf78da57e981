"""`partways lint`: flag personal-attack phrasing in drafts people wrote."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from partways.commands.common import guarded

EPILOG = (
    "Examples:\n\n"
    "  partways lint draft.txt\n\n"
    "  partways lint drafts/ --format json\n\n"
    "  cat draft.md | partways lint - --locale fa\n\n"
    "  partways lint letter.html --structure --format sarif > lint.sarif\n\n"
    "Exit status: 0 no findings, 1 findings, 2 usage or input error.\n\n"
    "Suppress one line: put 'partways-disable-line [rule-id ...]' on it, or "
    "'partways-disable-next-line [rule-id ...]' on the line before (plain text or inside an "
    "HTML comment <!-- ... -->); 'partways-disable-file' for the whole file.\n\n"
    "Configuration: [lint] in .partways.toml or [tool.partways.lint] in pyproject.toml: "
    "disable = [ids], rules = [files], locale = 'auto', [lint.severity] id = 'warning'.\n\n"
    ".eml files: the Subject is reported as FILE#subject; body positions refer to the "
    "decoded text parts."
)


def register(app: typer.Typer) -> None:
    @app.command(epilog=EPILOG)
    @guarded
    def lint(
        paths: Annotated[
            list[str] | None,
            typer.Argument(
                help="Files or folders (.txt .md .html .eml); - reads stdin.", show_default=False
            ),
        ] = None,
        locale: Annotated[
            str | None,
            typer.Option(
                "--locale", "-l", help="auto (default: detect per file) | en | fa | ms | el"
            ),
        ] = None,
        fmt: Annotated[str, typer.Option("--format", "-f", help="text | json | sarif")] = "text",
        structure: Annotated[
            bool,
            typer.Option(
                "--structure",
                help="Also report missing or out-of-order parts (appreciation, framing, "
                "goodwill, apology, alternatives).",
            ),
        ] = False,
        rules: Annotated[
            list[Path] | None,
            typer.Option("--rules", help="An extra tone-rule file (YAML); may be repeated."),
        ] = None,
        config: Annotated[
            Path | None,
            typer.Option("--config", help="Use this .partways.toml or pyproject.toml."),
        ] = None,
    ) -> None:
        """Check drafts for personal-attack phrasing and say how to rewrite it."""
        from partways.lint.command import run

        status = run(paths, locale, fmt, structure, rules, config)
        if status:
            raise typer.Exit(status)
