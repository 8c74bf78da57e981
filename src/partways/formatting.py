"""Money, numbers, dates and lists in the locale's own format (Babel + locale.yaml)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from functools import cache, lru_cache

from babel import Locale
from babel.dates import format_date
from babel.lists import format_list
from babel.numbers import format_currency, format_decimal, get_currency_name, list_currencies

from partways.jalali import to_jalali
from partways.locales import LocaleInfo, locale_info

_LATIN_DIGITS = "0123456789"


@cache
def _digit_table(digits: str) -> dict[int, int]:
    return str.maketrans(_LATIN_DIGITS, digits)


@cache
def _known_currencies() -> frozenset[str]:
    return frozenset(list_currencies())


@cache
def formatter(lang: str) -> Formatter:
    """The shared Formatter of a locale (its caches then serve every letter)."""
    return Formatter(locale_info(lang))


def is_known_currency(code: str) -> bool:
    return code in _known_currencies()


class Formatter:
    """Formats values for one locale. Cheap to build; all Babel calls go through here."""

    def __init__(self, info: LocaleInfo) -> None:
        self.info = info
        self._digits = _digit_table(info.digits) if info.digits != _LATIN_DIGITS else None
        # Parsing the locale name on every Babel call costs more than the formatting.
        self._locale = Locale.parse(info.babel)

    def digits(self, text: str) -> str:
        """Babel gives Latin digits even for Persian: translate them ourselves."""
        return text.translate(self._digits) if self._digits else text

    def number(self, value: int | Decimal) -> str:
        # "default" picks the locale's own separators (Persian ٬ and ٫), digits stay Latin.
        text = format_decimal(value, locale=self._locale, numbering_system="default")
        return self.digits(text)

    @lru_cache(maxsize=1024)  # noqa: B019
    def money(self, amount: Decimal, currency: str) -> str:
        by_name = self.info.money_style == "name"
        text = format_currency(
            amount,
            currency,
            locale=self._locale,
            numbering_system="default",
            format_type="name" if by_name else "standard",
        )
        # locale.yaml `currency_names` replaces CLDR's formal names with everyday ones
        # (Persian: «ریال», not «ریال ایران»).
        everyday = self.info.extra.get("currency_names", {}).get(currency)
        if by_name and everyday:
            formal = get_currency_name(currency, count=amount, locale=self._locale)
            text = text.replace(formal, everyday)
        return self.digits(text)

    @lru_cache(maxsize=1024)  # noqa: B019 - formatters live as long as the process anyway
    def gregorian(self, day: date) -> str:
        return self.digits(format_date(day, "long", locale=self._locale))

    @lru_cache(maxsize=1024)  # noqa: B019
    def date(self, day: date) -> str:
        gregorian = self.gregorian(day)
        if self.info.calendar == "persian" and self.info.calendar_months:
            year, month, dom = to_jalali(day)
            native = self.digits(f"{dom} {self.info.calendar_months[month - 1]} {year}")
            return self.info.date_pattern.format(native=native, gregorian=gregorian)
        return gregorian

    def items(self, values: list[str], style: str = "standard") -> str:
        """'A, B and C' (style 'standard') or 'A, B or C' (style 'or') for the locale.

        locale.yaml `lists: {standard: {middle: "، ", end: " و "}}` overrides CLDR where
        its pattern is not what natives write."""
        custom = self.info.extra.get("lists", {}).get(style)
        if not custom or len(values) < 2:
            return format_list(values, style=style, locale=self._locale)  # type: ignore[arg-type]
        head = str(custom["middle"]).join(values[:-1])
        return f"{head}{custom['end']}{values[-1]}"
