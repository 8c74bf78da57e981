"""`draft` never emits a letter that fails its own linter.

The user-written free-text values of a case are linted one by one, so a finding can
name its field (`case.yaml: facts.2.text: en.blame: …`); then every section of the
composed letter, which catches a value that only reads as an attack in its sentence.
Names, e-mail addresses, URLs, amounts and dates are not prose and are not linted.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from partways.case import Case
    from partways.letter import Letter
    from partways.lint.engine import Finding


@lru_cache(maxsize=4096)
def _findings(text: str, locale: str) -> tuple[Finding, ...]:
    """Shipped-rule findings for one value or section. Cached: in a batch most sections
    (apology, closing, subject…) and many values repeat from letter to letter."""
    from partways.lint import lint_text

    return tuple(lint_text(text, locale))


def case_values(case: Case) -> Iterator[tuple[str, str]]:
    """(field path, text) for every free-text value the user wrote; indexes from 0."""
    if case.sender.role:
        yield "sender.role", case.sender.role
    yield "service", case.service
    for index, fact in enumerate(case.facts):
        for name in ("text", "item"):
            value = getattr(fact, name, None)
            if isinstance(value, str):
                yield f"facts.{index}.{name}", value
    if case.goodwill.period:
        yield "goodwill.period", case.goodwill.period
    for index, item in enumerate(case.ending.pending):
        yield f"ending.pending.{index}", item
    if case.door_open:
        yield "door_open", case.door_open
    for index, attempt in enumerate(case.attempts):
        yield f"attempts.{index}", attempt


def case_findings(case: Case, source: str) -> list[str]:
    lines = []
    for field, value in case_values(case):
        for finding in _findings(value, case.locale):
            lines.append(f"{source}: {field}: {finding.rule}: {finding.message}")
    return lines


@lru_cache(maxsize=4096)
def _section_lines(marked: str, locale: str, kind: str) -> tuple[str, ...]:
    """'letter.<kind>: <rule>: <message> (<excerpt>)' for each finding in one marked
    section or subject. Cached by the marked text, so a section that repeats from letter
    to letter (the same string) costs one lookup, not an unmark and a lint lookup."""
    from partways.letter import unmark

    text = unmark(marked)
    lines = []
    for finding in _findings(text, locale):
        excerpt = text.splitlines()[finding.line - 1][finding.column - 1 : finding.end_column - 1]
        lines.append(f"letter.{kind}: {finding.rule}: {finding.message} ({excerpt!r})")
    return tuple(lines)


def letter_findings(letter: Letter, source: str) -> list[str]:
    locale = letter.locale
    found = _section_lines(letter.subject_marked, locale, "subject")
    for section in letter.sections:
        found += _section_lines(section.marked, locale, section.kind.value)
    return [f"{source}: {line}" for line in found]


def check_case(case: Case, source: str) -> None:
    """Raise LintBlocked when a user-written value trips a tone rule."""
    from partways.errors import LintBlocked

    lines = case_findings(case, source)
    if lines:
        raise LintBlocked(lines)


def check_letter(letter: Letter, source: str) -> None:
    """Raise LintBlocked when the composed letter trips a tone rule."""
    from partways.errors import LintBlocked

    lines = letter_findings(letter, source)
    if lines:
        raise LintBlocked(lines)
