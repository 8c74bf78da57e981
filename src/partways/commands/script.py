"""`partways call-script`: the script the manager holds during the phone call."""

from __future__ import annotations

from typing import Annotated

import typer

from partways.commands.common import (
    CaseArg,
    ForceOpt,
    OutputOpt,
    guarded,
    one_of,
)

FORMATS = ("md", "text", "html", "json")


def register(app: typer.Typer) -> None:
    @app.command(
        "call-script",
        epilog="Examples:\n\n"
        "  partways call-script examples/case-en.yaml\n\n"
        "  partways call-script case.yaml --format html -o call.html\n\n"
        "  partways call-script case.yaml --format json -o call.json --force",
    )
    @guarded
    def call_script(
        case: CaseArg,
        fmt: Annotated[
            str,
            typer.Option(
                "--format", "-f", help="md | text | html | json", callback=one_of(FORMATS)
            ),
        ] = "md",
        out: OutputOpt = None,
        force: ForceOpt = False,
    ) -> None:
        """Write the phone-call script: spoken lines for the five parts, pauses to listen,
        answers to pushback, lines not to say, key facts and a rehearsal checklist."""
        import sys

        from partways.draft import load
        from partways.output import check_writable, emit
        from partways.render.script import render_script
        from partways.script import build

        if out is not None and str(out) != "-":
            check_writable(out, force)
        stdin = sys.stdin.buffer.read() if str(case) == "-" else None
        script = build(load(case, None, stdin), str(case))
        emit(render_script(script, fmt), out, force)
