"""Wire shapes of ``/subscriptions``, following the Dodo Payments format."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from till.core.metadata import Metadata
from till.customers.models import Customer
from till.payments.schemas import BillingOut, CustomerBrief, customer_brief
from till.subscriptions.models import Subscription

Interval = Literal["Day", "Week", "Month", "Year"]
CancelReason = Literal[
    "cancelled_by_customer",
    "cancelled_by_merchant",
    "cancelled_by_merchant_send_dunning",
    "cancelled_by_merchant_grace_period_expired",
    "dodo_team",
]


class CancelledBy(BaseModel):
    actor_type: Literal["customer", "merchant_user", "api_key", "dodo_team"]
    email: str | None = None
    name: str | None = None


class ListDiscount(BaseModel):
    discount_id: str
    discount_cycles_remaining: int | None = None


class _SubscriptionCommon(BaseModel):
    subscription_id: str
    billing: BillingOut
    cancel_at_next_billing_date: bool
    created_at: datetime
    currency: str
    customer: CustomerBrief
    has_payment_method: bool
    metadata: dict[str, Any]
    next_billing_date: datetime
    on_demand: bool = False
    payment_frequency_count: int
    payment_frequency_interval: Interval
    previous_billing_date: datetime
    product_id: str
    quantity: int
    recurring_pre_tax_amount: int
    status: str
    subscription_period_count: int
    subscription_period_interval: Interval
    tax_inclusive: bool
    trial_period_days: int
    cancelled_at: datetime | None
    cancelled_by: CancelledBy | None
    customer_business_name: str | None
    discount_cycles_remaining: int | None
    discount_id: str | None
    paused_at: datetime | None = None
    payment_method_id: str | None
    scheduled_change: dict[str, Any] | None = None
    tax_id: str | None
    trial_amount: int | None = None


class SubscriptionOut(_SubscriptionCommon):
    """``Subscription``: ``GET /subscriptions/{id}``, PATCH and webhooks."""

    addons: list[Any] = Field(default_factory=list)
    brand_id: str
    credit_entitlement_cart: list[Any] = Field(default_factory=list)
    meter_credit_entitlement_cart: list[Any] = Field(default_factory=list)
    meters: list[Any] = Field(default_factory=list)
    cancellation_comment: str | None
    cancellation_feedback: str | None = None
    custom_field_responses: list[dict[str, str]] | None
    discounts: list[dict[str, Any]] | None
    expires_at: datetime | None


class SubscriptionListItem(_SubscriptionCommon):
    """``SubscriptionListResponse``: what ``GET /subscriptions`` lists."""

    discounts: list[ListDiscount]
    product_name: str | None


class SubscriptionUpdate(BaseModel):
    """``PATCH /subscriptions/{id}``: the fields Till acts on.

    Fields of the wire format that Till does not support yet (plan periods,
    pausing, moving the billing date, credit entitlements) are refused with a
    422 naming them rather than silently ignored.
    """

    model_config = ConfigDict(extra="allow", str_strip_whitespace=True)

    status: Literal["cancelled", "active"] | None = None
    cancel_at_next_billing_date: bool | None = None
    cancel_reason: CancelReason | None = None
    cancellation_comment: Annotated[str, Field(max_length=1000)] | None = None
    metadata: Metadata | None = None


UNSUPPORTED_UPDATE_FIELDS = (
    "billing",
    "credit_entitlement_cart",
    "customer_business_name",
    "customer_name",
    "disable_on_demand",
    "next_billing_date",
    "pause",
    "subscription_period_count",
    "subscription_period_interval",
    "tax_id",
    "cancellation_feedback",
)


def _common(sub: Subscription, customer: Customer) -> dict[str, Any]:
    return {
        "subscription_id": sub.id,
        "billing": BillingOut(**sub.billing),
        "cancel_at_next_billing_date": sub.cancel_at_next_billing_date,
        "created_at": sub.created_at,
        "currency": sub.currency,
        "customer": customer_brief(customer),
        "has_payment_method": sub.payment_method_id is not None,
        "metadata": dict(sub.meta or {}),
        "next_billing_date": sub.next_billing_date,
        "payment_frequency_count": sub.payment_frequency_count,
        "payment_frequency_interval": sub.payment_frequency_interval,
        "previous_billing_date": sub.previous_billing_date,
        "product_id": sub.product_id,
        "quantity": sub.quantity,
        "recurring_pre_tax_amount": sub.recurring_pre_tax_amount,
        "status": sub.status,
        "subscription_period_count": sub.subscription_period_count,
        "subscription_period_interval": sub.subscription_period_interval,
        "tax_inclusive": sub.tax_inclusive,
        "trial_period_days": sub.trial_period_days,
        "cancelled_at": sub.cancelled_at,
        "cancelled_by": _cancelled_by(sub.cancelled_by),
        "customer_business_name": sub.customer_business_name,
        "discount_cycles_remaining": sub.discount_cycles_remaining,
        "discount_id": sub.discount_id,
        "payment_method_id": sub.payment_method_id,
        "tax_id": sub.tax_id,
    }


def _cancelled_by(actor: str | None) -> CancelledBy | None:
    if actor is None:
        return None
    return CancelledBy.model_validate({"actor_type": actor})


def subscription_out(sub: Subscription, customer: Customer) -> SubscriptionOut:
    return SubscriptionOut(
        **_common(sub, customer),
        brand_id=sub.merchant_id,
        cancellation_comment=sub.cancellation_comment,
        custom_field_responses=list(sub.custom_field_responses or []) or None,
        discounts=list(sub.discounts or []) or None,
        expires_at=sub.expires_at,
    )


def subscription_list_item(
    sub: Subscription, customer: Customer
) -> SubscriptionListItem:
    return SubscriptionListItem(
        **_common(sub, customer),
        discounts=[
            ListDiscount(
                discount_id=item["discount_id"],
                discount_cycles_remaining=item.get("cycles_remaining"),
            )
            for item in sub.discounts or []
        ],
        product_name=sub.product_name or None,
    )
