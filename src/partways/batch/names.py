"""Safe, unique, stable file names from customer names.

Unicode letters are kept rather than transliterated: Persian has no single
accepted romanisation (short vowels are not written) and Greek has several, while
every current file system stores UTF-8 names; the manager recognises
"علی-رضایی.txt" more readily than "ly-rzyy.txt". Names are NFC (macOS would
otherwise store a different byte sequence), lower-case, with every run of
non-letters/digits turned into one hyphen — so no "/", "..", leading dot or
control character survives. Names are assigned in input order whether or not a
row succeeds, so a re-run gives every row the same name and skips what exists.
"""

from __future__ import annotations

import unicodedata

MAX_NAME_BYTES = 120  # well under the usual 255-byte limit, leaving room for suffixes
_WINDOWS_RESERVED = frozenset(
    {"con", "prn", "aux", "nul"}
    | {f"com{n}" for n in range(1, 10)}
    | {f"lpt{n}" for n in range(1, 10)}
)


def slugify(name: str) -> str:
    """ "Ali & Sons Ltd." → "ali-sons-ltd"; "" when nothing usable is left."""
    text = unicodedata.normalize("NFC", name).lower()
    out: list[str] = []
    for char in text:
        category = unicodedata.category(char)
        if category[0] in "LN" or (category in ("Mn", "Mc") and out and out[-1] != "-"):
            out.append(char)
        elif out and out[-1] != "-":
            out.append("-")
    slug = "".join(out).strip("-")
    encoded = slug.encode("utf-8")
    if len(encoded) > MAX_NAME_BYTES:
        slug = encoded[:MAX_NAME_BYTES].decode("utf-8", "ignore")
        # Do not end on a combining mark cut off from the letter after it.
        slug = slug.rstrip("-")
    if slug in _WINDOWS_RESERVED:
        slug = f"{slug}-customer"
    return slug


class UniqueNames:
    """Hands out each name once per run: "anna", "anna-2", "anna-3" …"""

    def __init__(self) -> None:
        self._used: set[str] = set()

    def claim(self, wanted: str, fallback: str) -> str:
        base = slugify(wanted) or slugify(fallback) or "letter"
        name, counter = base, 1
        while name in self._used:
            counter += 1
            name = f"{base}-{counter}"
        self._used.add(name)
        return name
