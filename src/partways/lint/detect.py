"""Which locale a draft is written in, from a sample of its text.

Data-driven: each locale's `locales/<lang>/lint.yaml` gives `detect.script` (Latn, Arab,
Grek …; else locale.yaml's `script`) and `detect.words`, its most common function
words. The majority script picks the candidates; among several (English and Malay are
both Latin) the locale whose words are most frequent in the sample wins.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from functools import cache

from partways.lint.normalise import normalise
from partways.lint.rules import lint_data, lint_locales, locales_root, read_shipped

_SCRIPT_RANGES = (
    ("Arab", ((0x0600, 0x06FF), (0x0750, 0x077F), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF))),
    ("Grek", ((0x0370, 0x03FF), (0x1F00, 0x1FFF))),
    ("Cyrl", ((0x0400, 0x04FF),)),
    ("Hebr", ((0x0590, 0x05FF),)),
)


def script_of(char: str) -> str | None:
    cp = ord(char)
    for name, ranges in _SCRIPT_RANGES:
        if any(lo <= cp <= hi for lo, hi in ranges):
            return name
    if char.isalpha() and (cp < 0x0250 or 0x1E00 <= cp <= 0x1EFF):
        return "Latn"
    if char.isalpha():
        name = unicodedata.name(char, "")
        return name.split(" ", 1)[0].title()[:4] if name else None
    return None


@cache
def locale_script(lang: str) -> str:
    detect = lint_data(lang).get("detect") or {}
    if isinstance(detect, dict) and isinstance(detect.get("script"), str):
        return str(detect["script"])
    path = locales_root() / lang / "locale.yaml"
    if path.is_file():
        data = read_shipped(path)
        if isinstance(data, dict) and isinstance(data.get("script"), str):
            return str(data["script"])
    return "Latn"


@cache
def locale_words(lang: str) -> frozenset[str]:
    detect = lint_data(lang).get("detect") or {}
    words = detect.get("words", []) if isinstance(detect, dict) else []
    return frozenset(normalise(w).strip() for w in words if isinstance(w, str))


def detect_locale(
    sample: str, candidates: tuple[str, ...] | None = None, default: str = "en"
) -> str:
    """The most likely locale of `sample` among `candidates` (default: all lint locales)."""
    langs = candidates or lint_locales()
    if not langs:
        return default
    scripts = Counter(s for s in map(script_of, sample) if s is not None)
    if not scripts:
        return default if default in langs else langs[0]
    script = scripts.most_common(1)[0][0]
    matching = [lang for lang in langs if locale_script(lang) == script] or list(langs)
    if len(matching) == 1:
        return matching[0]
    tokens = Counter(normalise(sample).split())
    scores = {lang: sum(tokens[w] for w in locale_words(lang)) for lang in matching}
    best = max(scores.values())
    winners = [lang for lang in matching if scores[lang] == best]
    return default if default in winners else winners[0]
