"""Shared CLI plumbing: turning known errors into one-line messages and exit codes."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

F = TypeVar("F", bound=Callable[..., Any])


def guarded(func: F) -> F:
    """Report InputError (exit 2) and LintBlocked (exit 1) as plain lines, never a traceback."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from partways.errors import InputError, LintBlocked

        try:
            return func(*args, **kwargs)
        except InputError as exc:
            for problem in exc.problems:
                typer.echo(f"error: {problem}", err=True)
            raise typer.Exit(2) from None
        except LintBlocked as exc:
            for line in exc.lines:
                typer.echo(f"error: {line}", err=True)
            raise typer.Exit(1) from None
        except BrokenPipeError:
            sys.stderr.close()
            raise typer.Exit(0) from None

    return wrapper  # type: ignore[return-value]


def one_of(allowed: tuple[str, ...]) -> Callable[[str], str]:
    """A typer option callback accepting only `allowed` (a usage error, exit 2, otherwise)."""

    def check(value: str) -> str:
        if value not in allowed:
            raise typer.BadParameter(f"{value!r} is not one of {', '.join(allowed)}")
        return value

    return check


# Parameters several commands share, declared once.
CaseArg = Annotated[Path, typer.Argument(help="Case file (YAML, JSON or TOML); - reads stdin.")]
LocaleOpt = Annotated[
    str | None,
    typer.Option("--locale", "-l", help="Write in this locale instead of the case's."),
]
OutputOpt = Annotated[
    Path | None,
    typer.Option("--output", "-o", help="Write to this file instead of stdout."),
]
ForceOpt = Annotated[bool, typer.Option("--force", help="Replace OUT if it exists.")]
