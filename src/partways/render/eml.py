"""An RFC 5322 draft: UTF-8, multipart/alternative (plain + HTML), `X-Unsent: 1` so
mail clients open it as a draft to review rather than a received message.

The MIME structure is written directly (quoted-printable via binascii) rather than
through `email.message.EmailMessage`, which is ~20× slower; tests parse the result
back with the standard library.
"""

from __future__ import annotations

import binascii
import hashlib
import os
import time
from email.header import Header
from email.utils import formataddr, formatdate

from partways.letter import Letter, Party
from partways.render.html import render_html
from partways.render.text import render_text

CRLF = "\r\n"


def missing_addresses(letter: Letter) -> list[tuple[str, str]]:
    """(field, message) for each address an .eml needs but the case lacks."""
    missing = []
    if not letter.sender.email:
        missing.append(("sender.email", "required for --format eml (the From address)"))
    if not letter.recipient.email:
        missing.append(("customer.email", "required for --format eml (the To address)"))
    return missing


def _header_text(value: str) -> str:
    """RFC 2047-encode non-ASCII header text; keep ASCII readable."""
    value = " ".join(value.split())  # no line breaks may reach a header
    if value.isascii():
        return value
    return Header(value, "utf-8", maxlinelen=76).encode(linesep=CRLF)


def _address(party: Party) -> str:
    assert party.email is not None  # checked by `missing_addresses` before rendering
    return address(party.name, party.email)


def address(name: str | None, email: str) -> str:
    """A header value "Name <user@host>", the name RFC 2047-encoded when not ASCII."""
    display = " ".join((name or "").split())
    return formataddr((display, email), charset="utf-8")


def _quoted_printable(text: str) -> str:
    data = text.replace("\r\n", "\n").encode("utf-8")
    encoded = binascii.b2a_qp(data, istext=True).decode("ascii")
    return encoded.replace("\n", CRLF)


def _timestamp() -> float:
    # SOURCE_DATE_EPOCH makes output reproducible (goldens, builds).
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    return float(epoch) if epoch.isdigit() else time.time()


def render_eml(letter: Letter) -> str:
    return build_eml(
        sender=_address(letter.sender),
        to=_address(letter.recipient),
        subject=letter.subject,
        locale=letter.locale,
        text=render_text(letter),
        html=render_html(letter),
    )


def build_eml(*, sender: str, to: str, subject: str, locale: str, text: str, html: str) -> str:
    """A draft message: `sender` and `to` are ready header values (see `address`)."""
    # A boundary derived from the content keeps output reproducible; it cannot occur in
    # quoted-printable bodies because it contains "=_", which QP always escapes.
    digest = hashlib.sha256((text + html).encode("utf-8")).hexdigest()[:32]
    boundary = f"=_partways_{digest}"
    headers = [
        f"From: {sender}",
        f"To: {to}",
        f"Subject: {_header_text(subject)}",
        f"Date: {formatdate(_timestamp(), localtime=False)}",
        f"Content-Language: {locale}",
        "X-Unsent: 1",
        "MIME-Version: 1.0",
        f'Content-Type: multipart/alternative; boundary="{boundary}"',
    ]
    parts = []
    for subtype, body in (("plain", text), ("html", html)):
        parts.append(
            f"--{boundary}{CRLF}"
            f'Content-Type: text/{subtype}; charset="utf-8"{CRLF}'
            f"Content-Transfer-Encoding: quoted-printable{CRLF}{CRLF}"
            f"{_quoted_printable(body)}{CRLF}"
        )
    return CRLF.join(headers) + CRLF + CRLF + "".join(parts) + f"--{boundary}--{CRLF}"
