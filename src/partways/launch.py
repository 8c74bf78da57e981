"""The `partways` executable (console script and `python -m partways`).

`partways lint` is a hot path (editors and CI run it on every save), so it starts
without typer or anything of the rest of the CLI (see partways.lint.command).
"""

from __future__ import annotations

import sys


def main() -> None:
    if sys.argv[1:2] == ["lint"]:
        from partways.lint.command import fast_main

        status = fast_main(sys.argv[2:])
        if status is not None:  # None: an option the fast path leaves to typer
            raise SystemExit(status)
    from partways.cli import app

    app()
