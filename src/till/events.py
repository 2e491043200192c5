"""The one catalogue of event names.

Webhooks, logs and the audit trail all spell an event the same way, so every
place that emits one imports its name from here.
"""

from __future__ import annotations

from enum import StrEnum


class EventType(StrEnum):
    PAYMENT_SUCCEEDED = "payment.succeeded"
    PAYMENT_FAILED = "payment.failed"
    PAYMENT_PROCESSING = "payment.processing"
    PAYMENT_CANCELLED = "payment.cancelled"
    SUBSCRIPTION_ACTIVE = "subscription.active"
    SUBSCRIPTION_RENEWED = "subscription.renewed"
    SUBSCRIPTION_ON_HOLD = "subscription.on_hold"
    SUBSCRIPTION_CANCELLED = "subscription.cancelled"
    SUBSCRIPTION_FAILED = "subscription.failed"
    SUBSCRIPTION_EXPIRED = "subscription.expired"
    SUBSCRIPTION_UPDATED = "subscription.updated"
    REFUND_SUCCEEDED = "refund.succeeded"
    REFUND_FAILED = "refund.failed"
    ABANDONED_CHECKOUT_DETECTED = "abandoned_checkout.detected"
    ABANDONED_CHECKOUT_RECOVERED = "abandoned_checkout.recovered"


def payload_type_of(event_type: EventType) -> str:
    """The ``payload_type`` a receiver uses to parse ``data``.

    It names the kind of object inside, as the wire format spells it:
    ``Payment``, ``Subscription``, ``Refund`` or ``AbandonedCheckout``.
    """
    family = event_type.value.split(".", 1)[0]
    return _PAYLOAD_TYPES[family]


_PAYLOAD_TYPES = {
    "payment": "Payment",
    "subscription": "Subscription",
    "refund": "Refund",
    "abandoned_checkout": "AbandonedCheckout",
}
