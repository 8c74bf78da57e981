"""The body of `partways lint`, shared by the typer command and the fast entry.

`partways lint` is the command people run in editors and hooks, so it has a start-up
path that does not go through typer (whose parameter handling imports pydantic):
`fast_main` parses the same options itself and hands anything it does not understand
(--help, a bad option) back to typer, which then prints its usual message.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TextIO

FORMATS = ("text", "json", "sarif")


def run(
    paths: list[str] | None,
    locale: str | None = None,
    fmt: str = "text",
    structure: bool = False,
    rules: list[Path] | None = None,
    config: Path | None = None,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    """Lint and print; returns the exit status (0 clean, 1 findings). Raises InputError."""
    from partways.errors import InputError, Problem
    from partways.lint.run import Linter, expand_paths, lint_path
    from partways.lint.settings import load_settings

    out = out or sys.stdout
    err = err or sys.stderr
    if fmt not in FORMATS:
        raise InputError.single("--format", "", f"expected one of {', '.join(FORMATS)}")
    if not paths:
        if sys.stdin is None or sys.stdin.isatty():
            raise InputError.single(
                "partways lint", "", "give files or folders to check, or - to read stdin"
            )
        paths = ["-"]
    settings = load_settings(config)
    linter = Linter(settings, tuple(rules or ()))
    chosen = locale or settings.locale
    if chosen != "auto" and chosen not in linter.locales():
        raise InputError.single(
            "--locale", "", f"expected auto or one of {', '.join(linter.locales())}"
        )
    files = expand_paths(paths)
    colour = fmt == "text" and _colour(out)
    findings = []
    errors: list[Problem] = []
    for path in files:
        try:
            found = lint_path(linter, path, chosen, structure)
        except InputError as exc:
            if any(p.source not in (path, "<stdin>") for p in exc.problems):
                raise  # a rule or configuration problem: nothing can be checked
            errors.extend(exc.problems)
            continue
        if fmt == "text":
            from partways.lint.formats import text_line

            for finding in found:
                print(text_line(finding, colour), file=out)
        findings.extend(found)
    if fmt == "json":
        from partways.lint.formats import to_json

        print(to_json(findings), file=out)
    elif fmt == "sarif":
        from partways import __version__
        from partways.lint.formats import to_sarif

        print(to_sarif(findings, __version__), file=out)
    elif findings:
        count = len(findings)
        print(f"{count} finding{'s' if count != 1 else ''}", file=err)
    out.flush()
    if errors:
        raise InputError(errors)
    return 1 if findings else 0


def _colour(stream: object) -> bool:
    import os

    if os.environ.get("NO_COLOR"):
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


# The options with a value, by every spelling the typer command accepts.
_VALUED = {"--locale": "locale", "-l": "locale", "--format": "fmt", "-f": "fmt"}
_VALUED |= {"--rules": "rules", "--config": "config"}


class FastOptions:
    def __init__(self) -> None:
        self.paths: list[str] = []
        self.values: dict[str, str] = {}  # locale, fmt, config
        self.rules: list[Path] = []
        self.structure = False


def parse_fast(argv: list[str]) -> FastOptions | None:
    """The options of `partways lint ARGV`, or None for anything typer should handle
    (help, an unknown or repeated option, a missing value). Not argparse: importing and
    setting it up costs ~10 ms of start-up."""
    options = FastOptions()
    args = iter(argv)
    for arg in args:
        if arg == "--":
            options.paths += args
        elif arg == "--structure":
            options.structure = True
        elif arg == "-" or not arg.startswith("-"):
            options.paths.append(arg)
        else:
            name, equals, value = arg.partition("=")
            key = _VALUED.get(name)
            if key is None or (equals and not name.startswith("--")):
                return None  # unknown, or "-l=en" (which click reads as the value "=en")
            if not equals:
                following = next(args, None)
                if following is None:
                    return None
                value = following
            if key == "rules":
                options.rules.append(Path(value))
            elif key in options.values:
                return None
            else:
                options.values[key] = value
    return options


def fast_main(argv: list[str]) -> int | None:
    """Run `partways lint ARGV` without typer; None means "let typer handle it"."""
    options = parse_fast(argv)
    if options is None:
        return None
    from partways.errors import InputError, LintBlocked

    try:
        config = options.values.get("config")
        return run(
            options.paths,
            options.values.get("locale"),
            options.values.get("fmt", "text"),
            options.structure,
            options.rules or None,
            Path(config) if config is not None else None,
        )
    except InputError as exc:
        for problem in exc.problems:
            print(f"error: {problem}", file=sys.stderr)
        return 2
    except LintBlocked as exc:  # pragma: no cover - lint itself never blocks
        for line in exc.lines:
            print(f"error: {line}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        sys.stderr.close()
        return 0
