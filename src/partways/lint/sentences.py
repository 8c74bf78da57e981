"""Sentence spans of a paragraph, in the original text.

A sentence ends at . ! ? ؟ … ; (and the Greek question mark ;, ano teleia ·) followed by
white space, or at the start of a list item or heading line. A single line break is
white space: hard-wrapped drafts keep their sentences whole. A full stop after one of
the locale's abbreviations (lint.yaml `abbreviations`: "Mr.", «κ.») ends no sentence.
`unless` patterns look at one sentence, so the split only has to be good, not perfect.
"""

from __future__ import annotations

import re

# Our own fixed pattern (never user input), so the stdlib engine is fine here. It starts
# with one character class so that the engine skips to the next candidate in C (an
# alternation in front made it try every branch at every character: 2.3x slower).
_BOUNDARY = re.compile(
    r"[.!?؟…;;·\n](?:"
    r"(?<=[.!?؟…;;·])[.!?؟…;;·]*[\"'’”»)\]]*(?=\s|$)"  # terminal punctuation (+ quotes)
    r"|(?<=\n)(?=[ \t]*(?:[-*+•]|\d{1,3}[.)]|#{1,6})[ \t])"  # a list item or heading starts
    r"|(?<=\n)[ \t]*\n"  # a blank line inside a block
    r")"
)


def split_sentences(
    text: str, abbreviations: frozenset[str] = frozenset()
) -> list[tuple[int, int]]:
    """[start, end) spans of the non-blank sentences of `text`; `abbreviations` are
    casefolded words without their final full stop."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
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


def _abbreviated(text: str, stop: int, abbreviations: frozenset[str]) -> bool:
    """Whether the word just before the full stop at `stop` is an abbreviation."""
    before = text[max(0, stop - 16) : stop].split()
    return bool(before) and before[-1].lstrip("([\"'«“‘").casefold() in abbreviations
