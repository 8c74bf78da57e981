"""An RFC 5322 draft: UTF-8, multipart/alternative (plain + HTML), `X-Unsent: 1` so
mail clients open it as a draft to review rather than a received message."""

from __future__ import annotations

import hashlib
import os
import time
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import formatdate

from partways.letter import Letter, Party
from partways.render.html import render_html
from partways.render.text import render_text


def _address(party: Party) -> Address:
    assert party.email is not None  # checked by `missing_addresses` before rendering
    user, _, domain = party.email.rpartition("@")
    return Address(display_name=party.name, username=user, domain=domain)


def missing_addresses(letter: Letter) -> list[tuple[str, str]]:
    """(field, message) for each address an .eml needs but the case lacks."""
    missing = []
    if not letter.sender.email:
        missing.append(("sender.email", "required for --format eml (the From address)"))
    if not letter.recipient.email:
        missing.append(("customer.email", "required for --format eml (the To address)"))
    return missing


def _timestamp() -> float:
    # SOURCE_DATE_EPOCH makes output reproducible (goldens, builds).
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    return float(epoch) if epoch.isdigit() else time.time()


def render_eml(letter: Letter) -> str:
    message = EmailMessage(policy=SMTP)
    message["From"] = _address(letter.sender)
    message["To"] = _address(letter.recipient)
    message["Subject"] = letter.subject
    message["Date"] = formatdate(_timestamp(), localtime=False)
    message["X-Unsent"] = "1"
    text, html = render_text(letter), render_html(letter)
    message.set_content(text, charset="utf-8", cte="quoted-printable")
    message.add_alternative(html, subtype="html", charset="utf-8", cte="quoted-printable")
    # A boundary derived from the content keeps output reproducible (random by default).
    digest = hashlib.sha256((text + html).encode("utf-8")).hexdigest()[:32]
    message.set_boundary(f"=_partways_{digest}")
    message["Content-Language"] = letter.locale  # after set_content, which resets Content-*
    return message.as_string()
