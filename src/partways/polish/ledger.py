"""The fact ledger: every marked value becomes a placeholder token before sending.

`[[DATE_2]]`-style tokens (ASCII, upper case, double brackets) are what chat models
copy most reliably; the kind in the name helps the model build a grammatical sentence
around it. One token per distinct (kind, value) in the letter, so the same date in two
sections is the same token. Names, emails and companies are sent in clear only with
`send_names`; they are then turned back into tokens on the way in, so the guard checks
them exactly like every other fact.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from partways.letter import PERSONAL_FACT_KINDS, Fact, Letter, SectionKind, mark, segments

# Formulaic parts stay as composed: the salutation carries locale rules (vocatives),
# the signature is all facts.
POLISHED_KINDS = tuple(k.value for k in SectionKind if k not in ("greeting", "signature"))

TOKEN = re.compile(r"\[\[([A-Z]+)_([0-9]+)\]\]")


@dataclass
class Ledger:
    payload: dict[str, str]  # section kind -> text sent to the model
    expected: dict[str, Counter[str]]  # section kind -> tokens and how often each occurs
    facts: dict[str, Fact] = field(default_factory=dict)  # token -> fact
    clear: list[tuple[str, str]] = field(default_factory=list)  # (value sent in clear, token)

    def tokenize(self, text: str) -> str:
        """Turn values sent in clear back into their tokens (longest value first)."""
        for value, token in self.clear:
            # Whole values only: "Northlight Studios" is not "Northlight Studio".
            pattern = rf"(?<![\w@.-]){re.escape(value)}(?![\w@-])"
            text = re.sub(pattern, token, text)  # tokens hold no backslashes
        return text

    def tokens_in(self, text: str) -> list[str]:
        return [m.group(0) for m in TOKEN.finditer(text)]

    def restore(self, tokenized: str) -> str:
        """Replace every known token by its marked fact (marked text, as Section.marked)."""

        def put_back(match: re.Match[str]) -> str:
            fact = self.facts[match.group(0)]
            return mark(fact.kind, fact.value)

        return TOKEN.sub(put_back, tokenized)


def build_ledger(letter: Letter, *, send_names: bool = False) -> Ledger:
    tokens: dict[tuple[str, str], str] = {}
    facts: dict[str, Fact] = {}
    payload: dict[str, str] = {}
    expected: dict[str, Counter[str]] = {}
    for section in letter.sections:
        if section.kind.value not in POLISHED_KINDS:
            continue
        sent: list[str] = []
        counts: Counter[str] = Counter()
        for piece, fact in segments(section.marked):
            if fact is None:
                sent.append(piece)
                continue
            key = (fact.kind, fact.value)
            if key not in tokens:
                tokens[key] = f"[[{fact.kind.upper()}_{len(tokens) + 1}]]"
                facts[tokens[key]] = fact
            token = tokens[key]
            counts[token] += 1
            in_clear = send_names and fact.kind in PERSONAL_FACT_KINDS
            sent.append(fact.value if in_clear else token)
        payload[section.kind.value] = "".join(sent)
        expected[section.kind.value] = counts
    clear = [
        (fact.value, token)
        for token, fact in facts.items()
        if send_names and fact.kind in PERSONAL_FACT_KINDS
    ]
    clear.sort(key=lambda pair: len(pair[0]), reverse=True)
    return Ledger(payload=payload, expected=expected, facts=facts, clear=clear)
