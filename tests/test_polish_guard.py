"""The guard and the ledger on their own: adversarial replies, judged without a server."""

from __future__ import annotations

import json

import pytest

from conftest import EXAMPLES, LOCALES, ROOT
from partways.letter import PERSONAL_FACT_KINDS, unmark
from partways.polish.guard import check_reply
from partways.polish.ledger import TOKEN, build_ledger
from polish_helpers import letter_for, reword, translated

LETTER = letter_for()
LEDGER = build_ledger(LETTER)


def faithful_sections() -> dict[str, str]:
    return reword(dict(LEDGER.payload))


def judge(sections: dict[str, object] | str, **kwargs):
    content = sections if isinstance(sections, str) else json.dumps(sections, ensure_ascii=False)
    return check_reply(content, LEDGER, LETTER, **kwargs)


def test_ledger_tokens_every_fact_and_restores_the_marked_text() -> None:
    for section in LETTER.sections:
        if section.kind.value in LEDGER.payload:
            sent = LEDGER.payload[section.kind.value]
            assert "\ue000" not in sent
            assert LEDGER.restore(sent) == section.marked
    assert {f.kind for f in LEDGER.facts.values()} >= {"money", "date", "count", "url", "clause"}
    # The same fact is the same token wherever it occurs.
    assert LEDGER.payload["framing"].count("[[TEXT_2]]") == 1
    assert "[[TEXT_2]]" in LEDGER.payload["transition"]


def test_personal_values_are_tokens_unless_send_names() -> None:
    personal = [f for f in LEDGER.facts.values() if f.kind in PERSONAL_FACT_KINDS]
    assert personal
    blob = json.dumps(LEDGER.payload, ensure_ascii=False)
    assert not any(f.value in blob for f in personal)
    clear = build_ledger(LETTER, send_names=True)
    assert "Northlight Studio" in clear.payload["appreciation"]
    assert clear.tokenize(clear.payload["appreciation"]) == LEDGER.payload["appreciation"]


@pytest.mark.parametrize(
    "digit",
    ["5", "٥", "۵", "５", "𝟓", "⁵", "⑤", "Ⅴ", "½"],
    ids=[
        "latin",
        "arabic-indic",
        "persian",
        "fullwidth",
        "math-bold",
        "superscript",
        "circled",
        "roman",
        "fraction",
    ],
)
def test_any_numeral_outside_placeholders_is_rejected(digit: str) -> None:
    sections = faithful_sections()
    sections["goodwill"] += f" Expect it within {digit} days."
    verdict = judge(sections)
    assert not verdict.accepted and any("goodwill: new number" in r for r in verdict.reasons)


@pytest.mark.parametrize(
    "smuggled",
    [
        "https://refunds.example",
        "www.refunds.example",
        "refunds-portal.example",
        "refunds．example",
        "pay.xn--80ak6aa92e",
    ],
)
def test_smuggled_web_address_is_rejected(smuggled: str) -> None:
    sections = faithful_sections()
    sections["closing"] += f" Please confirm at {smuggled} today."
    verdict = judge(sections)
    assert not verdict.accepted and any("closing: a web address" in r for r in verdict.reasons)


def test_email_currency_markup_and_hidden_characters_are_rejected() -> None:
    sections = faithful_sections()
    sections["closing"] += " Write to billing＠refunds dot example."
    sections["goodwill"] = sections["goodwill"].replace("refund of", "refund of € and")
    sections["apology"] = "**" + sections["apology"] + "**"
    sections["door_open"] = sections["door_open"].replace("hear", "he\u202ear")
    reasons = judge(sections).reasons
    assert any("closing: an email address" in r for r in reasons)
    assert any("goodwill: a currency sign" in r for r in reasons)
    assert any("apology: unexpected characters *" in r for r in reasons)
    assert any("door_open: invisible or control characters (U+202E)" in r for r in reasons)


def test_fake_fact_markers_cannot_be_injected() -> None:
    sections = faithful_sections()
    sections["apology"] += " \ue000money\ue001€9\ue002"
    assert not judge(sections).accepted


