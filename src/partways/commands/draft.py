"""`partways draft`, `partways new`, `partways schema`."""

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

FORMATS = ("text", "md", "html", "eml", "json")


def register(app: typer.Typer) -> None:
    @app.command(
        epilog="Examples:\n\n"
        "  partways draft examples/case-en.yaml\n\n"
        "  partways draft case.yaml --format eml -o letter.eml\n\n"
        "  partways draft case.yaml --locale el --format html -o letter.html --force\n\n"
        "  OPENAI_BASE_URL=http://localhost:11434/v1 PARTWAYS_MODEL=llama3.1 \\\n"
        "    partways draft case.yaml --polish --format json"
    )
    @guarded
    def draft(
        case: CaseArg,
        locale: LocaleOpt = None,
        fmt: Annotated[
            str,
            typer.Option(
                "--format", "-f", help="text | md | html | eml | json", callback=one_of(FORMATS)
            ),
        ] = "text",
        out: OutputOpt = None,
        force: ForceOpt = False,
        polish: Annotated[
            bool,
            typer.Option(
                "--polish",
                help="Let an LLM (OPENAI_BASE_URL / OPENAI_API_KEY) reword the letter; the "
                "rewrite is used only if it keeps every fact, the language and the tone.",
            ),
        ] = False,
        model: Annotated[
            str | None, typer.Option("--model", help="Model for --polish [env: PARTWAYS_MODEL]")
        ] = None,
        timeout: Annotated[
            float | None,
            typer.Option("--timeout", help="Seconds per --polish request [env: PARTWAYS_TIMEOUT]"),
        ] = None,
        send_names: Annotated[
            bool,
            typer.Option("--send-names", help="Let --polish send names, emails and companies."),
        ] = False,
        strict: Annotated[
            bool, typer.Option("--strict", help="Exit 1 when --polish is rejected or fails.")
        ] = False,
    ) -> None:
        """Compose the five-part exit letter from a case file."""
        import sys

        from partways.draft import draft as compose_letter
        from partways.draft import load
        from partways.errors import InputError, Problem
        from partways.output import check_writable, emit
        from partways.render import render

        if out is not None and str(out) != "-":
            check_writable(out, force)
        settings = None
        if polish:  # settings are checked before any work, let alone a network call
            from partways.polish.settings import require_endpoint, resolve_settings

            settings = resolve_settings(model=model, timeout=timeout)
            require_endpoint(settings)
        stdin = sys.stdin.buffer.read() if str(case) == "-" else None
        source = "<stdin>" if str(case) == "-" else str(case)
        letter = compose_letter(load(case, locale, stdin), source)
        if fmt == "eml":
            from partways.render.eml import missing_addresses

            missing = missing_addresses(letter)
            if missing:
                raise InputError([Problem(str(case), field, msg) for field, msg in missing])
        from partways.polish import polish_letter

        outcome = polish_letter(letter, settings, send_names=send_names)
        if outcome.status in ("rejected", "failed"):
            typer.echo(outcome.summary(), err=True)
        if fmt == "json":
            from partways.render.json import render_json

            emit(render_json(outcome.letter, {"polish": outcome.as_dict()}), out, force)
        else:
            emit(render(outcome.letter, fmt), out, force)
        if strict and outcome.status in ("rejected", "failed"):
            raise typer.Exit(1)

    @app.command(
        epilog="Examples:\n\n  partways new > case.yaml\n\n"
        "  partways new --locale fa > case-fa.yaml"
    )
    @guarded
    def new(
        locale: Annotated[
            str, typer.Option("--locale", "-l", help="Language of the starter.")
        ] = "en",
    ) -> None:
        """Print a commented starter case file to fill in."""
        from partways.errors import InputError
        from partways.locales import available_locales
        from partways.resources import data_dir

        if locale not in available_locales():
            raise InputError.single(
                "--locale", "", f"expected one of {', '.join(available_locales())} (got {locale!r})"
            )
        starter = data_dir("examples") / f"case-{locale}.yaml"
        if starter.is_file():
            typer.echo(starter.read_text(encoding="utf-8"), nl=False)
            return
        # A newly added locale without its own example: the English one, retargeted.
        english = (data_dir("examples") / "case-en.yaml").read_text(encoding="utf-8")
        typer.echo(english.replace("locale: en ", f"locale: {locale} ", 1), nl=False)

    @app.command(epilog="Example:\n\n  partways schema > partways-case.schema.json")
    def schema() -> None:
        """Print the case file's JSON Schema (for editor validation and completion)."""
        import json

        from partways.schema import case_schema

        typer.echo(json.dumps(case_schema(), ensure_ascii=False, indent=2))
