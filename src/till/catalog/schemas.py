"""Wire shapes of ``/products``, following the Dodo Payments format."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from till.core.metadata import Metadata
from till.core.money import MAX_AMOUNT
from till.core.validation import Currency, HttpUrl

TaxCategory = Literal["digital_products", "saas", "e_book", "edtech", "live_tutoring"]
Interval = Literal["Day", "Week", "Month", "Year"]
Amount = Annotated[int, Field(ge=0, le=MAX_AMOUNT)]
Count = Annotated[int, Field(ge=1, le=1000)]


class _Wire(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)


class OneTimePrice(_Wire):
    type: Literal["one_time_price"]
    price: Amount
    currency: Currency
    discount: Annotated[int, Field(ge=0, le=100)] | None = None
    discount_bps: Annotated[int, Field(ge=0, le=10_000)] | None = None
    pay_what_you_want: bool = False
    suggested_price: Amount | None = None
    tax_inclusive: bool = False
    purchasing_power_parity: bool | None = None

    @model_validator(mode="after")
    def _suggested_at_least_minimum(self) -> OneTimePrice:
        suggested = self.suggested_price
        if self.pay_what_you_want and suggested is not None and suggested < self.price:
            raise ValueError(
                "suggested_price must be at or above price, the minimum a buyer may pay"
            )
        return self


class RecurringPrice(_Wire):
    type: Literal["recurring_price"]
    price: Amount
    currency: Currency
    discount: Annotated[int, Field(ge=0, le=100)] | None = None
    discount_bps: Annotated[int, Field(ge=0, le=10_000)] | None = None
    payment_frequency_count: Count
    payment_frequency_interval: Interval
    subscription_period_count: Count
    subscription_period_interval: Interval
    trial_period_days: Annotated[int, Field(ge=0, le=10_000)] = 0
    tax_inclusive: bool = False
    purchasing_power_parity: bool | None = None


PriceIn = Annotated[OneTimePrice | RecurringPrice, Field(discriminator="type")]


class ProductCreate(_Wire):
    name: Annotated[str, Field(min_length=1, max_length=100)]
    price: PriceIn
    tax_category: TaxCategory
    description: Annotated[str, Field(max_length=1000)] | None = None
    image: HttpUrl | None = None
    metadata: Metadata = Field(default_factory=dict)


class ProductUpdate(_Wire):
    name: Annotated[str, Field(min_length=1, max_length=100)] | None = None
    price: PriceIn | None = None
    tax_category: TaxCategory | None = None
    description: Annotated[str, Field(max_length=1000)] | None = None
    image: HttpUrl | None = None
    metadata: Metadata | None = None


class ProductOut(BaseModel):
    product_id: str
    business_id: str
    brand_id: str
    name: str | None
    description: str | None
    image: str | None
    price: dict[str, Any]
    tax_category: str
    is_recurring: bool
    license_key_enabled: bool = False
    credit_entitlements: list[Any] = Field(default_factory=list)
    entitlements: list[Any] = Field(default_factory=list)
    addons: list[str] | None = None
    metadata: dict[str, Any]
    archived: bool
    created_at: datetime
    updated_at: datetime


class ProductListItem(BaseModel):
    product_id: str
    business_id: str
    name: str | None
    description: str | None
    image: str | None
    price: int
    currency: str
    price_detail: dict[str, Any]
    tax_inclusive: bool
    tax_category: str
    is_recurring: bool
    entitlements: list[Any] = Field(default_factory=list)
    metadata: dict[str, Any]
    created_at: datetime
    updated_at: datetime


def product_out(product: Any) -> ProductOut:
    return ProductOut(
        product_id=product.id,
        business_id=product.merchant_id,
        brand_id=product.merchant_id,
        name=product.name,
        description=product.description,
        image=product.image,
        price=product.price,
        tax_category=product.tax_category,
        is_recurring=product.is_recurring,
        metadata=product.meta,
        archived=product.archived,
        created_at=product.created_at,
        updated_at=product.updated_at,
    )


def product_list_item(product: Any) -> ProductListItem:
    return ProductListItem(
        product_id=product.id,
        business_id=product.merchant_id,
        name=product.name,
        description=product.description,
        image=product.image,
        price=product.amount,
        currency=product.currency,
        price_detail=product.price,
        tax_inclusive=bool(product.price.get("tax_inclusive", False)),
        tax_category=product.tax_category,
        is_recurring=product.is_recurring,
        metadata=product.meta,
        created_at=product.created_at,
        updated_at=product.updated_at,
    )
