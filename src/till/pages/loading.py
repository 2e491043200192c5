"""Gathering what a page shows: the session row, its merchant, its products.

The only module of the pages that reads the database; it hands the views a
:class:`SessionFacts` with nothing lazy left in it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from till.catalog import service as catalog
from till.checkout.models import CheckoutSession, effective_status
from till.checkout.service import get_public_session
from till.merchants import service as merchants
from till.merchants.keys import Principal
from till.pages.views import PriceFacts, SessionFacts, card_label
from till.payments import service as payments
from till.pricing import Quote


async def load_session(
    db: AsyncSession, session_id: str, moment: datetime
) -> tuple[CheckoutSession, SessionFacts]:
    """The session and the facts its page needs; SessionNotFound (404)."""
    session = await get_public_session(db, session_id)
    merchant = await merchants.get_merchant(db, session.merchant_id)
    # The page is nobody's API call; reading the session's own products as
    # its merchant and mode keeps the usual ownership filter in force.
    owner = Principal(session.merchant_id, session.mode, key_id="")
    ids = [str(item["product_id"]) for item in session.product_cart]
    products = await catalog.get_products(db, owner, ids)
    descriptions = {pid: p.description for pid, p in products.items()}
    facts = replace(
        session_facts(
            session, merchant.name, descriptions, effective_status(session, moment)
        ),
        theme_defaults=merchant.checkout_theme,
        embed_origins=tuple(str(o) for o in merchant.embed_origins),
    )
    if facts.status == "completed" and session.payment_id:
        facts = await _as_paid(db, owner, facts, session.payment_id)
    return session, facts


async def _as_paid(
    db: AsyncSession, owner: Principal, facts: SessionFacts, payment_id: str
) -> SessionFacts:
    # The receipt shows what was charged: the buyer may have changed the
    # address or codes since the session was created, so its own quote is
    # not the one that was paid.
    payment, customer = await payments.get_payment(db, owner, payment_id)
    card = None
    if payment.card_last4:
        card = card_label(payment.card_brand or "", payment.card_last4)
    return replace(
        facts,
        quote=Quote.from_dict(payment.quote),
        customer_email=customer.email,
        card=card,
    )


def session_facts(
    session: CheckoutSession,
    merchant_name: str,
    descriptions: Mapping[str, str | None],
    status: str,
) -> SessionFacts:
    return SessionFacts(
        id=session.id,
        mode=session.mode,
        status=status,
        merchant_name=merchant_name,
        quote=Quote.from_dict(session.quote),
        prices=tuple(_price_facts(spec) for spec in session.price_specs),
        descriptions=dict(descriptions),
        customer_email=session.customer_email,
        customer_name=session.customer_name,
        customer_phone=session.customer_phone,
        billing_address=session.billing_address,
        tax_id=session.tax_id,
        business_name=session.customer_business_name,
        discount_codes=tuple(str(c) for c in session.discount_codes),
        amounts=_chosen_amounts(session.product_cart),
        flags=dict(session.feature_flags),
        custom_fields=tuple(dict(f) for f in session.custom_fields),
        return_url=session.return_url,
        cancel_url=session.cancel_url,
        minimal_address=session.minimal_address,
        expires_at=session.expires_at,
        payment_id=session.payment_id,
        payment_status=session.payment_status,
        customization=dict(session.customization or {}),
    )


def _price_facts(spec: Mapping[str, Any]) -> PriceFacts:
    return PriceFacts(
        product_id=str(spec["product_id"]),
        unit_price=int(spec["unit_price"]),
        pay_what_you_want=bool(spec.get("pay_what_you_want", False)),
        is_subscription=bool(spec.get("is_subscription", False)),
        payment_frequency_count=int(spec.get("payment_frequency_count", 1)),
        payment_frequency_interval=str(spec.get("payment_frequency_interval", "Month")),
    )


def _chosen_amounts(cart: list[Any]) -> dict[str, int]:
    return {
        str(item["product_id"]): int(item["amount"])
        for item in cart
        if item.get("amount") is not None
    }
