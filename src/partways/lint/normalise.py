"""Sentence normalisation for tone rules, with a map back to the original text.

The steps (the contract with the rule authors, see locales/*/tone.yaml):
NFC; casefold; Greek letters lose accents (final ς folds to σ); Arabic ي/ى→ی, ك→ک,
ة→ه; Arabic diacritics, tatweel, ZWNJ/ZWJ and bidi marks removed; Persian/Arabic digits
→ 0-9; ’ ‘ ʼ ` → '; every other punctuation, symbol, space or control character → one
space; the Persian prefixes می / نمی / بی joined to the following word; `token_map`
applied per token; one space at both ends.

Two implementations share one per-character table: `normalise` (C-level string
operations, used on every sentence) and `normalise_map` (a Python loop that also
records where each output character came from, run only on sentences with a finding).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from functools import cache

APOSTROPHES = "'’‘ʼ`"
_ARABIC_FORMS = {"ي": "ی", "ى": "ی", "ك": "ک", "ة": "ه"}
_DIGITS = {chr(0x06F0 + i): str(i) for i in range(10)} | {
    chr(0x0660 + i): str(i) for i in range(10)
}
_PREFIXES = ("می", "نمی", "بی")


def _is_greek(cp: int) -> bool:
    return 0x0370 <= cp <= 0x03FF or 0x1F00 <= cp <= 0x1FFF


def _strip_marks(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize(
        "NFC", "".join(c for c in decomposed if not unicodedata.combining(c))
    )


def _map_char(c: str) -> str:
    """What one (already NFC) character becomes."""
    if c in APOSTROPHES:
        return "'"
    if c in _ARABIC_FORMS:
        return _ARABIC_FORMS[c]
    if c in _DIGITS:
        return _DIGITS[c]
    cp = ord(c)
    if 0x064B <= cp <= 0x065F or cp in (0x0670, 0x0640):  # harakat, superscript alef, tatweel
        return ""
    if 0x0342 <= cp <= 0x0345:  # Greek combining perispomeni … ypogegrammeni
        return ""
    category = unicodedata.category(c)
    if category == "Cf":  # ZWNJ, ZWJ, bidi marks, soft hyphen: join the parts
        return ""
    if category[0] in "PSZ" or category in ("Cc", "Co", "Cs", "Cn"):
        return " "
    if _is_greek(cp):
        return _strip_marks(c).casefold()
    return c.casefold()


class _CharTable(dict[int, str]):
    """str.translate table that fills itself on first sight of a character."""

    def __missing__(self, key: int) -> str:
        value = _map_char(chr(key))
        self[key] = value
        return value


CHAR_TABLE = _CharTable()
# Pre-fill ASCII so the common case never leaves C code.
for _cp in range(128):
    CHAR_TABLE[_cp]


def map_chars(text: str) -> str:
    """The per-character steps only (no NFC, no token steps)."""
    return text.translate(CHAR_TABLE)


def _nfc(text: str) -> str:
    return text if text.isascii() else unicodedata.normalize("NFC", text)


def _join_prefixes(tokens: list[str]) -> list[str]:
    out: list[str] = []
    pending = ""
    for token in tokens:
        if pending:
            out.append(pending + token)
            pending = ""
        elif token in _PREFIXES:
            pending = token
        else:
            out.append(token)
    if pending:
        out.append(pending)
    return out


def normalise(text: str, token_map: Mapping[str, str] | None = None) -> str:
    """The normalised form of `text` that tone patterns are matched against."""
    tokens = _nfc(text).translate(CHAR_TABLE).split()
    if not tokens:
        return " "
    if "می" in tokens or "نمی" in tokens or "بی" in tokens:
        tokens = _join_prefixes(tokens)
    if token_map and not token_map.keys().isdisjoint(tokens):
        tokens = [token_map.get(t, t) for t in tokens]
    return " " + " ".join(tokens) + " "


Span = tuple[int, int]


def _nfc_units(text: str) -> list[tuple[str, int, int]]:
    """(NFC text, start, end) pieces of `text`; each piece normalises on its own."""
    if text.isascii() or unicodedata.is_normalized("NFC", text):
        return [(c, i, i + 1) for i, c in enumerate(text)]
    clusters: list[tuple[int, int]] = []
    for i, c in enumerate(text):
        if clusters and unicodedata.combining(c):
            clusters[-1] = (clusters[-1][0], i + 1)
        else:
            clusters.append((i, i + 1))
    units = [(unicodedata.normalize("NFC", text[a:b]), a, b) for a, b in clusters]
    if "".join(u for u, _, _ in units) != unicodedata.normalize("NFC", text):
        # Composition across clusters (rare, e.g. Hangul jamo): map coarsely.
        return [(unicodedata.normalize("NFC", text), 0, len(text))]
    return units


def normalise_map(text: str, token_map: Mapping[str, str] | None = None) -> tuple[str, list[Span]]:
    """`normalise(text)` plus, for every output character, the span of `text` it came from."""
    chars: list[tuple[str, Span]] = []
    for unit, a, b in _nfc_units(text):
        for c in unit:
            for out in CHAR_TABLE[ord(c)]:
                chars.append((out, (a, b)))
    # Tokens: (text, spans of its characters)
    tokens: list[tuple[str, list[Span]]] = []
    word: list[str] = []
    spans: list[Span] = []
    for out, span in [*chars, (" ", (len(text), len(text)))]:
        if out == " ":
            if word:
                tokens.append(("".join(word), spans))
                word, spans = [], []
        else:
            word.append(out)
            spans.append(span)
    joined: list[tuple[str, list[Span]]] = []
    pending: tuple[str, list[Span]] | None = None
    for token in tokens:
        if pending is not None:
            joined.append((pending[0] + token[0], pending[1] + token[1]))
            pending = None
        elif token[0] in _PREFIXES:
            pending = token
        else:
            joined.append(token)
    if pending is not None:
        joined.append(pending)
    out_text = [" "]
    out_spans: list[Span] = [(0, 0)]
    for word_text, word_spans in joined:
        replacement = token_map.get(word_text) if token_map else None
        if replacement is not None and replacement != word_text:
            whole = (word_spans[0][0], word_spans[-1][1])
            out_text.append(replacement)
            out_spans.extend([whole] * len(replacement))
        else:
            out_text.append(word_text)
            out_spans.extend(word_spans)
        out_text.append(" ")
        out_spans.append((word_spans[-1][1], word_spans[-1][1]))
    if len(out_text) == 1:
        return " ", [(0, 0)]
    return "".join(out_text), out_spans


def original_span(spans: list[Span], normalised: str, start: int, end: int) -> Span:
    """The span of the original text behind normalised[start:end], spaces trimmed."""
    while start < end and normalised[start] == " ":
        start += 1
    while end > start and normalised[end - 1] == " ":
        end -= 1
    if start >= end:
        index = min(start, len(spans) - 1)
        return spans[index]
    return spans[start][0], spans[end - 1][1]


def normalise_pattern(pattern: str) -> str:
    """Fold the non-ASCII letters of a rule pattern the way text is folded.

    Authors may then write 'είστε' or 'ΕΙΣΤΕ', 'ي' or 'ی', with or without ZWNJ; ASCII
    is left alone because it carries the regex syntax (\\pL, \\S …).
    """
    if pattern.isascii():
        return pattern
    out = []
    for unit in unicodedata.normalize("NFC", pattern):
        if unit.isascii():
            out.append(unit)
            continue
        mapped = CHAR_TABLE[ord(unit)]
        # Punctuation inside a pattern is meant literally by its author only if ASCII;
        # a non-ASCII punctuation mark can never appear in normalised text anyway.
        out.append(mapped if mapped != " " or unit.isspace() else unit)
    return "".join(out)


def normalise_token_map(token_map: Mapping[str, str]) -> dict[str, str]:
    """Keys and values folded like text (keys are single tokens after folding)."""
    result: dict[str, str] = {}
    for key, value in token_map.items():
        k = normalise(key).strip()
        v = normalise(value).strip()
        if k and v:
            result[k] = v
    return result


# Many paragraphs at once (the paragraph prefilter) -------------------------------------

# Joins the paragraphs of a chunk: a token of its own that folds to itself, so no Persian
# prefix is joined across paragraphs. ASCII, so ASCII text keeps translate()'s fast path.
SENTINEL = "zxqzx"
_JOIN = f"\n{SENTINEL}\n"
# Characters that `_fold` maps (after casefold) with one str.replace each: what drafts in
# our locales commonly contain. Anything else sends a chunk to the translate() path.
_REPLACED = (
    '!"#$%&()*+,-./:;<=>?@[\\]^_`{|}~'
    "’‘“”„–—…«»•·€£§°\u00a0"
    "،؛؟٪٫٬ـ\u200b\u200c\u200d\u200e\u200fيىكة"
    + "".join(chr(c) for c in range(0x06F0, 0x06FA))
    + "".join(chr(c) for c in range(0x0660, 0x066A))
    + "".join(chr(c) for c in range(0x064B, 0x0653))
    + "\u0670άέήίόύώϊϋ"
)
_FIRST = "’‘“”„–—…«»•·€£§°\u00a0\u200b\u200e\u200fΐΰ"
_CANDIDATES = ((0x09, 0x0D), (0x20, 0x7E), (0xA0, 0x17F), (0x370, 0x3FF), (0x600, 0x6FF),
               (0x2000, 0x206F), (0x20A0, 0x20BF))  # fmt: skip
# Shorter text is translated (building the folder's tables costs ~10 ms once).
_FOLD_FROM = 4096
_PREFIX_JOIN = re.compile(f" (نمی|می|بی) (?!{SENTINEL} )([^ ]+)")


class _Folder:
    """casefold() and a few str.replace passes: the same tokens as translate(CHAR_TABLE),
    checked character by character when built, for text of the `safe` characters only
    (a C-speed pass per step instead of a table lookup per character)."""

    def __init__(self) -> None:
        self.steps = [
            (c, CHAR_TABLE[ord(c)])
            for c in _REPLACED
            if CHAR_TABLE[ord(c)] != c and not (CHAR_TABLE[ord(c)] == " " and c.isspace())
        ]
        safe: list[int] = []
        for low, high in _CANDIDATES:
            for cp in range(low, high + 1):
                c = chr(cp)
                if unicodedata.normalize("NFC", c) != c:
                    continue  # never seen in NFC text
                wanted, got = CHAR_TABLE[cp], self._fold_all(c)
                if got == wanted or (wanted == " " and got.isspace()):
                    safe.append(cp)
        self.unsafe = re.compile(f"[^{_class(safe)}]")

        # Replaced before everything else: common punctuation that folds to ASCII or to
        # nothing (so English or Malay text with curly quotes or dashes becomes ASCII and
        # takes translate()'s fast path) and letters that casefold() would decompose.
        self.first_steps = []
        for c in _FIRST:
            new = CHAR_TABLE[ord(c)]
            if new == new.translate(CHAR_TABLE) == self._fold_all(new):
                self.first_steps.append((c, new))

    def prepare(self, text: str) -> str:
        """`text` after the first steps; an ASCII str if nothing else was left."""
        for old, new in self.first_steps:
            if old in text:
                text = text.replace(old, new)
        try:
            return text.encode("ascii").decode("ascii")
        except UnicodeEncodeError:
            return text

    def _fold_all(self, text: str) -> str:
        """casefold() and the steps (the caller knows the characters are safe)."""
        text = text.casefold()
        for old, new in self.steps:
            if old in text:
                text = text.replace(old, new)
        return text

    def fold(self, text: str) -> str | None:
        """`text` folded, or None if it has a character outside the safe ones."""
        return None if self.unsafe.search(text) else self._fold_all(text)


def _class(code_points: list[int]) -> str:
    """A regex character class body for the (sorted) code points."""
    ranges: list[tuple[int, int]] = []
    for cp in code_points:
        if ranges and ranges[-1][1] == cp - 1:
            ranges[-1] = (ranges[-1][0], cp)
        else:
            ranges.append((cp, cp))
    return "".join(
        re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}"
        for a, b in ranges
    )


@cache
def _folder() -> _Folder:
    return _Folder()


def normalise_joined(
    texts: list[str], token_map: Mapping[str, str] | None = None, map_tokens: bool = True
) -> str | None:
    """`SENTINEL.join(normalise(t, token_map) for t in texts)`, computed on all of them at
    once; None if a text contains SENTINEL itself (then take them one by one).
    `map_tokens=False`: every step but the token map (the caller applies it)."""
    if token_map and SENTINEL in token_map:
        return None
    if not map_tokens:
        token_map = None
    text = _JOIN.join(texts)
    folded = None
    if not text.isascii() and len(text) >= _FOLD_FROM:
        folder = _folder()
        # Before NFC: the first steps' characters take part in no composition (a test
        # checks this), and text they leave ASCII is NFC already, so needs no check.
        text = _nfc(folder.prepare(text))
        folded = None if text.isascii() else folder.fold(text)
    else:
        text = _nfc(text)
    # translate() has a C fast path for ASCII text; otherwise it is the slow path.
    text = text.translate(CHAR_TABLE) if folded is None else folded
    tokens = text.split()
    if not tokens:
        return " "  # one blank text
    if ("می" in text or "بی" in text) and ("می" in tokens or "نمی" in tokens or "بی" in tokens):
        text = _PREFIX_JOIN.sub(r" \1\2", " " + " ".join(tokens) + " ")
        if token_map:
            # Keys among the tokens before joining, and joined ones: a superset is fine.
            present = token_map.keys() & tokens
            present.update(k for k in token_map if k.startswith(_PREFIXES) and f" {k} " in text)
            if present:
                text = _map_tokens(text, present, token_map)
    elif token_map:  # a lookup per token (in C): cheaper than a str.replace pass per key
        text = " " + " ".join(map(token_map.get, tokens, tokens)) + " "
    else:
        text = " " + " ".join(tokens) + " "
    if text.count(SENTINEL) != len(texts) - 1:
        return None  # the text itself has one
    return text


def _map_tokens(text: str, present: set[str], token_map: Mapping[str, str]) -> str:
    """token_map applied to the tokens of `text` (space-separated, spaces at both ends)."""
    present = {key for key in present if token_map[key] != key}
    if any(token_map.get(t, t) != t for key in present for t in token_map[key].split()):
        # A replacement would contain a key: replace token by token.
        return " " + " ".join([token_map.get(t, t) for t in text.split()]) + " "
    for key in present:
        old, new = f" {key} ", f" {token_map[key]} "
        # One pass skips a key right after a replaced one (their space is shared).
        text = text.replace(old, new).replace(old, new)
    return text