def test_token_moved_between_sections() -> None:
    sections = faithful_sections()
    sections["goodwill"] = sections["goodwill"].replace("[[MONEY_11]]", "the amount")
    sections["apology"] += " The refund is [[MONEY_11]]."
    reasons = judge(sections).reasons
    assert any("goodwill: placeholder [[MONEY_11]] dropped" in r for r in reasons)
    assert any("apology: placeholder [[MONEY_11]] does not belong" in r for r in reasons)


def test_invented_duplicated_and_malformed_tokens() -> None:
    sections = faithful_sections()
    sections["closing"] += " See [[MONEY_99]]."
    sections["goodwill"] += " Again, [[MONEY_11]]."
    sections["framing"] = sections["framing"].replace("[[DATE_4]]", "[[ DATE_4 ]]")
    reasons = judge(sections).reasons
    assert any("closing: invented placeholder [[MONEY_99]]" in r for r in reasons)
    assert any("goodwill: placeholder [[MONEY_11]] repeated" in r for r in reasons)
    assert any("framing: placeholder [[DATE_4]] dropped" in r for r in reasons)


def test_new_month_or_weekday_is_a_new_date() -> None:
    sections = faithful_sections()
    sections["transition"] += " We will call you on Monday in January."
    reasons = judge(sections).reasons
    assert any("transition: new date words (January, Monday)" in r for r in reasons)


def test_structure_extra_keys_nesting_and_wrapping() -> None:
    base = faithful_sections()
    assert "unexpected keys: 'note'" in judge({**base, "note": "x"}).reasons[0]
    nested = {**base, "closing": json.dumps({"closing": base["closing"]})}
    assert any("closing: unexpected characters" in r for r in judge(nested).reasons)
    assert "expected a string" in judge({**base, "closing": {"text": "x"}}).reasons[0]
    dup = json.dumps(base)[:-1] + ', "closing": "Bye."}'
    assert "'closing' appears more than once" in judge(dup).reasons[0]
    assert judge("[" + json.dumps(base) + "]").reasons == ["the reply is not a JSON object"]
    chatter = "Sure! Here it is:\n" + json.dumps(base)
    assert judge(chatter).reasons == ["the reply is not a JSON object"]


def test_huge_reply_is_rejected_before_parsing() -> None:
    sections = faithful_sections()
    sections["closing"] += " Thank you." * 5000
    verdict = judge(sections)
    assert not verdict.accepted and "too long" in verdict.reasons[0]


def test_section_length_bounds() -> None:
    sections = faithful_sections()
    sections["apology"] = "Sorry."
    sections["closing"] = " ".join([sections["closing"]] * 3)
    reasons = judge(sections).reasons
    assert any(r.startswith("apology: length") for r in reasons)
    assert any(r.startswith("closing: length") for r in reasons)


def test_one_section_in_another_language_or_script() -> None:
    sections = faithful_sections()
    sections["closing"] = (
        "Terima kasih sekali lagi atas masa yang kita luangkan bersama. Jika ada sebarang "
        "pertanyaan, sila balas e-mel ini dan saya sedia membantu."
    )
    sections["apology"] = sections["apology"].replace("sorry", "ѕorry")  # Cyrillic ѕ
    sections["door_open"] = "Αν [[TEXT_18]], θα χαρούμε να ακούσουμε ξανά νέα σας."
    reasons = judge(sections).reasons
    assert any(r.startswith("closing: does not read as the draft's language") for r in reasons)
    assert any(r.startswith("apology: letters from another script (cyrillic)") for r in reasons)
    assert any(r.startswith("door_open: letters from another script (greek)") for r in reasons)


def test_finish_reason_must_be_stop() -> None:
    verdict = judge(faithful_sections(), finish_reason="content_filter")
    assert "finish_reason='content_filter'" in verdict.reasons[0]


def test_restored_text_keeps_every_fact_value() -> None:
    sections = faithful_sections()
    for key, text in sections.items():
        restored = unmark(LEDGER.restore(text))
        for token in LEDGER.tokens_in(LEDGER.payload[key]):
            assert LEDGER.facts[token].value in restored


