"""Sentence spans of a paragraph, in the original text.

A sentence ends at one of the locale's end marks followed by white space (lint.yaml
`sentence_ends`; by default . ! ? ؟ … ; and the Greek question mark ; and ano teleia
·), or at the start of a list item or heading line. A single line break is white
space: hard-wrapped drafts keep their sentences whole. A full stop after one of the
locale's abbreviations (lint.yaml `abbreviations`: "Mr.", «κ.») ends no sentence.
`unless` patterns look at one sentence, so the split only has to be good, not perfect;
but a clause after a semicolon is the same sentence in English ("Any other client would
have thanked us; you complained" is one thought), so English leaves ";" out.
"""

from __future__ import annotations

import re
from functools import cache

DEFAULT_ENDS = ".!?؟…;;·"


@cache
def _boundary(ends: str) -> re.Pattern[str]:
    """The boundary regex for these end marks. Our own fixed shape (the marks are
    escaped), so the stdlib engine is fine. It starts with one character class so that
    the engine skips to the next candidate in C (an alternation in front made it try
    every branch at every character: 2.3x slower)."""
    marks = "".join(re.escape(c) for c in ends)
    return re.compile(
        rf"[{marks}\n](?:"
        rf"(?<=[{marks}])[{marks}]*[\"'’”»)\]]*(?=\s|$)"  # end marks (+ closing quotes)
        r"|(?<=\n)(?=[ \t]*(?:[-*+•]|\d{1,3}[.)]|#{1,6})[ \t])"  # a list item or heading
        r"|(?<=\n)[ \t]*\n"  # a blank line inside a block
        r")"
    )


class Splitter:
    """A locale's sentence splitter (see splitter_for)."""

    def __init__(self, ends: str = DEFAULT_ENDS, abbreviations: frozenset[str] = frozenset()):
        self.abbreviations = abbreviations  # casefolded, without their full stop
        self._boundary = _boundary(ends)

    def split(self, text: str) -> list[tuple[int, int]]:
        """[start, end) spans of the non-blank sentences of `text`."""
        spans: list[tuple[int, int]] = []
        start = 0
        abbreviations = self.abbreviations
        for match in self._boundary.finditer(text):
            if (
                abbreviations
                and match.group() == "."
                and _abbreviated(text, match.start(), abbreviations)
            ):
                continue
            end = match.end()
            if text[start:end].strip():
                spans.append((start, end))
            start = end
        if start < len(text) and text[start:].strip():
            spans.append((start, len(text)))
        return spans


@cache
def splitter_for(lang: str) -> Splitter:
    """The splitter of a locale's lint.yaml (`sentence_ends`, `abbreviations`)."""
    from partways.errors import InputError
    from partways.lint.rules import lint_data, locales_root

    data = lint_data(lang)
    ends = data.get("sentence_ends", DEFAULT_ENDS)
    if not isinstance(ends, str) or not ends or any(c.isalnum() or c.isspace() for c in ends):
        source = str(locales_root() / lang / "lint.yaml")
        raise InputError.single(
            source, "sentence_ends", "expected a string of punctuation marks, e.g. '.!?…'"
        )
    words = data.get("abbreviations") or []
    return Splitter(ends, frozenset(str(w).rstrip(".").casefold() for w in words))


def _abbreviated(text: str, stop: int, abbreviations: frozenset[str]) -> bool:
    """Whether the word just before the full stop at `stop` is an abbreviation."""
    before = text[max(0, stop - 16) : stop].split()
    return bool(before) and before[-1].lstrip("([\"'«“‘").casefold() in abbreviations
