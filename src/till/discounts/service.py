"""Discount codes: the merchant's side (create, change, delete, list) and
the checkout's side (look codes up, count a use)."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import structlog
from sqlalchemy import ColumnElement, String, and_, cast, not_, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from till.catalog.service import get_products
from till.core.clock import Clock
from till.core.errors import FieldInvalid
from till.core.ids import new_id
from till.discounts.errors import (
    DiscountCodeNotFound,
    DiscountCodeTaken,
    DiscountNotFound,
    RestrictedProductUnknown,
)
from till.discounts.models import Discount
from till.discounts.schemas import CurrencyOptionIn, DiscountCreate, DiscountUpdate
from till.http.pagination import Page
from till.merchants.keys import Principal
from till.pricing.errors import (
    DiscountNotApplicable,
    DiscountUsageLimitReached,
    InvalidDiscountCode,
)
from till.pricing.inputs import FULL_PERCENTAGE, DiscountSpec

log = structlog.get_logger(__name__)

# No 0/O, 1/I/L: a generated code is read aloud and typed from paper.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
GENERATED_CODE_LENGTH = 16

# The fields PATCH may set back to null.
_CLEARABLE = ("name", "usage_limit", "starts_at", "expires_at", "subscription_cycles")


@dataclass(frozen=True)
class DiscountFilters:
    active: bool | None = None
    code: str | None = None
    discount_type: str | None = None
    product_id: str | None = None


def generate_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(GENERATED_CODE_LENGTH))


async def create_discount(
    db: AsyncSession, clock: Clock, who: Principal, data: DiscountCreate
) -> Discount:
    code = data.code or generate_code()
    await _refuse_taken_code(db, who, code)
    now = clock.now()
    discount = Discount(
        id=new_id("dsc"),
        merchant_id=who.merchant_id,
        mode=who.mode,
        code=code,
        type=data.type,
        amount=data.amount,
        currency=_currency(data.currency, data.currency_options, data.amount),
        usage_limit=data.usage_limit,
        times_used=0,
        starts_at=data.starts_at,
        expires_at=data.expires_at,
        restricted_to=await _own_products(db, who, data.restricted_to or []),
        subscription_cycles=data.subscription_cycles,
        name=data.name,
        preserve_on_plan_change=data.preserve_on_plan_change,
        meta=data.metadata,
        created_at=now,
        updated_at=now,
    )
    _check_terms(discount)
    db.add(discount)
    await _flush_unique(db, code)
    log.info("discount.created", merchant_id=who.merchant_id, discount_id=discount.id)
    return discount


async def get_discount(db: AsyncSession, who: Principal, discount_id: str) -> Discount:
    """A discount of the caller's merchant and mode that is not deleted."""
    discount = await db.get(Discount, discount_id)
    if discount is None or discount.deleted_at is not None or not who.owns(discount):
        raise DiscountNotFound(discount_id)
    return discount


async def get_by_code(db: AsyncSession, who: Principal, code: str) -> Discount:
    found = await _find_live_codes(db, who.merchant_id, who.mode, [code.upper()])
    if not found:
        raise DiscountCodeNotFound(code)
    return found[0]


async def update_discount(
    db: AsyncSession,
    clock: Clock,
    who: Principal,
    discount_id: str,
    data: DiscountUpdate,
) -> Discount:
    discount = await get_discount(db, who, discount_id)
    given = data.model_fields_set
    if data.code is not None and data.code != discount.code:
        await _refuse_taken_code(db, who, data.code)
        discount.code = data.code
    discount.type = data.type or discount.type
    discount.amount = data.amount or discount.amount
    if "currency" in given or data.currency_options is not None:
        options = data.currency_options or []
        discount.currency = _currency(data.currency, options, discount.amount)
    for name in _CLEARABLE:
        if name in given:
            setattr(discount, name, getattr(data, name))
    await _apply_options(db, who, discount, data)
    _check_terms(discount)
    discount.updated_at = clock.now()
    await _flush_unique(db, discount.code)
    log.info("discount.updated", merchant_id=who.merchant_id, discount_id=discount_id)
    return discount


async def _apply_options(
    db: AsyncSession, who: Principal, discount: Discount, data: DiscountUpdate
) -> None:
    if data.restricted_to is not None:
        discount.restricted_to = await _own_products(db, who, data.restricted_to)
    if data.preserve_on_plan_change is not None:
        discount.preserve_on_plan_change = data.preserve_on_plan_change
    if data.metadata is not None:
        discount.meta = data.metadata