def test_code_fence_or_reasoning_block_around_the_object_is_tolerated() -> None:
    from polish_helpers import CASE_FA, REWORDINGS_FA

    letter = letter_for(CASE_FA)
    ledger = build_ledger(letter)
    body = json.dumps(reword(dict(ledger.payload), REWORDINGS_FA), ensure_ascii=False)
    for content in (body, f"```json\n{body}\n```", f"<think>fine</think>\n{body}"):
        verdict = check_reply(content, ledger, letter)
        assert verdict.accepted, verdict.reasons
    for content in (f"```json\n{body}\n```\nHope this helps!", f"{body}\n{body}"):
        assert check_reply(content, ledger, letter).reasons == ["the reply is not a JSON object"]


def test_number_words_count_as_new_numbers() -> None:
    sections = faithful_sections()
    sections["goodwill"] += " We will also add three months of free support."
    reasons = judge(sections).reasons
    assert any("goodwill: new number words (three)" in r for r in reasons)


ALL_CASES = sorted(EXAMPLES.glob("case-*.yaml")) + sorted((ROOT / "tests" / "cases").glob("*.yaml"))


@pytest.mark.parametrize("send_names", [False, True])
@pytest.mark.parametrize("case", ALL_CASES, ids=lambda p: p.stem)
def test_the_draft_itself_passes_its_own_guard(case, send_names: bool) -> None:
    """No false rejection of the draft's own wording, in every locale and case."""
    letter = letter_for(case)
    ledger = build_ledger(letter, send_names=send_names)
    verdict = check_reply(json.dumps(ledger.payload, ensure_ascii=False), ledger, letter)
    assert verdict.accepted, verdict.reasons
    assert letter.replacing(verdict.texts or {}) == letter


@pytest.mark.parametrize("target", LOCALES)
@pytest.mark.parametrize("source", LOCALES)
def test_the_letter_in_another_language_is_rejected(source: str, target: str) -> None:
    case = EXAMPLES / f"case-{source}.yaml"
    letter = letter_for(case)
    ledger = build_ledger(letter)
    reply = translated(dict(ledger.payload), target, case)
    verdict = check_reply(json.dumps(reply, ensure_ascii=False), ledger, letter)
    if source == target:
        assert verdict.accepted, verdict.reasons
    else:
        assert not verdict.accepted
        assert all(
            any(r.startswith(f"{key}: ") for r in verdict.reasons)
            for key, text in ledger.payload.items()
            if len(TOKEN.sub("", text).split()) >= 4  # every section of real prose
        ), verdict.reasons


@pytest.mark.parametrize(
    "promise",
    [
        "We will also give you a free month of support.",
        "On top of that, we are waiving the cancellation fee.",
        "You will also receive a goodwill voucher.",
        "Everything is, of course, free of charge.",
    ],
)
def test_a_new_commitment_without_numbers_is_rejected(promise: str) -> None:
    sections = faithful_sections()
    sections["closing"] += " " + promise
    reasons = judge(sections).reasons
    assert any(r.startswith("closing: a commitment the draft does not make") for r in reasons)


def test_commitments_the_draft_makes_may_be_reworded() -> None:
    sections = faithful_sections()
    assert "refund" in sections["goodwill"]
    sections["closing"] += " Please feel free to reply to this email."
    assert judge(sections).accepted
    sections["goodwill"] = sections["goodwill"].replace("refund", "reimbursement", 1)
    assert "goodwill: a commitment the draft does not make (reimburs)" in judge(sections).reasons


@pytest.mark.parametrize(
    ("lang", "promise"),
    [
        ("fa", "همچنین یک ماه پشتیبانی رایگان به شما هدیه می‌دهیم."),
        ("ms", "Kami juga akan memberikan sokongan percuma kepada anda."),
        ("el", "Επίσης, θα σας προσφέρουμε δωρεάν υποστήριξη."),
    ],
)
def test_new_commitments_in_every_locale(lang: str, promise: str) -> None:
    letter = letter_for(EXAMPLES / f"case-{lang}.yaml")
    ledger = build_ledger(letter)
    sections = dict(ledger.payload)
    sections["closing"] += " " + promise
    verdict = check_reply(json.dumps(sections, ensure_ascii=False), ledger, letter)
    assert any(
        r.startswith("closing: a commitment the draft does not make") for r in verdict.reasons
    )
