"""Shared pieces of the polish tests: the case, its deterministic letter, scripted replies."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from conftest import EXAMPLES
from llm_server import Step, sections_reply, sent_sections
from partways.draft import draft, load
from partways.letter import Letter
from partways.polish.ledger import TOKEN, build_ledger
from partways.polish.settings import PolishSettings
from partways.render import render

CASE_EN = EXAMPLES / "case-en.yaml"

# A faithful rewrite: different wording, every placeholder where it was.
REWORDINGS = {
    "Thank you for choosing": "Thank you for trusting",
    "for your [[": "with your [[",
    "We really appreciate you trying us, and the time you have given to working with our team.": (
        "We are truly grateful that you tried us, and for the time you spent working with our team."
    ),
    "I would like to be open with you about where things stand.": (
        "I would like to be honest with you about where things stand."
    ),
    "which is outside the scope of the service we offer": "which is outside the service we offer",
    "It seems we have not done a good enough job of giving you what you need.": (
        "It seems we have not done enough to give you what you need."
    ),
    "You should not have to pay": "You should not need to pay",
    "That is why I am issuing": "That is why I am arranging",
    "I wish you the very best of luck.": "I wish you the very best.",
    "we would be glad to hear from you again": "we would be happy to hear from you again",
    "I will be happy to help.": "I will gladly help.",
}


CASE_FA = EXAMPLES / "case-fa.yaml"
REWORDINGS_FA = {
    "صمیمانه سپاسگزاریم": "از صمیم قلب سپاسگزاریم",
    "بسیار قدردانی می‌کنیم": "عمیقاً قدردانی می‌کنیم",
    "صادقانه و شفاف با شما صحبت کنم": "با صداقت و شفافیت با شما سخن بگویم",
    "برای شما بهترین‌ها را آرزو می‌کنم": "بهترین‌ها را برایتان آرزومندم",
    "بسیار خوشحال می‌شویم": "بسیار شادمان می‌شویم",
    "با کمال میل پاسخگو خواهم بود": "با کمال میل در خدمتتان خواهم بود",
}


def deterministic(path: Any = CASE_EN, fmt: str = "text") -> str:
    return render(draft(load(path)), fmt)


def letter_for(path: Any = CASE_EN, locale: str | None = None) -> Letter:
    return draft(load(path, locale))


def settings_for(url: str, **overrides: Any) -> PolishSettings:
    values: dict[str, Any] = {"base_url": url, "model": "test-model", "timeout": 5.0}
    values["cache"] = False
    values.update(overrides)
    return PolishSettings(**values)


def reword(sections: dict[str, str], rewordings: dict[str, str] = REWORDINGS) -> dict[str, str]:
    out = {}
    for key, text in sections.items():
        for old, new in rewordings.items():
            text = text.replace(old, new)
        out[key] = text
    return out


def faithful(request: dict[str, Any]) -> Step:
    return sections_reply(reword(sent_sections(request)))


def edited(change: Callable[[dict[str, str]], dict[str, str] | None]) -> Callable[..., Step]:
    """A faithful rewrite, then `change` applied to it (mutating or returning a new dict)."""

    def respond(request: dict[str, Any]) -> Step:
        sections = reword(sent_sections(request))
        return sections_reply(change(sections) or sections)

    return respond


def other_language(lang: str, case: Any = CASE_EN) -> Callable[[dict[str, Any]], Step]:
    """The same case composed in `lang`, its placeholders renamed to the ones sent."""

    def respond(request: dict[str, Any]) -> Step:
        return sections_reply(translated(sent_sections(request), lang, case))

    return respond


def translated(sent: dict[str, str], lang: str, case: Any = CASE_EN) -> dict[str, str]:
    """`case` composed in `lang`, with the placeholders of `sent` (matched by kind and order)."""
    foreign = build_ledger(letter_for(case, lang)).payload
    reply = {}
    for key, text in sent.items():
        wanted: dict[str, list[str]] = {}
        for token in TOKEN.finditer(text):
            wanted.setdefault(token.group(1), []).append(token.group(0))
        queues = {kind: iter(tokens) for kind, tokens in wanted.items()}

        def rename(match: re.Match[str], queues: dict[str, Any] = queues) -> str:
            return str(next(queues[match.group(1)]))

        reply[key] = TOKEN.sub(rename, foreign[key])
    return reply