async def delete_discount(
    db: AsyncSession, clock: Clock, who: Principal, discount_id: str
) -> None:
    """Soft delete: the row stays for the payments that used it, the code
    stops resolving and its text may be given to a new discount."""
    result = await db.execute(
        update(Discount)
        .where(
            Discount.id == discount_id,
            Discount.merchant_id == who.merchant_id,
            Discount.mode == who.mode,
            Discount.deleted_at.is_(None),
        )
        .values(deleted_at=clock.now())
        .execution_options(synchronize_session=False)
    )
    if result.rowcount == 0:  # type: ignore[attr-defined]
        raise DiscountNotFound(discount_id)
    log.info("discount.deleted", merchant_id=who.merchant_id, discount_id=discount_id)


async def list_discounts(
    db: AsyncSession,
    who: Principal,
    page: Page,
    filters: DiscountFilters,
    moment: datetime,
) -> list[Discount]:
    query = select(Discount).where(
        Discount.merchant_id == who.merchant_id,
        Discount.mode == who.mode,
        Discount.deleted_at.is_(None),
    )
    if filters.active is not None:
        redeemable = _redeemable(moment)
        query = query.where(redeemable if filters.active else not_(redeemable))
    if filters.code:
        part = filters.code.upper()
        query = query.where(Discount.code.contains(part, autoescape=True))
    if filters.discount_type:
        query = query.where(Discount.type == filters.discount_type)
    if filters.product_id:
        query = query.where(_applies_to(filters.product_id))
    query = query.order_by(Discount.created_at.desc(), Discount.id)
    return list(await db.scalars(page.apply(query)))


def _redeemable(moment: datetime) -> ColumnElement[bool]:
    return and_(
        or_(Discount.starts_at.is_(None), Discount.starts_at <= moment),
        or_(Discount.expires_at.is_(None), Discount.expires_at > moment),
        or_(
            Discount.usage_limit.is_(None),
            Discount.times_used < Discount.usage_limit,
        ),
    )


def _applies_to(product_id: str) -> ColumnElement[bool]:
    # The list is stored as JSON text on both databases; a quoted id inside
    # it is an exact match because ids never contain quotes.
    as_text = cast(Discount.restricted_to, String)
    return or_(
        as_text == "[]",
        as_text.contains(f'"{product_id}"', autoescape=True),
    )


async def resolve_codes(
    db: AsyncSession,
    who: Principal,
    codes: Sequence[str],
    *,
    currency: str | None = None,
) -> list[DiscountSpec]:
    """The codes a caller typed, as pricing inputs, in the order given."""
    return await resolve_codes_for_merchant(
        db, who.merchant_id, who.mode, codes, currency=currency
    )


async def resolve_codes_for_merchant(
    db: AsyncSession,
    merchant_id: str,
    mode: str,
    codes: Sequence[str],
    *,
    currency: str | None = None,
) -> list[DiscountSpec]:
    """Look codes up without case, keeping their order.

    An unknown or deleted code raises :class:`InvalidDiscountCode` naming
    ``discount_codes[i]``. With ``currency`` (the cart's), a flat code counted
    in another currency raises :class:`DiscountNotApplicable`. Dates and
    limits are judged by ``build_quote`` at the moment it is given.
    """
    if not codes:
        return []
    wanted = [code.strip().upper() for code in codes]
    rows = await _find_live_codes(db, merchant_id, mode, wanted)
    by_code = {row.code: row for row in rows}
    return [
        _spec(by_code.get(key), codes[index], index, currency)
        for index, key in enumerate(wanted)
    ]


async def consume_usage(db: AsyncSession, discount_ids: Sequence[str]) -> None:
    """Count one use of each discount, inside the caller's transaction.

    Each count is a conditional UPDATE, so two payments racing for the last
    use of a code cannot both win: the database row lock makes the second
    re-check ``times_used`` after the first commits. A code listed twice
    counts once. Rows are updated in id order, so two payments holding the
    same codes take their locks in one order and never deadlock.
    """
    unique = list(dict.fromkeys(discount_ids))
    for discount_id in sorted(unique):
        result = await db.execute(
            update(Discount)
            .where(
                Discount.id == discount_id,
                or_(
                    Discount.usage_limit.is_(None),
                    Discount.times_used < Discount.usage_limit,
                ),
            )
            .values(times_used=Discount.times_used + 1)
            .execution_options(synchronize_session=False)
        )
        if result.rowcount == 0:  # type: ignore[attr-defined]
            await _refuse_used_up(db, discount_id, unique.index(discount_id))
    log.info("discount.usage_counted", discount_ids=unique)


