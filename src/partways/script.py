"""Case → CallScript: what the manager holds during the phone call (DIGEST 000 §4, 003 §3).

Built from the same case file and the same template context as the letter, so dates,
amounts and names are formatted (and marked as facts) exactly as the letter prints them.
Each part is a small template in templates/script/ (gettext domain "script") whose
top-level `{% set %}` variables (say, listen, notes, …) are read back here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from partways.case import Case, Reason
from partways.compose import context, environment, normalize, vocative
from partways.letter import SectionKind, mark, unmark
from partways.locales import locale_info, salutations

# The letter's section names for the parts they share; "opening" exists only on the phone.
STEP_ORDER = (
    "opening",
    SectionKind.APPRECIATION.value,
    SectionKind.FRAMING.value,
    SectionKind.GOODWILL.value,
    SectionKind.APOLOGY.value,
    SectionKind.ALTERNATIVES.value,
    SectionKind.TRANSITION.value,
    SectionKind.CLOSING.value,
)

# Facts that show a reason even when `reasons` does not name it.
_REASON_OF_FACT = {
    "out_of_scope_request": Reason.OUT_OF_SCOPE,
    "repeated_dissatisfaction": Reason.NEVER_SATISFIED,
    "late_payments": Reason.LATE_PAYMENT,
    "missed_meetings": Reason.POOR_COMMUNICATION,
    "conduct": Reason.ABUSIVE_CONDUCT,
}


@dataclass(frozen=True)
class Step:
    kind: str
    say: tuple[str, ...]  # marked lines
    listen: bool  # pause after these lines and let the customer lead
    notes: str  # marked; guidance for the caller, never read out


@dataclass(frozen=True)
class Objection:
    id: str
    when: str  # marked: "The customer asks for another chance."
    say: tuple[str, ...]


@dataclass(frozen=True)
class Avoid:
    reason: str  # a Reason value, or "general"
    text: str  # the personal attack not to say
    instead: str  # the fact-framed line to say instead


@dataclass(frozen=True)
class KeyFact:
    key: str
    label: str
    values: tuple[str, ...]  # marked


@dataclass(frozen=True)
class CallScript:
    locale: str
    direction: str
    tone: str
    title: str  # marked
    intro: str  # marked
    labels: Mapping[str, str]
    steps: tuple[Step, ...]
    objections: tuple[Objection, ...]
    avoid: tuple[Avoid, ...]
    facts: tuple[KeyFact, ...]
    checklist: tuple[str, ...]  # marked
    follow_up: tuple[str, ...]  # marked

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape: plain text, no markers."""
        return {
            "locale": self.locale,
            "tone": self.tone,
            "title": unmark(self.title),
            "steps": [
                {
                    "kind": s.kind,
                    "say": [unmark(line) for line in s.say],
                    "listen": s.listen,
                    "notes": unmark(s.notes),
                }
                for s in self.steps
            ],
            "objections": [
                {"id": o.id, "if": unmark(o.when), "say": [unmark(line) for line in o.say]}
                for o in self.objections
            ],
            "avoid": [
                {"reason": a.reason, "text": a.text, "instead": a.instead} for a in self.avoid
            ],
            "facts": {
                f.key: [unmark(v) for v in f.values]
                if f.key in _LIST_FACTS
                else unmark(f.values[0])
                for f in self.facts
            },
            "checklist": [unmark(line) for line in self.checklist],
            "follow_up": [unmark(line) for line in self.follow_up],
        }

    def spoken_lines(self) -> list[str]:
        """Every line meant to be said aloud (steps and prepared answers), unmarked."""
        lines = [unmark(line) for step in self.steps for line in step.say]
        lines += [unmark(line) for o in self.objections for line in o.say]
        return lines


_LIST_FACTS = frozenset({"pending", "alternatives", "attempts"})


def relevant_reasons(case: Case) -> list[str]:
    """The case's reasons plus those its facts show, in the Reason enum's order."""
    found = set(case.reasons) | {
        _REASON_OF_FACT[f.kind] for f in case.facts if f.kind in _REASON_OF_FACT
    }
    return [reason.value for reason in Reason if reason in found]


def _address_name(case: Case) -> str:
    """The name as the locale's greeting uses it: the full name where the greeting does
    (Malay, Persian), the surname in its form of address (Greek vocative), or "" where
    the greeting names no one (Greek, gender unknown: «Χαίρετε»)."""
    data = salutations(case.locale)
    title = case.customer.title.value
    pattern = str(data.get("greeting", {}).get(title, "{surname}"))
    if "{name}" in pattern or "{given}" in pattern:
        return case.customer.name
    if "{surname}" not in pattern and "{vocative}" not in pattern:
        return ""
    return vocative(case)


def _line(rendered: str) -> str:
    """One whitespace-collapsed line (normalize also keeps "Sdn. Bhd." to one full stop)."""
    return normalize(rendered)


def _module(case: Case, name: str, ctx: dict[str, Any]) -> Any:
    return environment(case.locale, "script").get_template(f"script/{name}.j2").make_module(ctx)


def build(case: Case, case_path: str = "CASE") -> CallScript:
    """The call script for `case`; `case_path` is echoed in the follow-up commands."""
    ctx = context(case)
    ctx["vocative"] = mark("person", _address_name(case))
    # Spoken address by title: "Mr Bellini", "κύριε Παπαδόπουλε", "Puan Kavitha a/p Raman".
    address = _line(_module(case, "address", ctx).address)
    ctx.update(
        address=address,
        caller=mark("person", case.sender.name),
        reasons=relevant_reasons(case),
        case_path=case_path,
    )
    steps = []
    for kind in STEP_ORDER:
        module = _module(case, kind, ctx)
        say = tuple(_line(line) for line in module.say if _line(line))
        if say:
            steps.append(Step(kind, say, bool(module.listen), _line(module.notes)))
    objections = tuple(
        Objection(o["id"], _line(o["if"]), tuple(_line(line) for line in o["say"]))
        for o in _module(case, "objections", ctx).objections
    )
    avoid = tuple(
        Avoid(a["reason"], _line(a["text"]), _line(a["instead"]))
        for a in _module(case, "avoid", ctx).avoid
    )
    facts = tuple(
        KeyFact(f["key"], _line(f["label"]), tuple(_line(v) for v in f["values"]))
        for f in _module(case, "facts", ctx).card
    )
    checklist = _module(case, "checklist", ctx)
    labels = _module(case, "labels", ctx)
    return CallScript(
        locale=case.locale,
        direction=locale_info(case.locale).direction,
        tone=case.tone.value,
        title=_line(labels.title),
        intro=_line(labels.intro),
        labels={key: _line(value) for key, value in labels.labels.items()},
        steps=tuple(steps),
        objections=objections,
        avoid=avoid,
        facts=facts,
        checklist=tuple(_line(line) for line in checklist.checklist),
        follow_up=tuple(_line(line) for line in checklist.follow_up),
    )
