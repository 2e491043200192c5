from __future__ import annotations

from collections.abc import Callable

import pytest

from till.core.clock import FrozenClock
from till.core.errors import FieldInvalid
from till.payments.processors import (
    TEST_CARDS,
    CardBrand,
    ChargeRequest,
    ChargeStatus,
    FailureCode,
    RefundStatus,
    SandboxProcessor,
)
from till.payments.processors.cards import detect_brand, passes_luhn

RequestFactory = Callable[..., ChargeRequest]

SUCCEEDED = ChargeStatus.SUCCEEDED
FAILED = ChargeStatus.FAILED
ACTION = ChargeStatus.REQUIRES_CUSTOMER_ACTION


@pytest.mark.parametrize(
    ("number", "status", "code", "retryable", "brand"),
    [
        ("4242 4242 4242 4242", SUCCEEDED, None, False, CardBrand.VISA),
        ("5555 5555 5555 4444", SUCCEEDED, None, False, CardBrand.MASTERCARD),
        ("3782 822463 10005", SUCCEEDED, None, False, CardBrand.AMEX),
        ("4000 0000 0000 0002", FAILED, "card_declined", False, CardBrand.VISA),
        ("4000 0000 0000 9995", FAILED, "insufficient_funds", False, CardBrand.VISA),
        ("4000 0000 0000 0069", FAILED, "expired_card", False, CardBrand.VISA),
        ("4000 0000 0000 0127", FAILED, "incorrect_cvc", False, CardBrand.VISA),
        ("4000 0000 0000 0119", FAILED, "processing_error", True, CardBrand.VISA),
        ("4000 0025 0000 3155", ACTION, None, False, CardBrand.VISA),
        ("4000 0082 6000 3178", ACTION, None, False, CardBrand.VISA),
        ("4000 0000 0000 0341", SUCCEEDED, None, False, CardBrand.VISA),
        # Any other Luhn-valid number behaves like 4242 4242 4242 4242.
        ("6011 1111 1111 1117", SUCCEEDED, None, False, CardBrand.DISCOVER),
        ("3566 0020 2036 0505", SUCCEEDED, None, False, CardBrand.JCB),
    ],
)
async def test_test_card_outcome(
    sandbox: SandboxProcessor,
    make_request: RequestFactory,
    number: str,
    status: ChargeStatus,
    code: str | None,
    retryable: bool,
    brand: CardBrand,
) -> None:
    outcome = await sandbox.charge(make_request(number))

    assert outcome.status is status
    assert outcome.error_code == code
    assert outcome.retryable is retryable
    assert outcome.card is not None
    assert outcome.card.brand is brand
    assert outcome.card.last4 == number[-4:]
    assert outcome.processor_ref.startswith("sbx_ch_")


def test_every_test_card_is_luhn_valid_and_of_its_stated_brand() -> None:
    for digits, card in TEST_CARDS.items():
        assert passes_luhn(digits), card.number
        assert detect_brand(digits) is card.brand, card.number


async def test_failed_outcome_carries_a_message_for_the_buyer(
    sandbox: SandboxProcessor, make_request: RequestFactory
) -> None:
    outcome = await sandbox.charge(make_request("4000 0000 0000 9995"))

    assert outcome.error_message == FailureCode.INSUFFICIENT_FUNDS.message


@pytest.mark.parametrize(
    ("number", "exp_month", "exp_year", "cvc", "code"),
    [
        ("4242 4242 4242 4241", 12, 2030, "737", "invalid_card_number"),
        ("4242 4242 4242 424x", 12, 2030, "737", "invalid_card_number"),
        ("4242 4242 4242 4242", 13, 2030, "737", "invalid_expiry_month"),
        ("4242 4242 4242 4242", 12, 2025, "737", "expired_card"),
        ("4242 4242 4242 4242", 12, 2030, "73", "invalid_cvc"),
        ("4242 4242 4242 4242", 12, 2030, "7373", "invalid_cvc"),
        ("3782 822463 10005", 12, 2030, "737", "invalid_cvc"),
        # Input problems come first, even on a card that would succeed anyway.
        ("4000 0025 0000 3155", 12, 2025, "737", "expired_card"),
    ],
)
async def test_bad_card_input_fails_with_a_precise_code(
    sandbox: SandboxProcessor,
    make_request: RequestFactory,
    number: str,
    exp_month: int,
    exp_year: int,
    cvc: str,
    code: str,
) -> None:
    request = make_request(number, exp_month=exp_month, exp_year=exp_year, cvc=cvc)

    outcome = await sandbox.charge(request)

    assert outcome.status is FAILED
    assert outcome.error_code == code
    assert outcome.retryable is False


