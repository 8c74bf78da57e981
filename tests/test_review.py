"""`partways review`: every item in each of its statuses, readiness, JSON shape, exit codes.

Cases are built from examples/case-en.yaml by changing only what a check looks at,
so each test names the one fact that moves the status.
"""

from __future__ import annotations

import json
import os
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import EXAMPLES, GOLDEN, run_cli
from partways.case import Per
from partways.draft import load
from partways.errors import InputError
from partways.loader import validate_case
from partways.review import (
    ITEMS,
    Settings,
    at_term_boundary,
    render_review,
    review_case,
    settings_from,
    term_end,
)

BASE = yaml.safe_load((EXAMPLES / "case-en.yaml").read_text(encoding="utf-8"))
EXAMPLE_CASES = sorted(EXAMPLES.glob("case-*.yaml"))


def case_with(**changes: Any) -> dict[str, Any]:
    """The English example with top-level keys replaced (None deletes the key)."""
    data = json.loads(json.dumps(BASE, default=str))
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


def ending(**changes: Any) -> dict[str, Any]:
    return {**BASE["ending"], **{k: v for k, v in changes.items()}}


def item(data: dict[str, Any], item_id: str, settings: Settings | None = None) -> tuple[str, str]:
    report = review_case(validate_case(data, "test"), settings)
    found = next(i for i in report.items if i.id == item_id)
    return found.status, found.message


def test_every_item_is_reported_in_order() -> None:
    report = review_case(validate_case(case_with(), "test"))
    assert [i.id for i in report.items] == list(ITEMS)
    assert all(i.message and "\ue000" not in i.message for i in report.items)


# --- attempts ------------------------------------------------------------------------


def test_attempts_listed_is_ok() -> None:
    assert item(case_with(), "attempts")[0] == "ok"


def test_attempts_shown_only_by_facts_is_a_warning() -> None:
    status, message = item(case_with(attempts=None), "attempts")
    assert status == "warning" and "attempts" in message


def test_attempts_nowhere_is_missing() -> None:
    facts = [{"kind": "out_of_scope_request", "item": "weekend on-site support"}]
    status, message = item(case_with(attempts=None, facts=facts), "attempts")
    assert status == "missing" and "last resort" in message


# --- approval ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("approver", "status"),
    [
        ("Alex Moreno, COO", "ok"),
        ("Sara Ahmadi, مدیر عامل", "ok"),
        ("Ali, مدير عامل", "ok"),  # Arabic ي in a Persian title
        ("Siti, juruwang", "warning"),
        ("Ελένη Γεωργίου, Διευθύντρια Πωλήσεων", "ok"),
        ("Aminah Yusof, Pengurus Besar", "ok"),
        ("Alex Moreno", "ok"),
        ("Jo Park, support agent", "warning"),
        ("Dana Whitfield, Head of Client Services", "warning"),  # the sender's own approval
        (None, "missing"),
    ],
)
def test_approval(approver: str | None, status: str) -> None:
    assert item(case_with(approved_by=approver), "approval")[0] == status


def test_approval_without_role_asks_for_it() -> None:
    assert "role" in item(case_with(approved_by="Alex Moreno"), "approval")[1]


# --- contract ------------------------------------------------------------------------


def test_contract_without_clause_is_missing() -> None:
    status, message = item(case_with(ending=ending(contract_clause=None)), "contract")
    assert status == "missing" and "ending.contract_clause" in message


def test_contract_mid_term_is_a_warning_naming_the_term_end() -> None:
    # since 1 March 2023, yearly: the term running on 31 December 2026 ends 28 February 2027
    status, message = item(case_with(), "contract")
    assert status == "warning" and "28 February 2027" in message


@pytest.mark.parametrize("effective", ["2027-02-28", "2027-03-01"])
def test_contract_at_term_end_is_ok(effective: str) -> None:
    status, message = item(case_with(ending=ending(effective=effective)), "contract")
    assert status == "ok" and "yearly term" in message


