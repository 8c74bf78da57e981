"""Every locale translates every message the templates use, with CLDR plural headers.

(`pybabel update --check` can't be used: it always reports "out of date" once a
message has a context. So the templates are extracted here and compared directly.)
"""

from __future__ import annotations

import pytest
from babel import Locale
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from babel.plural import to_gettext

from conftest import ROOT
from partways.locales import available_locales

TEMPLATES = ROOT / "templates"
METHOD_MAP = [("**.j2", "jinja2")]
OPTIONS = {"**.j2": {"extensions": "jinja2.ext.i18n,jinja2.ext.do"}}


def _domain_ids(domain: str) -> set[str]:
    folder = TEMPLATES / domain
    ids: set[str] = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(folder), METHOD_MAP, OPTIONS
    ):
        ids.add(message[0] if isinstance(message, tuple) else message)
    return ids


def _domains() -> list[str]:
    return sorted(p.name for p in TEMPLATES.iterdir() if p.is_dir() and any(p.glob("*.j2")))


def _catalog(lang: str, domain: str):
    path = ROOT / "locales" / lang / "LC_MESSAGES" / f"{domain}.po"
    with path.open("rb") as fh:
        return read_po(fh, locale=lang)


def test_all_four_locales_exist() -> None:
    assert {"en", "fa", "ms", "el"} <= set(available_locales())


@pytest.mark.parametrize("lang", [lang for lang in available_locales() if lang != "en"])
@pytest.mark.parametrize("domain", _domains())
def test_catalog_translates_every_message(lang: str, domain: str) -> None:
    catalog = _catalog(lang, domain)
    wanted = _domain_ids(domain)
    missing = sorted(m for m in wanted if not _translated(catalog, m))
    assert not missing, f"{lang}/{domain}.po lacks translations for: {missing}"
    stale = sorted(
        str(m.id)
        for m in catalog
        if m.id and (m.id[0] if isinstance(m.id, tuple) else m.id) not in wanted
    )
    assert not stale, f"{lang}/{domain}.po has messages no template uses: {stale}"


def _translated(catalog, msgid: str) -> bool:
    message = catalog.get(msgid)
    if message is None or message.fuzzy:
        return False
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return all(s.strip() for s in strings)


@pytest.mark.parametrize("lang", available_locales())
def test_plural_header_is_cldr(lang: str) -> None:
    expected = to_gettext(Locale.parse(lang).plural_form)
    for po in (ROOT / "locales" / lang / "LC_MESSAGES").glob("*.po"):
        text = po.read_text(encoding="utf-8")
        assert f"Plural-Forms: {expected}" in text.replace("\\n", ""), f"{po}: plural header"


@pytest.mark.parametrize("lang", [lang for lang in available_locales() if lang != "en"])
@pytest.mark.parametrize("domain", _domains())
def test_placeholders_survive_translation(lang: str, domain: str) -> None:
    import re

    names = re.compile(r"%\((\w+)\)s")
    for message in _catalog(lang, domain):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = set(names.findall(ids[-1])) | set(names.findall(ids[0]))
        for string in strings:
            got = set(names.findall(string))
            # a singular form may leave out the count; everything else must be kept
            assert got <= wanted and (wanted - got) <= {"count", "num"}, (lang, ids[0], string)
