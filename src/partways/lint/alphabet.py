"""Normalised text as one byte per character, for RE2.

RE2 runs byte automata. In UTF-8 a Persian or Greek letter is two bytes and the "any
word character" class becomes a multi-byte automaton, so matching Persian text took
about three times as long as English. A locale's patterns name few non-ASCII
characters (Persian ~40, Greek ~25): numbered from 0x80, they and ASCII fit in
Latin-1, one byte per character, and the automata shrink. Any other character of the
text becomes `?`, which no pattern can name (normalised text has no punctuation), so
it matches exactly what it matched before: a letter class such as [^ 0-9'], `.` or a
negated class. Byte offsets are then character offsets.

Patterns whose meaning depends on Unicode (\\p{Greek}, ranges between non-ASCII
characters, case-insensitive flags, escaped code points) keep the UTF-8 automata.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterable

# Unicode properties, escaped code points, a literal '?', case folding, or a range with a
# non-ASCII end: these do not survive renumbering the letters.
_UNICODE_DEPENDENT = re.compile(r"\\[pPxC?]|\(\?[a-zA-Z]*i|[^\x00-\x7f]-|-[^\x00-\x7f]")
UNKNOWN = b"?"


class Alphabet:
    def __init__(self, letters: list[str]) -> None:
        decoding = "".join(map(chr, range(128))) + "".join(letters)
        decoding += "\ufffe" * (256 - len(decoding))  # unused byte values
        self._encoding_map = codecs.charmap_build(decoding)
        self._table = {ord(letter): 0x80 + index for index, letter in enumerate(letters)}

    def text(self, text: str) -> bytes:
        if text.isascii():  # ASCII maps to itself: a copy instead of a lookup per char
            return text.encode("ascii")
        return codecs.charmap_encode(text, "replace", self._encoding_map)[0]

    def pattern(self, pattern: str) -> bytes:
        return pattern.translate(self._table).encode("latin-1")


def alphabet_for(patterns: Iterable[str], texts: Iterable[str] = ()) -> Alphabet | None:
    """The one-byte alphabet for these (engine) patterns, or None if they need UTF-8;
    every letter of `texts` (the token map's words) gets a byte of its own too."""
    letters: set[str] = {c for text in texts for c in text if ord(c) > 127}
    for pattern in patterns:
        if _UNICODE_DEPENDENT.search(pattern):
            return None
        if not pattern.isascii():
            letters.update(c for c in pattern if ord(c) > 127)
    if len(letters) > 128:
        return None
    return Alphabet(sorted(letters))
