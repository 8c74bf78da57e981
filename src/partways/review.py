"""Readiness review: is the case ready before anything is sent to the customer?

Each check follows a step the source articles put before firing a customer
(DIGEST 000 §1–5, 003 §1–5, 004). Python decides the status and gathers the
values; the sentence comes from templates/review/<id>.j2 in the case's locale.
Only "missing" blocks (exit 1); warnings are advice.
"""

from __future__ import annotations

import calendar
import json
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import Any

from partways.case import Case, ContractValue, GoodwillKind, Per, Reason, Tone
from partways.compose import context, environment, normalize
from partways.errors import InputError
from partways.letter import mark, unmark
from partways.locales import locale_info
from partways.resources import data_dir

OK, WARNING, MISSING = "ok", "warning", "missing"
ITEMS = (
    "attempts",
    "approval",
    "contract",
    "transition",
    "goodwill",
    "channel",
    "tone",
    "alternatives",
    "value",
)

# Yearly contract value at or above which ending by email alone is too impersonal
# (DIGEST 000 §4). Round figures of roughly the same weight (~EUR 10,000 in 2026);
# IRR follows the open-market rate people actually pay, not the official one.
DEFAULT_VALUE_THRESHOLDS: dict[str, Decimal] = {
    "EUR": Decimal(10_000),
    "USD": Decimal(10_000),
    "GBP": Decimal(8_500),
    "CHF": Decimal(10_000),
    "MYR": Decimal(50_000),
    "SGD": Decimal(15_000),
    "AUD": Decimal(15_000),
    "CAD": Decimal(15_000),
    "IRR": Decimal(10_000_000_000),
}
DEFAULT_LONG_RELATIONSHIP_YEARS = Decimal(2)
_SHOWS_ATTEMPTS = ("note", "repeated_dissatisfaction", "missed_meetings")
_FIRM_REASONS = (Reason.ABUSIVE_CONDUCT, Reason.THREATS)


@dataclass(frozen=True)
class Settings:
    value_thresholds: dict[str, Decimal] = field(
        default_factory=lambda: dict(DEFAULT_VALUE_THRESHOLDS)
    )
    long_relationship_years: Decimal = DEFAULT_LONG_RELATIONSHIP_YEARS


def settings_from(table: dict[str, Any], path: Path | None = None) -> Settings:
    """Settings from the `[review]` config table; unknown keys and bad numbers are errors.

    [review]
    long_relationship_years = 2
    [review.value_threshold]   # yearly value per currency; merged over the defaults
    EUR = 10000
    """
    source = str(path) if path else "config"
    known = {"value_threshold", "long_relationship_years"}
    for key in table:
        if key not in known:
            raise InputError.single(
                source,
                f"review.{key}",
                "unknown setting; expected " + " or ".join(sorted(known)),
            )
    thresholds = dict(DEFAULT_VALUE_THRESHOLDS)
    raw = table.get("value_threshold", {})
    if not isinstance(raw, dict):
        raise InputError.single(
            source,
            "review.value_threshold",
            "expected a table such as EUR = 10000",
        )
    for code, amount in raw.items():
        thresholds[str(code).upper()] = _positive(amount, source, f"review.value_threshold.{code}")
    years = DEFAULT_LONG_RELATIONSHIP_YEARS
    if "long_relationship_years" in table:
        years = _positive(
            table["long_relationship_years"], source, "review.long_relationship_years"
        )
    return Settings(thresholds, years)


