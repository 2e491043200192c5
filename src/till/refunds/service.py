"""Giving money back on a succeeded payment.

A refund names cart lines (``items``) or, without them, gives back all that
is left. Its amount is first reserved on the payment by one conditional
UPDATE (``refunded_amount + amount <= total_amount``), so two refunds racing
cannot return more than was paid; a refund the processor declines releases
its reservation.

Known shortcoming: the processor is asked inside the request's transaction,
with the payment row locked until the commit. That is harmless with the
in-process sandbox; a remote processor would call for the reserve / ask /
settle split that paying uses, so no lock is held over the network.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

import structlog
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from till.core.clock import as_utc
from till.core.errors import FieldInvalid
from till.core.ids import new_id
from till.core.money import MAX_AMOUNT, round_minor
from till.customers.models import Customer
from till.events import EventType
from till.http.pagination import Page
from till.merchants.keys import Principal
from till.payments import service as payments
from till.payments.models import Payment
from till.payments.processors import PaymentProcessor, RefundStatus
from till.payments.schemas import refunded_by_item
from till.pricing import Quote, QuoteLine
from till.refunds.errors import PaymentNotRefundable, RefundNotFound
from till.refunds.models import Refund
from till.refunds.schemas import RefundCreate, RefundItemIn, refund_out
from till.subscriptions.models import Subscription
from till.webhooks.outbox import record_event

log = structlog.get_logger(__name__)


@dataclass(frozen=True)
class RefundFilters:
    status: str | None = None
    customer_id: str | None = None
    payment_id: str | None = None
    subscription_id: str | None = None
    created_at_gte: datetime | None = None
    created_at_lte: datetime | None = None


async def create_refund(
    db: AsyncSession,
    processor: PaymentProcessor,
    who: Principal,
    data: RefundCreate,
    moment: datetime,
) -> tuple[Refund, Customer]:
    """Refund, record ``refund.succeeded`` or ``refund.failed``; flushes."""
    payment, customer = await payments.get_payment(db, who, data.payment_id)
    _check_refundable(payment, data)
    earlier = await payments.refunds_of(db, payment.id)
    items = _items(payment, data.items, refunded_by_item(earlier))
    amount = sum(item["amount"] for item in items)
    if not await _reserve(db, payment.id, amount):
        raise PaymentNotRefundable(payment.id, "the amount exceeds what is left")

    outcome = await processor.refund(
        payment.processor_ref or "", amount, payment.currency
    )
    refund = Refund(
        id=new_id("ref"),
        merchant_id=payment.merchant_id,
        mode=payment.mode,
        payment_id=payment.id,
        customer_id=payment.customer_id,
        status=outcome.status.value,
        amount=amount,
        currency=payment.currency,
        is_partial=amount < payment.total_amount,
        reason=data.reason,
        items=items,
        meta=dict(data.metadata),
        processor_ref=outcome.processor_ref,
        error_code=outcome.error_code,
        error_message=outcome.error_message,
        created_at=moment,
        updated_at=moment,
    )
    db.add(refund)
    if outcome.status is not RefundStatus.SUCCEEDED:
        await _reserve(db, payment.id, -amount)
    await db.flush()
    await _announce(db, refund, customer, moment)
    log.info(
        "refund.created",
        merchant_id=refund.merchant_id,
        refund_id=refund.id,
        payment_id=payment.id,
        status=refund.status,
        amount=amount,
    )
    return refund, customer


def _check_refundable(payment: Payment, data: RefundCreate) -> None:
    if payment.status != "succeeded":
        raise PaymentNotRefundable(payment.id, f"its status is {payment.status}")
    if data.currency is not None and data.currency != payment.currency:
        reason = f"must be the payment's currency, {payment.currency}"
        raise FieldInvalid("currency", reason)


def _items(
    payment: Payment,
    wanted: Sequence[RefundItemIn] | None,
    refunded: dict[str, int],
) -> list[dict[str, Any]]:
    """Each line's amount to give back, tax included."""
    lines = {line.product_id: line for line in Quote.from_dict(payment.quote).lines}
    left = {
        pid: line.total_amount - refunded.get(pid, 0) for pid, line in lines.items()
    }
    if wanted is None:
        items = [{"item_id": pid, "amount": n} for pid, n in left.items() if n > 0]
        if not items:
            raise PaymentNotRefundable(payment.id, "nothing is left to refund")
        return items
    return [_item(index, item, lines, left) for index, item in enumerate(wanted)]


