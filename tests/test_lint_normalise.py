"""Normalisation as the tone-rule contract specifies it, and the map back to the text."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from partways.lint import lint_text
from partways.lint.normalise import normalise, normalise_map, normalise_pattern, original_span


def test_case_punctuation_and_spaces() -> None:
    assert normalise("  You ARE, so   rude!!  ") == " you are so rude "
    assert normalise("so-called “urgent” requests…") == " so called urgent requests "


def test_curly_apostrophes_and_token_map() -> None:
    token_map = {"you're": "you are", "don't": "do not"}
    for text in ("You’re rude", "You‘re rude", "Youʼre rude", "You`re rude", "You're rude"):
        assert normalise(text, token_map) == " you are rude "
    assert normalise("Don’t", token_map) == " do not "


def test_greek_accents_case_and_final_sigma() -> None:
    expected = normalise("είστε αγενής")
    assert expected == " ειστε αγενησ "
    assert normalise("ΕΊΣΤΕ ΑΓΕΝΉΣ") == expected
    assert normalise("ειστε αγενης") == expected
    assert normalise("Είστε αγενής.") == expected


def test_persian_letters_digits_diacritics() -> None:
    assert normalise("كار يك") == normalise("کار یک")
    assert normalise("مَدرسة") == " مدرسه "
    assert normalise("۱۲۳ ١٢٣ 123") == " 123 123 123 "
    assert normalise("خـــوب") == " خوب "


def test_persian_prefixes_joined_however_written() -> None:
    forms = ["می خواهید", "می\u200cخواهید", "میخواهید", "مي خواهيد", "نمی خواهید"]
    results = [normalise(f) for f in forms]
    assert results[:4] == [" میخواهید "] * 4
    assert results[4] == " نمیخواهید "
    assert normalise("بی ادب") == normalise("بی\u200cادب") == " بیادب "


def test_bidi_marks_removed() -> None:
    assert normalise("\u200fسلام\u200e دنیا") == " سلام دنیا "


def test_patterns_are_folded_like_text() -> None:
    assert normalise_pattern(" είστε (?:πολύ )?αγενής ") == " ειστε (?:πολυ )?αγενησ "
    assert normalise_pattern(" می\u200cخواهي ") == " میخواهی "
    assert normalise_pattern(r" \pL+ you ") == r" \pL+ you "


def _span_of(text: str, words: str, token_map: dict[str, str] | None = None) -> str:
    normalised, spans = normalise_map(text, token_map)
    start = normalised.index(words)
    a, b = original_span(spans, normalised, start, start + len(words))
    return text[a:b]


def test_offsets_point_at_the_original_text() -> None:
    assert _span_of("Well, You’re  SO rude!", " you are so rude ", {"you're": "you are"}) == (
        "You’re  SO rude"
    )
    assert _span_of("Και ΕΊΣΤΕ αγενής.", " ειστε αγενησ ") == "ΕΊΣΤΕ αγενής"
    zwnj = "شما همیشه می\u200cخواهید"
    assert _span_of(zwnj, " میخواهید ") == "می\u200cخواهید"
    assert _span_of("شما همیشه می  خواهید", " میخواهید ") == "می  خواهید"
    decomposed = "Ε\u0301ιστε αγενη\u0301ς"  # accents as combining marks
    assert _span_of(decomposed, " ειστε ") == "Ε\u0301ιστε"


ALPHABET = st.sampled_from(
    [
        *"abcXYZ '’.,!-\n\t",
        *["ی", "ي", "ك", "ة", "\u200c", "\u200f", "می", "نمی", "ب", "ـ", "\u064e", "۵", "٣"],
        *["ά", "Σ", "ς", "Ή", "ε\u0301", "ΐ", "ß", "İ", "é", "e\u0301", "€", "—", "😀", "\ue000"],
        *[" می ", " بی ", "you're", "YOU’RE"],
    ]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(ALPHABET, max_size=40).map("".join))
def test_fast_and_mapped_normalisation_agree(text: str) -> None:
    token_map = {"you're": "you are", "ss": "s s"}
    normalised, spans = normalise_map(text, token_map)
    assert normalised == normalise(text, token_map)
    assert len(spans) == len(normalised)
    assert all(0 <= a <= b <= len(text) for a, b in spans)


def test_a_full_stop_after_an_abbreviation_ends_no_sentence() -> None:
    from partways.lint.sentences import Splitter, splitter_for

    text = "Mr. Smith is late. Dr. Lee (e.g. me) agreed. He said no. Then left."
    spans = splitter_for("en").split(text)
    assert [text[a:b].strip() for a, b in spans] == [
        "Mr. Smith is late.",
        "Dr. Lee (e.g. me) agreed.",
        "He said no.",
        "Then left.",
    ]
    assert len(Splitter().split(text)) == 7  # without the locale's list
    greek = "Προσοχή: ο κ. Δημητρίου γίνεται εύκολα υβριστικός."
    assert len(splitter_for("el").split(greek)) == 1
    assert [f.rule for f in lint_text(greek, "el")] == ["el.character-third-person"]


def test_sentence_ends_are_the_locales() -> None:
    """A semicolon joins two clauses of one English sentence (so an `unless` sees both and
    an attack in the second clause is read with the first); in Greek ";" is the
    question mark and ends the sentence."""
    from partways.lint.sentences import splitter_for

    text = "Any other client would have thanked us; you just complained. Fine?"
    assert [text[a:b] for a, b in splitter_for("en").split(text)] == [
        "Any other client would have thanked us; you just complained.",
        " Fine?",
    ]
    greek = "Τι άλλο θέλετε; Σας τα εξηγήσαμε όλα."
    assert [greek[a:b] for a, b in splitter_for("el").split(greek)] == [
        "Τι άλλο θέλετε;",
        " Σας τα εξηγήσαμε όλα.",
    ]


def test_a_bad_sentence_ends_value_names_the_file_and_field(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from partways.errors import InputError
    from partways.lint import rules, sentences

    (tmp_path / "xx").mkdir()
    (tmp_path / "xx" / "lint.yaml").write_text("sentence_ends: 'a b'\n", encoding="utf-8")
    monkeypatch.setattr(rules, "locales_root", lambda: tmp_path)
    rules.lint_data.cache_clear()
    sentences.splitter_for.cache_clear()
    try:
        with pytest.raises(InputError) as caught:
            sentences.splitter_for("xx")
        (problem,) = caught.value.problems
        assert problem.source.endswith("lint.yaml") and problem.field == "sentence_ends"
    finally:
        rules.lint_data.cache_clear()
        sentences.splitter_for.cache_clear()


def test_first_fold_steps_take_part_in_no_composition() -> None:
    """normalise_joined replaces these characters before NFC (see _Folder.prepare): that
    is only the same as after NFC if none of them is changed by NFC, composes with a
    mark that follows, or is the second part of a canonical composition."""
    import sys
    import unicodedata

    from partways.lint.normalise import _FIRST

    seconds = set()
    for cp in range(sys.maxunicode + 1):
        parts = unicodedata.decomposition(chr(cp)).split()
        if len(parts) == 2 and not parts[0].startswith("<"):
            seconds.add(chr(int(parts[1], 16)))
            if chr(int(parts[0], 16)) in _FIRST:
                raise AssertionError(f"{chr(cp)!r} composes from {parts}")
    for c in _FIRST:
        assert unicodedata.normalize("NFC", c) == c
        assert unicodedata.combining(c) == 0
        assert c not in seconds