def test_contract_without_known_term_only_needs_the_clause() -> None:
    value = {"amount": 24000, "currency": "EUR", "per": "total"}
    assert item(case_with(contract_value=value), "contract")[0] == "ok"
    customer = {k: v for k, v in BASE["customer"].items() if k != "since"}
    assert item(case_with(customer=customer), "contract")[0] == "ok"


def test_monthly_terms_clamp_to_short_months() -> None:
    since = date(2026, 1, 31)
    assert term_end(since, date(2026, 2, 10), Per.MONTH) == date(2026, 2, 27)
    assert at_term_boundary(since, date(2026, 2, 27), Per.MONTH)
    assert at_term_boundary(since, date(2026, 2, 28), Per.MONTH)
    assert not at_term_boundary(since, date(2026, 2, 20), Per.MONTH)
    assert term_end(since, date(2026, 1, 1), Per.MONTH) is None  # before the contract
    assert not at_term_boundary(since, date(2027, 1, 30), Per.TOTAL)


def test_monthly_contract_checks_month_ends() -> None:
    value = {"amount": 2000, "currency": "EUR", "per": "month"}
    on_boundary = case_with(contract_value=value, ending=ending(effective="2026-11-30"))
    assert item(on_boundary, "contract") == (
        "ok",
        "Clause 9.2 of the contract is cited, and the end date falls at the end of a monthly term.",
    )
    mid = case_with(contract_value=value, ending=ending(effective="2026-11-15"))
    status, message = item(mid, "contract")
    assert status == "warning" and "30 November 2026" in message


# --- transition, goodwill, alternatives ----------------------------------------------------


def test_transition() -> None:
    assert item(case_with(), "transition")[0] == "ok"
    status, message = item(case_with(ending=ending(pending=[])), "transition")
    assert status == "warning" and "ending.pending" in message


def test_goodwill() -> None:
    status, message = item(case_with(), "goodwill")
    assert status == "ok" and "€450.00" in message
    status, message = item(case_with(goodwill={"kind": "none"}), "goodwill")
    assert status == "warning" and "refund" in message


def test_alternatives() -> None:
    assert item(case_with(), "alternatives")[0] == "ok"
    assert item(case_with(alternatives=[]), "alternatives")[0] == "missing"


# --- channel -------------------------------------------------------------------------


def small(**changes: Any) -> dict[str, Any]:
    defaults: dict[str, Any] = {
        "customer": {**BASE["customer"], "since": "2026-01-01"},
        "contract_value": {"amount": 3000, "currency": "EUR", "per": "year"},
    }
    return case_with(**{**defaults, **changes})


def test_channel_email_fits_a_small_short_relationship() -> None:
    assert item(small(), "channel")[0] == "ok"


def test_channel_high_value_by_email_is_a_warning() -> None:
    value = {"amount": 1500, "currency": "EUR", "per": "month"}  # 18,000 a year
    status, message = item(small(contract_value=value), "channel")
    assert status == "warning" and "€18,000.00 a year" in message and "since" not in message


def test_channel_long_relationship_by_email_is_a_warning() -> None:
    customer = {**BASE["customer"], "since": "2020-05-01"}
    status, message = item(small(customer=customer), "channel")
    assert status == "warning" and "1 May 2020" in message


def test_channel_high_and_long_names_both() -> None:
    status, message = item(case_with(), "channel")
    assert status == "warning" and "€24,000.00" in message and "1 March 2023" in message


def test_channel_phone_is_ok_whatever_the_value() -> None:
    status, message = item(case_with(channel="phone"), "channel")
    assert status == "ok" and "phone" in message


def test_channel_thresholds_come_from_settings() -> None:
    raised = settings_from({"value_threshold": {"eur": 50000}, "long_relationship_years": 5})
    assert item(case_with(), "channel", raised)[0] == "ok"
    lowered = settings_from({"value_threshold": {"EUR": 1000}})
    assert item(small(), "channel", lowered)[0] == "warning"


def test_channel_currency_without_threshold_relies_on_length() -> None:
    value = {"amount": 999999, "currency": "XAF", "per": "year"}
    assert item(small(contract_value=value), "channel")[0] == "ok"


