"""Markdown: the text body with Markdown's special characters escaped, links made
clickable, and hard line breaks in the signature."""

from __future__ import annotations

import re

from partways.letter import MarkedDocument, segments
from partways.render.text import FSI, PDI, RLM

_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~])")


def escape(text: str) -> str:
    escaped = _SPECIAL.sub(r"\\\1", text)
    # A line starting with "1." or "-" would become a list item.
    return re.sub(r"^(\s*)(\d+)\.(\s)", r"\1\2\\.\3", escaped, flags=re.M)


def inline(marked: str, rtl: bool) -> str:
    """Marked text as inline Markdown: escaped; URLs and e-mail addresses as links, codes
    as code; in right-to-left text every value isolated (FSI … PDI)."""
    parts = []
    for text, fact in segments(marked):
        if fact is not None and fact.kind in ("url", "email"):
            piece = f"<{text}>"
        elif fact is not None and fact.kind == "code":
            piece = f"`{text}`"
        else:
            piece = escape(text)
        parts.append(f"{FSI}{piece}{PDI}" if rtl and fact is not None else piece)
    return "".join(parts)


def _paragraph(marked: str, rtl: bool) -> str:
    lines = inline(marked, rtl).split("\n")
    if rtl:
        lines = [f"{RLM}{line}" for line in lines]
    return "  \n".join(lines)  # two trailing spaces: a hard line break


def render_markdown(letter: MarkedDocument) -> str:
    rtl = letter.direction == "rtl"
    subject = _paragraph(letter.subject_marked, rtl)
    body = "\n\n".join(_paragraph(s.marked, rtl) for s in letter.sections)
    return f"**{subject}**\n\n{body}\n"
