"""The chunked prefilter gives the same findings as linting paragraph by paragraph."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from partways.lint.engine import CompiledLocale, paragraph_of
from partways.lint.normalise import SENTINEL, normalise, normalise_joined
from partways.lint.rules import builtin_rules

PIECES = st.sampled_from(
    [
        *"abcXYZ '’.,!-\t",
        *["ی", "ي", "ك", "ة", "\u200c", "\u200f", "می", "نمی", "ب", "ـ", "\u064e", "۵", "٣"],
        *["ά", "Σ", "ς", "Ή", "ε\u0301", "ΐ", "ß", "İ", "é", "e\u0301", "€", "—", "😀", "\ue000"],
        *[" می ", " بی ", "you're", "YOU’RE", "tak", SENTINEL, "\u00a0", "\x0c", "\u2028"],
    ]
)
TEXTS = st.lists(st.lists(PIECES, max_size=25).map("".join), min_size=1, max_size=6)


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_joined_normalisation_is_the_paragraphs_normalisations(texts: list[str]) -> None:
    token_map = {"you're": "you are", "ss": "s s", "tak": "tidak", "tidak": "tidak", "بیا": "x"}
    if SENTINEL in "".join(texts).casefold():
        return  # may be refused (None): the caller then goes text by text
    # Short text is translated; long text takes the casefold-and-replace path.
    long_text = "Σάς ΕΊΠΑΜΕ — می خواهید ۵ كار, you’RE «ok» tak\n" * 100
    for batch in (texts, [*texts, long_text]):
        joined = normalise_joined(batch, token_map)
        assert joined == SENTINEL.join(normalise(t, token_map) for t in batch)


@pytest.mark.parametrize("prefilter", [True, False])
def test_chunks_find_what_single_paragraphs_find(prefilter: bool) -> None:
    # direct_chars=0: the paragraph prefilter from the first character; a large allowance:
    # every sentence straight to the rule set (how short inputs are linted).
    compiled = CompiledLocale("en", [builtin_rules("en")], direct_chars=0 if prefilter else 10**9)
    paragraphs = [
        "We always valued your feedback.",
        "Honestly, you’re so rude to our staff.",
        "Thank you for working with us.",
        "This is your fault and nobody else's.",
    ] * 40
    one_by_one = [
        (f.rule, f.column)
        for text in paragraphs
        for f in compiled.lint_paragraph(paragraph_of(text))
    ]
    chunked = [
        (f.rule, f.column)
        for f in compiled.lint_paragraphs(paragraph_of(text) for text in paragraphs)
    ]
    assert chunked == one_by_one
    assert chunked == [("en.character-judgment", 11), ("en.blame", 9)] * 40
    assert (compiled._scanner_list is not None) is prefilter