@pytest.mark.parametrize(
    "table",
    [
        {"value_threshold": {"EUR": -5}},
        {"value_threshold": {"EUR": "lots"}},
        {"value_threshold": 10000},
        {"long_relationship_years": 0},
        {"long_relationship_years": True},
        {"threshold": 1},
    ],
)
def test_bad_settings_are_input_errors(table: dict[str, Any]) -> None:
    with pytest.raises(InputError):
        settings_from(table, Path(".partways.toml"))


# --- tone ----------------------------------------------------------------------------


def test_tone() -> None:
    assert item(case_with(), "tone")[0] == "ok"
    abuse = {"reasons": ["abusive_conduct"]}
    assert item(case_with(**abuse), "tone")[0] == "warning"
    assert item(case_with(tone="firm", **abuse), "tone")[0] == "ok"
    assert item(case_with(tone="firm"), "tone")[0] == "warning"
    conduct = BASE["facts"] + [{"kind": "conduct", "date": "2026-10-02", "channel": "phone"}]
    assert item(case_with(facts=conduct, reasons=["never_satisfied"]), "tone")[0] == "warning"


# --- keep versus let go ----------------------------------------------------------------


def test_value_without_contract_value_is_a_warning() -> None:
    status, message = item(case_with(contract_value=None), "value")
    assert status == "warning" and "contract_value" in message


def test_value_without_cost_shows_yearly_revenue() -> None:
    status, message = item(case_with(), "value")
    assert status == "warning" and "€24,000.00 a year" in message and "cost_to_serve" in message


def test_value_loss_shows_the_yearly_saving() -> None:
    cost = {"amount": 2500, "currency": "EUR", "per": "month"}  # 30,000 a year
    status, message = item(case_with(cost_to_serve=cost), "value")
    assert status == "ok"
    assert message.count("€6,000.00 a year") == 2


def test_value_profit_is_a_warning_and_contradiction_is_named() -> None:
    cost = {"amount": 20000, "currency": "EUR", "per": "year"}
    status, message = item(case_with(cost_to_serve=cost), "value")
    assert status == "warning" and "€4,000.00 a year" in message
    status, message = item(case_with(cost_to_serve=cost, reasons=["unprofitable"]), "value")
    assert status == "warning" and "unprofitable" in message


def test_value_break_even_and_totals() -> None:
    cost = {"amount": 24000, "currency": "EUR", "per": "year"}
    assert item(case_with(cost_to_serve=cost), "value")[0] == "ok"
    value = {"amount": 9000, "currency": "EUR", "per": "total"}
    cost = {"amount": 12000, "currency": "EUR", "per": "total"}
    status, message = item(case_with(contract_value=value, cost_to_serve=cost), "value")
    assert status == "ok" and "€3,000.00 over the contract" in message


def test_value_cannot_compare_mixed_currencies_or_periods() -> None:
    cost = {"amount": 100, "currency": "USD", "per": "year"}
    assert item(case_with(cost_to_serve=cost), "value")[0] == "warning"
    cost = {"amount": 100, "currency": "EUR", "per": "total"}
    status, message = item(case_with(cost_to_serve=cost), "value")
    assert status == "warning" and "periods" in message


# --- readiness, output, exit codes -------------------------------------------------------


def not_ready() -> dict[str, Any]:
    return case_with(attempts=None, approved_by=None, alternatives=[])


def test_ready_with_warnings_and_not_ready() -> None:
    assert review_case(validate_case(case_with(), "t")).ready
    report = review_case(validate_case(not_ready(), "t"))
    assert not report.ready
    assert "Not ready: 2 items are missing." in render_review(report, "text")


def test_fully_ready_case_says_so() -> None:
    data = case_with(
        channel="phone",
        ending=ending(effective="2027-02-28"),
        cost_to_serve={"amount": 30000, "currency": "EUR", "per": "year"},
    )
    report = review_case(validate_case(data, "t"))
    assert [i.status for i in report.items] == ["ok"] * len(ITEMS)
    assert render_review(report, "text").endswith("Ready: every item is in order.\n")