def _positive(value: object, source: str, where: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise InputError.single(source, where, f"expected a positive number (got {value!r})")
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        number = Decimal(0)
    if not number.is_finite() or number <= 0:
        raise InputError.single(source, where, f"expected a positive number (got {value!r})")
    return number


@dataclass(frozen=True)
class Item:
    id: str
    status: str
    marked: str

    @property
    def message(self) -> str:
        return unmark(self.marked)


@dataclass(frozen=True)
class Report:
    locale: str
    direction: str
    heading_marked: str
    summary_marked: str
    labels: dict[str, str]
    items: tuple[Item, ...]

    @property
    def ready(self) -> bool:
        return all(item.status != MISSING for item in self.items)


# --- role words for the approval check -------------------------------------------------


_ARABIC_TO_PERSIAN = str.maketrans({"ي": "ی", "ى": "ی", "ك": "ک"})


def _fold(text: str) -> str:
    """Casefold and drop accents (Greek τόνος), so 'Διευθύντρια' meets 'διευθυντ*'."""
    text = text.translate(_ARABIC_TO_PERSIAN)
    decomposed = unicodedata.normalize("NFD", text.casefold())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    spaced = "".join(c if c.isalnum() or c == "\u200c" else " " for c in bare)
    return " " + " ".join(spaced.replace("\u200c", "").split()) + " "


@cache
def _role_words() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(decision-maker words, front-line words) from every locale folder's review.yaml:
    an approver may be written in any language whatever the letter's locale."""
    import yaml

    managers: list[str] = []
    frontline: list[str] = []
    for path in sorted(data_dir("locales").glob("*/review.yaml")):
        if path.is_file():
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            managers += [str(w) for w in data.get("decision_roles", [])]
            frontline += [str(w) for w in data.get("frontline_roles", [])]
    return tuple(managers), tuple(frontline)


def _has_word(folded: str, words: tuple[str, ...]) -> bool:
    """Whole words; a trailing * matches any ending (Greek and Malay inflect)."""
    for word in words:
        stem = _fold(word.rstrip("*")).strip()
        if not stem:
            continue
        if word.endswith("*"):
            if f" {stem}" in folded:
                return True
        elif f" {stem} " in folded:
            return True
    return False


# --- dates and money ---------------------------------------------------------------


def _add_months(day: date, months: int) -> date:
    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def term_end(since: date, effective: date, per: Per) -> date | None:
    """Last day of the contract term running on `effective` (terms start on `since`)."""
    if per is Per.TOTAL or effective < since:
        return None
    step = 12 if per is Per.YEAR else 1
    k = 1
    while _add_months(since, k * step) <= effective:
        k += 1
    return _add_months(since, k * step) - timedelta(days=1)


def at_term_boundary(since: date, effective: date, per: Per) -> bool:
    """True when `effective` is the last day of a term or the first day of the next
    (either reading of "ends on" is fine at a boundary)."""
    if per is Per.TOTAL:
        return False
    step = 12 if per is Per.YEAR else 1
    next_day = effective + timedelta(days=1)
    k = 1
    while (start := _add_months(since, k * step)) <= next_day:
        if start in (effective, next_day):
            return True
        k += 1
    return False


def _yearly(value: ContractValue) -> Decimal | None:
    if value.per is Per.YEAR:
        return value.amount
    if value.per is Per.MONTH:
        return value.amount * 12
    return None


# --- the checks -----------------------------------------------------------------------


@dataclass(frozen=True)
class _Check:
    id: str
    status: str
    code: str  # which sentence of templates/review/<id>.j2
    values: dict[str, Any] = field(default_factory=dict)


def _attempts(case: Case) -> _Check:
    if case.attempts:
        return _Check("attempts", OK, "listed", {"n": len(case.attempts)})
    shown = [f for f in case.facts if f.kind in _SHOWS_ATTEMPTS]
    if shown:
        return _Check("attempts", WARNING, "facts", {"n": len(shown)})
    return _Check("attempts", MISSING, "none")


def _approval(case: Case) -> _Check:
    who = case.approved_by
    if not who:
        return _Check("approval", MISSING, "none")
    folded = _fold(who)
    sender = _fold(case.sender.name)
    if folded.startswith(sender):
        return _Check("approval", WARNING, "self", {"who": who})
    managers, frontline = _role_words()
    if _has_word(folded, managers):
        return _Check("approval", OK, "manager", {"who": who})
    if _has_word(folded, frontline):
        return _Check("approval", WARNING, "frontline", {"who": who})
    return _Check("approval", OK, "recorded", {"who": who})


def _contract(case: Case) -> _Check:
    clause = case.ending.contract_clause
    effective = case.ending.effective
    if not clause:
        return _Check("contract", MISSING, "no_clause")
    value, since = case.contract_value, case.customer.since
    if value is None or since is None or value.per is Per.TOTAL:
        return _Check("contract", OK, "clause", {"clause": clause})
    end = term_end(since, effective, value.per)
    if end is None:
        return _Check("contract", OK, "clause", {"clause": clause})
    values = {"clause": clause, "per": value.per.value}
    if at_term_boundary(since, effective, value.per):
        return _Check("contract", OK, "term_end", values)
    return _Check("contract", WARNING, "mid_term", {**values, "end": end})


def _transition(case: Case) -> _Check:
    pending = case.ending.pending
    if pending:
        return _Check("transition", OK, "listed", {"n": len(pending)})
    return _Check("transition", WARNING, "none")


def _goodwill(case: Case) -> _Check:
    g = case.goodwill
    if g.kind is GoodwillKind.NONE or g.amount is None or g.currency is None:
        return _Check("goodwill", WARNING, "none")
    return _Check("goodwill", OK, g.kind.value, {"amount": g.amount, "currency": g.currency})


def _channel(case: Case, settings: Settings) -> _Check:
    value, since = case.contract_value, case.customer.since
    high = long = False
    values: dict[str, Any] = {"channel": case.channel.value}
    if value is not None:
        threshold = settings.value_thresholds.get(value.currency)
        yearly = _yearly(value)
        amount = yearly if yearly is not None else value.amount
        if threshold is not None and amount >= threshold:
            high = True
            values.update(amount=amount, currency=value.currency, per=value.per.value)
            if yearly is not None:
                values["per"] = Per.YEAR.value
    if since is not None:
        years = Decimal((case.ending.effective - since).days) / Decimal("365.25")
        if years >= settings.long_relationship_years:
            long = True
            values["since"] = since
    if case.channel.value != "email":
        return _Check("channel", OK, "personal", values)
    if high and long:
        return _Check("channel", WARNING, "high_and_long", values)
    if high:
        return _Check("channel", WARNING, "high", values)
    if long:
        return _Check("channel", WARNING, "long", values)
    return _Check("channel", OK, "email")


def _tone(case: Case) -> _Check:
    serious = any(r in _FIRM_REASONS for r in case.reasons) or any(
        f.kind == "conduct" for f in case.facts
    )
    if serious and case.tone is Tone.WARM:
        return _Check("tone", WARNING, "want_firm")
    if not serious and case.tone is Tone.FIRM:
        return _Check("tone", WARNING, "want_warm")
    return _Check("tone", OK, case.tone.value)


def _alternatives(case: Case) -> _Check:
    if case.alternatives:
        return _Check("alternatives", OK, "listed", {"n": len(case.alternatives)})
    return _Check("alternatives", MISSING, "none")


def _value(case: Case) -> _Check:
    value, cost = case.contract_value, case.cost_to_serve
    if value is None:
        return _Check("value", WARNING, "no_value")
    if cost is None:
        yearly = _yearly(value)
        shown: dict[str, Any] = {"currency": value.currency, "per": Per.YEAR.value}
        shown["amount"] = value.amount if yearly is None else yearly
        if yearly is None:
            shown["per"] = Per.TOTAL.value
        return _Check("value", WARNING, "no_cost", shown)
    if cost.currency != value.currency:
        return _Check("value", WARNING, "currencies")
    revenue, spend = _yearly(value), _yearly(cost)
    per = Per.YEAR.value
    if revenue is None or spend is None:
        if value.per is not Per.TOTAL or cost.per is not Per.TOTAL:
            return _Check("value", WARNING, "periods")
        revenue, spend, per = value.amount, cost.amount, Per.TOTAL.value
    margin = revenue - spend
    values = {"amount": abs(margin), "currency": value.currency, "per": per}
    if margin < 0:
        return _Check("value", OK, "loss", values)
    if margin == 0:
        return _Check("value", OK, "even", values)
    if Reason.UNPROFITABLE in case.reasons:
        return _Check("value", WARNING, "profit_contradicts", values)
    return _Check("value", WARNING, "profit", values)


def checks(case: Case, settings: Settings | None = None) -> list[_Check]:
    settings = settings or Settings()
    return [
        _attempts(case),
        _approval(case),
        _contract(case),
        _transition(case),
        _goodwill(case),
        _channel(case, settings),
        _tone(case),
        _alternatives(case),
        _value(case),
    ]


def review_case(case: Case, settings: Settings | None = None) -> Report:
    env = environment(case.locale, "review")
    base = context(case)
    base["field"] = lambda name: mark("name", name)
    items = []
    for check in checks(case, settings):
        ctx = {**base, "status": check.status, "code": check.code, **_shown(check, base)}
        marked = normalize(env.get_template(f"review/{check.id}.j2").render(ctx))
        items.append(Item(check.id, check.status, marked))
    missing = sum(1 for i in items if i.status == MISSING)
    warnings = sum(1 for i in items if i.status == WARNING)
    who = case.customer.company
    summary_ctx = {
        **base,
        "customer": mark("company", who) if who else mark("person", case.customer.name),
        "missing": missing,
        "warnings": warnings,
    }
    template = env.get_template("review/report.j2")
    module: Any = template.make_module(summary_ctx)  # its macros: heading, summary, label
    return Report(
        locale=case.locale,
        direction=locale_info(case.locale).direction,
        heading_marked=normalize(str(module.heading())),
        summary_marked=normalize(str(module.summary())),
        labels={s: normalize(str(module.label(s))) for s in (OK, WARNING, MISSING)},
        items=tuple(items),
    )


def _shown(check: _Check, base: dict[str, Any]) -> dict[str, Any]:
    """Template values: amounts and dates formatted and marked for the locale."""
    shown: dict[str, Any] = {"n": 0, "per": "year"}
    for key, value in check.values.items():
        if key in ("amount", "currency"):
            continue
        if isinstance(value, date):
            shown[key] = base["date"](value)
        elif key in ("who", "clause"):
            shown[key] = mark("person" if key == "who" else "clause", str(value))
        else:
            shown[key] = value
    if "amount" in check.values:
        shown["amount"] = base["money"](check.values["amount"], check.values["currency"])
    return shown


# --- output -------------------------------------------------------------------------------

_SYMBOLS = {OK: "✓", WARNING: "!", MISSING: "✗"}


def render_review(report: Report, fmt: str) -> str:
    if fmt == "json":
        data = {
            "ready": report.ready,
            "items": [{"id": i.id, "status": i.status, "message": i.message} for i in report.items],
        }
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    if fmt != "text":
        raise ValueError(f"unknown format {fmt!r}; expected text or json")
    from partways.render.text import bidi_text

    rtl = report.direction == "rtl"
    lines = [bidi_text(report.heading_marked, rtl), ""]
    for item in report.items:
        label = report.labels[item.status]
        lines.append(bidi_text(f"{_SYMBOLS[item.status]} {label}: {item.marked}", rtl))
    lines += ["", bidi_text(report.summary_marked, rtl)]
    return "\n".join(lines) + "\n"
