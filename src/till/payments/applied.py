"""The discounts a payment used, as the wire format's ``DiscountDetail``.

A payment keeps a copy taken when it was made, so deleting or editing a
discount later does not rewrite what an old payment says it applied.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from till.discounts.models import Discount


async def discount_details(
    db: AsyncSession,
    discount_ids: Sequence[str],
    cycles_remaining: dict[str, int | None] | None = None,
) -> list[dict[str, Any]]:
    """One detail per id, in stack order; ``cycles_remaining`` is given for
    a subscription and left ``None`` for a one-time payment."""
    if not discount_ids:
        return []
    rows = await db.scalars(select(Discount).where(Discount.id.in_(discount_ids)))
    by_id = {row.id: row for row in rows}
    remaining = cycles_remaining or {}
    return [
        _detail(by_id[discount_id], position, remaining.get(discount_id))
        for position, discount_id in enumerate(discount_ids)
        if discount_id in by_id
    ]


def _detail(
    discount: Discount, position: int, cycles_remaining: int | None
) -> dict[str, Any]:
    return {
        "discount_id": discount.id,
        "business_id": discount.merchant_id,
        "code": discount.code,
        "type": discount.type,
        "amount": discount.amount,
        "name": discount.name,
        "position": position,
        "times_used": discount.times_used,
        "usage_limit": discount.usage_limit,
        "restricted_to": list(discount.restricted_to or []),
        "subscription_cycles": discount.subscription_cycles,
        "cycles_remaining": cycles_remaining,
        "preserve_on_plan_change": bool(discount.preserve_on_plan_change),
        "metadata": dict(discount.meta or {}),
        "expires_at": _iso(discount.expires_at),
        "created_at": _iso(discount.created_at),
    }


def _iso(moment: Any) -> str | None:
    return None if moment is None else moment.isoformat()
