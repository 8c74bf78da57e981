"""The batch runner: rows in, one letter file per row out, problems collected.

Rows are read, named and validated one at a time on the calling thread (names in
input order, so they are the same on every run); composing, polishing,
rendering and writing run on up to `jobs` threads with at most `2 × jobs` rows
in flight, and results are reported in input order. Nothing holds more than
those few rows or letters, whatever the size of the input.
"""

from __future__ import annotations

import os
from collections import Counter, deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from partways.batch.columns import original_field
from partways.batch.names import UniqueNames
from partways.batch.sources import Row, Source, open_source
from partways.errors import InputError, LintBlocked, Problem

EXTENSIONS = {"text": ".txt", "md": ".md", "html": ".html", "eml": ".eml", "json": ".json"}
SKIP_NOTES_SHOWN = 10  # a re-run of 10,000 rows must not bury its one error under skip lines


@dataclass(frozen=True)
class BatchOptions:
    out: Path
    fmt: str = "text"
    defaults: dict[str, Any] | None = None
    defaults_label: str = "--defaults"
    force: bool = False
    jobs: int = 1
    polish: Any = None  # PolishSettings when --polish is on
    send_names: bool = False


@dataclass
class Outcome:
    status: str  # written | skipped | failed
    path: Path | None = None
    lines: list[str] = field(default_factory=list)
    polish: str | None = None  # accepted | rejected | failed


@dataclass(frozen=True)
class Job:
    row: Row
    case: Any
    path: Path
    replace: bool = False


@dataclass
class Summary:
    written: int = 0
    skipped: int = 0
    failed: int = 0
    polish: Counter[str] = field(default_factory=Counter)

    @property
    def total(self) -> int:
        return self.written + self.skipped + self.failed


def deep_merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    """`over` on top of `base`: mappings merge key by key; a list or value in `over`
    replaces the one in `base` whole (merging list items by position would mix customers)."""
    merged = dict(base)
    for key, value in over.items():
        below = merged.get(key)
        if isinstance(value, dict) and isinstance(below, dict):
            merged[key] = deep_merge(below, value)
        else:
            merged[key] = value
    return merged


def _has_path(data: Any, field_path: str) -> bool:
    node = data
    for part in field_path.split("."):
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return False
    return True


def _size(path: Path) -> int | None:
    try:
        return path.stat().st_size
    except OSError:
        return None


def _names_in(folder: Path) -> frozenset[str]:
    try:
        with os.scandir(folder) as entries:
            return frozenset(entry.name for entry in entries)
    except OSError:
        return frozenset()


def _internal_error(row: Row, path: Path, exc: Exception) -> Outcome:
    if os.environ.get("PARTWAYS_DEBUG"):
        raise exc
    message = f"{row.source}: internal error ({type(exc).__name__}: {exc}); please report it"
    return Outcome("failed", path, [message])


def _customer_name(data: dict[str, Any] | None) -> str:
    customer = data.get("customer") if data else None
    name = customer.get("name") if isinstance(customer, dict) else None
    return name if isinstance(name, str) else ""


