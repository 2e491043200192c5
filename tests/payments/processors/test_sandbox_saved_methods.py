from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from till.core.clock import FrozenClock
from till.payments.processors import (
    ChargeRequest,
    ChargeStatus,
    InvalidActionToken,
    InvalidMethodToken,
    SandboxProcessor,
)

RequestFactory = Callable[..., ChargeRequest]


async def save_card(
    sandbox: SandboxProcessor, make_request: RequestFactory, number: str, **kw: object
) -> str:
    outcome = await sandbox.charge(make_request(number, save_method=True, **kw))
    assert outcome.status is ChargeStatus.SUCCEEDED
    assert outcome.method_token is not None
    return outcome.method_token


async def test_without_save_method_no_method_token_is_issued(
    sandbox: SandboxProcessor, make_request: RequestFactory
) -> None:
    outcome = await sandbox.charge(make_request("4242 4242 4242 4242"))

    assert outcome.method_token is None


@pytest.mark.parametrize(
    ("number", "status", "code"),
    [
        ("4242 4242 4242 4242", ChargeStatus.SUCCEEDED, None),
        ("5555 5555 5555 4444", ChargeStatus.SUCCEEDED, None),
        ("4000 0000 0000 0341", ChargeStatus.FAILED, "card_declined"),
    ],
)
async def test_saved_method_charged_a_month_later(
    sandbox: SandboxProcessor,
    make_request: RequestFactory,
    clock: FrozenClock,
    number: str,
    status: ChargeStatus,
    code: str | None,
) -> None:
    token = await save_card(sandbox, make_request, number)
    clock.set(datetime(2026, 2, 15, tzinfo=UTC))

    outcome = await sandbox.charge_saved_method(token, 2500, "USD", "pay_renewal")

    assert outcome.status is status
    assert outcome.error_code == code
    assert outcome.retryable is False
    assert outcome.card is not None
    assert outcome.card.last4 == number[-4:]


async def test_saved_charge_gets_a_new_processor_ref(
    sandbox: SandboxProcessor, make_request: RequestFactory
) -> None:
    first = await sandbox.charge(make_request("4242424242424242", save_method=True))

    later = await sandbox.charge_saved_method(
        first.method_token or "", 2500, "USD", "pay_renewal"
    )

    assert later.processor_ref.startswith("sbx_ch_")
    assert later.processor_ref != first.processor_ref


async def test_saved_card_that_has_since_expired_fails_as_expired(
    sandbox: SandboxProcessor, make_request: RequestFactory, clock: FrozenClock
) -> None:
    token = await save_card(
        sandbox, make_request, "4242 4242 4242 4242", exp_month=2, exp_year=2026
    )
    clock.set(datetime(2026, 3, 1, tzinfo=UTC))

    outcome = await sandbox.charge_saved_method(token, 2500, "USD", "pay_renewal")

    assert outcome.error_code == "expired_card"


async def test_card_saved_after_a_challenge_renews_without_one(
    sandbox: SandboxProcessor, make_request: RequestFactory
) -> None:
    request = make_request("4000 0025 0000 3155", save_method=True)
    pending = await sandbox.charge(request)
    approved = await sandbox.complete_action(pending.action_token or "", True)

    renewal = await sandbox.charge_saved_method(
        approved.method_token or "", 2500, "USD", "pay_renewal"
    )

    assert renewal.status is ChargeStatus.SUCCEEDED


@pytest.mark.parametrize("token", ["", "garbage", "abc.def"])
async def test_unknown_method_token_is_refused(
    sandbox: SandboxProcessor, token: str
) -> None:
    with pytest.raises(InvalidMethodToken) as caught:
        await sandbox.charge_saved_method(token, 2500, "USD", "pay_renewal")

    assert caught.value.status == 400


async def test_action_token_cannot_stand_in_for_a_method_token(
    sandbox: SandboxProcessor, make_request: RequestFactory
) -> None:
    pending = await sandbox.charge(make_request("4000 0025 0000 3155"))

    with pytest.raises(InvalidMethodToken):
        await sandbox.charge_saved_method(
            pending.action_token or "", 2500, "USD", "pay_renewal"
        )
    assert not issubclass(InvalidMethodToken, InvalidActionToken)


async def test_method_token_from_another_key_is_refused(
    clock: FrozenClock, make_request: RequestFactory
) -> None:
    other = SandboxProcessor(b"another-key-0123456789abcdef", clock, "https://x")
    token = await save_card(other, make_request, "4242 4242 4242 4242")
    ours = SandboxProcessor(b"sandbox-test-key-0123456789abcdef", clock, "https://x")

    with pytest.raises(InvalidMethodToken):
        await ours.charge_saved_method(token, 2500, "USD", "pay_renewal")
