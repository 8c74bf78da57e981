"""The `draft` pipeline as a plain function: case → checked Letter."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from partways.case import Case
from partways.compose import compose
from partways.errors import InputError
from partways.letter import Letter
from partways.loader import parse_bytes, validate_case


def load(path: str | Path, locale: str | None = None, stdin: bytes | None = None) -> Case:
    """Load a case from `path` ("-" reads `stdin` as YAML/JSON), optionally in another locale."""
    from partways.loader import read_document

    source = str(path)
    data = (
        parse_bytes(stdin or b"", "<stdin>", "yaml") if source == "-" else read_document(Path(path))
    )
    if locale is not None and isinstance(data, dict):
        data = {**data, "locale": locale}
    return validate_case(data, "<stdin>" if source == "-" else source)


def draft(case: Case, source: str = "case", composer: Callable[[Case], Letter] = compose) -> Letter:
    """Compose the letter for `case`, which must pass the tone linter.

    Raises LintBlocked (exit status 1) naming `source` (the case file), the field and
    the rule when a user-written value, or the composed letter, trips a tone rule.
    `composer` replaces `compose` (a batch passes one that remembers repeated sections).
    """
    from partways.lint.case import check_case, check_letter

    check_case(case, source)
    letter = composer(case)
    check_letter(letter, source)
    return letter


__all__ = ["InputError", "draft", "load"]
