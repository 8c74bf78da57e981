"""The text of an HTML document as paragraphs, with the source position of every piece."""

from __future__ import annotations

from html.parser import HTMLParser

from partways.lint.engine import Paragraph, Piece

MAX_PARAGRAPH = 64 * 1024

_SKIP_TAGS = frozenset({"script", "style", "template", "noscript", "head", "svg", "math"})
_BLOCK_TAGS = frozenset(
    {
        "address", "article", "aside", "blockquote", "body", "br", "caption", "dd", "div",
        "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3",
        "h4", "h5", "h6", "header", "hr", "html", "li", "main", "nav", "ol", "p", "pre",
        "section", "table", "tbody", "td", "tfoot", "th", "thead", "title", "tr", "ul",
    }
)  # fmt: skip


class HtmlText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.ready: list[Paragraph] = []
        self._text: list[str] = []
        self._length = 0
        self._pieces: list[Piece] = []
        self._skip = 0

    def flush(self) -> None:
        text = "".join(self._text)
        if text.strip():
            self.ready.append(Paragraph(text, self._pieces))
        self._text, self._length, self._pieces = [], 0, []

    def _add(self, text: str, width: int = 0) -> None:
        if self._skip:
            return
        line, column = self.getpos()
        self._pieces.append(Piece(self._length, line, column + 1, width))
        self._text.append(text)
        self._length += len(text)
        if self._length >= MAX_PARAGRAPH:
            self.flush()

    def handle_starttag(self, tag: str, attrs: object) -> None:
        if tag in _SKIP_TAGS:
            self._skip += 1
        elif tag in _BLOCK_TAGS:
            self.flush()

    def handle_startendtag(self, tag: str, attrs: object) -> None:
        if tag in _BLOCK_TAGS:
            self.flush()

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS:
            self._skip = max(0, self._skip - 1)
        elif tag in _BLOCK_TAGS:
            self.flush()

    def handle_data(self, data: str) -> None:
        self._add(data)

    def handle_entityref(self, name: str) -> None:
        import html

        self._add(html.unescape(f"&{name};"), len(name) + 2)

    def handle_charref(self, name: str) -> None:
        import html

        self._add(html.unescape(f"&#{name};"), len(name) + 3)
