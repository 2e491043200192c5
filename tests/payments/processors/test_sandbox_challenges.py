from __future__ import annotations

import base64
import json
from collections.abc import Callable
from datetime import timedelta

import pytest

from till.core.clock import FrozenClock
from till.payments.processors import (
    ActionTokenExpired,
    ChargeOutcome,
    ChargeRequest,
    ChargeStatus,
    InvalidActionToken,
    SandboxProcessor,
)

RequestFactory = Callable[..., ChargeRequest]

KEY = b"sandbox-test-key-0123456789abcdef"
PUBLIC_URL = "https://till.example"
CHALLENGE_CARD = "4000 0025 0000 3155"
CHALLENGE_THEN_DECLINE_CARD = "4000 0082 6000 3178"


async def start_challenge(
    sandbox: SandboxProcessor, make_request: RequestFactory, number: str, **kw: object
) -> ChargeOutcome:
    outcome = await sandbox.charge(make_request(number, **kw))
    assert outcome.status is ChargeStatus.REQUIRES_CUSTOMER_ACTION
    assert outcome.action_token is not None
    return outcome


def with_payload(token: str, change: Callable[[dict[str, object]], None]) -> str:
    payload, signature = token.split(".")
    body = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    change(body)
    text = json.dumps(body, separators=(",", ":"), sort_keys=True).encode()
    forged = base64.urlsafe_b64encode(text).rstrip(b"=").decode()
    return f"{forged}.{signature}"


@pytest.mark.parametrize(
    ("number", "approved", "status", "code"),
    [
        (CHALLENGE_CARD, True, ChargeStatus.SUCCEEDED, None),
        (CHALLENGE_CARD, False, ChargeStatus.FAILED, "authentication_failed"),
        (CHALLENGE_THEN_DECLINE_CARD, True, ChargeStatus.FAILED, "insufficient_funds"),
        (
            CHALLENGE_THEN_DECLINE_CARD,
            False,
            ChargeStatus.FAILED,
            "authentication_failed",
        ),
    ],
)
async def test_challenge_result_decides_the_charge(
    sandbox: SandboxProcessor,
    make_request: RequestFactory,
    number: str,
    approved: bool,
    status: ChargeStatus,
    code: str | None,
) -> None:
    pending = await start_challenge(sandbox, make_request, number)

    outcome = await sandbox.complete_action(pending.action_token or "", approved)

    assert outcome.status is status
    assert outcome.error_code == code
    assert outcome.processor_ref == pending.processor_ref
    assert outcome.card == pending.card
    assert outcome.action_token is None


async def test_action_url_points_at_the_sandbox_challenge_page(
    sandbox: SandboxProcessor, make_request: RequestFactory
) -> None:
    pending = await start_challenge(sandbox, make_request, CHALLENGE_CARD)

    assert pending.action_url == f"{PUBLIC_URL}/sandbox/3ds/{pending.action_token}"


async def test_another_process_with_the_same_key_completes_the_challenge(
    clock: FrozenClock, make_request: RequestFactory
) -> None:
    first = SandboxProcessor(KEY, clock, PUBLIC_URL)
    second = SandboxProcessor(KEY, clock, PUBLIC_URL + "/")
    pending = await start_challenge(first, make_request, CHALLENGE_CARD)

    outcome = await second.complete_action(pending.action_token or "", True)

    assert outcome.status is ChargeStatus.SUCCEEDED


async def test_describe_action_shows_what_the_challenge_page_needs(
    sandbox: SandboxProcessor, make_request: RequestFactory
) -> None:
    pending = await start_challenge(
        sandbox, make_request, CHALLENGE_CARD, amount=4200, currency="EUR"
    )

    claims = sandbox.describe_action(pending.action_token or "")

    assert (claims.amount, claims.currency) == (4200, "EUR")
    assert claims.card.last4 == "3155"
    assert claims.payment_id == "pay_test"
    assert claims.return_url == "https://till.example/checkout/cks_test/return"