def test_json_shape() -> None:
    data = json.loads(render_review(review_case(validate_case(not_ready(), "t")), "json"))
    assert set(data) == {"ready", "items"} and data["ready"] is False
    assert [i["id"] for i in data["items"]] == list(ITEMS)
    for entry in data["items"]:
        assert set(entry) == {"id", "status", "message"}
        assert entry["status"] in ("ok", "warning", "missing") and entry["message"]


def _write(tmp_path: Path, data: dict[str, Any], name: str = "case.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_cli_exit_codes(tmp_path: Path) -> None:
    ready = run_cli("review", str(EXAMPLES / "case-en.yaml"))
    assert ready.returncode == 0, ready.stderr
    missing = run_cli("review", str(_write(tmp_path, not_ready())), "--format", "json")
    assert missing.returncode == 1
    assert json.loads(missing.stdout)["ready"] is False


@pytest.mark.parametrize(
    "args",
    [
        ("review", "no-such-case.yaml"),
        ("review", "examples/case-en.yaml", "--format", "html"),
        ("review", "examples/case-en.yaml", "--locale", "xx"),
    ],
)
def test_cli_bad_input_exits_2(args: tuple[str, ...]) -> None:
    result = run_cli(*args)
    assert result.returncode == 2
    assert b"Traceback" not in result.stderr


def test_cli_invalid_case_exits_2(tmp_path: Path) -> None:
    result = run_cli("review", str(_write(tmp_path, case_with(tone="angry"))))
    assert result.returncode == 2 and b"tone" in result.stderr


def test_cli_reads_review_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from partways.cli import app

    case = str(_write(tmp_path, case_with()))
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".partways.toml").write_text(
        "[review]\nlong_relationship_years = 10\n[review.value_threshold]\nEUR = 100000\n"
    )
    result = CliRunner().invoke(app, ["review", case, "--format", "json"])
    channel = next(i for i in json.loads(result.stdout)["items"] if i["id"] == "channel")
    assert channel["status"] == "ok"
    (tmp_path / ".partways.toml").write_text("[review]\nvalue_threshold = 'high'\n")
    result = CliRunner().invoke(app, ["review", case])
    assert result.exit_code == 2 and "value_threshold" in result.stderr


def test_rtl_lines_are_marked() -> None:
    fa = EXAMPLES / "case-fa.yaml"
    if not fa.exists():
        pytest.skip("examples/case-fa.yaml not written yet")
    output = render_review(review_case(load(fa)), "text")
    assert all(line.startswith("\u200f") for line in output.splitlines() if line)


# --- goldens (reviewed by eye) ---------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["text", "json"])
@pytest.mark.parametrize("case_path", EXAMPLE_CASES, ids=lambda p: p.stem)
def test_golden(case_path: Path, fmt: str) -> None:
    output = render_review(review_case(load(case_path)), fmt)
    golden = GOLDEN / "review" / f"{case_path.stem}.{'txt' if fmt == 'text' else 'json'}"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(output, encoding="utf-8")
    assert golden.exists(), f"missing golden {golden}; run with UPDATE_GOLDEN=1 and review it"
    assert output == golden.read_text(encoding="utf-8")


def test_money_and_dates_are_formatted_for_the_locale() -> None:
    if not (EXAMPLES.parent / "locales" / "el" / "locale.yaml").exists():
        pytest.skip("Greek locale not present yet")
    status, message = item(case_with(locale="el"), "goodwill")
    assert status == "ok" and "450,00" in message and "Clause" not in message


# --- every sentence in every locale ----------------------------------------------------------

EUR = "EUR"


def money(amount: int, per: str = "year", currency: str = EUR) -> dict[str, Any]:
    return {"amount": amount, "currency": currency, "per": per}


