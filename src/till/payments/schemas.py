"""Wire shapes of ``/payments``, following the Dodo Payments format.

Presenters take the payment row with its customer, loaded by the caller, so
a list can load every row's customer in one query.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from till.customers.models import Customer
from till.payments.models import Payment
from till.refunds.models import Refund


class BillingOut(BaseModel):
    country: str
    city: str | None = None
    state: str | None = None
    street: str | None = None
    zipcode: str | None = None


class CustomerBrief(BaseModel):
    customer_id: str
    email: str
    name: str
    phone_number: str | None = None
    metadata: dict[str, Any] = Field(default_factory=dict)


class CartItemOut(BaseModel):
    product_id: str
    quantity: int


class ServicePeriodOut(BaseModel):
    subscription_id: str
    starts_at: datetime
    ends_at: datetime
    proration_factor: str = "1"


class _PaymentCommon(BaseModel):
    payment_id: str
    brand_id: str
    created_at: datetime
    currency: str
    customer: CustomerBrief
    digital_products_delivered: bool = False
    includes_usage: bool = False
    is_multi_subscription: bool
    metadata: dict[str, Any]
    payment_provider: Literal["stripe", "adyen", "dodo"] = "dodo"
    retry_attempt: int = 0
    service_periods: list[ServicePeriodOut]
    subscription_ids: list[str]
    subscription_id: str | None
    total_amount: int
    status: str
    card_exp_month: str | None
    card_exp_year: str | None
    card_last_four: str | None
    card_network: str | None
    card_type: str | None = None
    charge_type: Literal["new", "renewal", "plan_change", "on_demand"] | None
    checkout_session_id: str | None
    invoice_id: str | None = None
    invoice_url: str | None = None
    payment_method: str | None = "card"
    payment_method_type: str | None = None
    refund_status: Literal["partial", "full"] | None = None
    three_ds_flow: Literal["challenge", "frictionless"] | None
    three_ds_status: str | None
    three_ds_version: str | None = None


class PaymentOut(_PaymentCommon):
    """``Payment`` of the wire format: ``GET /payments/{id}``, webhooks."""

    billing: BillingOut
    business_id: str
    disputes: list[Any] = Field(default_factory=list)
    is_update_payment_method: bool = False
    refunds: list[dict[str, Any]] = Field(default_factory=list)
    settlement_amount: int
    settlement_currency: str
    settlement_tax: int | None
    card_holder_name: str | None
    card_issuing_country: str | None = None
    custom_field_responses: list[dict[str, str]] | None
    discount_id: str | None
    discounts: list[dict[str, Any]] | None
    error_code: str | None
    error_message: str | None
    payment_link: str | None = None
    payment_method_id: str | None
    product_cart: list[CartItemOut] | None
    tax: int | None
    updated_at: datetime | None


class PaymentListItem(_PaymentCommon):
    """``PaymentListResponse``: what ``GET /payments`` lists."""

    has_license_key: bool = False
    dispute_status: str | None = None


class LineItemOut(BaseModel):
    items_id: str
    amount: int
    refundable_amount: int
    tax: int
    name: str | None
    description: str | None = None


class LineItemsOut(BaseModel):
    currency: str
    items: list[LineItemOut]
    partial_refund_allowed: bool


def customer_brief(customer: Customer) -> CustomerBrief:
    return CustomerBrief(
        customer_id=customer.id,
        email=customer.email,
        name=customer.name,
        phone_number=customer.phone_number,
        metadata=dict(customer.meta or {}),
    )


def _common(payment: Payment, customer: Customer) -> dict[str, Any]:
    ids = list(payment.subscription_ids or [])
    return {
        "payment_id": payment.id,
        "brand_id": payment.merchant_id,
        "created_at": payment.created_at,
        "currency": payment.currency,
        "customer": customer_brief(customer),
        "is_multi_subscription": len(ids) > 1,
        "metadata": dict(payment.meta or {}),
        "service_periods": [
            ServicePeriodOut(**period) for period in payment.service_periods or []
        ],
        "subscription_ids": ids,
        "subscription_id": payment.subscription_id,
        "total_amount": payment.total_amount,
        "status": payment.status,
        "card_exp_month": _two_digits(payment.card_exp_month),
        "card_exp_year": _text(payment.card_exp_year),
        "card_last_four": payment.card_last4,
        "card_network": payment.card_brand,
        "charge_type": "new" if ids else None,
        "checkout_session_id": payment.checkout_session_id,
        "three_ds_flow": "challenge" if payment.three_ds_status else None,
        "three_ds_status": payment.three_ds_status,
        "refund_status": _refund_status(payment),
    }


def _refund_status(payment: Payment) -> Literal["partial", "full"] | None:
    refunded = payment.refunded_amount or 0
    if refunded <= 0:
        return None
    return "full" if refunded >= payment.total_amount else "partial"


def payment_out(
    payment: Payment, customer: Customer, refunds: Sequence[Refund] = ()
) -> PaymentOut:
    discounts = list(payment.discounts or [])
    return PaymentOut(
        **_common(payment, customer),
        billing=BillingOut(**payment.billing),
        business_id=payment.merchant_id,
        settlement_amount=payment.total_amount,
        settlement_currency=payment.currency,
        settlement_tax=payment.tax,
        card_holder_name=payment.card_holder_name,
        custom_field_responses=list(payment.custom_field_responses or []) or None,
        discount_id=discounts[0]["discount_id"] if discounts else None,
        discounts=discounts or None,
        error_code=payment.error_code,
        error_message=payment.error_message,
        payment_method_id=payment.payment_method_id,
        refunds=[_refund_item(refund) for refund in refunds],
        product_cart=[
            CartItemOut(product_id=item["product_id"], quantity=item["quantity"])
            for item in payment.product_cart
        ],
        tax=payment.tax,
        updated_at=payment.updated_at,
    )


def payment_list_item(payment: Payment, customer: Customer) -> PaymentListItem:
    return PaymentListItem(**_common(payment, customer))


def line_items_out(payment: Payment, refunds: Sequence[Refund] = ()) -> LineItemsOut:
    succeeded = payment.status == "succeeded"
    refunded = refunded_by_item(refunds)
    return LineItemsOut(
        currency=payment.currency,
        items=[
            LineItemOut(
                items_id=line["product_id"],
                amount=line["total_amount"],
                refundable_amount=(
                    line["total_amount"] - refunded.get(line["product_id"], 0)
                    if succeeded
                    else 0
                ),
                tax=line["tax"],
                name=line["name"],
            )
            for line in payment.quote.get("lines", [])
        ],
        partial_refund_allowed=succeeded,
    )


def refunded_by_item(refunds: Sequence[Refund]) -> dict[str, int]:
    """What succeeded refunds gave back on each cart line."""
    totals: dict[str, int] = {}
    for refund in refunds:
        if refund.status != "succeeded":
            continue
        for item in refund.items:
            key = item["item_id"]
            totals[key] = totals.get(key, 0) + int(item["amount"])
    return totals


def _refund_item(refund: Refund) -> dict[str, Any]:
    return {
        "refund_id": refund.id,
        "business_id": refund.merchant_id,
        "payment_id": refund.payment_id,
        "created_at": refund.created_at,
        "is_partial": refund.is_partial,
        "status": refund.status,
        "amount": refund.amount,
        "currency": refund.currency,
        "reason": refund.reason,
    }


def _two_digits(month: int | None) -> str | None:
    return None if month is None else f"{month:02d}"


def _text(value: int | None) -> str | None:
    return None if value is None else str(value)
