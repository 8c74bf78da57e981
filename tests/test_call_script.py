"""`partways call-script`: the model, the lint contract, the renderers, the CLI, goldens.

Goldens live in tests/golden/script/; regenerate with
`UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_call_script.py -q` and read them.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import EXAMPLES, GOLDEN, ROOT, run_cli
from partways.case import Reason
from partways.draft import draft, load
from partways.letter import segments
from partways.loader import validate_case
from partways.locales import available_locales
from partways.render.script import render_script
from partways.script import STEP_ORDER, CallScript, build

EXAMPLE_CASES = sorted(EXAMPLES.glob("case-*.yaml"))
FIRM_CASES = sorted((ROOT / "tests" / "cases").glob("*-firm*.yaml"))


def _has_script_catalog(path: Path) -> bool:
    # test_catalogs.py requires the catalog; until it exists there is nothing to review.
    lang = yaml.safe_load(path.read_text(encoding="utf-8"))["locale"]
    return (ROOT / "locales" / lang / "LC_MESSAGES" / "script.po").exists()


GOLDEN_CASES = [path for path in EXAMPLE_CASES + FIRM_CASES if _has_script_catalog(path)]
SCRIPT_GOLDEN = GOLDEN / "script"
REQUIRED_OBJECTIONS = {
    "another_chance",
    "disputes_facts",
    "more_money",
    "angry",
    "real_reason",
    "bad_review",
}


def _case_data(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    # PyYAML turns ISO dates into date objects; the loader expects text.
    return json.loads(json.dumps(data, default=str))


def _variant(path: Path, **changes: Any) -> Any:
    return validate_case({**_case_data(path), **changes}, str(path))


def _example(lang: str) -> Path:
    path = EXAMPLES / f"case-{lang}.yaml"
    if not path.exists():
        pytest.skip(f"no example case for {lang} yet")
    return path


def _rel(path: Path) -> str:
    return str(path.relative_to(ROOT))


# --- the model --------------------------------------------------------------------------


def test_steps_follow_the_five_parts_in_order() -> None:
    script = build(load(EXAMPLES / "case-en.yaml"))
    kinds = [s.kind for s in script.steps]
    assert kinds == list(STEP_ORDER)
    assert kinds[1:6] == ["appreciation", "framing", "goodwill", "apology", "alternatives"]
    assert all(s.say and s.notes for s in script.steps)
    # the customer is let to speak after the news, and asked for questions before the end
    listening = {s.kind for s in script.steps if s.listen}
    assert {"opening", "framing", "transition"} <= listening


def test_goodwill_step_is_left_out_when_there_is_none() -> None:
    script = build(_variant(EXAMPLES / "case-en.yaml", goodwill={"kind": "none"}))
    assert "goodwill" not in [s.kind for s in script.steps]
    more_money = next(o for o in script.objections if o.id == "more_money")
    assert "terms of our agreement" in more_money.say[0]


def test_values_are_formatted_exactly_as_in_the_letter() -> None:
    case = load(EXAMPLES / "case-en.yaml")
    letter, data = draft(case).text, build(case).to_dict()
    assert "€450.00" in letter and data["facts"]["refund"] == "€450.00 for last month"
    assert "31 December 2026" in letter and data["facts"]["end_date"] == "31 December 2026"
    assert data["facts"]["clause"] == "9.2"
    assert data["facts"]["pending"] == ["final brand guidelines", "handover of all source files"]
    transition = next(s for s in data["steps"] if s["kind"] == "transition")
    assert any("31 December 2026" in line for line in transition["say"])


def _facts(marked: list[str], kinds: set[str]) -> set[str]:
    return {
        fact.value for line in marked for _, fact in segments(line) if fact and fact.kind in kinds
    }


@pytest.mark.parametrize("lang", ["en", "fa", "ms", "el"])
def test_localised_values_match_the_letter(lang: str) -> None:
    if lang not in available_locales():
        pytest.skip(f"locale {lang} not installed yet")
    case = load(_example(lang))
    letter, script = draft(case), build(case)
    in_letter = _facts([s.marked for s in letter.sections], {"money", "date", "clause"})
    in_script = _facts(
        [line for step in script.steps for line in step.say]
        + [value for fact in script.facts for value in fact.values],
        {"money", "date", "clause"},
    )
    assert in_letter and in_letter <= in_script


def test_objections_cover_every_required_kind() -> None:
    for path in EXAMPLE_CASES + FIRM_CASES:
        ids = {o.id for o in build(load(path)).objections}
        assert ids >= REQUIRED_OBJECTIONS, path.name
        assert len(ids) >= 5


def test_firm_tone_ends_an_abusive_call_politely() -> None:
    warm = build(load(EXAMPLES / "case-en.yaml"))
    firm = build(_variant(EXAMPLES / "case-en.yaml", tone="firm"))
    angry_warm = next(o for o in warm.objections if o.id == "angry").say
    angry_firm = next(o for o in firm.objections if o.id == "angry").say
    assert angry_firm != angry_warm
    assert any("end the call now" in line for line in angry_firm)
    assert angry_firm[-1] == "Thank you for your time. Goodbye."
    assert firm.steps[-1].say[-1] == "Thank you for your time. Goodbye."


def test_every_reason_has_a_do_not_say_line() -> None:
    script = build(_variant(EXAMPLES / "case-en.yaml", reasons=[r.value for r in Reason]))
    reasons = [a.reason for a in script.avoid]
    assert reasons == ["general", *[r.value for r in Reason]]
    assert len({a.text for a in script.avoid}) == len(script.avoid)


def test_do_not_say_follows_the_reasons_and_the_facts() -> None:
    case = _variant(
        EXAMPLES / "case-en.yaml",
        reasons=["late_payment"],
        facts=[{"kind": "conduct", "date": "2026-10-03", "channel": "phone"}],
    )
    assert [a.reason for a in build(case).avoid] == ["general", "abusive_conduct", "late_payment"]
    texts = [a.text for a in build(case).avoid]
    assert "You never pay on time." in texts and "You always demand too much." not in texts


def test_checklist_and_follow_up() -> None:
    script = build(load(EXAMPLES / "case-en.yaml"), "examples/case-en.yaml")
    data = script.to_dict()
    assert any("Rehearse" in line for line in data["checklist"])
    assert any("clause 9.2" in line for line in data["checklist"])
    assert any("partways draft examples/case-en.yaml" in line for line in data["follow_up"])
    no_clause = build(_variant(EXAMPLES / "case-en.yaml", ending={"effective": "2026-12-31"}))
    assert any("Check the contract" in line for line in no_clause.to_dict()["checklist"])


# --- the tone linter's contract ---------------------------------------------------------


def _lint_ready(lang: str) -> None:
    if lang not in available_locales():
        pytest.skip(f"locale {lang} not installed yet")
    if not (ROOT / "locales" / lang / "tone.yaml").exists():
        pytest.skip(f"no tone rules for {lang} yet")


def _all_reasons(lang: str) -> list[CallScript]:
    path = _example(lang)
    every = [r.value for r in Reason]
    return [build(_variant(path, reasons=every, tone=tone)) for tone in ("warm", "firm")] + [
        build(load(p)) for p in FIRM_CASES if _case_data(p)["locale"] == lang
    ]


@pytest.mark.parametrize("lang", ["en", "fa", "ms", "el"])
def test_linter_flags_every_do_not_say_line(lang: str) -> None:
    from partways.lint import lint_text

    _lint_ready(lang)
    texts = {a.text for script in _all_reasons(lang) for a in script.avoid}
    unflagged = sorted(t for t in texts if not lint_text(t, lang))
    assert not unflagged, f"{lang}: the tone linter does not flag {unflagged}"


@pytest.mark.parametrize("lang", ["en", "fa", "ms", "el"])
def test_every_line_to_say_lints_clean(lang: str) -> None:
    from partways.lint import lint_text

    _lint_ready(lang)
    lines: set[str] = set()
    for script in _all_reasons(lang):
        lines.update(script.spoken_lines())
        lines.update(a.instead for a in script.avoid)
    flagged = {line: [f.rule for f in lint_text(line, lang)] for line in sorted(lines)}
    flagged = {line: rules for line, rules in flagged.items() if rules}
    assert not flagged, f"{lang}: lines to say that the linter flags: {flagged}"


# --- renderers --------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "fa", "ms", "el"])
def test_html_sets_language_direction_and_isolates(lang: str) -> None:
    if lang not in available_locales():
        pytest.skip(f"locale {lang} not installed yet")
    script = build(load(_example(lang)))
    html = render_script(script, "html")
    direction = "rtl" if lang == "fa" else "ltr"
    assert f'<html lang="{lang}" dir="{direction}">' in html
    assert "<bdi>" in html and "<script" not in html


def test_rtl_text_marks_every_line_and_isolates_values() -> None:
    if "fa" not in available_locales():
        pytest.skip("Persian not installed yet")
    text = render_script(build(load(_example("fa"))), "text")
    lines = [line for line in text.splitlines() if line]
    assert all(line.startswith("\u200f") for line in lines)
    assert "\u2068" in text and "\u2069" in text


def test_html_escapes_values() -> None:
    case = _variant(EXAMPLES / "case-en.yaml", service="<b>design</b> & print")
    html = render_script(build(case), "html")
    assert "<b>design" not in html and "&lt;b&gt;design&lt;/b&gt; &amp; print" in html


def test_json_shape() -> None:
    data = json.loads(render_script(build(load(EXAMPLES / "case-en.yaml")), "json"))
    assert {"locale", "steps", "objections", "avoid", "facts", "checklist"} <= set(data)
    for step in data["steps"]:
        assert set(step) == {"kind", "say", "listen", "notes"}
        assert isinstance(step["listen"], bool) and all(isinstance(s, str) for s in step["say"])
    assert all({"if", "say"} <= set(o) for o in data["objections"])
    assert all({"text", "instead"} <= set(a) for a in data["avoid"])
    assert "\ue000" not in json.dumps(data)  # no fact markers leak


# --- CLI --------------------------------------------------------------------------------


def test_cli_writes_markdown_by_default() -> None:
    result = run_cli("call-script", "examples/case-en.yaml")
    assert result.returncode == 0, result.stderr
    out = result.stdout.decode()
    assert out.startswith("# Call script: Bellini Imports")
    assert "## Do not say" in out and "- [ ] Rehearse" in out


def test_cli_json_to_file_and_no_overwrite(tmp_path: Path) -> None:
    target = tmp_path / "call.json"
    result = run_cli("call-script", "examples/case-en.yaml", "--format", "json", "-o", str(target))
    assert result.returncode == 0, result.stderr
    assert json.loads(target.read_text(encoding="utf-8"))["locale"] == "en"
    again = run_cli("call-script", "examples/case-en.yaml", "-f", "json", "-o", str(target))
    assert again.returncode == 2 and b"--force" in again.stderr
    forced = run_cli("call-script", "examples/case-en.yaml", "-o", str(target), "--force")
    assert forced.returncode == 0 and target.read_text(encoding="utf-8").startswith("# ")


def test_cli_bad_input_exits_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("locale: en\ntone: friendly\n", encoding="utf-8")
    result = run_cli("call-script", str(bad))
    assert result.returncode == 2
    assert b"tone" in result.stderr and b"Traceback" not in result.stderr
    missing = run_cli("call-script", str(tmp_path / "nope.yaml"))
    assert missing.returncode == 2 and b"Traceback" not in missing.stderr
    fmt = run_cli("call-script", "examples/case-en.yaml", "--format", "eml")
    assert fmt.returncode == 2


def test_cli_reads_stdin() -> None:
    data = (EXAMPLES / "case-en.yaml").read_bytes()
    result = run_cli("call-script", "-", "-f", "text", stdin=data)
    assert result.returncode == 0, result.stderr
    assert b"partways draft -" in result.stdout


# --- goldens ----------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["md", "json"])
@pytest.mark.parametrize("case_path", GOLDEN_CASES, ids=lambda p: p.stem)
def test_golden(case_path: Path, fmt: str) -> None:
    output = render_script(build(load(case_path), _rel(case_path)), fmt)
    golden = SCRIPT_GOLDEN / f"{case_path.stem}.{fmt}"
    if os.environ.get("UPDATE_GOLDEN"):
        SCRIPT_GOLDEN.mkdir(parents=True, exist_ok=True)
        golden.write_bytes(output.encode("utf-8"))
    assert golden.exists(), f"missing golden {golden.name}; run with UPDATE_GOLDEN=1 and review it"
    assert output == golden.read_bytes().decode("utf-8"), f"{golden.name} differs"


def test_spoken_address_follows_the_locales_greeting() -> None:
    # Malay greets by full name; Greek uses the vocative; Greek without a title names no one.
    if not {"ms", "el"} <= set(available_locales()):
        pytest.skip("Malay or Greek not installed yet")
    ms = build(load(_example("ms"))).to_dict()["steps"][0]["say"][0]
    assert ms.startswith("Selamat sejahtera Tuan Ahmad Faizal bin Ismail,")
    el = build(load(_example("el"))).to_dict()["steps"][0]["say"][0]
    assert el.startswith("Χαίρετε, κύριε Παπαδόπουλε.")
    data = _case_data(_example("el"))
    anonymous = build(_variant(_example("el"), customer={**data["customer"], "title": "none"}))
    assert anonymous.to_dict()["steps"][0]["say"][0].startswith("Χαίρετε. Ονομάζομαι")


def test_company_ending_in_a_full_stop_keeps_one() -> None:
    data = _case_data(EXAMPLES / "case-en.yaml")
    case = _variant(
        EXAMPLES / "case-en.yaml", sender={**data["sender"], "company": "Ali & Sons Ltd."}
    )
    opening = build(case).to_dict()["steps"][0]["say"][0]
    assert opening.endswith("from Ali & Sons Ltd.")
