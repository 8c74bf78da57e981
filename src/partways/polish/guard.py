"""The guard: a model reply is accepted only if every check passes.

All checks are general (no case-by-case patches for particular attacks): the reply is
parsed strictly, every fact token must be where it was, and the prose around the tokens
may contain no number, amount, date name, commitment word (refund, free of charge…), URL,
email, markup or control character that the original prose did not, in the draft's
script and language, within length bounds, and with no tone finding the draft did not have.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from partways.letter import Letter, unmark
from partways.polish.ledger import TOKEN, Ledger

# Length of each section's plain text, relative to the draft's (plus slack for short ones).
MIN_RATIO, MAX_RATIO, SLACK = 0.5, 1.8, 20
# Share of the reply's words that must occur somewhere in the draft's prose (language check).
MIN_SHARED_WORDS = 0.4
DETECT_MIN_WORDS = 6
# Share of letters in the draft's script.
MIN_SCRIPT_SHARE = 0.9
# Formatting/markup characters a plain-text section must not gain.
STRUCTURAL = set("{}[]<>|\\`*#_~=^$%&+/@")
# Invisible characters allowed in prose: ZWNJ (Persian), ZWJ.
ALLOWED_FORMAT = {"\u200c", "\u200d"}
SCRIPTS = {"Latn": "LATIN", "Grek": "GREEK", "Arab": "ARABIC", "Cyrl": "CYRILLIC"}
_URLISH = re.compile(
    r"://|\bwww\.|[^\W_][\w-]*\.(?:[^\W\d_]{2,}|xn--)", re.IGNORECASE
)  # a.b domain shapes
_FENCE = re.compile(r"\A```[a-zA-Z]*\s*\n?(.*?)\n?```\Z", re.DOTALL)
_THINK = re.compile(r"\A\s*<think>.*?</think>", re.DOTALL)
_WORD = re.compile(r"[^\W\d_]+(?:[\u200c\u200d'’][^\W\d_]+)*")


@dataclass
class Verdict:
    texts: dict[str, str] | None  # section kind -> marked text, when accepted
    reasons: list[str] = field(default_factory=list)  # why not (empty when accepted)

    @property
    def accepted(self) -> bool:
        return self.texts is not None and not self.reasons


def _fold(text: str) -> str:
    """Compare words regardless of case, accents and joiners."""
    decomposed = unicodedata.normalize("NFKD", text)
    kept = "".join(
        c for c in decomposed if not unicodedata.combining(c) and c not in "\u200c\u200d"
    )
    return unicodedata.normalize("NFC", kept).casefold()


def _words(text: str) -> list[str]:
    return [_fold(w) for w in _WORD.findall(unicodedata.normalize("NFKC", text))]


def _script(ch: str) -> str:
    name = unicodedata.name(ch, "")
    return name.split(" ", 1)[0] if name else "UNKNOWN"


def _strip_wrapping(content: str) -> str:
    """Accept a reply wrapped in one code fence or led by a reasoning block, nothing else."""
    content = _THINK.sub("", content, count=1).strip()
    fenced = _FENCE.match(content)
    return fenced.group(1).strip() if fenced else content


def _parse(content: str, keys: Iterable[str]) -> tuple[dict[str, str] | None, list[str]]:
    duplicates: list[str] = []

    def no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        seen: dict[str, Any] = {}
        for key, value in pairs:
            if key in seen:
                duplicates.append(key)
            seen[key] = value
        return seen

    try:
        data = json.loads(_strip_wrapping(content), object_pairs_hook=no_duplicates)
    except (json.JSONDecodeError, RecursionError):
        return None, ["the reply is not a JSON object"]
    if not isinstance(data, dict):
        return None, ["the reply is not a JSON object"]
    reasons = [f"key {k!r} appears more than once" for k in sorted(set(duplicates))]
    wanted = list(keys)
    missing = [k for k in wanted if k not in data]
    extra = [k for k in data if k not in wanted]
    if missing:
        reasons.append(f"missing sections: {', '.join(missing)}")
    if extra:
        reasons.append(f"unexpected keys: {', '.join(repr(k)[:40] for k in extra[:5])}")
    for key in wanted:
        if key in data and not isinstance(data[key], str):
            reasons.append(f"{key}: expected a string")
    if reasons:
        return None, reasons
    return {k: data[k] for k in wanted}, []


@cache
def _date_words(lang: str) -> frozenset[str]:
    """Month and weekday names (CLDR, plus the locale's own calendar) a reply may not add."""
    from babel import Locale

    from partways.locales import locale_info

    info = locale_info(lang)
    loc = Locale.parse(info.babel)
    names: set[str] = set(info.calendar_months)
    for table in (loc.months, loc.days):
        for context in table.values():
            for width in ("wide", "abbreviated"):
                names.update(str(v) for v in context.get(width, {}).values())
    return frozenset(_strip_accents(n).rstrip(".") for n in names if len(n.rstrip(".")) >= 3)


def _strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize(
        "NFC", "".join(c for c in decomposed if not unicodedata.combining(c))
    )


def _date_word_counts(prose: str, lang: str) -> Counter[str]:
    # Case-sensitive: month names are capitalised where the script has case, and the
    # lower-case "may" is a verb.
    names = _date_words(lang)
    words = _WORD.findall(_strip_accents(unicodedata.normalize("NFKC", prose)))
    return Counter(w for w in words if w in names)


@cache
def _listed(file: str, lang: str) -> tuple[str, ...]:
    """The locale's entries of prompts/polish/<file>, folded like the reply's words."""
    import yaml

    from partways.resources import data_dir

    path = data_dir("prompts") / "polish" / file
    data = yaml.safe_load(path.read_text(encoding="utf-8")) if path.is_file() else {}
    entries = data.get(lang, []) if isinstance(data, dict) else []
    return tuple(" ".join(_words(str(entry))) for entry in entries)


def _number_word_counts(prose: str, lang: str) -> Counter[str]:
    numbers = frozenset(_listed("number-words.yaml", lang))
    return Counter(w for w in _words(prose) if w in numbers)


def _commitment_counts(prose: str, lang: str) -> Counter[str]:
    """How often each commitment entry starts a word (or run of words) of `prose`."""
    text = " " + " ".join(_words(prose))
    return Counter(
        {entry: text.count(" " + entry) for entry in _listed("commitment-words.yaml", lang)}
    )


def _prose(tokenized: str) -> str:
    return TOKEN.sub(" ", tokenized)


def _character_problems(key: str, prose: str, original: str) -> list[str]:
    problems: list[str] = []
    nfkc = unicodedata.normalize("NFKC", prose)
    allowed_structural = set(unicodedata.normalize("NFKC", original)) & STRUCTURAL
    digits = sorted({c for c in prose + nfkc if unicodedata.category(c).startswith("N")})
    if digits:
        problems.append(f"{key}: new number ({' '.join(digits[:5])}) outside the placeholders")
    if any(unicodedata.category(c) == "Sc" for c in nfkc):
        problems.append(f"{key}: a currency sign outside the placeholders (new amount)")
    if "@" in nfkc:
        problems.append(f"{key}: an email address outside the placeholders")
    known = set(_URLISH.findall(unicodedata.normalize("NFKC", original).casefold()))
    if set(_URLISH.findall(nfkc.casefold())) - known:
        problems.append(f"{key}: a web address outside the placeholders")
    marks = sorted({c for c in nfkc if c in STRUCTURAL and c not in allowed_structural} - {"@"})
    if marks:
        problems.append(f"{key}: unexpected characters {' '.join(marks)} (markup or placeholders)")
    hidden = {
        c
        for c in prose
        if unicodedata.category(c) in ("Cc", "Co", "Cs", "Cn")
        or (unicodedata.category(c) == "Cf" and c not in ALLOWED_FORMAT and c not in original)
    } - {"\n"}
    if hidden:
        codes = " ".join(f"U+{ord(c):04X}" for c in sorted(hidden)[:5])
        problems.append(f"{key}: invisible or control characters ({codes})")
    return problems


def _script_problem(key: str, prose: str, original_prose: str, script: str) -> str | None:
    expected = SCRIPTS.get(script, script.upper())
    allowed = {_script(c) for c in original_prose if c.isalpha()} | {expected}
    letters = [_script(c) for c in unicodedata.normalize("NFKC", prose) if c.isalpha()]
    if not letters:
        return None
    foreign = sorted(set(letters) - allowed)
    if foreign:
        return f"{key}: letters from another script ({', '.join(foreign[:3]).lower()})"
    share = letters.count(expected) / len(letters)
    if len(letters) >= 20 and share < MIN_SCRIPT_SHARE:
        return f"{key}: not written in the draft's script ({share:.0%} {expected.lower()} letters)"
    return None


def _language_problem(
    key: str, prose: str, original_prose: str, vocabulary: set[str], lang: str
) -> str | None:
    """Two views: the share of words the draft also uses, and the lint helper's detector
    (common function words), trusted only where it recognises the draft's own text."""
    words = _words(prose)
    if not words:
        return None
    shared = sum(1 for w in words if w in vocabulary) / len(words)
    if shared < MIN_SHARED_WORDS:
        return f"{key}: does not read as the draft's language ({shared:.0%} familiar words)"
    if len(words) >= DETECT_MIN_WORDS:
        try:
            from partways.lint.detect import detect_locale
        except ImportError:
            return None
        if detect_locale(original_prose, default=lang) == lang:
            found = detect_locale(prose, default=lang)
            if found != lang:
                return f"{key}: reads as {found}, not {lang}"
    return None


def _lint(text: str, lang: str) -> tuple[Counter[str], dict[str, str]]:
    from partways.lint import lint_text
    from partways.lint.rules import lint_locales

    if lang not in lint_locales():
        raise ImportError(f"no tone rules for {lang}")

    findings = [f for f in lint_text(text, lang) if f.severity in ("error", "warning")]
    return Counter(f.rule for f in findings), {f.rule: f.message for f in findings}


def check_reply(
    content: str,
    ledger: Ledger,
    letter: Letter,
    *,
    finish_reason: str | None = "stop",
    max_chars: int | None = None,
) -> Verdict:
    """Judge one reply; on success the verdict holds each section's restored marked text."""
    from partways.locales import locale_info

    reasons: list[str] = []
    if finish_reason != "stop":
        reasons.append(f"the reply did not finish normally (finish_reason={finish_reason!r})")
    budget = max_chars or 4 * sum(len(v) for v in ledger.payload.values()) + 2000
    if len(content) > budget:
        return Verdict(None, [*reasons, f"the reply is too long ({len(content)} characters)"])
    sections, problems = _parse(content, ledger.payload)
    if sections is None:
        return Verdict(None, reasons + problems)

    lang = letter.locale
    info = locale_info(lang)
    originals = {s.kind.value: s for s in letter.sections}
    vocabulary = {w for text in ledger.payload.values() for w in _words(_prose(text))}
    restored: dict[str, str] = {}
    for key, raw in sections.items():
        text = " ".join(raw.split()) if "\n" not in ledger.payload[key] else raw.strip()
        tokenized = ledger.tokenize(text)
        original_prose = _prose(ledger.tokenize(ledger.payload[key]))
        found = Counter(ledger.tokens_in(tokenized))
        wanted = ledger.expected[key]
        for token in sorted(set(wanted) | set(found)):
            if token not in ledger.facts:
                reasons.append(f"{key}: invented placeholder {token}")
            elif found[token] < wanted[token]:
                reasons.append(f"{key}: placeholder {token} dropped (keep every fact)")
            elif found[token] > wanted[token]:
                where = "repeated" if wanted[token] else "does not belong in this section"
                reasons.append(f"{key}: placeholder {token} {where}")
        prose = _prose(tokenized)
        reasons += _character_problems(key, prose, original_prose)
        added = _date_word_counts(prose, lang) - _date_word_counts(original_prose, lang)
        if added:
            reasons.append(f"{key}: new date words ({', '.join(sorted(added))})")
        added = _number_word_counts(prose, lang) - _number_word_counts(original_prose, lang)
        if added:
            reasons.append(f"{key}: new number words ({', '.join(sorted(added))})")
        added = _commitment_counts(prose, lang) - _commitment_counts(original_prose, lang)
        if added:
            reasons.append(f"{key}: a commitment the draft does not make ({', '.join(added)})")
        for problem in (
            _script_problem(key, prose, original_prose, info.script),
            _language_problem(key, prose, original_prose, vocabulary, lang),
        ):
            if problem:
                reasons.append(problem)
        if not any(r.startswith(f"{key}: invented") for r in reasons):
            restored[key] = ledger.restore(tokenized)
            before, after = len(originals[key].text), len(unmark(restored[key]))
            low, high = before * MIN_RATIO - SLACK, before * MAX_RATIO + SLACK
            if not low <= after <= high:
                reasons.append(
                    f"{key}: length {after} characters is outside {max(0, int(low))}–{int(high)}"
                    f" (draft: {before})"
                )
    if reasons:
        return Verdict(None, reasons)
    polished = letter.replacing(restored)
    try:
        lint_before, _ = _lint(letter.text, lang)
        lint_after, messages = _lint(polished.text, lang)
    except ImportError:
        message = f"no tone rules for {lang!r}, so the reply's tone cannot be checked"
        return Verdict(None, [message])
    for rule in sorted(lint_after - lint_before):
        reasons.append(f"tone: {messages[rule]} ({rule})")
    return Verdict(None, reasons) if reasons else Verdict(restored, [])
