"""`partways team-note`: the staff announcement after the decision (DIGEST 004).

Goldens per locale are read by eye; every sentence the templates can produce goes
through the tone linter, because even the in-house note must not insult the customer.
"""

from __future__ import annotations

import os
from email import message_from_string
from email.policy import default
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import EXAMPLES, GOLDEN, LOCALES, run_cli
from partways.case import ConductChannel, Reason
from partways.draft import load
from partways.lint import lint_text
from partways.loader import validate_case
from partways.team_note import compose_team_note, render_team_note

EXAMPLE_CASES = sorted(EXAMPLES.glob("case-*.yaml"))
EXTENSIONS = {"md": "md", "text": "txt", "eml": "eml"}


@pytest.fixture(autouse=True)
def _fixed_date(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790000000")


def example(lang: str) -> dict[str, Any]:
    from partways.loader import read_document

    data = read_document(EXAMPLES / f"case-{lang}.yaml")
    assert isinstance(data, dict)
    return data


def every_sentence(lang: str) -> dict[str, Any]:
    """The example with every reason and every kind of fact, so each template
    sentence is rendered (and linted) at least once."""
    data = example(lang)
    item = data["facts"][0]["item"]
    facts = [
        *data["facts"],
        {"kind": "out_of_scope_request", "item": item},
        {"kind": "late_payments", "count": 1},
        {"kind": "late_payments", "count": 3},
        {"kind": "missed_meetings", "count": 1},
        {"kind": "missed_meetings", "count": 4},
        {"kind": "unmet_expectation", "item": item},
        *({"kind": "conduct", "date": "2026-10-02", "channel": c.value} for c in ConductChannel),
        {"kind": "conduct", "date": "2026-10-03"},
    ]
    return {**data, "reasons": [r.value for r in Reason], "facts": facts, "tone": "firm"}


def no_pending(lang: str) -> dict[str, Any]:
    data = example(lang)
    customer = {k: v for k, v in data["customer"].items() if k != "company"}
    ending = {**data["ending"], "pending": []}
    return {**data, "customer": customer, "ending": ending, "approved_by": None}


@pytest.mark.parametrize("lang", LOCALES)
@pytest.mark.parametrize("variant", [example, every_sentence, no_pending], ids=lambda f: f.__name__)
def test_note_passes_the_tone_linter(lang: str, variant: Any) -> None:
    note = compose_team_note(validate_case(variant(lang), lang))
    errors = [f for f in lint_text(note.text, lang) if f.severity == "error"]
    assert not errors, [(f.rule, f.message, note.text.splitlines()[f.line - 1]) for f in errors]


@pytest.mark.parametrize("lang", LOCALES)
def test_every_sentence_is_in_the_locale(lang: str) -> None:
    """No English left in a translated note (an untranslated message falls back to it)."""
    note = compose_team_note(validate_case(every_sentence(lang), lang))
    english = compose_team_note(validate_case(every_sentence("en"), "en"))
    assert len(note.sections) == len(english.sections)
    if lang != "en":
        for ours, theirs in zip(note.sections, english.sections, strict=True):
            for sentence in theirs.text.split(". "):
                if len(sentence) > 25 and sentence.isascii():
                    assert sentence not in ours.text, (lang, sentence)


def test_note_says_who_when_why_what_next_and_support() -> None:
    text = compose_team_note(load(EXAMPLES / "case-en.yaml")).text
    for expected in (
        "Dear colleagues,",
        "end our business relationship with Bellini Imports",
        "will end on 31 December 2026",
        "approved by Alex Moreno, COO",
        "not only with those who worked with them directly",
        "Requests repeatedly went beyond the scope",
        "On 14 September 2026 the customer asked us for weekend on-site support",
        "After each of the last 5 deliveries",
        "Before deciding, we tried to resolve the situation: weekly check-in calls",
        "final brand guidelines and handover of all source files",
        "we stand behind our team",
        "positive and healthy",
        "keep giving your best to the customers we keep",
        "Dana Whitfield\nHead of Client Services\nNorthlight Studio",
    ):
        assert expected in text, expected
    assert "Marco Bellini" not in text  # the company is named, not the contact


def test_private_customer_is_named_and_nothing_pending() -> None:
    text = compose_team_note(validate_case(no_pending("en"), "t")).text
    assert "with Marco Bellini." in text
    assert "No work for them remains outstanding" in text
    assert "approved by" not in text


def test_abuse_adds_the_safety_sentence() -> None:
    data = {**example("en"), "reasons": ["threats"], "tone": "firm"}
    text = compose_team_note(validate_case(data, "t")).text
    assert "made them feel unsafe at work" in text
    assert "you will have my full support" in text
    assert "full support" not in compose_team_note(load(EXAMPLES / "case-en.yaml")).text


def test_a_company_ending_in_a_full_stop_ends_the_sentence_once() -> None:
    data = example("en")
    data["customer"] = {**data["customer"], "company": "Bellini Imports Ltd."}
    text = compose_team_note(validate_case(data, "t")).text
    assert "Bellini Imports Ltd. Our" in text and "Ltd.." not in text


def test_persian_text_is_right_to_left_with_isolated_values() -> None:
    output = render_team_note(compose_team_note(load(EXAMPLES / "case-fa.yaml")), "text")
    lines = [line for line in output.splitlines() if line]
    assert all(line.startswith("\u200f") for line in lines)
    assert "\u2068بازرگانی بهمنی\u2069" in output


def test_eml_defaults_to_undisclosed_recipients() -> None:
    note = compose_team_note(load(EXAMPLES / "case-en.yaml"))
    message = message_from_string(render_team_note(note, "eml"), policy=default)
    assert message["To"] == "undisclosed-recipients:;"
    assert message["From"] == "Dana Whitfield <dana@northlight.example>"
    assert message["X-Unsent"] == "1"
    assert message["Subject"] == "Our work with Bellini Imports ends on 31 December 2026"
    plain = message.get_body(("plain",))
    html = message.get_body(("html",))
    assert plain is not None and "we stand behind our team" in plain.get_content()
    assert html is not None and "<bdi>Bellini Imports</bdi>" in html.get_content()


def test_eml_to_an_all_staff_address_in_persian() -> None:
    note = compose_team_note(load(EXAMPLES / "case-fa.yaml"))
    message = message_from_string(render_team_note(note, "eml", "staff@roshana.example"))
    assert message["To"] == "staff@roshana.example"
    assert message["Content-Language"] == "fa"
    html = next(p for p in message.walk() if p.get_content_type() == "text/html")
    assert 'dir="rtl"' in html.get_payload(decode=True).decode("utf-8")


# --- command line ---------------------------------------------------------------------------


def test_cli_writes_and_refuses_to_overwrite(tmp_path: Path) -> None:
    out = tmp_path / "note.md"
    first = run_cli("team-note", "examples/case-el.yaml", "-o", str(out))
    assert first.returncode == 0, first.stderr
    assert out.read_text(encoding="utf-8").startswith("**Λήξη της συνεργασίας μας")
    again = run_cli("team-note", "examples/case-el.yaml", "-o", str(out))
    assert again.returncode == 2 and b"--force" in again.stderr
    forced = run_cli("team-note", "examples/case-el.yaml", "-f", "text", "-o", str(out), "--force")
    assert forced.returncode == 0
    assert out.read_text(encoding="utf-8").startswith("Αγαπητές και αγαπητοί συνάδελφοι,")


def test_cli_locale_option_and_stdin() -> None:
    case = (EXAMPLES / "case-en.yaml").read_bytes()
    result = run_cli("team-note", "-", "--locale", "ms", "--format", "text", stdin=case)
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode().startswith("Rakan-rakan sekerja yang dihormati,")


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("team-note", "missing.yaml"), b"no such file"),
        (("team-note", "examples/case-en.yaml", "--format", "html"), b"html"),
        (("team-note", "examples/case-en.yaml", "-f", "eml", "--to", "not-an-address"), b"--to"),
    ],
)
def test_cli_bad_input_exits_2(args: tuple[str, ...], expected: bytes) -> None:
    result = run_cli(*args)
    assert result.returncode == 2 and expected in result.stderr
    assert b"Traceback" not in result.stderr


