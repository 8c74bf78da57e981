"""Reading drafts as paragraphs of prose, streamed, with their source positions.

- .txt and anything else named explicitly: plain text; a blank line ends a paragraph.
- .md/.markdown: as plain text, without fenced code blocks.
- .html/.htm: the text only (no markup, scripts or styles); positions are those of the
  text in the file, entities included (&amp; is one character spanning five columns).
- .eml: the decoded text parts (quoted-printable, base64, any charset). Positions refer
  to the decoded body, parts in order, one blank line between them; the Subject is
  reported as `<file>#subject`, line 1.

Files are read line by line and a paragraph is capped at 64 KB, so memory stays flat
however large the input is (.eml is the exception: a message is parsed whole).

Inline suppression, in any of these formats (in an HTML comment or as plain text):
    partways-disable-line [rule-id …]        this line
    partways-disable-next-line [rule-id …]   the following line
    partways-disable-file [rule-id …]        the whole file
Without rule ids, every rule is suppressed there.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, NamedTuple

from partways.lint.engine import Paragraph, Piece

if TYPE_CHECKING:
    from email.message import MIMEPart

MAX_PARAGRAPH = 64 * 1024
TEXT_SUFFIXES = (".txt", ".text")
MARKDOWN_SUFFIXES = (".md", ".markdown")
HTML_SUFFIXES = (".html", ".htm")
EML_SUFFIXES = (".eml",)
KNOWN_SUFFIXES = TEXT_SUFFIXES + MARKDOWN_SUFFIXES + HTML_SUFFIXES + EML_SUFFIXES

# Our own fixed patterns (never user input): the stdlib engine is fine.
_MARKER = re.compile(r"partways-disable-(line|next-line|file)\b([^\n]*)")
_RULE_ID = re.compile(r"[a-z]{2,3}\.[a-z0-9][a-z0-9.*-]*")
_FENCE = re.compile(r"^[ \t]{0,3}(```|~~~)")


class Suppressions:
    """Line → rule ids suppressed there (None: all rules). Line 0 is the whole file."""

    def __init__(self) -> None:
        self.lines: dict[int, frozenset[str] | None] = {}

    def scan(self, line_no: int, line: str) -> None:
        if "partways-disable-" not in line:
            return
        for match in _MARKER.finditer(line):
            rest = match.group(2).split("-->", 1)[0]
            ids = frozenset(_RULE_ID.findall(rest)) or None
            kind = match.group(1)
            target = {"line": line_no, "next-line": line_no + 1, "file": 0}[kind]
            self._add(target, ids)

    def _add(self, line: int, ids: frozenset[str] | None) -> None:
        if line in self.lines:
            current = self.lines[line]
            ids = None if current is None or ids is None else current | ids
        self.lines[line] = ids

    def suppressed(self, line: int, rule: str) -> bool:
        for key in (0, line):
            if key in self.lines:
                ids = self.lines[key]
                if ids is None or rule in ids:
                    return True
                from fnmatch import fnmatchcase

                if any(fnmatchcase(rule, i) for i in ids if "*" in i):
                    return True
        return False


def text_paragraphs(
    lines: Iterable[str],
    suppressions: Suppressions | None = None,
    markdown: bool = False,
    first_line: int = 1,
) -> Iterator[Paragraph]:
    """Paragraphs of plain text (or markdown) given its lines (with their line ends)."""
    buffer: list[str] = []
    size = 0
    start = first_line
    in_fence = False
    line_no = first_line - 1
    # The body runs for every line of every draft: the cheap tests come first.
    marker = "partways-disable-"
    for line_no, line in enumerate(lines, first_line):
        if marker in line and suppressions is not None:
            suppressions.scan(line_no, line)
        if markdown and _FENCE.match(line):
            in_fence = not in_fence
            line = ""  # the fence line itself is not prose
        if in_fence or not line or line.isspace():  # a blank line
            if buffer:
                yield Paragraph("".join(buffer), line=start)
                buffer, size = [], 0
            continue
        if not buffer:
            start = line_no
        buffer.append(line)
        size += len(line)
        if size >= MAX_PARAGRAPH:
            yield Paragraph("".join(buffer), line=start)
            buffer, size = [], 0
    if buffer:
        yield Paragraph("".join(buffer), line=start)


def html_paragraphs(
    lines: Iterable[str], suppressions: Suppressions | None = None
) -> Iterator[Paragraph]:
    from partways.lint.htmltext import HtmlText

    parser = HtmlText()
    for line_no, line in enumerate(lines, 1):
        if suppressions is not None:
            suppressions.scan(line_no, line)
        parser.feed(line)
        if parser.ready:
            yield from parser.ready
            parser.ready = []
    parser.close()
    parser.flush()
    yield from parser.ready


class Document(NamedTuple):
    """One linted unit: a path as reported, its paragraphs and its suppressions."""

    path: str
    paragraphs: Iterator[Paragraph]
    suppressions: Suppressions


def kind_of(path: str) -> str:
    suffix = Path(path).suffix.lower()
    if suffix in MARKDOWN_SUFFIXES:
        return "md"
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix in EML_SUFFIXES:
        return "eml"
    return "txt"


def documents_from_stream(path: str, stream: IO[str], kind: str) -> Iterator[Document]:
    """Documents from an open text stream (a file or stdin)."""
    suppressions = Suppressions()
    if kind == "html":
        yield Document(path, html_paragraphs(stream, suppressions), suppressions)
    else:
        yield Document(
            path, text_paragraphs(stream, suppressions, markdown=kind == "md"), suppressions
        )


def eml_documents(path: str, data: IO[bytes]) -> Iterator[Document]:
    """The Subject and the decoded text parts of a message."""
    import email
    import email.policy
    from email.message import MIMEPart

    message = email.message_from_binary_file(data, policy=email.policy.default)
    if not isinstance(message, MIMEPart):  # pragma: no cover - policy.default gives these
        return
    subject = str(message.get("Subject", "") or "")
    if subject.strip():
        sup = Suppressions()
        yield Document(f"{path}#subject", text_paragraphs([subject], sup), sup)
    bodies: list[tuple[str, str]] = []
    for part in _text_parts(message):
        try:
            content = part.get_content()
        except (LookupError, UnicodeError):
            payload = part.get_payload(decode=True)
            content = payload.decode("utf-8", "replace") if isinstance(payload, bytes) else ""
        if isinstance(content, str) and content.strip():
            bodies.append((part.get_content_subtype(), content))
    sup = Suppressions()

    def paragraphs() -> Iterator[Paragraph]:
        first = 1
        for subtype, content in bodies:
            lines = content.splitlines(keepends=True)
            if subtype == "html":
                for offset, line in enumerate(lines):
                    sup.scan(first + offset, line)
                for paragraph in html_paragraphs(lines, None):
                    # html_paragraphs numbers lines from 1: shift to the decoded body.
                    paragraph.pieces = [
                        Piece(p.offset, p.line + first - 1, p.column, p.width)
                        for p in paragraph.pieces
                    ]
                    yield paragraph
            else:
                yield from text_paragraphs(lines, sup, first_line=first)
            first += len(lines) + 1

    yield Document(path, paragraphs(), sup)


def _text_parts(message: MIMEPart) -> Iterator[MIMEPart]:
    if message.is_multipart():
        if message.get_content_subtype() == "alternative":
            parts = list(message.iter_parts())
            plain: list[MIMEPart] = [p for p in parts if p.get_content_type() == "text/plain"]
            chosen = plain or [p for p in parts if p.get_content_type() == "text/html"]
            for part in chosen[:1]:
                yield from _text_parts(part)
            return
        for part in message.iter_parts():
            yield from _text_parts(part)
        return
    if message.get_content_disposition() == "attachment":
        return
    if message.get_content_type() in ("text/plain", "text/html"):
        yield message
