"""Every locale's rule examples and corpus, run automatically; rule-file validation."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from partways.errors import InputError
from partways.lint import lint_text
from partways.lint.normalise import normalise
from partways.lint.rules import builtin_rules, has_rules, lint_locales, load_rule_file

CORPUS = Path(__file__).resolve().parent / "corpus"
RULE_LOCALES = [lang for lang in lint_locales() if has_rules(lang)]
# English is held to every sentence; the other corpora to thresholds while they grow.
STRICT = {"en"}
MIN_RECALL = 0.85


def _examples(kind: str) -> list[tuple[str, str, str]]:
    cases = []
    for lang in RULE_LOCALES:
        for rule in builtin_rules(lang).rules:
            sentences = rule.flag_examples if kind == "flag" else rule.pass_examples
            cases.extend((lang, rule.id, sentence) for sentence in sentences)
    return cases


def test_every_locale_has_rules_with_examples() -> None:
    assert "en" in RULE_LOCALES
    for lang in RULE_LOCALES:
        rules = builtin_rules(lang).rules
        assert rules, lang
        assert all(r.id.startswith(f"{lang}.") for r in rules)
        assert all(r.flag_examples for r in rules), f"{lang}: every rule needs flag examples"


@pytest.mark.parametrize(("lang", "rule_id", "sentence"), _examples("flag"))
def test_flag_example_is_flagged_by_its_rule(lang: str, rule_id: str, sentence: str) -> None:
    rules = [f.rule for f in lint_text(sentence, lang, overlapping=True)]
    assert rule_id in rules, f"{rule_id} missed {sentence!r} (got {rules})"


@pytest.mark.parametrize(("lang", "rule_id", "sentence"), _examples("pass"))
def test_pass_example_is_not_flagged(lang: str, rule_id: str, sentence: str) -> None:
    assert [f.rule for f in lint_text(sentence, lang)] == []


def _corpus(lang: str) -> dict[str, list[str]]:
    with (CORPUS / f"{lang}.yaml").open(encoding="utf-8") as fh:
        return dict(yaml.safe_load(fh))


@pytest.mark.parametrize(
    "lang", [lang for lang in RULE_LOCALES if (CORPUS / f"{lang}.yaml").is_file()]
)
def test_corpus(lang: str) -> None:
    data = _corpus(lang)
    attacks, facts = data["attack"], data["fact"]
    assert len(attacks) >= 40 and len(facts) >= 40
    missed = [s for s in attacks if not lint_text(s, lang)]
    false_alarms = [s for s in facts if lint_text(s, lang)]
    assert false_alarms == []  # precision on fact-framed sentences is 1.0
    if lang in STRICT:
        assert missed == []
    else:
        assert 1 - len(missed) / len(attacks) >= MIN_RECALL, missed


def test_issue_pass_sentences_and_attacks() -> None:
    for sentence in (
        "We always valued your feedback",
        "You never missed a payment",
        "We know this is difficult news",
        "Our team found it difficult to meet the deadlines",
        "You are welcome to call me",
    ):
        assert lint_text(sentence, "en") == [], sentence
    for sentence in ("We find you difficult to work with", "You always demand too much"):
        assert lint_text(sentence, "en"), sentence


def test_finding_fields_and_positions() -> None:
    (finding,) = lint_text("Thanks.\nHonestly, you’re so rude.", "en")
    assert (finding.line, finding.column, finding.end_line, finding.end_column) == (2, 11, 2, 25)
    assert finding.rule == "en.character-judgment"
    assert finding.severity == "error" and finding.category == "character"
    assert finding.message and finding.suggestion


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "rules.yaml"
    path.write_text(body, encoding="utf-8")
    return path


RULE = """\
locale: en
rules:
  - id: en.test
    category: blame
    severity: error
    message: m
    suggestion: s
    patterns: [{pattern}]
