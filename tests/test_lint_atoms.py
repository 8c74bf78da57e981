"""Atoms (partways.lint.atoms) are necessary: a text a pattern matches meets every one of
the pattern's conditions. Checked on generated patterns and texts, and on the rules."""

from __future__ import annotations

import re

import re2
from hypothesis import given, settings
from hypothesis import strategies as st

from partways.lint.atoms import atoms_for, required_atoms

LEAVES = st.sampled_from(["a", "b", "ab", " ", " ab ", "ba", "[^ ]", "[^ ]+", "."])


def _compound(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.lists(children, min_size=2, max_size=4).map("".join),
        st.lists(children, min_size=2, max_size=3).map(lambda x: f"(?:{'|'.join(x)})"),
        children.map(lambda x: f"(?:{x})?"),
        children.map(lambda x: f"(?:{x})+"),
        children.map(lambda x: f"(?:{x})*"),
        children.map(lambda x: f"(?:{x}){{1,3}}"),
        children.map(lambda x: f"(?:{x}){{0,2}}"),
    )


PATTERNS = st.recursive(LEAVES, _compound, max_leaves=12)
TEXTS = st.text(alphabet="ab c", max_size=14)


@settings(max_examples=600, deadline=None)
@given(PATTERNS, st.lists(TEXTS, min_size=1, max_size=8))
def test_a_matched_text_meets_every_condition(pattern: str, texts: list[str]) -> None:
    conditions = required_atoms(pattern)
    compiled = re2.compile(pattern)
    for text in texts:
        if compiled.search(text) is not None and conditions is not None:
            for condition in conditions:
                assert any(atom in text for atom in condition), (pattern, text, condition)


def test_atoms_of_typical_rule_shapes() -> None:
    assert required_atoms(" you are (?:so )?(?:rude|toxic) ") == (
        (" you are ",),
        ("rude", "toxic"),
        (" ",),
    )
    assert required_atoms(" (?:you|your team) ") == ((" you",), (" ",))  # the common prefix
    assert required_atoms("(?:[^ ]+ ){0,3}") is None  # nothing literal is required
    assert required_atoms(" \\pN+ kali ") is None  # RE2-only syntax: always tried
    assert required_atoms("(?i) you ") is None  # flags change what a literal matches
    assert required_atoms(" a(?:b|) ") == ((" a",), (" ",))


def test_atoms_are_kept_in_the_cache(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    patterns = [" you are rude ", " (?:[^ ]+ ){0,3}x "]
    first = atoms_for(patterns, "t")
    (cached,) = (tmp_path / "partways").glob("atoms-t-*.json")
    assert atoms_for(patterns, "t") == first == [((" you are rude ",),), (("x ",), (" ",))]
    atoms_for([" other "], "t")  # a new version of the file replaces the old one's
    assert not cached.exists()
    assert len(list((tmp_path / "partways").glob("atoms-t-*.json"))) == 1


def test_an_unwritable_cache_means_no_atoms(tmp_path, monkeypatch) -> None:
    (tmp_path / "partways").write_text("a file where the folder should be")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert atoms_for([" you "], "t") is None


def test_python_and_re2_agree_on_the_generated_shapes() -> None:
    """The atoms come from Python's parser; the patterns run in RE2."""
    for pattern in ["(?:ab|a){1,3} ", "[^ ]+ (?:a|b)?", "(?:a )*b"]:
        for text in ["ab ", "aab b", "a a b", " b"]:
            assert (re.search(pattern, text) is None) == (re2.search(pattern, text) is None)
