"""`partways lint`: flag personal-attack phrasing in drafts people wrote."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from partways.commands.common import guarded

FORMATS = ("text", "json", "sarif")

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
        import sys

        from partways.errors import InputError, Problem

        if fmt not in FORMATS:
            raise InputError.single("--format", "", f"expected one of {', '.join(FORMATS)}")
        if not paths:
            if sys.stdin is None or sys.stdin.isatty():
                raise InputError.single(
                    "partways lint", "", "give files or folders to check, or - to read stdin"
                )
            paths = ["-"]

        from partways.lint.run import Linter, expand_paths, lint_path
        from partways.lint.settings import load_settings

        settings = load_settings(config)
        linter = Linter(settings, tuple(rules or ()))
        chosen = locale or settings.locale
        if chosen != "auto" and chosen not in linter.locales():
            raise InputError.single(
                "--locale", "", f"expected auto or one of {', '.join(linter.locales())}"
            )
        files = expand_paths(paths)
        colour = fmt == "text" and _colour(sys.stdout)
        findings = []
        errors: list[Problem] = []
        for path in files:
            try:
                found = lint_path(linter, path, chosen, structure)
            except InputError as exc:
                if any(p.source != path and p.source != "<stdin>" for p in exc.problems):
                    raise  # a rule or configuration problem: nothing can be checked
                errors.extend(exc.problems)
                continue
            if fmt == "text":
                from partways.lint.formats import text_line

                for finding in found:
                    typer.echo(text_line(finding, colour))
            findings.extend(found)
        if fmt == "json":
            from partways.lint.formats import to_json

            typer.echo(to_json(findings))
        elif fmt == "sarif":
            from partways import __version__
            from partways.lint.formats import to_sarif

            typer.echo(to_sarif(findings, __version__))
        elif findings:
            count = len(findings)
            typer.echo(f"{count} finding{'s' if count != 1 else ''}", err=True)
        if errors:
            raise InputError(errors)
        if findings:
            raise typer.Exit(1)


def _colour(stream: object) -> bool:
    import os

    if os.environ.get("NO_COLOR"):
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())