class Batch:
    def __init__(self, options: BatchOptions) -> None:
        self.options = options
        self.extension = EXTENSIONS[options.fmt]
        from partways.batch.files import Folder
        from partways.batch.sections import SectionCache
        from partways.render import renderer

        self.render = renderer(options.fmt)
        self.sections = SectionCache()
        self.folder = Folder(options.out)
        # Names already in the output folder, read once: a row whose file is not among
        # them needs no stat call (one that appears meanwhile is caught by Folder.create).
        self.existing = _names_in(options.out)

    # -- per row, on the calling thread ------------------------------------------------
    def prepare(self, row: Row, name: str) -> Job | Outcome:
        """Validate; return the work for a thread, or the outcome if there is none to do."""
        from partways.loader import validate_case

        path = self.options.out / f"{name}{self.extension}"
        if row.problems:
            return Outcome("failed", path, [str(p) for p in row.problems])
        defaults = self.options.defaults
        data = deep_merge(defaults, row.data or {}) if defaults else row.data
        try:
            case = validate_case(data, row.source)
        except InputError as exc:
            return Outcome("failed", path, [str(p) for p in self._explain(row, exc.problems)])
        size = _size(path) if path.name in self.existing else None
        if not self.options.force and size:
            return Outcome("skipped", path)
        # An empty file is what a crash before the final sync can leave: rewrite it.
        return Job(row, case, path, replace=size == 0)

    def _explain(self, row: Row, problems: list[Problem]) -> list[Problem]:
        """Name the column the user typed, and say when a value came from --defaults."""
        explained = []
        defaults = self.options.defaults
        for problem in problems:
            field_path = original_field(problem.field, row.renames)
            message = problem.message
            from_defaults = (
                defaults is not None
                and problem.field
                and _has_path(defaults, problem.field)
                and not _has_path(row.data, problem.field)
            )
            if from_defaults:
                message += f" (value from {self.options.defaults_label})"
            explained.append(Problem(problem.source, field_path, message))
        return explained

    # -- per row, on a worker thread ---------------------------------------------------
    def letter_for(self, job: Job) -> tuple[str | None, Outcome]:
        """Compose (and polish) and render: (the file's content or None, the outcome so far)."""
        from partways.draft import draft

        row, path = job.row, job.path
        outcome = Outcome("written", path)
        try:
            letter = draft(job.case, row.source, self.sections.compose)
            if self.options.fmt == "eml":
                from partways.render.eml import missing_addresses

                missing = missing_addresses(letter)
                if missing:
                    problems = [Problem(row.source, f, m) for f, m in missing]
                    return None, Outcome("failed", path, [str(p) for p in problems])
            if self.options.polish is not None:
                letter, outcome.polish, notes = self._polish(letter, row)
                outcome.lines.extend(notes)
            return self.render(letter), outcome
        except LintBlocked as exc:
            lines = [self._lint_line(row, line) for line in exc.lines]
            return None, Outcome("failed", path, lines, outcome.polish)
        except Exception as exc:  # a bug must not cost the user the rest of the batch
            return None, _internal_error(row, path, exc)

    @staticmethod
    def _lint_line(row: Row, line: str) -> str:
        """ "<source>: <field>: <rule>: …" with the field as the column header named it."""
        head = f"{row.source}: "
        if not line.startswith(head):
            return head + line
        field_path, sep, rest = line[len(head) :].partition(": ")
        return f"{head}{original_field(field_path, row.renames)}{sep}{rest}"

    def store(self, job: Job, content: str, outcome: Outcome) -> Outcome:
        """Write atomically; a write that finds the file already there is a skip."""
        from partways.output import write_atomic

        path = job.path
        try:
            if self.options.force or job.replace:
                write_atomic(path, content, True, durable=False)
            elif not self.folder.create(path.name, content.encode("utf-8")):
                return Outcome("skipped", path, polish=outcome.polish)
        except InputError as exc:
            if not self.options.force and path.exists():  # appeared meanwhile: not ours to clobber
                return Outcome("skipped", path, polish=outcome.polish)
            return Outcome("failed", path, [str(p) for p in exc.problems], outcome.polish)
        except OSError as exc:
            return Outcome("failed", path, [f"{path}: cannot write: {exc.strerror}"])
        except Exception as exc:
            return _internal_error(job.row, path, exc)
        return outcome

    def produce(self, job: Job) -> Outcome:
        content, outcome = self.letter_for(job)
        return outcome if content is None else self.store(job, content, outcome)

    def _polish(self, letter: Any, row: Row) -> tuple[Any, str, list[str]]:
        from partways.polish import polish_letter

        result = polish_letter(letter, self.options.polish, send_names=self.options.send_names)
        notes = []
        if result.status in ("rejected", "failed"):
            first = result.reasons[0] if result.reasons else "no reason given"
            more = f" (+{len(result.reasons) - 1} more)" if len(result.reasons) > 1 else ""
            kept = "the unpolished letter was used"
            notes.append(f"{row.source}: polish {result.status}: {first}{more}; {kept}")
        return result.letter, str(result.status), notes


def run(
    source: Source,
    options: BatchOptions,
    report: Callable[[Outcome], None],
) -> Summary:
    """Process every row of `source`; `report` sees each outcome in input order."""
    batch = Batch(options)
    names = UniqueNames()
    summary = Summary()

    def finish(outcome: Outcome) -> None:
        setattr(summary, outcome.status, getattr(summary, outcome.status) + 1)
        if outcome.polish:
            summary.polish[outcome.polish] += 1
        report(outcome)

    try:
        _run(source, batch, names, finish, options.jobs)
    finally:
        batch.folder.close()
        # Files are written without a per-file fsync (it costs more than composing a
        # letter); one sync makes them all durable before the command returns.
        if summary.written:
            os.sync()
    return summary


def _run(
    source: Source,
    batch: Batch,
    names: UniqueNames,
    finish: Callable[[Outcome], None],
    jobs: int,
) -> None:
    def work() -> Iterator[Job | Outcome]:
        for row in source.rows():
            name = names.claim(_customer_name(row.data), row.fallback_name)
            yield batch.prepare(row, name)

    if jobs <= 1:
        for item in work():
            finish(item if isinstance(item, Outcome) else batch.produce(item))
        return

    # Threads (for --polish, which waits on the network): results are reported in input
    # order from a queue of at most 2 × jobs rows, so memory stays flat.
    pending: deque[Future[Outcome] | Outcome] = deque()
    with ThreadPoolExecutor(jobs, thread_name_prefix="batch") as pool:
        for item in work():
            pending.append(item if isinstance(item, Outcome) else pool.submit(batch.produce, item))
            while len(pending) > 2 * jobs or (pending and _ready(pending[0])):
                finish(_result(pending.popleft()))
        while pending:
            finish(_result(pending.popleft()))


def _ready(item: Future[Outcome] | Outcome) -> bool:
    return isinstance(item, Outcome) or item.done()


def _result(item: Future[Outcome] | Outcome) -> Outcome:
    return item if isinstance(item, Outcome) else item.result()


__all__ = ["BatchOptions", "Outcome", "Summary", "open_source", "run"]