@pytest.mark.parametrize(
    ("exp_month", "exp_year", "status"),
    [
        (1, 2026, SUCCEEDED),  # the clock says 15 January 2026
        (12, 2025, FAILED),
        (1, 26, SUCCEEDED),
        (12, 2099, SUCCEEDED),
    ],
)
async def test_expiry_is_judged_against_the_injected_clock(
    sandbox: SandboxProcessor,
    make_request: RequestFactory,
    exp_month: int,
    exp_year: int,
    status: ChargeStatus,
) -> None:
    request = make_request("4242424242424242", exp_month=exp_month, exp_year=exp_year)

    assert (await sandbox.charge(request)).status is status


@pytest.mark.parametrize("cvc", ["000", "123", "999"])
async def test_any_cvc_of_the_right_length_works(
    sandbox: SandboxProcessor, make_request: RequestFactory, cvc: str
) -> None:
    outcome = await sandbox.charge(make_request("4242 4242 4242 4242", cvc=cvc))

    assert outcome.status is SUCCEEDED


@pytest.mark.parametrize(
    "number",
    [
        "4242 4242 4242 4242",
        "3782 822463 10005",
        "4000 0000 0000 0341",
        "6011 1111 1111 1117",
    ],
)
async def test_force_3ds_sends_a_succeeding_card_through_the_challenge(
    sandbox: SandboxProcessor, make_request: RequestFactory, number: str
) -> None:
    outcome = await sandbox.charge(make_request(number, force_3ds=True))

    assert outcome.status is ACTION
    approved = await sandbox.complete_action(outcome.action_token or "", True)
    assert approved.status is SUCCEEDED


@pytest.mark.parametrize("number", ["4000 0000 0000 0002", "4000 0000 0000 0119"])
async def test_force_3ds_does_not_delay_a_decline(
    sandbox: SandboxProcessor, make_request: RequestFactory, number: str
) -> None:
    outcome = await sandbox.charge(make_request(number, force_3ds=True))

    assert outcome.status is FAILED


async def test_zero_amount_checks_and_saves_the_card(
    sandbox: SandboxProcessor, make_request: RequestFactory
) -> None:
    request = make_request("4242 4242 4242 4242", amount=0, save_method=True)

    outcome = await sandbox.charge(request)

    assert outcome.status is SUCCEEDED
    assert outcome.method_token is not None


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"amount": -1}, "amount"),
        ({"currency": "usd"}, "currency"),
        ({"currency": "DOLLARS"}, "currency"),
    ],
)
async def test_caller_mistakes_raise_field_invalid(
    sandbox: SandboxProcessor,
    make_request: RequestFactory,
    overrides: dict[str, object],
    field: str,
) -> None:
    with pytest.raises(FieldInvalid) as caught:
        await sandbox.charge(make_request("4242 4242 4242 4242", **overrides))

    assert caught.value.field == field


async def test_each_charge_gets_its_own_processor_ref(
    sandbox: SandboxProcessor, make_request: RequestFactory
) -> None:
    first = await sandbox.charge(make_request("4242 4242 4242 4242"))
    second = await sandbox.charge(make_request("4242 4242 4242 4242"))

    assert first.processor_ref != second.processor_ref


async def test_refund_of_a_positive_amount_succeeds(sandbox: SandboxProcessor) -> None:
    outcome = await sandbox.refund("sbx_ch_abc", 1000, "EUR")

    assert outcome.status is RefundStatus.SUCCEEDED
    assert outcome.processor_ref.startswith("sbx_re_")
    assert outcome.error_code is None


@pytest.mark.parametrize(
    ("ref", "amount", "field"),
    [
        ("sbx_ch_abc", 0, "amount"),
        ("sbx_ch_abc", -5, "amount"),
        ("ch_from_elsewhere", 100, "processor_payment_ref"),
    ],
)
async def test_refund_refuses_bad_amounts_and_foreign_refs(
    sandbox: SandboxProcessor, ref: str, amount: int, field: str
) -> None:
    with pytest.raises(FieldInvalid) as caught:
        await sandbox.refund(ref, amount, "EUR")

    assert caught.value.field == field


def test_short_secret_key_is_refused(clock: FrozenClock) -> None:
    with pytest.raises(ValueError):
        SandboxProcessor(b"short", clock, "https://till.example")
