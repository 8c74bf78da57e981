"""Case → Letter: each section is a small Jinja template rendered in the case's locale."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import date
from decimal import Decimal
from functools import cache
from typing import Any, TypeVar

from jinja2 import Environment, FileSystemLoader, StrictUndefined, Template
from jinja2.runtime import Context

from partways.case import Case, Title
from partways.formatting import Formatter, formatter
from partways.letter import FACT_CLOSE, LETTER_ORDER, Letter, Party, Section, SectionKind, mark
from partways.locales import locale_info, salutations, translations
from partways.resources import data_dir

# Templates may spread a sentence over several lines; whitespace collapses to one
# space, and `{{ nl }}` (U+2028) asks for a real line break.
LINE_BREAK = "\u2028"
_SPACES = re.compile(r"[ \t\r\n\f\v]+")
_STOP_THEN_STOP = f".{FACT_CLOSE}."
_STOP_THEN_CLOSE = f".{FACT_CLOSE}"


def normalize(rendered: str) -> str:
    """Collapse template whitespace; `{{ nl }}` becomes a line break. A value that ends
    with a full stop ("Bellini Ltd.") and closes a sentence ends it: no "..".
    """
    # Only ASCII whitespace collapses: Babel's no-break spaces inside amounts must stay.
    lines = (_SPACES.sub(" ", part).strip(" ") for part in rendered.split(LINE_BREAK))
    text = "\n".join(line for line in lines if line)
    return text.replace(_STOP_THEN_STOP, _STOP_THEN_CLOSE) if _STOP_THEN_STOP in text else text


_DISSATISFACTION = frozenset(
    {"out_of_scope_request", "repeated_dissatisfaction", "unmet_expectation"}
)


class _HelperContext(Context):
    """Jinja's Context.call inspects every callable for pass_context & co. on every call,
    about a quarter of compose time. Our template helpers (marked `plain`) never take a
    context, so they are called directly; anything else goes the usual way."""

    def call(__self, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        if getattr(__obj, "_partways_plain", False):
            kwargs.pop("_block_vars", None)  # Jinja's own call drops these too
            kwargs.pop("_loop_vars", None)
            return __obj(*args, **kwargs)
        return super().call(__obj, *args, **kwargs)


F = TypeVar("F", bound=Callable[..., Any])


def plain(func: F) -> F:
    """Mark a template helper as context-free (see _HelperContext)."""
    func._partways_plain = True  # type: ignore[attr-defined]
    return func


@cache
def environment(lang: str, domain: str = "letter") -> Environment:
    """The Jinja environment for one locale and one gettext domain (template folder)."""
    env = Environment(
        loader=FileSystemLoader(str(data_dir("templates"))),
        undefined=StrictUndefined,  # a missing fact is an error, never a blank
        extensions=["jinja2.ext.i18n", "jinja2.ext.do"],
        autoescape=False,  # plain text; the HTML renderer escapes on its own
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,  # templates don't change under a running process
    )
    env.context_class = _HelperContext
    catalog = translations(lang, domain)
    env.install_gettext_translations(catalog, newstyle=True)  # type: ignore[attr-defined]
    # Same semantics as Jinja's newstyle gettext (always `% variables`), as plain functions:
    # Jinja's own versions go through two context calls each, a third of compose time.
    env.globals.update(_plain_gettext(catalog))
    return env


def _plain_gettext(catalog: Any) -> dict[str, Any]:
    def gettext(message: str, **variables: Any) -> str:
        return str(catalog.ugettext(message)) % variables

    def ngettext(singular: str, plural: str, num: int, **variables: Any) -> str:
        variables.setdefault("num", num)
        return str(catalog.ungettext(singular, plural, num)) % variables

    def pgettext(context: str, message: str, **variables: Any) -> str:
        return str(catalog.upgettext(context, message)) % variables

    def npgettext(context: str, singular: str, plural: str, num: int, **variables: Any) -> str:
        variables.setdefault("num", num)
        return str(catalog.unpgettext(context, singular, plural, num)) % variables

    return {
        "_": plain(gettext),
        "gettext": plain(gettext),
        "ngettext": plain(ngettext),
        "pgettext": plain(pgettext),
        "npgettext": plain(npgettext),
    }


class _Values:
    """Template helpers: format a value for the locale and mark it as a fact."""

    def __init__(self, fmt: Formatter) -> None:
        self.fmt = fmt

    @plain
    def money(self, amount: Decimal, currency: str) -> str:
        return mark("money", self.fmt.money(amount, currency))

    @plain
    def date(self, day: date) -> str:
        return mark("date", self.fmt.date(day))

    @plain
    def number(self, value: int) -> str:
        return mark("count", self.fmt.number(value))

    @plain
    def items(self, values: list[str], style: str = "standard") -> str:
        return self.fmt.items(list(values), style)


def _surname(case: Case) -> str:
    return case.customer.surname or case.customer.name.split()[-1]


def _vocative(surname: str, rules: list[list[str]]) -> str:
    for ending, replacement in rules:
        if surname.endswith(ending):
            return surname[: len(surname) - len(ending)] + replacement
    return surname


def vocative(case: Case) -> str:
    """The surname as used to address the customer: the case's `customer.vocative`, or
    the locale's suffix rules for the title applied to the surname (Greek -ος → -ε)."""
    if case.customer.vocative is not None:
        return case.customer.vocative
    rules = salutations(case.locale).get("vocative", {}).get(case.customer.title.value, [])
    return _vocative(_surname(case), rules)


