"""A self-contained HTML email body (Jinja2 with autoescape).

Every inserted value sits in an isolate (<bdi>) so numbers and Latin names keep
their shape inside right-to-left Persian; URLs and emails become links.
"""

from __future__ import annotations

from functools import cache

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from partways.letter import Letter, segments
from partways.locales import locale_info
from partways.resources import data_dir


@cache
def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(str(data_dir("templates"))),
        undefined=StrictUndefined,
        autoescape=select_autoescape(["html", "html.j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def markup(marked: str) -> Markup:
    parts: list[str] = []
    for text, fact in segments(marked):
        if fact is None:
            parts.append(str(escape(text)))
        elif fact.kind == "url":
            parts.append(f'<a href="{escape(text)}" dir="ltr">{escape(text)}</a>')
        elif fact.kind == "email":
            parts.append(f'<a href="mailto:{escape(text)}" dir="ltr">{escape(text)}</a>')
        else:
            parts.append(f"<bdi>{escape(text)}</bdi>")
    return Markup("".join(parts).replace("\n", "<br>\n"))


def render_html(letter: Letter) -> str:
    info = locale_info(letter.locale)
    template = _environment().get_template("email.html.j2")
    return template.render(
        lang=info.code,
        direction=letter.direction,
        subject=letter.subject,
        sections=[(s.kind.value, markup(s.marked)) for s in letter.sections],
    )
