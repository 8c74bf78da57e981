"""Plain text. Right-to-left letters get an RLM at the start of every line and each
inserted value wrapped in FSI…PDI, so "€450.00" or "Ali & Sons Ltd." keep their shape."""

from __future__ import annotations

import re
from functools import lru_cache

from partways.letter import FACT_CLOSE, FACT_OPEN, FACT_SEP, MarkedDocument, unmark

RLM = "\u200f"
FSI = "\u2068"
PDI = "\u2069"
_FACT_HEAD = re.compile(f"{FACT_OPEN}[a-z_]*{FACT_SEP}")


@lru_cache(maxsize=4096)  # in a batch most sections are the same string letter after letter
def bidi_text(marked: str, rtl: bool) -> str:
    if not rtl:
        return unmark(marked)
    # Each fact's opening mark becomes FSI and its closing mark PDI (one pass each).
    body = _FACT_HEAD.sub(FSI, marked).replace(FACT_CLOSE, PDI)
    return "\n".join(f"{RLM}{line}" if line else line for line in body.split("\n"))


def render_text(letter: MarkedDocument) -> str:
    rtl = letter.direction == "rtl"
    return "\n\n".join(bidi_text(s.marked, rtl) for s in letter.sections) + "\n"
