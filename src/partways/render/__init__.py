"""Renderers: thin views over one Letter. `render(letter, fmt)` returns the output text."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from partways.letter import Letter

FORMATS = ("text", "md", "html", "eml", "json")


def render(letter: Letter, fmt: str = "text") -> str:
    return renderer(fmt)(letter)


def renderer(fmt: str) -> Callable[[Letter], str]:
    if fmt == "text":
        from partways.render.text import render_text

        return render_text
    if fmt == "md":
        from partways.render.markdown import render_markdown

        return render_markdown
    if fmt == "html":
        from partways.render.html import render_html

        return render_html
    if fmt == "eml":
        from partways.render.eml import render_eml

        return render_eml
    if fmt == "json":
        from partways.render.json import render_json

        return render_json
    raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
