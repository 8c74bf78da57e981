"""Property tests: any valid case, in any locale and tone, renders in every format with
the five core parts in order and no template residue."""

from __future__ import annotations

import email
import json
from email.policy import default as default_policy
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from partways.case import FACT_KINDS, ConductChannel, Reason
from partways.compose import compose
from partways.letter import CORE_ORDER, FACT_CLOSE, FACT_OPEN, SectionKind
from partways.loader import validate_case
from partways.render import FORMATS, render

# Letters of all four scripts, digits and harmless punctuation. Template syntax
# characters are left out here and tested separately (they must come out verbatim).
ALPHABET = st.sampled_from(
    list("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,-'&")
    + list("αβγδεζηθικλμνξοπρστυφχψωάέήίόύώΑΒΓΔΕ")
    + list("ابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهی‌")
)
words = st.text(ALPHABET, min_size=1, max_size=40).filter(lambda s: s.strip() != "")
dates = st.dates().map(lambda d: d.isoformat())
amounts = st.decimals(min_value="0.01", max_value="99999999", places=2, allow_nan=False)


def fact(kind: str) -> st.SearchStrategy[dict[str, Any]]:
    fields: dict[str, st.SearchStrategy[Any]] = {
        "out_of_scope_request": st.fixed_dictionaries({"item": words}, optional={"date": dates}),
        "repeated_dissatisfaction": st.fixed_dictionaries(
            {"count": st.integers(2, 500), "item": words}
        ),
        "late_payments": st.fixed_dictionaries({"count": st.integers(1, 500)}),
        "missed_meetings": st.fixed_dictionaries({"count": st.integers(1, 500)}),
        "conduct": st.fixed_dictionaries(
            {"date": dates},
            optional={"channel": st.sampled_from([c.value for c in ConductChannel])},
        ),
        "unmet_expectation": st.fixed_dictionaries({"item": words}),
        "note": st.fixed_dictionaries({"text": words}),
    }
    return fields[kind].map(lambda d: {"kind": kind, **d})


goodwill = st.one_of(
    st.just({"kind": "none"}),
    st.fixed_dictionaries(
        {
            "kind": st.sampled_from(["refund", "waive_invoice", "credit"]),
            "amount": amounts.map(str),
            "currency": st.sampled_from(["EUR", "USD", "IRR", "MYR", "GBP", "JPY"]),
        },
        optional={"period": words},
    ),
)

cases = st.fixed_dictionaries(
    {
        "locale": st.sampled_from(["en", "fa", "ms", "el"]),
        "sender": st.fixed_dictionaries(
            {"name": words, "company": words},
            optional={"role": words, "email": st.just("a.b@example.org"), "phone": words},
        ),
        "customer": st.fixed_dictionaries(
            {"name": words},
            optional={
                "title": st.sampled_from(["mr", "ms", "none"]),
                "company": words,
                "email": st.just("c@example.net"),
                "since": dates,
            },
        ),
        "service": words,
        "facts": st.lists(st.sampled_from(FACT_KINDS).flatmap(fact), min_size=1, max_size=6),
        "ending": st.fixed_dictionaries(
            {"effective": dates},
            optional={"contract_clause": words, "pending": st.lists(words, max_size=4)},
        ),
    },
    optional={
        "channel": st.sampled_from(["email", "phone", "meeting"]),
        "tone": st.sampled_from(["warm", "firm"]),
        "reasons": st.lists(st.sampled_from([r.value for r in Reason]), max_size=4),
        "goodwill": goodwill,
        "alternatives": st.lists(
            st.fixed_dictionaries(
                {"name": words}, optional={"url": st.just("https://alt.example/x?a=1&b=2")}
            ),
            max_size=4,
        ),
        "door_open": words,
    },
)

RESIDUE = ("{{", "}}", "{%", "%}", "%(", ")s", "None", "Undefined", FACT_OPEN, FACT_CLOSE)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases)
def test_any_valid_case_renders_five_parts_in_order(data: dict[str, Any]) -> None:
    case = validate_case(data, "generated")
    letter = compose(case)
    kinds = [s.kind for s in letter.sections]
    has_goodwill = case.goodwill.kind.value != "none"
    expected_core = [k for k in CORE_ORDER if has_goodwill or k is not SectionKind.GOODWILL]
    assert [k for k in kinds if k in CORE_ORDER] == expected_core
    assert kinds[0] is SectionKind.GREETING and kinds[-1] is SectionKind.SIGNATURE
    assert kinds == sorted(kinds, key=list(SectionKind).index)
    assert (SectionKind.DOOR_OPEN in kinds) == bool(case.door_open)
    for section in letter.sections:
        assert section.text.strip(), section.kind
        for residue in RESIDUE:
            assert residue not in section.text or _in_user_values(residue, data), (
                residue,
                section.text,
            )
    for fmt in FORMATS:
        if fmt == "eml" and not (case.sender.email and case.customer.email):
            continue
        out = render(letter, fmt)
        assert FACT_OPEN not in out and FACT_CLOSE not in out
        if fmt == "json":
            parsed = json.loads(out)
            assert [s["kind"] for s in parsed["sections"]] == [k.value for k in kinds]
        if fmt == "eml":
            message = email.message_from_string(out, policy=default_policy)
            body = message.get_body(("plain",))
            assert body is not None
            assert body.get_content().replace("\u200f", "").strip()


def _in_user_values(fragment: str, data: Any) -> bool:
    return fragment in json.dumps(data, ensure_ascii=False)
