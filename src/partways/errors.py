"""Errors a user can act on: each names the file, the field and what is expected."""

from __future__ import annotations

from typing import NamedTuple


# Named tuples rather than dataclasses here and on the linter's path: importing
# dataclasses costs ~10 ms of `partways lint`'s start-up (it imports inspect).
class Problem(NamedTuple):
    source: str  # file path, "<stdin>", "row 12" …
    field: str  # dotted path such as "customer.title"; "" for the whole file
    message: str

    def __str__(self) -> str:
        where = f"{self.source}: {self.field}" if self.field else self.source
        return f"{where}: {self.message}"


class InputError(Exception):
    """Bad input: one or more problems, reported one per line, exit status 2."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))

    @classmethod
    def single(cls, source: str, field: str, message: str) -> InputError:
        return cls([Problem(source, field, message)])


class LintBlocked(Exception):
    """A user-written value in the case file trips a tone rule (exit status 1)."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        super().__init__("\n".join(lines))
