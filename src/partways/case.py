"""The case file: the documented facts of a relationship that must end."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from partways.locales import available_locales

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]

_EMAIL = re.compile(r"^[^@\s<>\"',;]+@[^@\s<>\"',;]+\.[^@\s<>\"',;]+$")
_URL = re.compile(r"^https?://[^\s<>\"]+$")


class Title(StrEnum):
    MR = "mr"
    MS = "ms"
    NONE = "none"


class Channel(StrEnum):
    EMAIL = "email"
    PHONE = "phone"
    MEETING = "meeting"


class Tone(StrEnum):
    WARM = "warm"
    FIRM = "firm"


class Reason(StrEnum):
    NEVER_SATISFIED = "never_satisfied"
    ABUSIVE_CONDUCT = "abusive_conduct"
    THREATS = "threats"
    OUT_OF_SCOPE = "out_of_scope"
    UNPROFITABLE = "unprofitable"
    NON_PAYMENT = "non_payment"
    LATE_PAYMENT = "late_payment"
    UNETHICAL_REQUEST = "unethical_request"
    VALUES_MISMATCH = "values_mismatch"
    IGNORES_ADVICE = "ignores_advice"
    POOR_COMMUNICATION = "poor_communication"
    HIGH_COST_TO_SERVE = "high_cost_to_serve"
    DISRUPTS_OTHER_CUSTOMERS = "disrupts_other_customers"


class ConductChannel(StrEnum):
    PHONE = "phone"
    EMAIL = "email"
    MEETING = "meeting"
    VIDEO = "video"
    CHAT = "chat"
    SOCIAL_MEDIA = "social_media"


class Strict(BaseModel):
    # Unknown keys are typos more often than not: reject them by name.
    model_config = ConfigDict(extra="forbid", frozen=True)


def _check_email(value: str | None) -> str | None:
    if value is not None and not _EMAIL.match(value):
        raise ValueError("expected an email address such as name@example.com")
    return value


class Sender(Strict):
    name: ShortText
    role: ShortText | None = None
    company: ShortText
    email: ShortText | None = None
    phone: ShortText | None = None

    _email = field_validator("email")(_check_email)


class Customer(Strict):
    name: ShortText
    title: Title = Title.NONE
    surname: ShortText | None = Field(
        default=None, description="Defaults to the last word of `name`."
    )
    vocative: ShortText | None = Field(
        default=None,
        description="Form of the surname used in direct address (Greek: Παπαδόπουλε); "
        "computed from the locale's rules when absent.",
    )
    company: ShortText | None = None
    email: ShortText | None = None
    since: dt.date | None = None

    _email = field_validator("email")(_check_email)


class OutOfScopeRequest(Strict):
    kind: Literal["out_of_scope_request"]
    item: ShortText
    date: dt.date | None = None


class RepeatedDissatisfaction(Strict):
    kind: Literal["repeated_dissatisfaction"]
    count: Annotated[int, Field(ge=2, le=100000)]
    item: ShortText


class LatePayments(Strict):
    kind: Literal["late_payments"]
    count: Annotated[int, Field(ge=1, le=100000)]


class MissedMeetings(Strict):
    kind: Literal["missed_meetings"]
    count: Annotated[int, Field(ge=1, le=100000)]


class Conduct(Strict):
    kind: Literal["conduct"]
    date: dt.date
    channel: ConductChannel | None = None


class UnmetExpectation(Strict):
    kind: Literal["unmet_expectation"]
    item: ShortText


class Note(Strict):
    kind: Literal["note"]
    text: Text


Fact = Annotated[
    OutOfScopeRequest
    | RepeatedDissatisfaction
    | LatePayments
    | MissedMeetings
    | Conduct
    | UnmetExpectation
    | Note,
    Field(discriminator="kind"),
]

FACT_KINDS = (
    "out_of_scope_request",
    "repeated_dissatisfaction",
    "late_payments",
    "missed_meetings",
    "conduct",
    "unmet_expectation",
    "note",
)


def _check_currency(value: str) -> str:
    from partways.formatting import is_known_currency

    code = value.strip().upper()
    if not is_known_currency(code):
        raise ValueError(
            f"expected an ISO 4217 currency code such as EUR, USD, IRR or MYR (got {value!r})"
        )
    return code


Amount = Annotated[Decimal, Field(gt=0, max_digits=15, decimal_places=2)]


class Money(Strict):
    amount: Amount
    currency: str

    _currency = field_validator("currency")(_check_currency)


class GoodwillKind(StrEnum):
    REFUND = "refund"
    WAIVE_INVOICE = "waive_invoice"
    CREDIT = "credit"
    NONE = "none"


class Goodwill(Strict):
    kind: GoodwillKind
    amount: Amount | None = None
    currency: str | None = None
    period: ShortText | None = None

    @field_validator("currency")
    @classmethod
    def _currency(cls, value: str | None) -> str | None:
        return None if value is None else _check_currency(value)

    @model_validator(mode="after")
    def _amount_needed(self) -> Goodwill:
        if self.kind is not GoodwillKind.NONE:
            for name in ("amount", "currency"):
                if getattr(self, name) is None:
                    # "@field " tells the error formatter which sub-field to name.
                    raise ValueError(f"@{name} required when kind is {self.kind.value}")
        return self


class Alternative(Strict):
    name: ShortText
    url: ShortText | None = None

    @field_validator("url")
    @classmethod
    def _url(cls, value: str | None) -> str | None:
        if value is not None and not _URL.match(value):
            raise ValueError("expected a web address starting with http:// or https://")
        return value


class Ending(Strict):
    effective: dt.date
    contract_clause: ShortText | None = None
    pending: list[ShortText] = Field(default_factory=list, max_length=50)

    @field_validator("contract_clause", mode="before")
    @classmethod
    def _clause(cls, value: object) -> object:
        # YAML reads 9.2 as a float and 9.10 as 9.1: refuse rather than lose digits.
        if isinstance(value, float):
            raise ValueError(f'expected text; write the clause in quotes, e.g. "{value}"')
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)
        return value


class Per(StrEnum):
    YEAR = "year"
    MONTH = "month"
    TOTAL = "total"


class ContractValue(Money):
    per: Per = Per.YEAR


class Case(Strict):
    locale: str
    channel: Channel = Channel.EMAIL
    tone: Tone = Tone.WARM
    sender: Sender
    customer: Customer
    service: ShortText
    reasons: list[Reason] = Field(default_factory=list, max_length=20)
    facts: list[Fact] = Field(min_length=1, max_length=30)
    goodwill: Goodwill = Goodwill(kind=GoodwillKind.NONE)
    alternatives: list[Alternative] = Field(default_factory=list, max_length=10)
    ending: Ending
    door_open: ShortText | None = None
    approved_by: ShortText | None = None
    contract_value: ContractValue | None = None
    cost_to_serve: ContractValue | None = None
    attempts: list[ShortText] = Field(default_factory=list, max_length=30)

    @field_validator("locale")
    @classmethod
    def _locale(cls, value: str) -> str:
        known = available_locales()
        if value not in known:
            raise ValueError(f"expected one of {', '.join(known)} (got {value!r})")
        return value