def _item(
    index: int,
    item: RefundItemIn,
    lines: dict[str, QuoteLine],
    left: dict[str, int],
) -> dict[str, Any]:
    field = f"items[{index}]"
    line = lines.get(item.item_id)
    if line is None:
        raise FieldInvalid(f"{field}.item_id", "is not a line of this payment")
    if item.amount is not None and not 1 <= item.amount <= MAX_AMOUNT:
        raise FieldInvalid(f"{field}.amount", f"must be from 1 to {MAX_AMOUNT}")
    remaining = left[item.item_id]
    amount = remaining if item.amount is None else item.amount
    if not item.tax_inclusive:
        amount += _tax_share(amount, line)
    if amount <= 0:
        raise FieldInvalid(f"{field}.amount", "nothing is left to refund on this line")
    if amount > remaining:
        reason = f"{amount} exceeds the {remaining} still refundable on this line"
        raise FieldInvalid(f"{field}.amount", reason)
    # A line named twice is judged on what the first mention left.
    left[item.item_id] = remaining - amount
    return {"item_id": item.item_id, "amount": amount}


def _tax_share(net: int, line: QuoteLine) -> int:
    """The tax that goes with ``net`` on ``line``, at the line's own ratio."""
    line_net = line.total_amount - line.tax
    if line_net <= 0 or line.tax == 0:
        return 0
    return round_minor(Decimal(net) * line.tax / line_net)


async def _reserve(db: AsyncSession, payment_id: str, amount: int) -> bool:
    result = await db.execute(
        update(Payment)
        .where(
            Payment.id == payment_id,
            Payment.status == "succeeded",
            Payment.refunded_amount + amount <= Payment.total_amount,
            Payment.refunded_amount + amount >= 0,
        )
        .values(refunded_amount=Payment.refunded_amount + amount)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0)) == 1


async def _announce(
    db: AsyncSession, refund: Refund, customer: Customer, moment: datetime
) -> None:
    succeeded = refund.status == RefundStatus.SUCCEEDED.value
    await record_event(
        db,
        merchant_id=refund.merchant_id,
        mode=refund.mode,
        event_type=EventType.REFUND_SUCCEEDED if succeeded else EventType.REFUND_FAILED,
        data=refund_out(refund, customer).model_dump(mode="json"),
        moment=moment,
    )


async def get_refund(
    db: AsyncSession, who: Principal, refund_id: str
) -> tuple[Refund, Customer]:
    refund = await db.get(Refund, refund_id)
    if refund is None or not who.owns(refund):
        raise RefundNotFound(refund_id)
    customer = await db.get(Customer, refund.customer_id)
    assert customer is not None  # a foreign key guarantees it
    return refund, customer


async def list_refunds(
    db: AsyncSession, who: Principal, page: Page, filters: RefundFilters
) -> list[Refund]:
    query = select(Refund).where(
        Refund.merchant_id == who.merchant_id, Refund.mode == who.mode
    )
    if filters.status is not None:
        query = query.where(Refund.status == filters.status)
    if filters.customer_id is not None:
        query = query.where(Refund.customer_id == filters.customer_id)
    if filters.payment_id is not None:
        query = query.where(Refund.payment_id == filters.payment_id)
    if filters.subscription_id is not None:
        started = select(Subscription.payment_id).where(
            Subscription.id == filters.subscription_id
        )
        query = query.where(Refund.payment_id.in_(started))
    if filters.created_at_gte is not None:
        query = query.where(Refund.created_at >= as_utc(filters.created_at_gte))
    if filters.created_at_lte is not None:
        query = query.where(Refund.created_at <= as_utc(filters.created_at_lte))
    query = query.order_by(Refund.created_at.desc(), Refund.id)
    return list(await db.scalars(page.apply(query)))