def _variants() -> list[dict[str, Any]]:
    """Cases that together reach every sentence of templates/review/ (checked below)."""
    since = {**BASE["customer"], "since": "2026-01-01"}
    total = money(90000, "total")
    monthly = money(2000, "month")
    pending_one = ending(pending=["final brand guidelines"])
    return [
        case_with(),
        not_ready(),
        case_with(attempts=None, facts=[{"kind": "note", "text": "We met twice."}]),
        case_with(attempts=None, facts=[{"kind": "unmet_expectation", "item": "speed"}]),
        case_with(approved_by="Alex Moreno", alternatives=BASE["alternatives"][:1]),
        case_with(approved_by="Dana Whitfield"),
        case_with(approved_by="Jo Park, support agent", ending=pending_one),
        case_with(ending=ending(contract_clause=None, pending=[]), goodwill={"kind": "none"}),
        case_with(ending=ending(effective="2027-02-28"), channel="phone"),
        case_with(contract_value=monthly, ending=ending(effective="2026-11-30"), channel="meeting"),
        case_with(contract_value=monthly, ending=ending(effective="2026-11-15")),
        case_with(customer=since, contract_value=money(100)),
        case_with(customer=since, contract_value=total),
        case_with(contract_value=total, cost_to_serve=money(1, "total")),
        case_with(customer=since, goodwill={"kind": "waive_invoice", "amount": 5, "currency": EUR}),
        case_with(goodwill={"kind": "credit", "amount": 5, "currency": EUR}, contract_value=None),
        case_with(tone="firm", attempts=["weekly calls", "a new scope document"]),
        case_with(tone="firm", reasons=["threats"]),
        case_with(reasons=["abusive_conduct"]),
        case_with(cost_to_serve=money(1, currency="USD")),
        case_with(cost_to_serve=money(1, "total")),
        case_with(cost_to_serve=money(30000)),
        case_with(cost_to_serve=money(24000)),
        case_with(cost_to_serve=money(1000)),
        case_with(cost_to_serve=money(1000), reasons=["unprofitable"]),
        case_with(
            contract_value=total,
            cost_to_serve=money(1, "total"),
            reasons=["unprofitable"],
        ),
        case_with(contract_value=total, cost_to_serve=money(99999, "total")),
        case_with(contract_value={**total, "amount": 100}),
        case_with(
            channel="phone",
            ending=ending(effective="2027-02-28"),
            cost_to_serve=money(30000),
        ),
    ]


def _outputs(lang: str) -> list[str]:
    texts = []
    for data in _variants():
        report = review_case(validate_case({**data, "locale": lang}, lang))
        texts += [i.message for i in report.items]
        texts += [report.heading_marked, report.summary_marked, *report.labels.values()]
    return texts


def test_variants_reach_every_sentence() -> None:
    from babel.messages.pofile import read_po

    with (EXAMPLES.parent / "locales" / "review.pot").open("rb") as fh:
        catalog = read_po(fh)
    rendered = "\n".join(_outputs("en"))
    for message in catalog:
        if not message.id:
            continue
        for msgid in message.id if isinstance(message.id, tuple) else (message.id,):
            # the longest fixed stretch between placeholders must appear somewhere
            longest = max(re.split(r"%\(\w+\)s", msgid), key=len).strip()
            assert longest in rendered, msgid


@pytest.mark.parametrize("lang", ["fa", "ms", "el"])
def test_every_sentence_is_translated(lang: str) -> None:
    english = _outputs("en")
    ours = _outputs(lang)
    for theirs, mine in zip(english, ours, strict=True):
        assert mine and "%(" not in mine
        if theirs.isascii() and len(theirs) > 12:
            assert mine != theirs, (lang, theirs)


@pytest.mark.parametrize("lang", ["en", "fa", "ms", "el"])
def test_golden_every_sentence(lang: str) -> None:
    """Every distinct sentence once, in context, for reading by eye."""
    from partways.letter import unmark

    seen = dict.fromkeys(unmark(text) for text in _outputs(lang))
    output = "\n".join(seen) + "\n"
    golden = GOLDEN / "review" / f"every-sentence-{lang}.txt"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(output, encoding="utf-8")
    assert golden.exists(), f"missing golden {golden}; run with UPDATE_GOLDEN=1 and review it"
    assert output == golden.read_text(encoding="utf-8")
