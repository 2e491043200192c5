"""3-D Secure: the payment waits for the buyer, then settles exactly once."""

from __future__ import annotations

import pytest

from tests.payments.support import THREE_DS, Shop, action_token
from till.payments.attempt import PayAttempt
from till.payments.complete import complete_action
from till.payments.processors import ChargeOutcome, InvalidActionToken, RefundOutcome
from till.payments.startup import processor_of


async def test_an_approved_challenge_completes_the_session(shop: Shop) -> None:
    sid = await shop.session(await shop.one_time(), return_url="https://shop.example/r")

    waiting = await shop.pay(sid, THREE_DS)

    assert waiting.status == "requires_customer_action"
    assert waiting.action_url is not None
    assert waiting.action_url.startswith("http://testserver/sandbox/3ds/")
    [payment] = await shop.payments_of(sid)
    assert payment.status == "requires_customer_action"
    session = await shop.stored_session(sid)
    assert (session.status, session.payment_status) == (
        "open",
        "requires_customer_action",
    )

    done = await complete_action(shop.ctx, action_token(waiting), approved=True)

    assert done.status == "succeeded"
    assert done.payment_id == payment.id
    assert (
        done.redirect_url is not None
        and f"payment_id={payment.id}" in done.redirect_url
    )
    [payment] = await shop.payments_of(sid)
    assert payment.status == "succeeded"
    assert payment.three_ds_status == "authenticated"
    session = await shop.stored_session(sid)
    assert (session.status, session.payment_id) == ("completed", payment.id)


async def test_a_replayed_challenge_does_not_pay_twice(shop: Shop) -> None:
    sid = await shop.session(await shop.one_time())
    waiting = await shop.pay(sid, THREE_DS)
    token = action_token(waiting)

    first = await complete_action(shop.ctx, token, approved=True)
    again = await complete_action(shop.ctx, token, approved=True)
    failed_late = await complete_action(shop.ctx, token, approved=False)

    assert first.status == again.status == failed_late.status == "succeeded"
    assert first.payment_id == again.payment_id == failed_late.payment_id
    assert [p.status for p in await shop.payments_of(sid)] == ["succeeded"]
    assert await shop.event_count("payment.succeeded", str(first.payment_id)) == 1


async def test_a_failed_challenge_fails_the_payment_and_the_buyer_may_retry(
    shop: Shop,
) -> None:
    sid = await shop.session(await shop.one_time())
    waiting = await shop.pay(sid, THREE_DS)

    failed = await complete_action(shop.ctx, action_token(waiting), approved=False)

    assert failed.status == "failed"
    assert failed.error_code == "authentication_failed"
    [payment] = await shop.payments_of(sid)
    assert (payment.status, payment.three_ds_status) == ("failed", "failed")
    assert (await shop.stored_session(sid)).payment_status == "failed"

    retried = await shop.pay(sid)
    assert retried.status == "succeeded"


async def test_a_new_attempt_cancels_an_abandoned_challenge(
    shop: Shop, monkeypatch: pytest.MonkeyPatch
) -> None:
    refunds: list[tuple[str, int]] = []
    processor = processor_of(shop.ctx)
    real_refund = processor.refund

    async def recording_refund(ref: str, amount: int, currency: str) -> RefundOutcome:
        refunds.append((ref, amount))
        return await real_refund(ref, amount, currency)

    monkeypatch.setattr(processor, "refund", recording_refund)
    sid = await shop.session(await shop.one_time())
    abandoned = await shop.pay(sid, THREE_DS)

    paid = await shop.pay(sid)
    late = await complete_action(shop.ctx, action_token(abandoned), approved=True)

    assert paid.status == "succeeded"
    assert late.status == "failed"
    assert late.error_code == "replaced"
    by_id = {p.id: p.status for p in await shop.payments_of(sid)}
    assert by_id == {
        abandoned.payment_id: "cancelled",
        paid.payment_id: "succeeded",
    }
    assert await shop.event_count("payment.cancelled", str(abandoned.payment_id)) == 1
    # The late approval never reached the processor, so nothing was taken.
    assert refunds == []


async def test_an_approval_racing_a_new_attempt_is_refunded(
    shop: Shop, monkeypatch: pytest.MonkeyPatch
) -> None:
    refunds: list[tuple[str, int]] = []
    processor = processor_of(shop.ctx)
    real_refund, real_complete = processor.refund, processor.complete_action
    sid = await shop.session(await shop.one_time())
    challenged = await shop.pay(sid, THREE_DS)
    replacing: list[PayAttempt] = []

    async def recording_refund(ref: str, amount: int, currency: str) -> RefundOutcome:
        refunds.append((ref, amount))
        return await real_refund(ref, amount, currency)

    async def slow_complete(token: str, approved: bool) -> ChargeOutcome:
        # While the processor approves, the buyer pays in another tab.
        replacing.append(await shop.pay(sid))
        return await real_complete(token, approved)

    monkeypatch.setattr(processor, "refund", recording_refund)
    monkeypatch.setattr(processor, "complete_action", slow_complete)

    late = await complete_action(shop.ctx, action_token(challenged), approved=True)

    assert (late.status, late.error_code) == ("failed", "replaced")
    assert replacing[0].status == "succeeded"
    by_id = {p.id: p for p in await shop.payments_of(sid)}
    cancelled = by_id[str(challenged.payment_id)]
    assert cancelled.status == "cancelled"
    assert refunds == [(cancelled.processor_ref, cancelled.total_amount)]
    assert [p.status for p in by_id.values()].count("succeeded") == 1


async def test_an_unknown_token_is_refused(shop: Shop) -> None:
    with pytest.raises(InvalidActionToken):
        await complete_action(shop.ctx, "not-a-token", approved=True)
