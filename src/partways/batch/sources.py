"""Input readers: CSV, JSON Lines, or a folder of case files — each streamed as
`Row`s, one at a time, so memory does not grow with the input.

Row numbers are what the user sees: the spreadsheet's row (header = row 1; a
cell with line breaks is still one row), the JSON Lines line, or the file path.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from partways.batch.columns import Token, build, read_header
from partways.errors import InputError, Problem

CASE_SUFFIXES = (".yaml", ".yml", ".json", ".toml")
MAX_CELL = 131_072  # csv's own default, stated: one runaway quote must not eat the file


@dataclass
class Row:
    source: str  # "batch.csv: row 7", "cases.jsonl: line 3", "cases/acme.yaml"
    fallback_name: str  # used for the file name when the row has no customer.name
    data: dict[str, Any] | None = None
    problems: list[Problem] = field(default_factory=list)
    renames: dict[tuple[Token, ...], int] = field(default_factory=dict)


class Source:
    """An opened input: `rows()` streams it; `size`/`position` drive the progress bar."""

    kind = "rows"
    size = 0

    def __init__(self, path: Path) -> None:
        self.path = path
        self.label = str(path)
        self.position = 0

    def rows(self) -> Iterator[Row]:  # pragma: no cover - abstract
        raise NotImplementedError


def open_source(path: Path) -> Source:
    """Pick the reader from what INPUT is; raise InputError (a usage error) if unusable."""
    if path.is_dir():
        return FolderSource(path)
    if not path.exists():
        raise InputError.single(str(path), "", "no such file or folder")
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson"):
        return JsonLinesSource(path)
    if suffix in (".csv", ".tsv", ".txt"):
        return CsvSource(path)
    raise InputError.single(
        str(path), "", "expected a .csv file, a .jsonl file or a folder of case files"
    )


def _open_binary(path: Path) -> BinaryIO:
    try:
        return path.open("rb")
    except OSError as exc:
        raise InputError.single(str(path), "", f"cannot read: {exc.strerror}") from None


class _Lines:
    """Decoded text lines from a binary file, remembering whether any line since the last
    `take_bad()` was not valid in the encoding (that row fails; the others go on)."""

    def __init__(self, fh: BinaryIO, source: Source) -> None:
        self.fh = fh
        self.source = source
        self.bad = False
        head = fh.read(4)
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            # Excel's "Unicode Text" export: UTF-16 with a BOM (tab-separated).
            fh.seek(0)
            self.encoding = "utf-16"
        else:
            fh.seek(3 if head.startswith(codecs.BOM_UTF8) else 0)
            self.encoding = "utf-8"
        source.position = fh.tell()

    def __iter__(self) -> Iterator[str]:
        if self.encoding == "utf-16":
            text = io.TextIOWrapper(self.fh, encoding="utf-16", errors="replace", newline="")
            for line in text:
                self.bad = self.bad or "\ufffd" in line
                self.source.position = self.fh.tell()
                yield line
            return
        for raw in self.fh:
            self.source.position += len(raw)
            try:
                yield raw.decode("utf-8")
            except UnicodeDecodeError:
                self.bad = True
                yield raw.decode("utf-8", "replace")

    def take_bad(self) -> bool:
        bad, self.bad = self.bad, False
        return bad


NOT_UTF8 = "not UTF-8 text; save the sheet as “CSV UTF-8 (comma delimited)”"


class CsvSource(Source):
    kind = "row"

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self.size = path.stat().st_size
        self.fh = _open_binary(path)
        self.lines = _Lines(self.fh, self)
        self.reader_lines = iter(self.lines)
        first = next(self.reader_lines, "")
        if not first.strip():
            self.fh.close()
            raise InputError.single(self.label, "row 1", "empty; expected a header row")
        # Header cells are dotted names: whichever separator occurs in it is the one.
        counts = {sep: first.count(sep) for sep in (",", ";", "\t")}
        self.delimiter = max(counts, key=lambda sep: counts[sep])
        header_reader = csv.reader([first], delimiter=self.delimiter)
        header_cells = next(header_reader, [])
        bad_header = self.lines.take_bad()
        self.columns, problems = read_header(header_cells, f"{self.label}: row 1")
        if bad_header:
            problems.insert(0, Problem(f"{self.label}: row 1", "", NOT_UTF8))
        if problems:
            self.fh.close()
            raise InputError(problems)
        self.width = len(self.columns)

    def rows(self) -> Iterator[Row]:
        csv.field_size_limit(MAX_CELL)
        reader = csv.reader(self.reader_lines, delimiter=self.delimiter)
        number = 1
        try:
            while True:
                number += 1
                source = f"{self.label}: row {number}"
                try:
                    cells = next(reader)
                except StopIteration:
                    return
                except csv.Error as exc:
                    self.lines.take_bad()
                    message = f"cannot read the row ({exc}); is a quote left open?"
                    yield Row(source, f"row-{number}", problems=[Problem(source, "", message)])
                    continue
                if self.lines.take_bad():
                    yield Row(source, f"row-{number}", problems=[Problem(source, "", NOT_UTF8)])
                    continue
                if not any(cell.strip() for cell in cells):
                    continue  # a blank spreadsheet row: nothing to do, not a failure
                built, stray = build(self.columns, cells)
                row = Row(source, f"row-{number}", built.data, renames=built.renames)
                row.problems = [Problem(source, "", message) for message in stray]
                yield row
        finally:
            self.fh.close()


class JsonLinesSource(Source):
    kind = "line"

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self.size = path.stat().st_size
        self.fh = _open_binary(path)

    def rows(self) -> Iterator[Row]:
        lines = _Lines(self.fh, self)
        try:
            for number, line in enumerate(lines, start=1):
                source = f"{self.label}: line {number}"
                bad = lines.take_bad()
                if not line.strip():
                    continue
                row = Row(source, f"line-{number}")
                if bad:
                    row.problems.append(Problem(source, "", "not UTF-8 text"))
                    yield row
                    continue
                try:
                    data = json.loads(line)
                except json.JSONDecodeError as exc:
                    message = f"not valid JSON: {exc.msg} at column {exc.colno}"
                    row.problems.append(Problem(source, "", message))
                    yield row
                    continue
                if not isinstance(data, dict):
                    kind = "a list" if isinstance(data, list) else type(data).__name__
                    message = f"expected one case as a JSON object per line (got {kind})"
                    row.problems.append(Problem(source, "", message))
                else:
                    row.data = data
                yield row
        finally:
            self.fh.close()


class FolderSource(Source):
    kind = "file"

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        try:
            # Sorted, so names are handed out in the same order on every run.
            self.files = sorted(
                entry.name
                for entry in _scandir(path)
                if entry.is_file()
                and not entry.name.startswith(".")
                and Path(entry.name).suffix.lower() in CASE_SUFFIXES
            )
        except OSError as exc:
            raise InputError.single(str(path), "", f"cannot read: {exc.strerror}") from None
        if not self.files:
            raise InputError.single(
                str(path), "", f"no case files ({', '.join(CASE_SUFFIXES)}) in this folder"
            )
        self.size = len(self.files)

    def rows(self) -> Iterator[Row]:
        from partways.loader import read_document

        for count, name in enumerate(self.files, start=1):
            file = self.path / name
            row = Row(str(file), Path(name).stem)
            try:
                data = read_document(file)
            except InputError as exc:
                row.problems.extend(exc.problems)
            else:
                if isinstance(data, dict):
                    row.data = data
                else:
                    row.problems.append(
                        Problem(str(file), "", "expected a mapping of fields at the top")
                    )
            self.position = count
            yield row


def _scandir(path: Path) -> list[Any]:
    import os

    with os.scandir(path) as entries:
        return list(entries)
