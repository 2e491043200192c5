"""Creating a checkout session, and previewing one without creating it.

Preview and create go through :func:`price_request` with the same body and
the same moment semantics (the clock's now), so a preview shows, to the minor
unit, the quote the session would be created with.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import structlog
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from till.catalog import service as catalog
from till.catalog.errors import ProductArchived
from till.catalog.models import Product
from till.checkout.errors import CartCustomerNotFound, CartProductNotFound
from till.checkout.models import OPEN, CheckoutSession
from till.checkout.quoting import lookup_codes, price_cart, price_spec, spec_to_json
from till.checkout.requirements import (
    check_confirm,
    check_request,
    wants_minimal_address,
)
from till.checkout.schemas import (
    CartItemIn,
    CheckoutCreate,
    CustomerIn,
    CustomizationIn,
    FeatureFlagsIn,
)
from till.core.errors import FieldInvalid
from till.core.ids import new_id
from till.customers import service as customers
from till.customers.errors import CustomerNotFound
from till.merchants.keys import Principal
from till.merchants.models import Merchant
from till.pricing import CartLine, DiscountRefused, DiscountSpec, PriceSpec, Quote

log = structlog.get_logger(__name__)

LIFETIME = timedelta(hours=24)
CONFIRMED_LIFETIME = timedelta(minutes=15)
MAX_QUANTITY = 10_000


@dataclass(frozen=True)
class PricedRequest:
    """A create or preview body with its products loaded and its quote."""

    specs: tuple[PriceSpec, ...]
    seller_country: str
    quote: Quote


@dataclass(frozen=True)
class Buyer:
    customer_id: str | None = None
    email: str | None = None
    name: str | None = None
    phone: str | None = None


async def preview(
    db: AsyncSession, who: Principal, body: CheckoutCreate, moment: datetime
) -> Quote:
    """The quote ``POST /checkouts`` would store for ``body``; writes nothing."""
    check_request(body)
    return (await price_request(db, who, body, moment)).quote


async def create_session(
    db: AsyncSession,
    who: Principal,
    body: CheckoutCreate,
    moment: datetime,
    *,
    origin: str = "api",
    link_id: str | None = None,
) -> CheckoutSession:
    """Check, price and store a new open session; flushes, never commits.

    Payment links create their sessions here too, with ``origin="link"``.
    """
    check_request(body)
    priced = await price_request(db, who, body, moment)
    buyer = await buyer_of(db, who, body.customer)
    if body.confirm:
        check_confirm(body, buyer.email, buyer.phone, priced.quote)
    session = _new_session(who, body, priced, buyer, moment)
    session.origin, session.link_id = origin, link_id
    db.add(session)
    await db.flush()
    log.info(
        "checkout.session_created",
        merchant_id=who.merchant_id,
        session_id=session.id,
        total_amount=session.total_amount,
        currency=session.currency,
    )
    return session


async def price_request(
    db: AsyncSession, who: Principal, body: CheckoutCreate, moment: datetime
) -> PricedRequest:
    products = await load_cart(db, who, body.product_cart)
    specs = tuple(price_spec(product) for product in products)
    lines = [
        CartLine(spec, item.quantity, item.amount)
        for spec, item in zip(specs, body.product_cart, strict=True)
    ]
    discounts = await _discounts(db, who, body, specs[0].currency)
    seller = who.country or await seller_country(db, who.merchant_id)
    quote = price_cart(
        lines,
        discounts,
        _address_json(body),
        tax_id=body.tax_id,
        seller_country=seller,
        moment=moment,
        trial_period_days=body.trial_period_days,
    )
    return PricedRequest(specs, seller, quote)


async def load_cart(
    db: AsyncSession, who: Principal, items: Sequence[CartItemIn]
) -> list[Product]:
    """The product of every line, in cart order, from one query.

    Refuses, naming the line, a product that is not the caller's (404), an
    archived one (409), a line repeated, or a quantity out of range (422).
    """
    _check_lines(items)
    found = await catalog.get_products(db, who, [item.product_id for item in items])
    products = []
    for index, item in enumerate(items):
        product = found.get(item.product_id)
        if product is None:
            raise CartProductNotFound(index, item.product_id)
        if product.archived:
            field = f"product_cart[{index}].product_id"
            raise ProductArchived(product.id, field=field)
        products.append(product)
    return products


def _check_lines(items: Sequence[CartItemIn]) -> None:
    seen: set[str] = set()
    for index, item in enumerate(items):
        if not 1 <= item.quantity <= MAX_QUANTITY:
            field = f"product_cart[{index}].quantity"
            raise FieldInvalid(field, f"must be from 1 to {MAX_QUANTITY}")
        if item.product_id in seen:
            field = f"product_cart[{index}].product_id"
            raise FieldInvalid(field, "is in the cart twice; raise the quantity")
        seen.add(item.product_id)


async def _discounts(
    db: AsyncSession, who: Principal, body: CheckoutCreate, currency: str
) -> list[DiscountSpec]:
    try:
        return await lookup_codes(db, who.merchant_id, who.mode, body.codes, currency)
    except DiscountRefused as refused:
        raise _renamed(refused, body) from None


def _renamed(refused: DiscountRefused, body: CheckoutCreate) -> DiscountRefused:
    # A request that used the older single field gets errors naming it.
    if body.discount_code is not None and body.discount_codes is None:
        refused.field = "discount_code"
    return refused


async def seller_country(db: AsyncSession, merchant_id: str) -> str:
    """Where the merchant is established; decides reverse charge."""
    query = select(Merchant.country).where(Merchant.id == merchant_id)
    country = await db.scalar(query)
    return country or "US"


async def buyer_of(
    db: AsyncSession, who: Principal, customer: CustomerIn | None
) -> Buyer:
    """Who the merchant says will pay: a known customer, or new details."""
    if customer is None:
        return Buyer()
    if customer.customer_id is None:
        return Buyer(None, customer.email, customer.name, customer.phone_number)
    try:
        known = await customers.get_customer(db, who, customer.customer_id)
    except CustomerNotFound:
        raise CartCustomerNotFound(customer.customer_id) from None
    return Buyer(known.id, known.email, known.name or None, known.phone_number)


def _address_json(body: CheckoutCreate) -> dict[str, Any] | None:
    if body.billing_address is None:
        return None
    return body.billing_address.model_dump()


def _new_session(
    who: Principal,
    body: CheckoutCreate,
    priced: PricedRequest,
    buyer: Buyer,
    moment: datetime,
) -> CheckoutSession:
    flags = body.feature_flags or FeatureFlagsIn()
    lifetime = CONFIRMED_LIFETIME if body.confirm else LIFETIME
    return CheckoutSession(
        id=new_id("cks"),
        merchant_id=who.merchant_id,
        mode=who.mode,
        status=OPEN,
        currency=priced.quote.currency,
        total_amount=priced.quote.total_price,
        quote=priced.quote.to_dict(),
        price_specs=[spec_to_json(spec) for spec in priced.specs],
        product_cart=[item.model_dump() for item in body.product_cart],
        discount_codes=body.codes,
        seller_country=priced.seller_country,
        trial_period_days=body.trial_period_days,
        customer_id=buyer.customer_id,
        customer_email=buyer.email,
        customer_name=buyer.name,
        customer_phone=buyer.phone,
        billing_address=_address_json(body),
        tax_id=body.tax_id or None,
        customer_business_name=body.customer_business_name,
        meta=dict(body.metadata or {}),
        return_url=body.return_url,
        cancel_url=body.cancel_url,
        confirm=body.confirm,
        minimal_address=wants_minimal_address(body),
        feature_flags=flags.model_dump(),
        customization=_customization(body),
        custom_fields=[f.model_dump() for f in body.custom_fields or []],
        options=_options(body),
        pay_attempts=0,
        last_activity_at=moment,
        expires_at=moment + lifetime,
        created_at=moment,
    )


def _customization(body: CheckoutCreate) -> dict[str, Any]:
    return (body.customization or CustomizationIn()).model_dump()


def _options(body: CheckoutCreate) -> dict[str, Any]:
    data = body.subscription_data
    return {
        "allowed_payment_method_types": body.allowed_payment_method_types,
        "show_saved_payment_methods": body.show_saved_payment_methods,
        "payment_method_id": body.payment_method_id,
        "force_3ds": body.force_3ds,
        "subscription_data": data.model_dump() if data is not None else None,
    }
