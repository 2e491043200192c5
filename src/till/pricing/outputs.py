"""The quote: what the buyer is shown and, to the minor unit, what is charged.

A checkout session stores ``Quote.to_dict()`` and the payment charges
``Quote.from_dict(...)``, so nothing is priced twice. ``to_preview_dict()`` is
the ``POST /checkouts/preview`` reply in the Dodo Payments wire format.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, is_dataclass
from datetime import datetime
from typing import Any

from till.pricing.inputs import TaxCategory


@dataclass(frozen=True)
class Breakup:
    subtotal: int
    discount: int
    tax: int
    total_amount: int

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Breakup:
        return cls(**data)


@dataclass(frozen=True)
class AppliedDiscount:
    """A code used on the cart and what it took off the amount due now."""

    discount_id: str
    code: str
    amount: int

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> AppliedDiscount:
        return cls(**data)


@dataclass(frozen=True)
class QuoteLine:
    """One cart line priced.

    ``subtotal_amount``, ``discount_total``, ``tax`` and ``total_amount`` are
    what the line costs now, so they are zero for a subscription in a free
    trial (``due_now`` false). ``og_price``, ``discounted_price`` and
    ``discount_amount`` describe the first billed cycle. The ``recurring_*``
    fields give each renewal, for subscriptions only.
    """

    product_id: str
    name: str
    quantity: int
    og_price: int
    og_currency: str
    currency: str
    discounted_price: int
    discount_amount: int | None
    subtotal_amount: int
    discount_total: int
    tax_category: TaxCategory
    tax_inclusive: bool
    tax_rate: int
    tax: int
    total_amount: int
    is_subscription: bool
    due_now: bool
    recurring_amount: int | None
    recurring_tax: int | None
    recurring_discount: int | None
    discount_cycle: int | None
    trial_period_days: int | None
    next_billing_date: datetime | None
    tax_label: str

    @property
    def recurring_subtotal(self) -> int | None:
        if not self.is_subscription:
            return None
        return self.og_price * self.quantity

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> QuoteLine:
        moment = _parse_moment(data["next_billing_date"])
        return cls(**{**data, "next_billing_date": moment})

    def to_preview_dict(self) -> dict[str, Any]:
        return {
            "product_id": self.product_id,
            "name": self.name,
            "quantity": self.quantity,
            "og_price": self.og_price,
            "og_currency": self.og_currency,
            "currency": self.currency,
            "discounted_price": self.discounted_price,
            "discount_amount": self.discount_amount,
            "discount_cycle": self.discount_cycle,
            "tax_category": self.tax_category,
            "tax_inclusive": self.tax_inclusive,
            "tax_rate": self.tax_rate,
            "tax": self.tax,
            "is_subscription": self.is_subscription,
            "is_usage_based": False,
            "credit_entitlements": [],
            "meters": [],
        }


@dataclass(frozen=True)
class Quote:
    """A priced cart. ``current_breakup`` is due now; ``recurring_breakup``
    is each renewal of the subscriptions, ``None`` when there are none."""

    currency: str
    billing_country: str
    lines: tuple[QuoteLine, ...]
    current_breakup: Breakup
    recurring_breakup: Breakup | None
    total_price: int
    total_tax: int
    next_billing_date: datetime | None
    trial_period_days: int | None
    tax_id_err_msg: str | None
    tax_id_format_name: str | None
    reverse_charge: bool
    discounts_applied: tuple[AppliedDiscount, ...]

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe: ints, strings, booleans, lists and ISO 8601 moments."""
        plain = _plain(self)
        assert isinstance(plain, dict)
        return plain

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Quote:
        recurring = data["recurring_breakup"]
        if recurring is not None:
            recurring = Breakup.from_dict(recurring)
        applied = data["discounts_applied"]
        return cls(
            **{
                **data,
                "lines": tuple(QuoteLine.from_dict(line) for line in data["lines"]),
                "current_breakup": Breakup.from_dict(data["current_breakup"]),
                "recurring_breakup": recurring,
                "next_billing_date": _parse_moment(data["next_billing_date"]),
                "discounts_applied": tuple(map(AppliedDiscount.from_dict, applied)),
            }
        )

    def to_preview_dict(self) -> dict[str, Any]:
        """The ``CheckoutSessionPreviewResponse`` of the Dodo Payments API."""
        return {
            "billing_country": self.billing_country,
            "currency": self.currency,
            "current_breakup": _plain(self.current_breakup),
            "recurring_breakup": _plain(self.recurring_breakup),
            "product_cart": [line.to_preview_dict() for line in self.lines],
            "total_price": self.total_price,
            "total_tax": self.total_tax,
            "next_billing_date": _plain(self.next_billing_date),
            "trial_period_days": self.trial_period_days,
            "trial_amount": None,
            "subscriptions": self._preview_subscriptions(),
            "tax_id_err_msg": self.tax_id_err_msg,
            "tax_id_format_name": self.tax_id_format_name,
            "tax_id_business_name": None,
            "is_byop": False,
            "payment_method_required": self.total_price > 0,
        }

    def _preview_subscriptions(self) -> list[dict[str, Any]] | None:
        # The wire format lists subscriptions one by one only when a cart
        # holds several, since each renews on its own schedule.
        lines = [line for line in self.lines if line.is_subscription]
        if len(lines) < 2:
            return None
        return [_preview_subscription(line) for line in lines]


def _preview_subscription(line: QuoteLine) -> dict[str, Any]:
    return {
        "product_id": line.product_id,
        "amount_due_now": line.total_amount,
        "tax_due_now": line.tax,
        "recurring_amount": line.recurring_amount,
        "recurring_tax": line.recurring_tax,
        "next_billing_date": _plain(line.next_billing_date),
        "trial_period_days": line.trial_period_days,
    }


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, tuple | list):
        return [_plain(item) for item in value]
    return value


def _parse_moment(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)
