"""Wire shapes of ``/refunds``, following the Dodo Payments format."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from till.core.metadata import Metadata
from till.core.validation import Currency
from till.customers.models import Customer
from till.payments.schemas import CustomerBrief, customer_brief
from till.refunds.models import Refund


class _Wire(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)


class RefundItemIn(_Wire):
    item_id: Annotated[str, Field(min_length=1, max_length=64)]
    # Checked with the payment's lines, so errors name ``items[i].amount``.
    amount: int | None = None
    tax_inclusive: bool = True


class RefundCreate(_Wire):
    payment_id: Annotated[str, Field(min_length=1, max_length=64)]
    currency: Currency | None = None
    items: Annotated[list[RefundItemIn], Field(min_length=1, max_length=20)] | None = (
        None
    )
    metadata: Metadata = Field(default_factory=dict)
    reason: Annotated[str, Field(max_length=3000)] | None = None


class RefundListItem(BaseModel):
    refund_id: str
    business_id: str
    payment_id: str
    created_at: datetime
    is_partial: bool
    status: str
    amount: int | None
    currency: str | None
    reason: str | None
    network_reference: str | None = None
    network_reference_type: str | None = None
    network_reference_updated_at: datetime | None = None


class RefundOut(RefundListItem):
    """``Refund``: ``POST /refunds``, ``GET /refunds/{id}`` and webhooks."""

    brand_id: str
    customer: CustomerBrief
    metadata: dict[str, Any]


def refund_list_item(refund: Refund) -> RefundListItem:
    return RefundListItem(
        refund_id=refund.id,
        business_id=refund.merchant_id,
        payment_id=refund.payment_id,
        created_at=refund.created_at,
        is_partial=refund.is_partial,
        status=refund.status,
        amount=refund.amount,
        currency=refund.currency,
        reason=refund.reason,
    )


def refund_out(refund: Refund, customer: Customer) -> RefundOut:
    return RefundOut(
        **refund_list_item(refund).model_dump(),
        brand_id=refund.merchant_id,
        customer=customer_brief(customer),
        metadata=dict(refund.meta or {}),
    )
