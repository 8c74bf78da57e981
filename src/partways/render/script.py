"""Renderers for the call script: md, text, html, json.

Like the letter's renderers, right-to-left scripts get an RLM at the start of every
line and every inserted value isolated (FSI…PDI in text, <bdi> in HTML), so amounts,
dates and Latin names keep their shape inside Persian.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator

from markupsafe import Markup, escape

from partways.letter import mark, segments, unmark
from partways.locales import locale_info
from partways.render.html import environment
from partways.render.html import markup as letter_markup
from partways.render.markdown import inline
from partways.render.text import RLM, bidi_text
from partways.script import CallScript

SCRIPT_FORMATS = ("md", "text", "html", "json")
LISTEN_MARK = "⏸"
NO_MARK = "✗"
YES_MARK = "✓"


def render_script(script: CallScript, fmt: str = "md") -> str:
    renderers: dict[str, Callable[[CallScript], str]] = {
        "md": render_script_md,
        "text": render_script_text,
        "html": render_script_html,
        "json": render_script_json,
    }
    if fmt not in renderers:
        raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(SCRIPT_FORMATS)}")
    return renderers[fmt](script)


def _numbers(script: CallScript) -> list[str]:
    """Step numbers in the locale's own digits (۱، ۲ … in Persian)."""
    digits = locale_info(script.locale).digits
    table = str.maketrans("0123456789", digits)
    return [str(n).translate(table) for n in range(1, len(script.steps) + 1)]


# --- Markdown -------------------------------------------------------------------------


def _md(marked: str, rtl: bool) -> str:
    """Inline Markdown with a leading RLM in right-to-left scripts."""
    return (RLM if rtl else "") + inline(marked, rtl)


def _md_blocks(script: CallScript) -> Iterator[str]:
    rtl = script.direction == "rtl"
    labels = {k: _md(v, rtl) for k, v in script.labels.items()}

    def md(marked: str) -> str:
        return _md(marked, rtl)

    yield f"# {md(script.title)}"
    yield f"*{md(script.intro)}*"
    for number, step in zip(_numbers(script), script.steps, strict=True):
        yield f"## {number}. {labels[step.kind]}"
        yield "\n".join(f"- {md(line)}" for line in step.say)
        if step.listen:
            yield f"{LISTEN_MARK} **{labels['listen']}**"
        if step.notes:
            yield f"*{labels['notes']}: {md(step.notes)}*"
    yield f"## {labels['objections']}"
    for objection in script.objections:
        yield f"**{md(objection.when)}**"
        yield "\n".join(f"- {md(line)}" for line in objection.say)
    yield f"## {labels['avoid']}"
    yield "\n".join(
        f"- {NO_MARK} {md(a.text)}  \n  {YES_MARK} {labels['instead']}: {md(a.instead)}"
        for a in script.avoid
    )
    yield f"## {labels['facts']}"
    lines = []
    for fact in script.facts:
        if len(fact.values) == 1 and fact.key not in ("pending", "alternatives", "attempts"):
            lines.append(f"- **{md(fact.label)}:** {md(fact.values[0])}")
        else:
            lines.append(f"- **{md(fact.label)}:**")
            lines.extend(f"  - {md(value)}" for value in fact.values)
    yield "\n".join(lines)
    yield f"## {labels['checklist']}"
    yield "\n".join(f"- [ ] {md(line)}" for line in script.checklist)
    yield f"## {labels['follow_up']}"
    yield "\n".join(f"- [ ] {md(line)}" for line in script.follow_up)


def render_script_md(script: CallScript) -> str:
    return "\n\n".join(_md_blocks(script)) + "\n"


# --- Plain text -----------------------------------------------------------------------


def _text_blocks(script: CallScript) -> Iterator[str]:
    rtl = script.direction == "rtl"
    lead = RLM if rtl else ""

    def tx(marked: str) -> str:
        # bidi_text puts its RLM at the very start; ours goes before any bullet instead.
        return bidi_text(marked, rtl).lstrip(RLM)

    def heading(text: str, rule: str) -> str:
        return f"{lead}{text}\n{lead}{rule * max(len(unmark(text)), 3)}"

    labels = {k: tx(v) for k, v in script.labels.items()}
    yield heading(tx(script.title), "=")
    yield f"{lead}{tx(script.intro)}"
    for number, step in zip(_numbers(script), script.steps, strict=True):
        lines = [heading(f"{number}. {labels[step.kind]}", "-")]
        lines += [f"{lead}  • {tx(line)}" for line in step.say]
        if step.listen:
            lines.append(f"{lead}  {LISTEN_MARK} {labels['listen']}")
        if step.notes:
            lines.append(f"{lead}  {labels['notes']}: {tx(step.notes)}")
        yield "\n".join(lines)
    lines = [heading(labels["objections"], "-")]
    for objection in script.objections:
        lines.append(f"{lead}{tx(objection.when)}")
        lines += [f"{lead}  • {tx(line)}" for line in objection.say]
    yield "\n".join(lines)
    lines = [heading(labels["avoid"], "-")]
    for a in script.avoid:
        lines.append(f"{lead}  {NO_MARK} {tx(a.text)}")
        lines.append(f"{lead}    {YES_MARK} {labels['instead']}: {tx(a.instead)}")
    yield "\n".join(lines)
    lines = [heading(labels["facts"], "-")]
    for fact in script.facts:
        lines.append(f"{lead}  {tx(fact.label)}: {'; '.join(tx(v) for v in fact.values)}")
    yield "\n".join(lines)
    for key, items in (("checklist", script.checklist), ("follow_up", script.follow_up)):
        yield "\n".join([heading(labels[key], "-"), *(f"{lead}  [ ] {tx(i)}" for i in items)])


def render_script_text(script: CallScript) -> str:
    return "\n\n".join(_text_blocks(script)) + "\n"


# --- HTML and JSON --------------------------------------------------------------------


def markup(marked: str) -> Markup:
    """The letter's HTML markup (values in <bdi>, links), plus commands in <code>."""
    parts = []
    for text, fact in segments(marked):
        if fact is not None and fact.kind == "code":
            parts.append(Markup('<code dir="ltr">{}</code>').format(text))
        else:
            parts.append(letter_markup(mark(fact.kind, text)) if fact else escape(text))
    return Markup("").join(parts)


def render_script_html(script: CallScript) -> str:
    template = environment().get_template("script/page.html.j2")
    labels = {k: markup(v) for k, v in script.labels.items()}
    return template.render(
        lang=locale_info(script.locale).code,
        direction=script.direction,
        title_text=unmark(script.title),
        title=markup(script.title),
        intro=markup(script.intro),
        labels=labels,
        steps=[
            {
                "number": number,
                "kind": s.kind,
                "label": labels[s.kind],
                "say": [markup(line) for line in s.say],
                "listen": s.listen,
                "notes": markup(s.notes),
            }
            for number, s in zip(_numbers(script), script.steps, strict=True)
        ],
        objections=[
            {"when": markup(o.when), "say": [markup(line) for line in o.say]}
            for o in script.objections
        ],
        avoid=[{"text": a.text, "instead": markup(a.instead)} for a in script.avoid],
        facts=[{"label": f.label, "entries": [markup(v) for v in f.values]} for f in script.facts],
        checklist=[markup(line) for line in script.checklist],
        follow_up=[markup(line) for line in script.follow_up],
    )


def render_script_json(script: CallScript) -> str:
    return json.dumps(script.to_dict(), ensure_ascii=False, indent=2) + "\n"
