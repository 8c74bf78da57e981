"""The `draft` pipeline as a plain function: case → checked Letter."""

from __future__ import annotations

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


def draft(case: Case) -> Letter:
    """Compose the letter for `case`."""
    return compose(case)


__all__ = ["InputError", "draft", "load"]
