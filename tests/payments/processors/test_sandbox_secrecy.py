"""The card number and the CVC never leave the charge call."""

from __future__ import annotations

import base64
import json
import logging
from collections.abc import Callable, Iterator
from dataclasses import asdict
from typing import Any

import pytest
import structlog

from till.core.clock import FrozenClock
from till.payments.processors import (
    TEST_CARDS,
    ChargeOutcome,
    ChargeRequest,
    SandboxProcessor,
)

RequestFactory = Callable[..., ChargeRequest]

# Values no amount, date or last4 in these tests can be mistaken for.
CVC = "737"
AMEX_CVC = "7373"

NUMBERS = [card.number for card in TEST_CARDS.values()] + ["6011 1111 1111 1117"]


def decoded_token(token: str) -> dict[str, Any]:
    payload = token.split(".")[0]
    decoded: dict[str, Any] = json.loads(
        base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    )
    return decoded


def leaves(value: object) -> Iterator[object]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from leaves(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from leaves(item)
    else:
        yield value


async def every_outcome(
    sandbox: SandboxProcessor, request: ChargeRequest
) -> list[ChargeOutcome]:
    """The charge, its challenge's completion and a later saved-method charge."""
    outcomes = [await sandbox.charge(request)]
    if outcomes[0].action_token is not None:
        outcomes.append(await sandbox.complete_action(outcomes[0].action_token, True))
    if outcomes[-1].method_token is not None:
        outcomes.append(
            await sandbox.charge_saved_method(
                outcomes[-1].method_token, 2500, "USD", "pay_renewal"
            )
        )
    return outcomes


def assert_secret_free(text_parts: list[object], number: str, cvc: str) -> None:
    digits = number.replace(" ", "")
    for part in text_parts:
        assert digits not in str(part)
        assert number not in str(part)
        # Neither the value nor a field that could hold it.
        assert str(part) != cvc
        assert str(part).lower() not in ("cvc", "number", "card_number")


@pytest.mark.parametrize("number", NUMBERS)
@pytest.mark.parametrize("force_3ds", [False, True])
async def test_number_and_cvc_appear_in_no_outcome_token_or_log(
    clock: FrozenClock,
    make_request: RequestFactory,
    caplog: pytest.LogCaptureFixture,
    number: str,
    force_3ds: bool,
) -> None:
    sandbox = SandboxProcessor(b"sandbox-test-key-0123456789abcdef", clock, "https://x")
    cvc = AMEX_CVC if number.startswith("3782") else CVC
    request = make_request(number, cvc=cvc, force_3ds=force_3ds, save_method=True)

    caplog.set_level(logging.DEBUG)
    with structlog.testing.capture_logs() as logs:
        outcomes = await every_outcome(sandbox, request)

    assert logs, "the sandbox logs its decisions"
    for outcome in outcomes:
        assert_secret_free([repr(outcome), *leaves(asdict(outcome))], number, cvc)
        for token in (outcome.action_token, outcome.method_token):
            if token is not None:
                assert_secret_free(list(leaves(decoded_token(token))), number, cvc)
    for event in logs:
        assert_secret_free([repr(event), *leaves(event)], number, cvc)
    assert_secret_free([caplog.text], number, cvc)


async def test_rejected_input_is_not_echoed_in_outcome_or_log(
    sandbox: SandboxProcessor, make_request: RequestFactory
) -> None:
    number = "4242 4242 4242 4241"  # fails Luhn: no summary to show either

    with structlog.testing.capture_logs() as logs:
        outcome = await sandbox.charge(make_request(number, cvc="12"))

    assert outcome.card is None
    assert_secret_free([repr(outcome), repr(logs)], number, "12")
