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
    english = "You’re late, YOU'RE rude; tak tak ss.\n" * 200
    for batch in (texts, [*texts, long_text], [english, *texts]):
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


@pytest.mark.parametrize("lang", ["en", "fa", "ms", "el"])
def test_every_matching_strategy_finds_the_same(lang: str) -> None:
    """The shipped patterns read as Latin-1 with renumbered letters (alphabet.py) give
    the same findings, at the same places, as read in UTF-8; and trying only the patterns
    whose atoms occur finds what the whole rule set finds."""
    import yaml
    from tests.conftest import ROOT

    corpus = yaml.safe_load((ROOT / "tests" / "corpus" / f"{lang}.yaml").read_text("utf-8"))
    rules = builtin_rules(lang)
    examples = [s for r in rules.rules for s in (*r.flag_examples, *r.pass_examples)]
    texts = [*corpus["attack"], *corpus["fact"], *examples]
    found = []
    # direct_chars=0: the rule set from the first sentence; 10**9: only the patterns whose
    # atoms occur (partways.lint.atoms), each on its own.
    for one_byte, direct_chars in ((True, 0), (False, 0), (True, 10**9), (False, 10**9)):
        compiled = CompiledLocale(lang, [rules], direct_chars=direct_chars, one_byte=one_byte)
        found.append(
            [
                [(f.rule, f.column, f.end_column) for f in compiled.lint_paragraph(paragraph_of(t))]
                for t in texts
            ]
        )
    assert found[0] == found[1] == found[2] == found[3]
    assert sum(map(bool, found[0])) >= len(corpus["attack"])


def test_letters_no_pattern_names_are_still_letters() -> None:

    from partways.lint.alphabet import alphabet_for
    from partways.lint.rules import RuleFile

    any_word = " ειστε [^ ]+ ανθρωποσ "  # "you are <one word> person"
    rule = builtin_rules("el").rules[0]._replace(patterns=(any_word,), unless=())
    compiled = CompiledLocale("el", [RuleFile("mine.yaml", "el", {}, (rule,))], direct_chars=0)
    assert compiled._alphabet is not None
    # ß, 好 and ж are in no pattern: one byte each in the one-byte text, and letters.
    for word in ("ßß", "好人", "жуткий", "κακός"):
        sentence = f"Είστε {word} άνθρωπος"
        (finding,) = compiled.lint_paragraph(paragraph_of(sentence + "."))
        assert (finding.column, finding.end_column) == (1, len(sentence) + 1)
    assert alphabet_for([" \\p{Greek}+ "]) is None  # Unicode classes keep UTF-8
    assert alphabet_for([" [α-ω]+ "]) is None
    assert alphabet_for([" (?i)you "]) is None


@pytest.mark.parametrize("lang", ["en", "fa", "ms", "el"])
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_token_map_applied_to_bytes_is_the_token_map(lang: str, data: st.DataObject) -> None:
    """The prefilter applies the token map to the bytes the automata read (one search
    for the keys); that gives the bytes of the text mapped word by word."""
    compiled = _compiled(lang)
    keys = sorted(compiled.token_map)
    words = st.sampled_from([*keys[:60], *keys[-60:], "x", "ok", "2", "ß", "ж", "می", "ΆΣ"])
    gaps = st.sampled_from([" ", "  ", ", ", ".\n", "’", "'", "\u200c", ""])
    text = st.lists(st.tuples(words, gaps).map("".join), max_size=12).map("".join)
    texts = data.draw(st.lists(text, min_size=2, max_size=5))
    joined = normalise_joined(texts, compiled.token_map)
    if joined is None:
        return
    assert compiled._joined_bytes(texts) == compiled._bytes(joined)


_COMPILED: dict[str, CompiledLocale] = {}


def _compiled(lang: str) -> CompiledLocale:
    if lang not in _COMPILED:
        _COMPILED[lang] = CompiledLocale(lang, [builtin_rules(lang)], direct_chars=0)
    return _COMPILED[lang]


@pytest.mark.parametrize(
    ("token_map", "on_bytes", "found"),
    [
        # A replacement with the sentinel in it: mapped word by word, never on the bytes.
        ({"thx": "thank you", "brb": "zxqzx"}, False, 1),
        # Keys with letters no pattern names: they get bytes of their own.
        ({"grr": "you are so rude", "ж": "you", "жж": "rude"}, True, 3),
    ],
)
def test_a_users_token_map_finds_what_single_paragraphs_find(
    token_map: dict[str, str], on_bytes: bool, found: int
) -> None:
    from partways.lint.rules import RuleFile

    mine = RuleFile("mine.yaml", "en", token_map, ())
    compiled = CompiledLocale("en", [builtin_rules("en"), mine], direct_chars=0)
    paragraphs = [
        "Thx for the update, grr.",
        "Honestly ж are so жж.",
        "Brb. We always valued your feedback.",
        "You’re so rude, grr grr.",
    ] * 30
    one_by_one = [
        (f.rule, f.column) for t in paragraphs for f in compiled.lint_paragraph(paragraph_of(t))
    ]
    chunked = [
        (f.rule, f.column) for f in compiled.lint_paragraphs(paragraph_of(t) for t in paragraphs)
    ]
    assert chunked == one_by_one
    assert len(chunked) == found * 30
    assert (compiled._splice is not None) is on_bytes