def salutation(case: Case) -> str:
    data = salutations(case.locale)
    title = case.customer.title.value
    surname = _surname(case)
    name = case.customer.name
    given = name.split()[0] if len(name.split()) > 1 else name
    pattern = str(data["greeting"][title if title in data["greeting"] else Title.NONE.value])
    return pattern.format(
        name=mark("person", name),
        surname=mark("person", surname),
        given=mark("person", given),
        vocative=mark("person", vocative(case)),
    )


plain(mark)  # `fact(kind, value)` in templates


@plain
def _text(value: str) -> str:
    return mark("text", value)


@plain
def _texts(values: list[str]) -> list[str]:
    return [mark("text", v) for v in values]


def context(case: Case) -> dict[str, Any]:
    values = _Values(formatter(case.locale))
    return {
        "case": case,
        "tone": case.tone.value,
        "channel": case.channel.value,
        "facts": case.facts,
        # Facts about the customer's satisfaction: only then does the letter take some of
        # the blame ("It seems we have not done a good enough job…", DIGEST 001 §2).
        "dissatisfied": any(f.kind in _DISSATISFACTION for f in case.facts),
        "nl": LINE_BREAK,
        "fact": mark,
        "text": _text,
        "texts": _texts,
        "money": values.money,
        "date": values.date,
        "number": values.number,
        "items": values.items,
        "salutation": salutation(case),
        "sender_company": mark("company", case.sender.company),
        "service": mark("text", case.service),
    }


@cache
def _templates(lang: str) -> tuple[tuple[SectionKind, Template], ...]:
    env = environment(lang)
    return tuple((kind, env.get_template(f"letter/{kind.value}.j2")) for kind in LETTER_ORDER)


def render_all(templates: Iterable[Template], variables: dict[str, Any]) -> list[str]:
    """Render several templates with one shared variable mapping (globals merged once,
    not copied per template), each normalised."""
    templates = list(templates)
    if not templates:
        return []
    shared = {**templates[0].environment.globals, **variables}
    return [
        normalize("".join(t.root_render_func(t.new_context(shared, shared=True))))
        for t in templates
    ]


# (case, templates, variables, render_all) → each template's text: lets a batch reuse
# sections whose inputs repeat (batch/sections.py) without changing what is composed.
SectionRenderer = Callable[
    [Case, list[Template], dict[str, Any], Callable[[list[Template], dict[str, Any]], list[str]]],
    list[str],
]


def compose(case: Case, render: SectionRenderer | None = None) -> Letter:
    """Compose the exit letter for `case`; raises jinja2 errors only on a template bug."""
    templates = _templates(case.locale)
    chosen = [t for _, t in templates] + [
        environment(case.locale).get_template("letter/subject.j2")
    ]
    variables = context(case)
    rendered = (
        render(case, chosen, variables, render_all) if render else render_all(chosen, variables)
    )
    subject = rendered.pop()
    sections = [
        Section(kind, text) for (kind, _), text in zip(templates, rendered, strict=True) if text
    ]
    customer, sender = case.customer, case.sender
    return Letter(
        locale=case.locale,
        direction=locale_info(case.locale).direction,
        channel=case.channel.value,
        tone=case.tone.value,
        subject_marked=subject,
        sender=Party(sender.name, sender.email, sender.company),
        recipient=Party(customer.name, customer.email, customer.company),
        sections=tuple(sections),
    )
