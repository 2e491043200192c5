"""The payment state machine: allowed moves, and one winner per move."""

from __future__ import annotations

import pytest

from tests.payments.support import THREE_DS, Shop
from till.payments import transitions


@pytest.mark.parametrize(
    ("source", "target", "allowed"),
    [
        ("processing", "succeeded", True),
        ("processing", "failed", True),
        ("processing", "requires_customer_action", True),
        ("processing", "cancelled", True),
        ("requires_customer_action", "succeeded", True),
        ("requires_customer_action", "cancelled", True),
        ("requires_customer_action", "processing", False),
        ("succeeded", "failed", False),
        ("failed", "succeeded", False),
        ("cancelled", "succeeded", False),
    ],
)
def test_allowed_moves(source: str, target: str, allowed: bool) -> None:
    assert (target in transitions.ALLOWED.get(source, frozenset())) is allowed


async def test_a_forbidden_move_is_a_programming_error(shop: Shop) -> None:
    async with shop.ctx.sessions() as db:
        with pytest.raises(ValueError, match="cannot move"):
            await transitions.move(
                db, "pay_x", ("succeeded",), "failed", shop.ctx.clock.now()
            )


async def test_only_the_first_of_two_moves_wins(shop: Shop) -> None:
    sid = await shop.session(await shop.one_time())
    waiting = await shop.pay(sid, THREE_DS)
    assert waiting.payment_id is not None
    moment = shop.ctx.clock.now()
    async with shop.ctx.sessions() as db:
        first = await transitions.move(
            db, waiting.payment_id, ("requires_customer_action",), "cancelled", moment
        )
        second = await transitions.move(
            db, waiting.payment_id, ("requires_customer_action",), "succeeded", moment
        )
        await db.commit()
    assert (first, second) == (True, False)
    [payment] = await shop.payments_of(sid)
    assert payment.status == "cancelled"