async def test_approved_challenge_with_save_method_returns_a_method_token(
    sandbox: SandboxProcessor, make_request: RequestFactory
) -> None:
    pending = await start_challenge(
        sandbox, make_request, CHALLENGE_CARD, save_method=True
    )
    assert pending.method_token is None

    outcome = await sandbox.complete_action(pending.action_token or "", True)

    assert outcome.method_token is not None


async def test_action_token_works_until_fifteen_minutes_have_passed(
    sandbox: SandboxProcessor, make_request: RequestFactory, clock: FrozenClock
) -> None:
    pending = await start_challenge(sandbox, make_request, CHALLENGE_CARD)

    clock.advance(timedelta(minutes=14, seconds=59))

    outcome = await sandbox.complete_action(pending.action_token or "", True)
    assert outcome.status is ChargeStatus.SUCCEEDED


async def test_expired_action_token_is_refused(
    sandbox: SandboxProcessor, make_request: RequestFactory, clock: FrozenClock
) -> None:
    pending = await start_challenge(sandbox, make_request, CHALLENGE_CARD)

    clock.advance(timedelta(minutes=15))

    with pytest.raises(ActionTokenExpired) as caught:
        await sandbox.complete_action(pending.action_token or "", True)
    assert caught.value.status == 400
    assert caught.value.code == "ACTION_TOKEN_EXPIRED"
    with pytest.raises(ActionTokenExpired):
        sandbox.describe_action(pending.action_token or "")


def _set_amount(body: dict[str, object]) -> None:
    body["amount"] = 1


def _push_expiry(body: dict[str, object]) -> None:
    body["expires_at"] = 4_102_444_800


def _approve_decline_card(body: dict[str, object]) -> None:
    body["behaviour"] = "challenge"


@pytest.mark.parametrize(
    "forge",
    [
        pytest.param(lambda t: t[:-2] + ("AA" if t[-2:] != "AA" else "BB"), id="sig"),
        pytest.param(lambda t: t.split(".")[0], id="no-signature"),
        pytest.param(lambda t: t + ".extra", id="extra-part"),
        pytest.param(lambda t: with_payload(t, _set_amount), id="amount-changed"),
        pytest.param(lambda t: with_payload(t, _push_expiry), id="expiry-pushed"),
        pytest.param(
            lambda t: with_payload(t, _approve_decline_card), id="behaviour-changed"
        ),
        pytest.param(lambda t: "", id="empty"),
        pytest.param(lambda t: "not-a-token", id="garbage"),
        pytest.param(lambda t: "é" + t, id="non-ascii"),
    ],
)
async def test_forged_action_token_is_refused(
    sandbox: SandboxProcessor,
    make_request: RequestFactory,
    forge: Callable[[str], str],
) -> None:
    pending = await start_challenge(sandbox, make_request, CHALLENGE_THEN_DECLINE_CARD)

    with pytest.raises(InvalidActionToken) as caught:
        await sandbox.complete_action(forge(pending.action_token or ""), True)

    assert not isinstance(caught.value, ActionTokenExpired)
    assert caught.value.code == "INVALID_ACTION_TOKEN"


async def test_action_token_signed_with_another_key_is_refused(
    clock: FrozenClock, make_request: RequestFactory
) -> None:
    other = SandboxProcessor(b"another-key-0123456789abcdef", clock, PUBLIC_URL)
    ours = SandboxProcessor(KEY, clock, PUBLIC_URL)
    pending = await start_challenge(other, make_request, CHALLENGE_CARD)

    with pytest.raises(InvalidActionToken):
        await ours.complete_action(pending.action_token or "", True)


async def test_method_token_cannot_stand_in_for_an_action_token(
    sandbox: SandboxProcessor, make_request: RequestFactory
) -> None:
    request = make_request("4242 4242 4242 4242", save_method=True)
    saved = await sandbox.charge(request)

    with pytest.raises(InvalidActionToken):
        await sandbox.complete_action(saved.method_token or "", True)
