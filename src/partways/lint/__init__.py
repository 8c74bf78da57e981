"""Tone linter: flags personal-attack phrasing in en, fa, ms and el drafts.

    from partways.lint import lint_text
    for f in lint_text("You always complain.", "en"):
        print(f.line, f.column, f.rule, f.message)

Rules are data (locales/<lang>/tone.yaml); see rules.py for the file format and
normalise.py for what patterns are matched against.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from partways.lint.engine import CompiledLocale, Finding


@cache
def builtin_locale(lang: str) -> CompiledLocale:
    """The shipped rules of `lang`, compiled (no user configuration)."""
    from partways.lint.engine import CompiledLocale
    from partways.lint.rules import builtin_rules

    files = [builtin_rules(lang)]
    return CompiledLocale(lang, files)


def lint_text(text: str, locale: str, *, overlapping: bool = False) -> list[Finding]:
    """Findings for `text` (line/column 1-based, in `text` itself) with the shipped rules.

    Where rules overlap on the same words only the strongest is reported, unless
    `overlapping` (every rule that matches)."""
    from partways.lint.sources import text_paragraphs

    compiled = builtin_locale(locale)
    paragraphs = text_paragraphs(text.splitlines(keepends=True))
    return list(compiled.lint_paragraphs(paragraphs, overlapping=overlapping))


__all__ = ["builtin_locale", "lint_text"]
