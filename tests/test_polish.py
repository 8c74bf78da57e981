"""`polish_letter` against a real local Chat Completions server (tests/llm_server.py).

Every rejected or failed reply must leave exactly the deterministic letter.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

import pytest

from llm_server import LLMServer, Step, completion, error, sections_reply, sent_sections
from partways.letter import FACT_OPEN
from partways.polish import polish_letter
from partways.render import render
from polish_helpers import (
    deterministic,
    edited,
    faithful,
    letter_for,
    other_language,
    reword,
    settings_for,
)


@pytest.fixture
def server() -> Iterator[LLMServer]:
    with LLMServer() as running:
        yield running


@pytest.fixture(autouse=True)
def _private_cache(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


def polish(server: LLMServer, *steps, send_names: bool = False, **overrides):
    server.script(*steps)
    return polish_letter(letter_for(), settings_for(server.url, **overrides), send_names=send_names)


def assert_unchanged(outcome) -> None:
    assert render(outcome.letter, "text") == deterministic()
    assert render(outcome.letter, "json") == deterministic(fmt="json")


def test_faithful_rewrite_is_accepted_with_facts_restored(server: LLMServer) -> None:
    outcome = polish(server, faithful)
    assert outcome.status == "accepted", outcome.reasons
    text = render(outcome.letter, "text")
    assert text != deterministic()
    assert "Thank you for trusting Northlight Studio with your monthly design retainer" in text
    assert "refund of €450.00 for last month" in text
    # Facts are marked again, so renderers can isolate and link them.
    goodwill = outcome.letter.sections[3]
    assert goodwill.kind == "goodwill" and FACT_OPEN in goodwill.marked
    assert '<a href="https://brightline.example" dir="ltr">' in render(outcome.letter, "html")
    # Greeting and signature are never sent and never change.
    assert outcome.letter.sections[0] == letter_for().sections[0]
    assert outcome.letter.sections[-1] == letter_for().sections[-1]
    assert len(server.requests) == 1


def test_request_is_chat_completions_with_sections_json(server: LLMServer) -> None:
    polish(server, faithful)
    request = server.requests[0]
    assert request["model"] == "test-model"
    assert [m["role"] for m in request["messages"]] == ["system", "user"]
    sent = sent_sections(request)
    assert list(sent) == [
        "appreciation", "framing", "goodwill", "apology", "alternatives",
        "transition", "door_open", "closing",
    ]  # fmt: skip
    assert "[[MONEY_" in sent["goodwill"] and "English" in request["messages"][0]["content"]
    assert server.headers[0]["authorization"].startswith("Bearer ")


PERSONAL = ("Marco", "Bellini", "marco@bellini.example", "Bellini Imports", "Dana",
            "Whitfield", "dana@northlight.example", "Northlight")  # fmt: skip


def test_no_name_email_or_company_leaves_the_machine_by_default(server: LLMServer) -> None:
    polish(server, edited(lambda s: s.pop("apology") and None))  # rejected: re-asked too
    assert len(server.requests) == 2
    raw = b"".join(server.raw_requests).decode("utf-8")
    for value in PERSONAL:
        assert value not in raw
        assert json.dumps(value)[1:-1] not in raw


def test_send_names_sends_them_and_still_checks_them(server: LLMServer) -> None:
    outcome = polish(server, faithful, send_names=True)
    assert outcome.status == "accepted", outcome.reasons
    assert "Northlight Studio" in sent_sections(server.requests[0])["appreciation"]
    assert "Thank you for trusting Northlight Studio" in outcome.letter.text

    def misspell(sections: dict[str, str]) -> None:
        sections["appreciation"] = sections["appreciation"].replace(
            "Northlight Studio", "Northlight Studios"
        )

    outcome = polish(server, edited(misspell), send_names=True)
    assert outcome.status == "rejected"
    assert any("COMPANY" in r for r in outcome.reasons)
    assert_unchanged(outcome)


def _drop_amount(s: dict[str, str]) -> None:
    s["goodwill"] = s["goodwill"].replace(" of [[MONEY_11]]", "")


def _change_amount(s: dict[str, str]) -> None:
    s["goodwill"] = s["goodwill"].replace("[[MONEY_11]]", "€540.00")


def _insult(s: dict[str, str]) -> None:
    s["apology"] += " Frankly, you are the most difficult client we have ever had."


def _drop_section(s: dict[str, str]) -> None:
    del s["apology"]


def _promise(s: dict[str, str]) -> None:
    s["goodwill"] += " We will also give you 3 months of free support."


REJECTED = {
    "dropped amount": (edited(_drop_amount), "MONEY_11]] dropped"),
    "changed amount": (edited(_change_amount), "goodwill: new number"),
    "added insult": (edited(_insult), "tone:"),
    "dropped section": (edited(_drop_section), "missing sections: apology"),
    "new promise with a new number": (edited(_promise), "goodwill: new number"),
    "wrong language": (other_language("ms"), "draft's language"),
    "non-JSON reply": (completion("Here is your improved letter: Dear Mr Bellini, ..."), "JSON"),
}


@pytest.mark.parametrize("name", list(REJECTED))
def test_rejected_reply_falls_back_to_the_exact_draft(server: LLMServer, name: str) -> None:
    respond, reason = REJECTED[name]
    outcome = polish(server, respond)
    assert outcome.status == "rejected"
    assert any(reason in r for r in outcome.reasons), outcome.reasons
    assert_unchanged(outcome)
    assert len(server.requests) == 2  # one re-ask, then fall back


def test_reask_carries_the_complaints_and_can_succeed(server: LLMServer) -> None:
    outcome = polish(server, edited(_drop_amount), faithful)
    assert outcome.status == "accepted", outcome.reasons
    second = server.requests[1]["messages"]
    assert [m["role"] for m in second] == ["system", "user", "assistant", "user"]
    assert "[[MONEY_11]] dropped" in second[-1]["content"]


def test_http_500_fails_after_bounded_retries(server: LLMServer) -> None:
    outcome = polish(server, error(500), retries=2)
    assert outcome.status == "failed"
    assert outcome.reasons == [f"{server.url} answered HTTP 500"]
    assert len(server.requests) == 3
    assert_unchanged(outcome)


def test_429_then_success(server: LLMServer) -> None:
    outcome = polish(server, error(429, "slow down"), faithful)
    assert outcome.status == "accepted", outcome.reasons
    assert len(server.requests) == 2


def test_401_fails_at_once_with_a_hint(server: LLMServer) -> None:
    outcome = polish(server, error(401, "bad key"))
    assert outcome.status == "failed" and "OPENAI_API_KEY" in outcome.reasons[0]
    assert len(server.requests) == 1


def test_reply_slower_than_the_timeout(server: LLMServer) -> None:
    slow = completion("{}")
    slow.delay = 5
    started = time.monotonic()
    outcome = polish(server, slow, timeout=0.3, retries=1)
    assert time.monotonic() - started < 4
    assert outcome.status == "failed"
    assert "within 0.3 s" in outcome.reasons[0]
    assert_unchanged(outcome)


def test_connection_refused(server: LLMServer) -> None:
    outcome = polish_letter(
        letter_for(), settings_for("http://127.0.0.1:9/v1", retries=0), send_names=False
    )
    assert outcome.status == "failed" and "cannot connect" in outcome.reasons[0]
    assert_unchanged(outcome)


@pytest.mark.parametrize(
    ("step", "reason"),
    [
        (Step(body=b"<html>gateway</html>"), "not JSON"),
        (Step(body=json.dumps({"choices": []}).encode()), "no choices"),
        (
            Step(body=json.dumps({"choices": [{"message": {"role": "assistant"}}]}).encode()),
            "no content",
        ),
    ],
)
def test_broken_answers_fail_cleanly(server: LLMServer, step: Step, reason: str) -> None:
    outcome = polish(server, step)
    assert outcome.status == "failed" and reason in outcome.reasons[0]
    assert_unchanged(outcome)


def test_truncated_reply_is_rejected(server: LLMServer) -> None:
    outcome = polish(
        server, lambda r: sections_reply(reword(sent_sections(r)), finish_reason="length")
    )
    assert outcome.status == "rejected" and "finish_reason='length'" in outcome.reasons[0]


def test_cache_second_run_makes_no_request(server: LLMServer) -> None:
    first = polish(server, faithful, cache=True)
    assert first.status == "accepted" and len(server.requests) == 1
    second = polish(server, error(500), cache=True)
    assert second.status == "accepted" and second.cached
    assert server.requests == []
    assert second.letter == first.letter
    # Another model is another cache entry.
    third = polish(server, faithful, cache=True, model="other-model")
    assert third.status == "accepted" and not third.cached and len(server.requests) == 1


def test_cache_keeps_rejections_but_not_failures(server: LLMServer) -> None:
    assert polish(server, error(500), cache=True, retries=0).status == "failed"
    assert polish(server, edited(_drop_amount), cache=True).status == "rejected"
    assert len(server.requests) == 2
    again = polish(server, faithful, cache=True)
    assert again.status == "rejected" and again.cached and server.requests == []


def test_persian_rewrite_accepted_and_persian_insult_rejected(server: LLMServer) -> None:
    from polish_helpers import CASE_FA, REWORDINGS_FA

    letter = letter_for(CASE_FA)
    settings = settings_for(server.url)

    def persian(extra: str = "", key: str = "apology"):
        def respond(request):
            sections = reword(sent_sections(request), REWORDINGS_FA)
            sections[key] += extra
            return sections_reply(sections)

        return respond

    server.script(persian())
    outcome = polish_letter(letter, settings)
    assert outcome.status == "accepted", outcome.reasons
    assert "از صمیم قلب سپاسگزاریم" in outcome.letter.text
    assert "Persian" in server.requests[0]["messages"][0]["content"]
    rtl = render(outcome.letter, "html")
    assert 'dir="rtl"' in rtl and "<bdi" in rtl  # facts isolated again after restoring

    for extra, reason in [
        (" شما مشتری بسیار بی‌ادبی هستید.", "tone:"),
        (" ما ۳ ماه پشتیبانی رایگان می‌دهیم.", "apology: new number"),
        (" We are sorry.", "apology: "),
    ]:
        server.script(persian(extra))
        outcome = polish_letter(letter, settings)
        assert outcome.status == "rejected"
        assert any(reason in r for r in outcome.reasons), outcome.reasons
        assert render(outcome.letter, "text") == deterministic(CASE_FA)


def test_off_without_settings() -> None:
    outcome = polish_letter(letter_for(), None)
    assert outcome.status == "off" and outcome.letter == letter_for()


def test_huge_http_body_is_cut_off(server: LLMServer) -> None:
    huge = completion("x" * 3_000_000)
    outcome = polish(server, huge)
    assert outcome.status == "failed" and "larger than" in outcome.reasons[0]
    assert_unchanged(outcome)