async def _refuse_used_up(db: AsyncSession, discount_id: str, index: int) -> None:
    field = f"discount_codes[{index}]"
    code = await db.scalar(select(Discount.code).where(Discount.id == discount_id))
    if code is None:
        raise InvalidDiscountCode(discount_id, field=field)
    log.info("discount.usage_refused", discount_id=discount_id)
    reason = "has been used as often as allowed"
    raise DiscountUsageLimitReached(code, reason, field=field)


def _spec(
    row: Discount | None, typed: str, index: int, currency: str | None
) -> DiscountSpec:
    field = f"discount_codes[{index}]"
    if row is None:
        raise InvalidDiscountCode(typed, field=field)
    if currency is not None and row.currency not in (None, currency):
        reason = f"is counted in {row.currency}, but the cart is priced in {currency}"
        raise DiscountNotApplicable(row.code, reason, field=field)
    return DiscountSpec(
        discount_id=row.id,
        code=row.code,
        type="flat" if row.type == "flat" else "percentage",
        amount=row.amount,
        restricted_to=frozenset(row.restricted_to),
        subscription_cycles=row.subscription_cycles,
        starts_at=row.starts_at,
        expires_at=row.expires_at,
        usage_limit=row.usage_limit,
        times_used=row.times_used,
    )


async def _find_live_codes(
    db: AsyncSession, merchant_id: str, mode: str, codes: Sequence[str]
) -> list[Discount]:
    rows = await db.scalars(
        select(Discount).where(
            Discount.merchant_id == merchant_id,
            Discount.mode == mode,
            Discount.code.in_(set(codes)),
            Discount.deleted_at.is_(None),
        )
    )
    return list(rows)


async def _refuse_taken_code(db: AsyncSession, who: Principal, code: str) -> None:
    if await _find_live_codes(db, who.merchant_id, who.mode, [code]):
        raise DiscountCodeTaken(code)


async def _flush_unique(db: AsyncSession, code: str) -> None:
    # Two concurrent requests for one code both pass the lookup; the partial
    # unique index decides, and the loser gets the sequential answer.
    try:
        await db.flush()
    except IntegrityError:
        raise DiscountCodeTaken(code) from None


async def _own_products(
    db: AsyncSession, who: Principal, product_ids: Sequence[str]
) -> list[str]:
    found = await get_products(db, who, product_ids) if product_ids else {}
    for index, product_id in enumerate(product_ids):
        if product_id not in found:
            raise RestrictedProductUnknown(index, product_id)
    return list(dict.fromkeys(product_ids))


def _currency(
    currency: str | None, options: Sequence[CurrencyOptionIn], amount: int
) -> str | None:
    """The one currency a code is counted in, from ``currency`` or the single
    row of ``currency_options``; rows that ask for more are refused."""
    if len(options) > 1:
        raise FieldInvalid("currency_options", "Till counts a code in one currency")
    if not options:
        return currency
    option = options[0]
    if currency is not None and option.currency != currency:
        reason = f"differs from currency {currency}"
        raise FieldInvalid("currency_options[0].currency", reason)
    if option.max_amount_possible not in (None, amount):
        reason = "must equal amount: caps are not supported"
        raise FieldInvalid("currency_options[0].max_amount_possible", reason)
    return option.currency


def _check_terms(discount: Discount) -> None:
    """Rules across fields, checked after a create or an update is applied."""
    if discount.type == "percentage" and discount.amount > FULL_PERCENTAGE:
        reason = f"a percentage is at most {FULL_PERCENTAGE} basis points (100 %)"
        raise FieldInvalid("amount", reason)
    if discount.type == "percentage" and discount.currency is not None:
        raise FieldInvalid("currency", "only a flat code is counted in a currency")
    starts, expires = discount.starts_at, discount.expires_at
    if starts is not None and expires is not None and expires <= starts:
        raise FieldInvalid("expires_at", "must be after starts_at")
