from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from till.core.clock import FrozenClock
from till.payments.processors import CardInput, ChargeRequest, SandboxProcessor

SECRET_KEY = b"sandbox-test-key-0123456789abcdef"
PUBLIC_URL = "https://till.example"
RETURN_URL = "https://till.example/checkout/cks_test/return"


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(datetime(2026, 1, 15, 12, 0, tzinfo=UTC))


@pytest.fixture
def sandbox(clock: FrozenClock) -> SandboxProcessor:
    return SandboxProcessor(SECRET_KEY, clock, PUBLIC_URL)


@pytest.fixture
def make_request() -> Callable[..., ChargeRequest]:
    """A charge request for a card number; amex numbers get a 4-digit CVC."""

    def build(
        number: str,
        *,
        cvc: str | None = None,
        exp_month: int = 12,
        exp_year: int = 2030,
        force_3ds: bool = False,
        save_method: bool = False,
        amount: int = 2500,
        currency: str = "USD",
    ) -> ChargeRequest:
        default_cvc = "7373" if number.replace(" ", "")[:2] in ("34", "37") else "737"
        card = CardInput(
            number=number,
            exp_month=exp_month,
            exp_year=exp_year,
            cvc=default_cvc if cvc is None else cvc,
            holder_name="Ada Lovelace",
        )
        return ChargeRequest(
            payment_id="pay_test",
            amount=amount,
            currency=currency,
            card=card,
            action_return_url=RETURN_URL,
            force_3ds=force_3ds,
            save_method=save_method,
        )

    return build
