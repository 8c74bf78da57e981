"""`partways batch`: one letter per row of a spreadsheet, JSON Lines file or folder."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from partways.commands.common import guarded, one_of

FORMATS = ("text", "md", "html", "eml", "json")

EPILOG = (
    "INPUT is a CSV file whose header row names the case file's fields as dotted paths, "
    "list items numbered (customer.name, goodwill.amount, alternatives.0.name, "
    "alternatives.1.url, facts.0.kind, facts.0.count, ending.pending.0); empty cells "
    "mean absent. Or a .jsonl file with one case per line, or a folder of case files. "
    "Values shared by every row (sender, locale, service …) can come from --defaults.\n\n"
    "One file per case, named after the customer (anna-lee.txt, anna-lee-2.txt …). "
    "Existing files are skipped, so after fixing a bad row, run the same command again; "
    "--force rewrites them all. Exit status: 0 all written or skipped, 1 some rows failed, "
    "2 usage error.\n\n"
    "Examples:\n\n"
    "  partways batch examples/batch.csv --defaults examples/batch-defaults.yaml "
    "--out letters/\n\n"
    "  partways batch customers.jsonl --out drafts/ --format eml\n\n"
    "  partways batch cases/ --out letters/ --format html --force\n\n"
    "  partways batch sheet.csv --defaults shared.yaml --out letters/ --polish --jobs 8"
)


def register(app: typer.Typer) -> None:
    @app.command(epilog=EPILOG)
    @guarded
    def batch(
        input_path: Annotated[
            Path,
            typer.Argument(
                metavar="INPUT", help="A .csv file, a .jsonl file, or a folder of case files."
            ),
        ],
        out: Annotated[
            Path, typer.Option("--out", "-o", help="Folder for the letters (created if needed).")
        ],
        fmt: Annotated[
            str,
            typer.Option(
                "--format", "-f", help="text | md | html | eml | json", callback=one_of(FORMATS)
            ),
        ] = "text",
        defaults: Annotated[
            Path | None,
            typer.Option("--defaults", "-d", help="Case file whose values every row starts from."),
        ] = None,
        polish: Annotated[
            bool, typer.Option("--polish", help="Let an LLM smooth each letter (facts guarded).")
        ] = False,
        send_names: Annotated[
            bool,
            typer.Option(
                "--send-names", help="With --polish: send real names instead of placeholders."
            ),
        ] = False,
        jobs: Annotated[
            int,
            typer.Option(
                "--jobs", "-j", min=1, max=64, help="Letters in progress at once (helps --polish)."
            ),
        ] = 1,
        force: Annotated[bool, typer.Option("--force", help="Replace existing files.")] = False,
        quiet: Annotated[
            bool, typer.Option("--quiet", "-q", help="Only print problems: no bar, no summary.")
        ] = False,
    ) -> None:
        """Write one exit letter per row of a spreadsheet, JSON Lines file or folder."""
        from partways.batch.console import Console
        from partways.batch.runner import BatchOptions, run
        from partways.batch.sources import open_source
        from partways.errors import InputError
        from partways.loader import read_document

        if out.exists() and not out.is_dir():
            raise InputError.single(str(out), "", "is a file; --out needs a folder")
        if input_path.is_dir() and out.resolve() == input_path.resolve():
            # Letters saved as .json would be read back as cases on the next run.
            raise InputError.single(str(out), "", "is the input folder; choose another --out")
        base = None
        if defaults is not None:
            base = read_document(defaults)
            if not isinstance(base, dict):
                raise InputError.single(str(defaults), "", "expected a mapping of case fields")
        settings = None
        if polish:
            from partways.polish.settings import require_endpoint, resolve_settings

            settings = resolve_settings()
            require_endpoint(settings)  # once, before any row: a usage error (exit 2)
        source = open_source(input_path)
        try:
            out.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise InputError.single(str(out), "", f"cannot create: {exc.strerror}") from None
        options = BatchOptions(
            out=out,
            fmt=fmt,
            defaults=base,
            defaults_label=str(defaults),
            force=force,
            jobs=jobs,
            polish=settings,
            send_names=send_names,
        )
        with Console(source, quiet) as console:
            summary = run(source, options, console)
            console.summary(summary, str(out))
        if summary.failed:
            raise typer.Exit(1)
