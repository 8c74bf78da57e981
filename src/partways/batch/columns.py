"""Spreadsheet columns → nested case dicts.

A header is a case file's dotted path with list items indexed (`customer.name`,
`alternatives.1.url`, `ending.pending.0`). Headers are checked once against the
Case model, so a misspelt column is one usage error rather than a failure on
every row. Cells stay text: pydantic coerces "5" and "450.50" itself; only
number formats a spreadsheet adds ("1,250.00", "1.250,00", "1 250") are undone
where the reading is unambiguous.
"""

from __future__ import annotations

import datetime as dt
import re
import types
import typing
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from typing import Any, Literal

from pydantic import BaseModel

from partways.case import Case
from partways.errors import Problem

Leaf = Literal["text", "number", "enum", "date", "text_list", "enum_list"]
Token = str | int


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA: how a spreadsheet names column `index`."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _unwrap(annotation: Any) -> list[Any]:
    """The concrete alternatives behind Annotated / Optional / unions."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        found: list[Any] = []
        for arg in typing.get_args(annotation):
            if arg is not type(None):
                found.extend(_unwrap(arg))
        return found
    return [annotation]


def _is_model(kind: Any) -> bool:
    return isinstance(kind, type) and issubclass(kind, BaseModel)


def _scalar_leaf(kind: Any) -> Leaf:
    if isinstance(kind, type) and issubclass(kind, Enum):
        return "enum"
    if kind in (int, Decimal, float):
        return "number"
    if kind is dt.date:
        return "date"
    return "text"


def resolve(tokens: list[Token]) -> Leaf | str:
    """The kind of value at `tokens` in a Case, or an error message for a bad path."""
    options: list[Any] = [Case]
    for position, token in enumerate(tokens):
        is_last = position == len(tokens) - 1
        following: list[Any] = []
        for kind in options:
            if typing.get_origin(kind) is list:
                if isinstance(token, int):
                    following.extend(_unwrap(typing.get_args(kind)[0]))
            elif _is_model(kind) and isinstance(token, str):
                field = kind.model_fields.get(token)
                if field is not None:
                    following.extend(_unwrap(field.annotation))
        if not following:
            prefix = ".".join(map(str, tokens[:position]))
            if isinstance(token, str) and any(typing.get_origin(k) is list for k in options):
                rest = ".".join(map(str, tokens[position:]))
                return f"{prefix} is a list; number its items, e.g. {prefix}.0.{rest}"
            if isinstance(token, int):
                return f"{prefix} is not a list; drop the index"
            return "unknown field (check the spelling; `partways schema` lists the fields)"
        options = following
        if is_last:
            break
    # Facts are a union of models: a path is fine if any member has it.
    scalars = [kind for kind in options if not _is_model(kind)]
    if not scalars:
        return "names a group of fields; add the sub-field, e.g. customer.name"
    kind = scalars[0]
    if typing.get_origin(kind) is list:
        (item,) = typing.get_args(kind)
        items = _unwrap(item)
        if any(_is_model(member) for member in items):
            return "names a list of groups; index it, e.g. alternatives.0.name"
        return "enum_list" if _scalar_leaf(items[0]) == "enum" else "text_list"
    return _scalar_leaf(kind)


def parse_path(header: str) -> list[Token]:
    return [int(part) if part.isdigit() else part for part in header.split(".")]


@dataclass(frozen=True)
class Column:
    index: int
    header: str
    tokens: tuple[Token, ...]
    leaf: Leaf

    @property
    def label(self) -> str:
        return f"column {column_letter(self.index)} ({self.header})"


def read_header(cells: list[str], source: str) -> tuple[list[Column | None], list[Problem]]:
    """Columns by position (None for a blank header) and any problems with the header."""
    columns: list[Column | None] = []
    problems: list[Problem] = []
    seen: dict[tuple[Token, ...], str] = {}
    for index, raw in enumerate(cells):
        header = raw.strip().lower()
        if not header:
            columns.append(None)
            continue
        where = f"column {column_letter(index)} ({raw.strip()})"
        if not re.fullmatch(r"[a-z_]+(?:\.(?:[a-z_]+|\d+))*", header):
            problems.append(
                Problem(source, where, "expected a dotted field path such as customer.name")
            )
            columns.append(None)
            continue
        tokens = parse_path(header)
        leaf = resolve(tokens)
        if leaf not in typing.get_args(Leaf):
            problems.append(Problem(source, where, leaf))
            columns.append(None)
            continue
        key = tuple(tokens)
        clash = next((other for path, other in seen.items() if _overlaps(path, key)), None)
        if clash is not None:
            problems.append(Problem(source, where, f"the same field as column {clash}"))
        seen[key] = f"{column_letter(index)} ({raw.strip()})"
        columns.append(Column(index, header, key, typing.cast(Leaf, leaf)))
    if not any(columns) and not problems:
        problems.append(Problem(source, "", "no header row with field names such as customer.name"))
    return columns, problems


def _overlaps(a: tuple[Token, ...], b: tuple[Token, ...]) -> bool:
    shorter = min(len(a), len(b))
    return a[:shorter] == b[:shorter]


# Number formats a spreadsheet may export; only unambiguous forms are rewritten,
# anything else goes to validation as typed (and is reported there).
_SPACED = re.compile(r"\d{1,3}(?:[ \u00a0\u202f\u2009']\d{3})+(?:[.,]\d+)?")  # 1 250,50
_GROUPED_DOT = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?")  # 1,250.00
_GROUPED_COMMA = re.compile(r"\d{1,3}(?:\.\d{3})+,\d+|\d{1,3}(?:\.\d{3}){2,}")  # 1.250,00
_DECIMAL_COMMA = re.compile(r"\d+,\d{1,2}")  # 450,50: never a thousands group


def number_text(cell: str) -> str:
    value = re.sub(r"[ \u00a0\u202f\u2009']", "", cell) if _SPACED.fullmatch(cell) else cell
    if _GROUPED_DOT.fullmatch(value):
        return value.replace(",", "")
    if _GROUPED_COMMA.fullmatch(value):
        return value.replace(".", "").replace(",", ".")
    if _DECIMAL_COMMA.fullmatch(value):
        return value.replace(",", ".")
    return value


def cell_value(column: Column, cell: str) -> Any:
    text = cell.strip()
    if column.leaf == "number":
        return number_text(text)
    if column.leaf == "text_list":
        return [line.strip() for line in text.splitlines() if line.strip()]
    if column.leaf == "enum_list":
        return [part for part in re.split(r"[\s,;]+", text) if part]
    return text


@dataclass
class Built:
    data: dict[str, Any]
    # (list path in the built data, built index) → the index the column header used
    renames: dict[tuple[Token, ...], int]


def build(columns: list[Column | None], cells: list[str]) -> tuple[Built, list[str]]:
    """The nested case dict for one row, plus messages for cells with no column."""
    tree: dict[Token, Any] = {}
    stray: list[str] = []
    for index, cell in enumerate(cells):
        if not cell.strip():
            continue  # empty cell = absent
        column = columns[index] if index < len(columns) else None
        if column is None:
            stray.append(f"column {column_letter(index)} has a value but no field name in row 1")
            continue
        node = tree
        for token in column.tokens[:-1]:
            node = node.setdefault(token, {})
        node[column.tokens[-1]] = cell_value(column, cell)
    renames: dict[tuple[Token, ...], int] = {}
    data = _listify(tree, (), renames)
    return Built(data, renames), stray


def _listify(node: Any, path: tuple[Token, ...], renames: dict[tuple[Token, ...], int]) -> Any:
    """Dicts keyed by indexes become lists, compacted in index order (gaps are blank items)."""
    if not isinstance(node, dict):
        return node
    if node and all(isinstance(key, int) for key in node):
        items = []
        for new, old in enumerate(sorted(node)):
            if new != old:
                renames[(*path, new)] = old
            value = node[old]
            items.append(_listify(value, (*path, new), renames) if type(value) is dict else value)
        return items
    # Leaves (most cells) are kept as they are, without a call each.
    return {
        key: _listify(value, (*path, key), renames) if type(value) is dict else value
        for key, value in node.items()
    }


def original_field(field: str, renames: dict[tuple[Token, ...], int]) -> str:
    """Map a validation error's path back to the column header's indexes."""
    if not renames or not field:
        return field
    built: list[Token] = []
    shown: list[str] = []
    for part in field.split("."):
        token: Token = int(part) if part.isdigit() else part
        built.append(token)
        shown.append(str(renames.get(tuple(built), part)))
    return ".".join(shown)
