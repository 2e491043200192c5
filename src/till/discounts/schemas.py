"""Wire shapes of ``/discounts``, following the Dodo Payments format.

Till redeems every code for any customer, with no per-customer limit and no
minimum subtotal; requests that ask for those are refused by name rather than
stored and ignored. ``currency`` is Till's own addition: the currency a flat
code's amount is counted in (``currency_options`` with one row says the same
thing in the SDK's words).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator

from till.core.metadata import Metadata
from till.core.money import MAX_AMOUNT
from till.core.validation import Currency

DiscountType = Literal["percentage", "flat"]
Eligibility = Literal["any", "first_time", "existing", "specific"]

_CODE = re.compile(r"^[A-Z0-9_-]{3,16}$")


def normalise_code(value: str | None) -> str | None:
    """Uppercase a merchant's code; empty means "generate one"."""
    if value is None or not value.strip():
        return None
    code = value.strip().upper()
    if not _CODE.match(code):
        raise ValueError("must be 3 to 16 letters, digits, '-' or '_'")
    return code


def _utc(value: datetime | None) -> datetime | None:
    # A timestamp without a zone is read as UTC, the zone Till stores.
    if value is None or value.tzinfo is None:
        return None if value is None else value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


CodeIn = Annotated[str | None, AfterValidator(normalise_code)]
Moment = Annotated[datetime | None, AfterValidator(_utc)]
Amount = Annotated[int, Field(ge=1, le=MAX_AMOUNT)]
Count = Annotated[int, Field(ge=1, le=1_000_000_000)]
ProductIds = Annotated[
    list[Annotated[str, Field(min_length=1, max_length=40)]], Field(max_length=100)
]
Name = Annotated[str, Field(max_length=200)]


class _Wire(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)


class CurrencyOptionIn(_Wire):
    currency: Currency
    is_default: bool = True
    max_amount_possible: Amount | None = None
    minimum_subtotal: int = 0

    @field_validator("minimum_subtotal")
    @classmethod
    def _no_minimum(cls, value: int) -> int:
        if value != 0:
            raise ValueError("a minimum subtotal is not supported; send 0")
        return value


class _Unsupported(_Wire):
    """Fields of the wire format Till refuses unless they ask for nothing."""

    customer_eligibility: Eligibility | None = None
    per_customer_usage_limit: int | None = None

    @field_validator("customer_eligibility")
    @classmethod
    def _any_customer(cls, value: Eligibility | None) -> Eligibility | None:
        if value not in (None, "any"):
            raise ValueError("Till redeems codes for any customer; only 'any' works")
        return value

    @field_validator("per_customer_usage_limit")
    @classmethod
    def _no_per_customer_limit(cls, value: int | None) -> int | None:
        if value is not None:
            raise ValueError("per-customer limits are not supported; use usage_limit")
        return value


class DiscountCreate(_Unsupported):
    type: DiscountType
    amount: Amount
    code: CodeIn = None
    currency: Currency | None = None
    currency_options: Annotated[list[CurrencyOptionIn], Field(max_length=10)] = Field(
        default_factory=list
    )
    name: Name | None = None
    usage_limit: Count | None = None
    starts_at: Moment = None
    expires_at: Moment = None
    restricted_to: ProductIds | None = None
    subscription_cycles: Count | None = None
    preserve_on_plan_change: bool = False
    metadata: Metadata = Field(default_factory=dict)


class DiscountUpdate(_Unsupported):
    """A field that is absent is kept; ``null`` clears the nullable ones
    (``name``, ``usage_limit``, ``starts_at``, ``expires_at``,
    ``subscription_cycles``, ``currency``)."""

    type: DiscountType | None = None
    amount: Amount | None = None
    code: CodeIn = None
    currency: Currency | None = None
    currency_options: Annotated[list[CurrencyOptionIn], Field(max_length=10)] | None = (
        None
    )
    name: Name | None = None
    usage_limit: Count | None = None
    starts_at: Moment = None
    expires_at: Moment = None
    restricted_to: ProductIds | None = None
    subscription_cycles: Count | None = None
    preserve_on_plan_change: bool | None = None
    metadata: Metadata | None = None


class CurrencyOptionOut(BaseModel):
    currency: str
    is_default: bool
    minimum_subtotal: int
    max_amount_possible: int | None


class DiscountOut(BaseModel):
    discount_id: str
    business_id: str
    code: str
    type: str
    amount: int
    currency: str | None
    currency_options: list[CurrencyOptionOut]
    customer_eligibility: Eligibility = "any"
    per_customer_usage_limit: int | None = None
    name: str | None
    usage_limit: int | None
    times_used: int
    starts_at: datetime | None
    expires_at: datetime | None
    restricted_to: list[str]
    subscription_cycles: int | None
    preserve_on_plan_change: bool
    metadata: dict[str, Any]
    created_at: datetime


def discount_out(discount: Any) -> DiscountOut:
    options = []
    if discount.currency is not None:
        options.append(
            CurrencyOptionOut(
                currency=discount.currency,
                is_default=True,
                minimum_subtotal=0,
                max_amount_possible=discount.amount,
            )
        )
    return DiscountOut(
        discount_id=discount.id,
        business_id=discount.merchant_id,
        code=discount.code,
        type=discount.type,
        amount=discount.amount,
        currency=discount.currency,
        currency_options=options,
        name=discount.name,
        usage_limit=discount.usage_limit,
        times_used=discount.times_used,
        starts_at=discount.starts_at,
        expires_at=discount.expires_at,
        restricted_to=list(discount.restricted_to),
        subscription_cycles=discount.subscription_cycles,
        preserve_on_plan_change=discount.preserve_on_plan_change,
        metadata=discount.meta,
        created_at=discount.created_at,
    )
