"""The customer a payment belongs to: found by email, or created.

Emails are unique per merchant and mode, so ``always_create_new_customer``
cannot mean a second customer with the same email. Till reads the flag as
"this checkout's details are the customer's latest": an existing customer
with that email is reused, and its name and phone number are replaced by what
the buyer typed. Without the flag, an existing customer keeps its details and
only gains the ones it lacked.

The customer is resolved in a short transaction of its own before the
charge, so two checkouts creating the same customer at once meet on the
unique index there, and the payment's own transactions never fail on it.
"""

from __future__ import annotations

from datetime import datetime

import structlog
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from till.checkout.models import CheckoutSession
from till.core.ids import new_id
from till.customers.models import Customer
from till.customers.service import email_key
from till.http.context import AppContext
from till.payments.buyer import CheckedBuyer

log = structlog.get_logger(__name__)


async def resolve_customer(
    ctx: AppContext, session: CheckoutSession, buyer: CheckedBuyer, moment: datetime
) -> Customer:
    """Find or create the customer and commit; retried once when another
    request created the same customer between the lookup and the insert."""
    for _ in range(2):
        async with ctx.sessions() as db:
            try:
                customer = await _find_or_create(db, session, buyer, moment)
                await db.commit()
                return customer
            except IntegrityError:
                await db.rollback()
    raise RuntimeError("the customer row kept conflicting")  # pragma: no cover


async def _find_or_create(
    db: AsyncSession, session: CheckoutSession, buyer: CheckedBuyer, moment: datetime
) -> Customer:
    replace = bool(session.feature_flags.get("always_create_new_customer"))
    known = await _session_customer(db, session)
    if known is None:
        known = await db.scalar(
            select(Customer).where(
                Customer.merchant_id == session.merchant_id,
                Customer.mode == session.mode,
                Customer.email_key == email_key(buyer.email),
            )
        )
    if known is not None:
        _refresh(known, buyer, replace)
        await db.flush()
        return known
    return await _create(db, session, buyer, moment)


async def _session_customer(
    db: AsyncSession, session: CheckoutSession
) -> Customer | None:
    # A session made for a known customer pays as that customer, whatever
    # email the buyer typed.
    if session.customer_id is None:
        return None
    customer = await db.get(Customer, session.customer_id)
    if customer is None or (customer.merchant_id, customer.mode) != (
        session.merchant_id,
        session.mode,
    ):
        return None
    return customer


def _refresh(customer: Customer, buyer: CheckedBuyer, replace: bool) -> None:
    if buyer.name and (replace or not customer.name):
        customer.name = buyer.name
    if buyer.phone and (replace or not customer.phone_number):
        customer.phone_number = buyer.phone


async def _create(
    db: AsyncSession, session: CheckoutSession, buyer: CheckedBuyer, moment: datetime
) -> Customer:
    customer = Customer(
        id=new_id("cus"),
        merchant_id=session.merchant_id,
        mode=session.mode,
        email=buyer.email,
        email_key=email_key(buyer.email),
        name=buyer.name,
        phone_number=buyer.phone,
        meta={},
        created_at=moment,
    )
    db.add(customer)
    await db.flush()
    log.info(
        "customer.created",
        merchant_id=session.merchant_id,
        customer_id=customer.id,
        session_id=session.id,
    )
    return customer
