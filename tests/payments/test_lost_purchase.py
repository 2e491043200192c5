"""Charges that cannot become purchases are undone; dead attempts end.

A fake processor wraps the sandbox and changes the world while it "charges",
as a concurrent request or a crash could: the buyer must end up not charged
(the charge is refunded), with a cancelled payment and a session that can be
paid again.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import update

from tests.payments.support import Shop
from till.checkout import transitions
from till.core.clock import FrozenClock
from till.discounts.models import Discount
from till.payments import settle
from till.payments.errors import PaymentInProgress
from till.payments.processors import (
    ChargeOutcome,
    ChargeRequest,
    RefundOutcome,
    SandboxProcessor,
)
from till.payments.startup import processor_of


class MeddlingProcessor:
    """The sandbox, plus something that happens during each charge."""

    def __init__(
        self, inner: SandboxProcessor, during: Callable[[], Awaitable[None]]
    ) -> None:
        self.inner = inner
        self.during = during
        self.refunds: list[tuple[str, int, str]] = []

    async def charge(self, request: ChargeRequest) -> ChargeOutcome:
        outcome = await self.inner.charge(request)
        await self.during()
        return outcome

    async def refund(self, ref: str, amount: int, currency: str) -> RefundOutcome:
        self.refunds.append((ref, amount, currency))
        return await self.inner.refund(ref, amount, currency)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


def _meddle(shop: Shop, during: Callable[[], Awaitable[None]]) -> MeddlingProcessor:
    inner = processor_of(shop.ctx)
    assert isinstance(inner, SandboxProcessor)
    fake = MeddlingProcessor(inner, during)
    shop.ctx.extras["processor"] = fake
    return fake


async def test_a_code_used_up_during_the_charge_cancels_and_refunds(
    shop: Shop,
) -> None:
    code = await shop.discount("LASTONE", usage_limit=1)
    sid = await shop.session(await shop.one_time(2000), discount_codes=["LASTONE"])

    async def someone_else_uses_it() -> None:
        async with shop.ctx.sessions() as db:
            await db.execute(
                update(Discount)
                .where(Discount.id == code["discount_id"])
                .values(times_used=1)
            )
            await db.commit()

    fake = _meddle(shop, someone_else_uses_it)

    attempt = await shop.pay(sid)

    assert attempt.status == "failed"
    assert attempt.error_code == "discount_unavailable"
    assert attempt.error_message is not None
    assert "not been charged" in attempt.error_message
    [payment] = await shop.payments_of(sid)
    assert payment.status == "cancelled"
    assert fake.refunds == [(payment.processor_ref, payment.total_amount, "USD")]
    session = await shop.stored_session(sid)
    assert (session.status, session.payment_status) == ("open", "failed")
    assert await shop.event_count("payment.cancelled", payment.id) == 1
    assert await shop.event_count("payment.succeeded", payment.id) == 0

    fake.during = _nothing
    retried = await shop.pay(sid, discount_codes=[])
    assert retried.status == "succeeded"


async def test_a_session_ended_during_the_charge_cancels_and_refunds(
    shop: Shop,
) -> None:
    sid = await shop.session(await shop.one_time(1500))

    async def merchant_ends_it() -> None:
        async with shop.ctx.sessions() as db:
            assert await transitions.expire(db, sid, shop.ctx.clock.now())
            await db.commit()

    fake = _meddle(shop, merchant_ends_it)

    attempt = await shop.pay(sid)

    assert (attempt.status, attempt.error_code) == ("failed", "session_expired")
    [payment] = await shop.payments_of(sid)
    assert payment.status == "cancelled"
    assert len(fake.refunds) == 1
    assert (await shop.stored_session(sid)).status == "expired"


async def _nothing() -> None:
    return None


async def test_a_fault_while_recording_refunds_and_frees_the_session(
    shop: Shop, monkeypatch: pytest.MonkeyPatch
) -> None:
    sid = await shop.session(await shop.recurring(900))
    fake = _meddle(shop, _nothing)

    async def broken(*_: Any) -> list[Any]:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(settle, "start_subscriptions", broken)

    attempt = await shop.pay(sid)

    assert (attempt.status, attempt.error_code) == ("failed", "processing_error")
    [payment] = await shop.payments_of(sid)
    assert payment.status == "cancelled"
    assert [amount for _, amount, _ in fake.refunds] == [payment.total_amount]
    assert (await shop.stored_session(sid)).payment_status == "failed"

    monkeypatch.undo()
    assert (await shop.pay(sid)).status == "succeeded"


async def test_a_claim_left_by_a_dead_attempt_is_taken_over_later(
    shop: Shop, clock: FrozenClock
) -> None:
    sid = await shop.session(await shop.one_time())

    async def process_dies() -> None:
        raise asyncio.CancelledError  # as when a worker is killed mid-charge

    fake = _meddle(shop, process_dies)
    with pytest.raises(asyncio.CancelledError):
        await shop.pay(sid)
    fake.during = _nothing
    [dead] = await shop.payments_of(sid)
    assert dead.status == "processing"

    with pytest.raises(PaymentInProgress):
        await shop.pay(sid)

    clock.advance(timedelta(minutes=3))
    retried = await shop.pay(sid)

    assert retried.status == "succeeded"
    by_id = {p.id: p for p in await shop.payments_of(sid)}
    assert by_id[dead.id].status == "failed"
    assert by_id[dead.id].error_code == "processing_error"
    assert await shop.event_count("payment.failed", dead.id) == 1
