"""The internal announcement to all staff after the decision (DIGEST 004, "afterwards").

Same case file, same templates machinery as the letter: each section is a small
template in templates/team/, rendered in the case's locale with values marked as
facts, so right-to-left output isolates names, dates and amounts like the letter.
"""

from __future__ import annotations

from dataclasses import dataclass

from partways.case import Case
from partways.compose import context, environment, normalize
from partways.errors import InputError
from partways.letter import mark, unmark
from partways.locales import locale_info

SECTIONS = (
    "greeting",
    "decision",
    "reasons",
    "facts",
    "pending",
    "support",
    "request",
    "signature",
)
FORMATS = ("md", "text", "eml")


@dataclass(frozen=True)
class NoteSection:
    kind: str
    marked: str

    @property
    def text(self) -> str:
        return unmark(self.marked)


@dataclass(frozen=True)
class TeamNote:
    locale: str
    direction: str
    subject_marked: str
    sender_name: str
    sender_email: str | None
    sections: tuple[NoteSection, ...]

    @property
    def subject(self) -> str:
        return unmark(self.subject_marked)

    @property
    def text(self) -> str:
        """The body without right-to-left marks (what the tone linter reads)."""
        return "\n\n".join(s.text for s in self.sections) + "\n"


def compose_team_note(case: Case) -> TeamNote:
    env = environment(case.locale, "team")
    ctx = context(case)
    # The company is who the staff know; a private customer is named instead.
    who = case.customer.company
    ctx["customer"] = mark("company", who) if who else mark("person", case.customer.name)
    sections = []
    for kind in SECTIONS:
        rendered = normalize(env.get_template(f"team/{kind}.j2").render(ctx))
        if rendered:
            sections.append(NoteSection(kind, rendered))
    return TeamNote(
        locale=case.locale,
        direction=locale_info(case.locale).direction,
        subject_marked=normalize(env.get_template("team/subject.j2").render(ctx)),
        sender_name=case.sender.name,
        sender_email=case.sender.email,
        sections=tuple(sections),
    )


def render_team_note(note: TeamNote, fmt: str, to: str | None = None) -> str:
    if fmt == "text":
        from partways.render.text import render_text

        return render_text(note)
    if fmt == "md":
        from partways.render.markdown import render_markdown

        return render_markdown(note)
    if fmt == "eml":
        return _eml(note, to)
    raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")


def _split(address: str, source: str) -> tuple[str, str]:
    user, at, domain = address.rpartition("@")
    if not at or not user or "." not in domain or any(c in address for c in ' <>",;'):
        raise InputError.single(source, "", f"expected an email address (got {address!r})")
    return user, domain


def check_eml(note: TeamNote, source: str, to: str | None) -> None:
    """Raise InputError, before anything is written, if an .eml cannot be made."""
    if not note.sender_email:
        raise InputError.single(
            source, "sender.email", "required for --format eml (the From address)"
        )
    if to is not None:
        _split(to, "--to")


def _eml(note: TeamNote, to: str | None) -> str:
    from partways.render.eml import address, build_eml
    from partways.render.html import render_html
    from partways.render.text import render_text

    if not note.sender_email:
        raise ValueError("the From address (sender.email) is required for eml")
    _split(note.sender_email, "sender.email")
    if to:
        _split(to, "--to")
    return build_eml(
        sender=address(note.sender_name, note.sender_email),
        # RFC 5322's empty group: the manager picks the all-staff list in the mail client.
        to=to or "undisclosed-recipients:;",
        subject=note.subject,
        locale=note.locale,
        text=render_text(note),
        html=render_html(note),
    )
