"""Read a case file (YAML, JSON or TOML) and validate it into a `Case`.

Every problem becomes one line naming the file, the field path and what is
expected; nothing here ever lets a parser's traceback reach the user.
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from partways.case import FACT_KINDS, Case
from partways.errors import InputError, Problem

MAX_CASE_BYTES = 1_000_000


# The C parser when PyYAML was built with libyaml (10× faster), else the Python one.
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _CaseYamlLoader(_BaseLoader):  # type: ignore[valid-type,misc]
    """SafeLoader that leaves dates as text, so pydantic validates them with a field path
    (PyYAML would otherwise crash on 2026-02-30 before we know which field it was)."""


_CaseYamlLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def parse_text(text: str, source: str, fmt: str) -> Any:
    """Parse `text` as "yaml", "json" or "toml"; raise InputError with the position."""
    try:
        if fmt == "json":
            return json.loads(text)
        if fmt == "toml":
            return tomllib.loads(text)
        return yaml.load(text, Loader=_CaseYamlLoader)
    except json.JSONDecodeError as exc:
        message = f"not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}"
    except tomllib.TOMLDecodeError as exc:
        message = f"not valid TOML: {exc}"
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or "syntax error"
        message = f"not valid YAML: {problem}{where}"
    raise InputError.single(source, "", message)


def format_of(path: Path) -> str:
    suffix = path.suffix.lower()
    return {".json": "json", ".toml": "toml", ".jsonl": "json"}.get(suffix, "yaml")


def read_document(path: Path) -> Any:
    """Read and parse a YAML/JSON/TOML file; refuse missing, empty and binary files."""
    source = str(path)
    try:
        if path.is_dir():
            raise InputError.single(source, "", "is a folder; expected a case file")
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError.single(source, "", "no such file") from None
    except OSError as exc:
        raise InputError.single(source, "", f"cannot read: {exc.strerror}") from None
    return parse_bytes(raw, source, format_of(path))


def parse_bytes(raw: bytes, source: str, fmt: str) -> Any:
    if len(raw) > MAX_CASE_BYTES:
        raise InputError.single(source, "", f"larger than {MAX_CASE_BYTES} bytes; not a case file")
    if b"\x00" in raw:
        raise InputError.single(source, "", "binary file; expected a YAML, JSON or TOML case file")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError.single(
            source, "", f"not UTF-8 text (byte {exc.start}); save the file as UTF-8"
        ) from None
    if not text.strip():
        raise InputError.single(source, "", "empty file; expected a case (see `partways new`)")
    return parse_text(text, source, fmt)


def _path(loc: tuple[int | str, ...]) -> str:
    return ".".join(str(part) for part in loc)


def _describe(error: Mapping[str, Any]) -> tuple[str, str]:
    """(field path, message) for one pydantic error, in words a manager understands."""
    loc = tuple(error["loc"])
    kind = error["type"]
    given = error.get("input")
    ctx = error.get("ctx") or {}
    # Discriminated unions put the tag into the path ("facts.0.note.text"): drop it.
    loc = tuple(part for part in loc if part not in FACT_KINDS)
    field = _path(loc)
    if kind == "missing":
        return field, "required field is missing"
    if kind == "extra_forbidden":
        return field, "unknown field (check the spelling; `partways schema` lists the fields)"
    if kind == "union_tag_invalid":
        return field + ".kind", (
            f"expected one of {', '.join(FACT_KINDS)} (got {ctx.get('tag')!r})"
        )
    if kind == "union_tag_not_found":
        return field + ".kind", f"required field is missing; one of {', '.join(FACT_KINDS)}"
    if kind == "enum":
        return field, f"expected one of {ctx.get('expected', '')} (got {given!r})"
    if kind == "literal_error":
        return field, f"expected {ctx.get('expected', '')} (got {given!r})"
    if kind in ("string_too_short",):
        return field, "must not be empty"
    if kind == "too_short":
        return field, f"needs at least {ctx.get('min_length')} item(s)"
    if kind == "too_long":
        return field, f"has too many items (at most {ctx.get('max_length')})"
    if kind.startswith("date_") or kind == "date_type":
        return field, f"expected a real date as YYYY-MM-DD (got {given!r})"
    if kind == "value_error":
        message = str(ctx.get("error", error["msg"]))
        if message.startswith("@"):  # a model-level check naming its sub-field
            sub, _, message = message[1:].partition(" ")
            return f"{field}.{sub}" if field else sub, message
        return field, message
    if kind in ("model_type", "dict_type"):
        return field or "(top level)", f"expected a mapping of fields (got {type(given).__name__})"
    if kind == "list_type":
        return field, f"expected a list (got {type(given).__name__})"
    if kind in ("string_type", "str_type"):
        return field, f"expected text (got {type(given).__name__})"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return field, f"expected a whole number (got {given!r})"
    if kind in ("decimal_type", "decimal_parsing", "float_parsing", "float_type"):
        return field, f"expected a number (got {given!r})"
    if kind in ("greater_than", "greater_than_equal", "less_than_equal", "less_than"):
        return field, error["msg"].lower().replace("input", "value") + f" (got {given!r})"
    if kind.startswith("decimal_"):
        return field, error["msg"].lower().replace("input", "value")
    if kind == "string_too_long":
        return field, f"too long (at most {ctx.get('max_length')} characters)"
    return field, f"{error['msg']} (got {given!r})"


def problems_from(exc: ValidationError, source: str) -> list[Problem]:
    seen: set[tuple[str, str]] = set()
    problems = []
    for error in exc.errors():
        field, message = _describe(error)
        if (field, message) not in seen:
            seen.add((field, message))
            problems.append(Problem(source, field, message))
    return problems


def validate_case(data: Any, source: str) -> Case:
    """Validate parsed data; raise InputError listing every problem."""
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else type(data).__name__
        raise InputError.single(source, "", f"expected a mapping of fields at the top (got {kind})")
    try:
        return Case.model_validate(data)
    except ValidationError as exc:
        raise InputError(problems_from(exc, source)) from None


def load_case(path: str | Path) -> Case:
    """Read, parse and validate a case file."""
    path = Path(path)
    return validate_case(read_document(path), str(path))