def test_cli_eml_needs_the_sender_address(tmp_path: Path) -> None:
    data = example("en")
    data["sender"] = {k: v for k, v in data["sender"].items() if k != "email"}
    path = tmp_path / "case.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    result = run_cli("team-note", str(path), "--format", "eml")
    assert result.returncode == 2 and b"sender.email" in result.stderr
    assert run_cli("team-note", str(path)).returncode == 0


# --- goldens (reviewed by eye) ------------------------------------------------------------------


@pytest.mark.parametrize("fmt", list(EXTENSIONS))
@pytest.mark.parametrize("case_path", EXAMPLE_CASES, ids=lambda p: p.stem)
def test_golden(case_path: Path, fmt: str) -> None:
    output = render_team_note(compose_team_note(load(case_path)), fmt)
    golden = GOLDEN / "team" / f"{case_path.stem}.{EXTENSIONS[fmt]}"
    _compare(output, golden)


@pytest.mark.parametrize("lang", LOCALES)
def test_golden_every_sentence(lang: str) -> None:
    note = compose_team_note(validate_case(every_sentence(lang), lang))
    _compare(render_team_note(note, "text"), GOLDEN / "team" / f"every-sentence-{lang}.txt")


def _compare(output: str, golden: Path) -> None:
    if os.environ.get("UPDATE_GOLDEN"):
        golden.parent.mkdir(exist_ok=True)
        golden.write_bytes(output.encode("utf-8"))
    assert golden.exists(), f"missing golden {golden}; run with UPDATE_GOLDEN=1 and review it"
    assert output == golden.read_bytes().decode("utf-8"), f"{golden.name} differs"
