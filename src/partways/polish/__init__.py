"""Optional LLM polish: a rewrite is used only if the guard proves it kept every fact.

    outcome = polish_letter(letter, resolve_settings(), send_names=False)
    outcome.letter   # the accepted rewrite, or the original letter unchanged
    outcome.status   # "off" | "accepted" | "rejected" | "failed"

One request, one re-ask with the guard's complaints, then the original letter. Nothing
here raises for endpoint or model trouble; `openai` is imported only when a request is
actually made.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from partways.letter import Letter
from partways.polish.settings import PolishSettings, require_endpoint, resolve_settings

STATUSES = ("off", "accepted", "rejected", "failed")


@dataclass(frozen=True)
class PolishOutcome:
    letter: Letter
    status: str  # one of STATUSES
    model: str | None = None
    reasons: list[str] = field(default_factory=list)
    cached: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {"status": self.status, "model": self.model, "reasons": list(self.reasons)}

    def summary(self) -> str:
        """One line for stderr when the polished text was not used."""
        if self.status == "failed":
            what = "polish failed"
        elif self.status == "rejected":
            what = "polish rejected"
        else:
            return f"partways: polish {self.status}"
        first = self.reasons[0] if self.reasons else "no reason given"
        more = f" (+{len(self.reasons) - 1} more)" if len(self.reasons) > 1 else ""
        return f"partways: {what}: {first}{more}; the unpolished letter was used"


def polish_letter(
    letter: Letter, settings: PolishSettings | None, *, send_names: bool = False
) -> PolishOutcome:
    """Polish `letter`; `settings=None` means off. Raises InputError if nothing is configured."""
    if settings is None:
        return PolishOutcome(letter, "off")
    require_endpoint(settings)
    try:
        return _polish(letter, settings, send_names)
    except Exception as exc:  # a bug must never cost the user their letter
        reason = f"internal error ({type(exc).__name__}: {exc})"[:300]
        return PolishOutcome(letter, "failed", settings.model, [reason])


def _polish(letter: Letter, settings: PolishSettings, send_names: bool) -> PolishOutcome:
    from partways.polish import cache
    from partways.polish.client import PolishFailure, complete
    from partways.polish.guard import check_reply
    from partways.polish.ledger import build_ledger
    from partways.polish.prompt import messages, prompt_version, retry_message

    ledger = build_ledger(letter, send_names=send_names)
    conversation = messages(letter.locale, ledger.payload)
    key = cache.cache_key(
        payload=ledger.payload,
        locale=letter.locale,
        model=settings.model,
        endpoint=settings.endpoint,
        prompt=prompt_version(),
        temperature=settings.temperature,
    )
    if settings.cache and (entry := cache.load(key)) is not None:
        verdict = check_reply(str(entry.get("content", "")), ledger, letter)
        if entry.get("status") == "accepted" and verdict.accepted and verdict.texts:
            return PolishOutcome(
                letter.replacing(verdict.texts), "accepted", settings.model, [], True
            )
        if entry.get("status") == "rejected":
            stored = [str(r) for r in entry.get("reasons", [])]
            return PolishOutcome(letter, "rejected", settings.model, stored, True)

    reasons: list[str] = []
    for attempt in (1, 2):
        try:
            reply = complete(settings, conversation)
        except PolishFailure as exc:
            return PolishOutcome(letter, "failed", settings.model, [*reasons, str(exc)])
        verdict = check_reply(reply.content, ledger, letter, finish_reason=reply.finish_reason)
        if verdict.accepted and verdict.texts is not None:
            if settings.cache:
                cache.store(key, {"status": "accepted", "content": reply.content})
            return PolishOutcome(letter.replacing(verdict.texts), "accepted", settings.model)
        reasons += [f"attempt {attempt}: {r}" for r in verdict.reasons]
        conversation = [
            *conversation,
            {"role": "assistant", "content": reply.content[:20_000]},
            {"role": "user", "content": retry_message(verdict.reasons[:20])},
        ]
    if settings.cache:
        cache.store(key, {"status": "rejected", "reasons": reasons})
    return PolishOutcome(letter, "rejected", settings.model, reasons)


__all__ = ["STATUSES", "PolishOutcome", "PolishSettings", "polish_letter", "resolve_settings"]