"""


@pytest.mark.parametrize(
    ("pattern", "reason"),
    [
        ("'(?<=you) rude '", "look-around"),
        ("' (you) \\1 '", "back-reference"),
        ("' (?=a)b '", "look-around"),
        ("' [a-z '", "missing ]"),
        ("'(?:you)?'", "matches empty text"),
    ],
)
def test_bad_patterns_are_refused_with_file_rule_and_field(
    tmp_path: Path, pattern: str, reason: str | None
) -> None:
    path = _write(tmp_path, RULE.format(pattern=pattern))
    with pytest.raises(InputError) as caught:
        load_rule_file(path)
    (problem,) = caught.value.problems
    assert problem.source == str(path)
    assert problem.field == "en.test.patterns.1"
    assert reason is None or reason in problem.message


def test_empty_matching_pattern_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, RULE.format(pattern="'x*'"))
    with pytest.raises(InputError, match="matches empty text"):
        load_rule_file(path)


def test_rule_fields_are_checked(tmp_path: Path) -> None:
    body = """\
locale: en
rules:
  - id: en.one
    category: rudeness
    severity: fatal
    message: ""
    patterns: [' a ']
    pattrens: [' b ']
  - id: fa.two
    category: blame
    message: m
    patterns: [' b ']
  - category: blame
  - id: en.one
    category: blame
    message: m
    patterns: [' c ']
"""
    with pytest.raises(InputError) as caught:
        load_rule_file(_write(tmp_path, body))
    fields = [p.field for p in caught.value.problems]
    assert fields == [
        "en.one.pattrens",
        "en.one.category",
        "en.one.severity",
        "en.one.message",
        "fa.two.id",
        "rules.3.id",
    ]


def test_yaml_errors_name_the_line(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="line 3"):
        load_rule_file(_write(tmp_path, "locale: en\nrules: [\n  - x\n"))


def test_patterns_may_be_written_with_accents(tmp_path: Path) -> None:
    body = RULE.format(pattern="' είστε αγενής '").replace("locale: en", "locale: el")
    body = body.replace("en.test", "el.test")
    rule_file = load_rule_file(_write(tmp_path, body))
    assert rule_file.rules[0].patterns == (" ειστε αγενησ ",)


LEXICON_RULES = """\
locale: en
lexicons:
  negative: [rude, "clue ?less", "{{extreme}}"]
  extreme: [toxic, a nightmare]
rules:
  - id: en.test
    category: character
    message: m
    patterns: [' you are (?:so )?{{negative}} ']
    unless: [' if you are {{negative}} ']
"""


def test_lexicons_are_shared_by_patterns_and_unless(tmp_path: Path) -> None:
    from partways.lint.engine import CompiledLocale

    rule_file = load_rule_file(_write(tmp_path, LEXICON_RULES))
    (rule,) = rule_file.rules
    assert "{{" not in rule.patterns[0] and "toxic" in rule.unless[0]
    linter = CompiledLocale("en", [rule_file])
    flagged = [
        "You are so clueless.",
        "You are a nightmare!",
        "Honestly, you are toxic.",
    ]
    passing = ["You are kind.", "You are so toxic if you are rude."]
    for sentence in flagged:
        assert [h[0].id for h in linter.match(normalise(sentence))] == ["en.test"], sentence
    for sentence in passing:
        assert linter.match(normalise(sentence)) == [], sentence


@pytest.mark.parametrize(
    ("change", "field", "reason"),
    [
        (("{{negative}} ']", "{{negatve}} ']"), "en.test.patterns.1", "no lexicon {{negatve}}"),
        (("toxic,", '"{{negative}}",'), "lexicons.negative", "uses itself"),
        (("toxic,", '"{{missing}}",'), "lexicons.extreme", "unknown lexicon {{missing}}"),
        (("extreme: [", "Extreme: ["), "lexicons.Extreme", "lower-case"),
    ],
)
def test_lexicon_mistakes_are_named(
    tmp_path: Path, change: tuple[str, str], field: str, reason: str
) -> None:
    body = LEXICON_RULES.replace(*change)
    with pytest.raises(InputError) as caught:
        load_rule_file(_write(tmp_path, body))
    problem = caught.value.problems[0]
    assert problem.source.endswith(".yaml")
    assert problem.field == field
    assert reason in problem.message
