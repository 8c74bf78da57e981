"""`partways team-note` (tell all staff afterwards) and `partways review` (ready to send?)."""

from __future__ import annotations

from typing import Annotated

import typer

from partways.commands.common import (
    CaseArg,
    ForceOpt,
    LocaleOpt,
    OutputOpt,
    guarded,
    one_of,
)

NOTE_FORMATS = ("md", "text", "eml")
REVIEW_FORMATS = ("text", "json")


def register(app: typer.Typer) -> None:
    @app.command(
        "team-note",
        epilog="Examples:\n\n"
        "  partways team-note examples/case-en.yaml\n\n"
        "  partways team-note case.yaml --format eml --to staff@example.com -o note.eml\n\n"
        "  partways team-note case.yaml --locale fa --format text -o note-fa.txt --force",
    )
    @guarded
    def team_note(
        case: CaseArg,
        locale: LocaleOpt = None,
        fmt: Annotated[
            str,
            typer.Option("--format", "-f", help="md | text | eml", callback=one_of(NOTE_FORMATS)),
        ] = "md",
        to: Annotated[
            str | None,
            typer.Option(
                "--to",
                help="All-staff address for --format eml (default: undisclosed recipients, "
                "to be chosen in the mail client).",
            ),
        ] = None,
        out: OutputOpt = None,
        force: ForceOpt = False,
    ) -> None:
        """Announce the decision to all staff: who, from when, why, pending work, support."""
        import sys

        from partways.draft import load
        from partways.output import check_writable, emit
        from partways.team_note import check_eml, compose_team_note, render_team_note

        if out is not None and str(out) != "-":
            check_writable(out, force)
        stdin = sys.stdin.buffer.read() if str(case) == "-" else None
        note = compose_team_note(load(case, locale, stdin))
        if fmt == "eml":
            check_eml(note, "<stdin>" if str(case) == "-" else str(case), to)
        emit(render_team_note(note, fmt, to), out, force)

    @app.command(
        epilog="Exit status: 0 when nothing is missing (warnings allowed), 1 when something "
        "is missing, 2 on bad input.\n\n"
        "Examples:\n\n"
        "  partways review examples/case-en.yaml\n\n"
        "  partways review case.yaml --format json\n\n"
        "  partways review case.yaml && partways draft case.yaml -o letter.txt",
    )
    @guarded
    def review(
        case: CaseArg,
        locale: LocaleOpt = None,
        fmt: Annotated[
            str, typer.Option("--format", "-f", help="text | json", callback=one_of(REVIEW_FORMATS))
        ] = "text",
    ) -> None:
        """Check the case is ready before anything is sent: each item ok, warning or missing.

        The channel check (is email too impersonal?) reads its thresholds from the
        review table of .partways.toml: review.long_relationship_years (default 2) and
        review.value_threshold.<CURRENCY>, a yearly amount (defaults: EUR 10000,
        USD 10000, GBP 8500, MYR 50000, IRR 10000000000 and a few more).
        """
        import sys

        from partways.config import section
        from partways.draft import load
        from partways.review import render_review, review_case, settings_from

        stdin = sys.stdin.buffer.read() if str(case) == "-" else None
        loaded = load(case, locale, stdin)
        report = review_case(loaded, settings_from(*section("review")))
        sys.stdout.write(render_review(report, fmt))
        sys.stdout.flush()
        if not report.ready:
            raise typer.Exit(1)
