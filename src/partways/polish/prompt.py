"""Prompt templates from `prompts/polish/<version>/` (see prompts/polish/README.md)."""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path
from string import Template

from partways.resources import data_dir

VERSION = "v1"


def _folder() -> Path:
    return data_dir("prompts") / "polish" / VERSION


@cache
def prompt_version() -> str:
    """`v1-<hash of the folder's files>`: part of the cache key."""
    digest = hashlib.sha256()
    for path in sorted(_folder().glob("*.txt")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return f"{VERSION}-{digest.hexdigest()[:12]}"


def _read(name: str) -> str:
    return (_folder() / name).read_text(encoding="utf-8")


def language_name(lang: str) -> str:
    from babel import Locale

    from partways.locales import locale_info

    name = Locale.parse(locale_info(lang).babel).get_language_name("en")
    return str(name or lang)


def system_message(lang: str) -> str:
    notes_file = _folder() / f"notes.{lang}.txt"
    notes = notes_file.read_text(encoding="utf-8") if notes_file.is_file() else ""
    text = Template(_read("system.txt")).substitute(language=language_name(lang), notes=notes)
    return text.strip()


def user_message(payload: dict[str, str]) -> str:
    return json.dumps(payload, ensure_ascii=False, indent=2)


def retry_message(problems: list[str]) -> str:
    lines = "\n".join(f"- {p}" for p in problems)
    return Template(_read("retry.txt")).substitute(problems=lines).strip()


def messages(lang: str, payload: dict[str, str]) -> list[dict[str, str]]:
    return [
        {"role": "system", "content": system_message(lang)},
        {"role": "user", "content": user_message(payload)},
    ]
