"""Customers: the people and businesses who buy from a merchant."""

from __future__ import annotations

from datetime import datetime

import structlog
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from till.core.clock import Clock
from till.core.ids import new_id
from till.customers.errors import CustomerEmailTaken, CustomerNotFound
from till.customers.models import Customer
from till.customers.schemas import CustomerCreate, CustomerUpdate
from till.http.pagination import Page
from till.merchants.keys import Principal

log = structlog.get_logger(__name__)


def email_key(email: str) -> str:
    return email.strip().lower()


async def find_by_email(
    db: AsyncSession, who: Principal, email: str
) -> Customer | None:
    found: Customer | None = await db.scalar(
        select(Customer).where(
            Customer.merchant_id == who.merchant_id,
            Customer.mode == who.mode,
            Customer.email_key == email_key(email),
        )
    )
    return found


async def create_customer(
    db: AsyncSession, clock: Clock, who: Principal, data: CustomerCreate
) -> Customer:
    if await find_by_email(db, who, data.email) is not None:
        raise CustomerEmailTaken(data.email)
    customer = Customer(
        id=new_id("cus"),
        merchant_id=who.merchant_id,
        mode=who.mode,
        email=data.email,
        email_key=email_key(data.email),
        name=data.name,
        phone_number=data.phone_number,
        preferred_locale=data.preferred_locale,
        meta=data.metadata,
        created_at=clock.now(),
    )
    db.add(customer)
    await _flush_unique(db, data.email)
    log.info("customer.created", merchant_id=who.merchant_id, customer_id=customer.id)
    return customer


async def _flush_unique(db: AsyncSession, email: str) -> None:
    # Two concurrent creates with one email both pass the lookup; the unique
    # index decides, and the loser gets the same error as a sequential retry.
    try:
        await db.flush()
    except IntegrityError:
        raise CustomerEmailTaken(email) from None


async def get_customer(db: AsyncSession, who: Principal, customer_id: str) -> Customer:
    customer = await db.get(Customer, customer_id)
    if customer is None or not who.owns(customer):
        raise CustomerNotFound(customer_id)
    return customer


async def update_customer(
    db: AsyncSession, who: Principal, customer_id: str, data: CustomerUpdate
) -> Customer:
    customer = await get_customer(db, who, customer_id)
    if data.email is not None and email_key(data.email) != customer.email_key:
        if await find_by_email(db, who, data.email) is not None:
            raise CustomerEmailTaken(data.email)
        customer.email, customer.email_key = data.email, email_key(data.email)
    if data.name is not None:
        customer.name = data.name
    if "phone_number" in data.model_fields_set:
        customer.phone_number = data.phone_number
    if "preferred_locale" in data.model_fields_set:
        customer.preferred_locale = data.preferred_locale
    if data.metadata is not None:
        customer.meta = data.metadata
    await _flush_unique(db, customer.email)
    log.info("customer.updated", merchant_id=who.merchant_id, customer_id=customer_id)
    return customer


async def list_customers(
    db: AsyncSession,
    who: Principal,
    page: Page,
    *,
    email: str | None = None,
    name: str | None = None,
    created_at_gte: datetime | None = None,
    created_at_lte: datetime | None = None,
) -> list[Customer]:
    query = select(Customer).where(
        Customer.merchant_id == who.merchant_id, Customer.mode == who.mode
    )
    if email:
        query = query.where(Customer.email_key == email_key(email))
    if name:
        query = query.where(func.lower(Customer.name).contains(name.lower()))
    if created_at_gte:
        query = query.where(Customer.created_at >= created_at_gte)
    if created_at_lte:
        query = query.where(Customer.created_at <= created_at_lte)
    query = query.order_by(Customer.created_at.desc(), Customer.id)
    return list(await db.scalars(page.apply(query)))
