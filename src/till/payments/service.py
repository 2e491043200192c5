"""Reading payments. Paying is ``pay.py``; 3-D Secure completion is
``complete.py``; both settle through ``settle.py``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from till.core.clock import as_utc
from till.customers.models import Customer
from till.http.pagination import Page
from till.merchants.keys import Principal
from till.payments.errors import PaymentNotFound
from till.payments.models import Payment
from till.refunds.models import Refund
from till.subscriptions.models import Subscription


@dataclass(frozen=True)
class PaymentFilters:
    status: str | None = None
    customer_id: str | None = None
    subscription_id: str | None = None
    currency: str | None = None
    created_at_gte: datetime | None = None
    created_at_lte: datetime | None = None


async def get_payment(
    db: AsyncSession, who: Principal, payment_id: str
) -> tuple[Payment, Customer]:
    """A payment of the caller's merchant and mode, with its customer."""
    payment = await db.get(Payment, payment_id)
    if payment is None or not who.owns(payment):
        raise PaymentNotFound(payment_id)
    customer = await db.get(Customer, payment.customer_id)
    assert customer is not None  # a foreign key guarantees it
    return payment, customer


async def list_payments(
    db: AsyncSession, who: Principal, page: Page, filters: PaymentFilters
) -> list[tuple[Payment, Customer]]:
    """Newest first, each with its customer, in one query."""
    query = (
        select(Payment, Customer)
        .join(Customer, Customer.id == Payment.customer_id)
        .where(Payment.merchant_id == who.merchant_id, Payment.mode == who.mode)
    )
    if filters.status is not None:
        query = query.where(Payment.status == filters.status)
    if filters.customer_id is not None:
        query = query.where(Payment.customer_id == filters.customer_id)
    if filters.currency is not None:
        query = query.where(Payment.currency == filters.currency.upper())
    if filters.subscription_id is not None:
        query = query.where(_pays_for(filters.subscription_id))
    if filters.created_at_gte is not None:
        query = query.where(Payment.created_at >= as_utc(filters.created_at_gte))
    if filters.created_at_lte is not None:
        query = query.where(Payment.created_at <= as_utc(filters.created_at_lte))
    query = query.order_by(Payment.created_at.desc(), Payment.id)
    rows = await db.execute(query.limit(page.size).offset(page.size * page.number))
    return [(row[0], row[1]) for row in rows.all()]


def _pays_for(subscription_id: str) -> ColumnElement[bool]:
    # A payment names its subscription when it started exactly one; one that
    # started several is found through the subscription's first payment.
    started = select(Subscription.payment_id).where(Subscription.id == subscription_id)
    return or_(
        Payment.subscription_id == subscription_id,
        Payment.id.in_(started),
    )


async def refunds_of(db: AsyncSession, payment_id: str) -> list[Refund]:
    """A payment's refunds, oldest first."""
    rows = await db.scalars(
        select(Refund)
        .where(Refund.payment_id == payment_id)
        .order_by(Refund.created_at, Refund.id)
    )
    return list(rows)
