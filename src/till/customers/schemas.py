from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from till.core.metadata import Metadata
from till.core.validation import Email

Phone = Annotated[str, Field(min_length=3, max_length=40, pattern=r"^\+?[0-9 ()\-.]+$")]
Locale = Annotated[str, Field(min_length=2, max_length=16, pattern=r"^[A-Za-z_-]+$")]


class CustomerCreate(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    email: Email
    name: Annotated[str, Field(max_length=200)]
    phone_number: Phone | None = None
    preferred_locale: Locale | None = None
    metadata: Metadata = Field(default_factory=dict)


class CustomerUpdate(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    email: Email | None = None
    name: Annotated[str, Field(max_length=200)] | None = None
    phone_number: Phone | None = None
    preferred_locale: Locale | None = None
    metadata: Metadata | None = None


class CustomerOut(BaseModel):
    customer_id: str
    business_id: str
    email: str
    name: str
    phone_number: str | None
    preferred_locale: str | None
    metadata: dict[str, Any]
    created_at: datetime


def customer_out(customer: Any) -> CustomerOut:
    return CustomerOut(
        customer_id=customer.id,
        business_id=customer.merchant_id,
        email=customer.email,
        name=customer.name,
        phone_number=customer.phone_number,
        preferred_locale=customer.preferred_locale,
        metadata=customer.meta,
        created_at=customer.created_at,
    )
