"""Sentence spans of a paragraph, in the original text.

A sentence ends at . ! ? ؟ … ; (and the Greek question mark ;, ano teleia ·) followed by
white space, or at the start of a list item or heading line. A single line break is
white space: hard-wrapped drafts keep their sentences whole. `unless` patterns look
at one sentence, so the split only has to be good, not perfect ("Mr. Bellini" splits).
"""

from __future__ import annotations

import re

# Our own fixed pattern (never user input), so the stdlib engine is fine here.
_BOUNDARY = re.compile(
    r"[.!?؟…;;·]+[\"'’”»)\]]*(?=\s|$)"  # terminal punctuation (+ closing quotes)
    r"|\n(?=[ \t]*(?:[-*+•]|\d{1,3}[.)]|#{1,6})[ \t])"  # a list item or heading starts
    r"|\n[ \t]*\n"  # a blank line inside a block
)


def split_sentences(text: str) -> list[tuple[int, int]]:
    """[start, end) spans of the non-blank sentences of `text`."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        end = match.end()
        if text[start:end].strip():
            spans.append((start, end))
        start = end
    if start < len(text) and text[start:].strip():
        spans.append((start, len(text)))
    return spans
