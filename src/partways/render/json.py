"""JSON: {"locale", "channel", "subject", "to", "sections": [{"kind", "text"}], "text"}."""

from __future__ import annotations

import json
from typing import Any

from partways.letter import Letter


def letter_dict(letter: Letter) -> dict[str, Any]:
    return {
        "locale": letter.locale,
        "channel": letter.channel,
        "tone": letter.tone,
        "subject": letter.subject,
        "to": letter.recipient.email,
        "sections": [{"kind": s.kind.value, "text": s.text} for s in letter.sections],
        "text": letter.text,
    }


def render_json(letter: Letter, extra: dict[str, Any] | None = None) -> str:
    data = letter_dict(letter)
    if extra:
        data.update(extra)
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
