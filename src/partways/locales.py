"""A locale is one folder under `locales/<lang>/`: this module reads it.

    locale.yaml        babel locale, text direction, digits, calendar, list style
    salutations.yaml   greetings by the customer's title, vocative rules
    tone.yaml          tone-linter rules (read by partways.lint)
    LC_MESSAGES/*.po   gettext catalogs, one per template folder (letter, script, team,
                       review): whole sentences with named placeholders

Adding a language means adding a folder; no Python changes.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from partways.resources import data_dir

if TYPE_CHECKING:
    from babel.support import Translations


@cache
def available_locales() -> tuple[str, ...]:
    root = data_dir("locales")
    return tuple(sorted(p.parent.name for p in root.glob("*/locale.yaml")))


def locale_dir(lang: str) -> Path:
    return data_dir("locales") / lang


def _read_yaml(path: Path) -> Any:
    import yaml

    with path.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


@dataclass(frozen=True)
class LocaleInfo:
    code: str
    name: str  # the language's own name, e.g. "فارسی"
    babel: str  # Babel/CLDR locale used for numbers, dates and lists, e.g. "fa_IR"
    direction: str = "ltr"  # "rtl" for Persian
    digits: str = "0123456789"  # native digits, replacing Babel's Latin ones
    calendar: str = "gregorian"  # "persian" shows the Solar Hijri date first
    calendar_months: tuple[str, ...] = ()
    date_pattern: str = "{gregorian}"  # how native and Gregorian dates combine
    script: str = "Latn"  # the writing system letters are expected in (lint, polish)
    money_style: str = "symbol"  # "symbol" (€450.00) or "name" (۴۵۰٫۰۰ یورو), as natives write
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def rtl(self) -> bool:
        return self.direction == "rtl"


@cache
def locale_info(lang: str) -> LocaleInfo:
    if lang not in available_locales():
        raise KeyError(lang)
    raw = dict(_read_yaml(locale_dir(lang) / "locale.yaml") or {})
    known = {f for f in LocaleInfo.__dataclass_fields__ if f not in ("code", "extra")}
    fields = {k: raw.pop(k) for k in list(raw) if k in known}
    if "calendar_months" in fields:
        fields["calendar_months"] = tuple(fields["calendar_months"])
    return LocaleInfo(code=lang, extra=raw, **fields)


@cache
def salutations(lang: str) -> dict[str, Any]:
    path = locale_dir(lang) / "salutations.yaml"
    return dict(_read_yaml(path) or {})


@cache
def translations(lang: str, domain: str) -> Translations:
    """One catalog, `locales/<lang>/LC_MESSAGES/<domain>.po`, read straight from the .po.

    Each template folder is its own gettext domain (letter, script, team, review): the
    same English sentence may be translated differently in a letter and in a call
    script, so catalogs are never merged. Reading .po at run time (~1 ms) means a
    catalog is never stale against a .mo. English needs no entries (msgid = text).
    """
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po
    from babel.support import Translations

    po_path = locale_dir(lang) / "LC_MESSAGES" / f"{domain}.po"
    if not po_path.is_file():
        return Translations()
    with po_path.open("rb") as fh:
        catalog = read_po(fh, locale=lang, domain=domain)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return Translations(fp=buffer, domain=domain)
