from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from till.pricing.inputs import Interval

from .builders import MOMENT, FixedRate, cart_line, make_discount, make_quote

NO_TAX = FixedRate("0")


def monthly(**changes: Any) -> dict[str, Any]:
    return {"is_subscription": True, "payment_frequency_interval": "Month", **changes}


def test_trial_makes_nothing_due_now_and_carries_the_renewal() -> None:
    quote = make_quote(
        [cart_line(2, unit_price=1_000, **monthly(trial_period_days=14))]
    )

    line = quote.lines[0]
    assert line.due_now is False
    assert (line.subtotal_amount, line.tax, line.total_amount) == (0, 0, 0)
    assert quote.total_price == 0
    assert quote.recurring_breakup is not None
    assert quote.recurring_breakup.subtotal == 2_000
    assert quote.recurring_breakup.tax == 380
    assert quote.recurring_breakup.total_amount == 2_380
    assert quote.next_billing_date == MOMENT + timedelta(days=14)
    assert quote.trial_period_days == 14
    assert quote.to_preview_dict()["payment_method_required"] is False


def test_subscription_without_trial_is_due_now_and_renews_at_the_same_price() -> None:
    quote = make_quote([cart_line(unit_price=1_000, **monthly())])

    line = quote.lines[0]
    assert line.due_now is True
    assert quote.total_price == 1_190
    assert line.recurring_amount == 1_190
    assert quote.next_billing_date == datetime(2026, 2, 15, 12, tzinfo=UTC)
    assert quote.trial_period_days is None


@pytest.mark.parametrize(
    ("product_trial", "override", "expected"),
    [(14, None, 14), (14, 7, 7), (14, 0, None), (0, 30, 30), (0, None, None)],
)
def test_trial_argument_beats_the_products_trial(
    product_trial: int, override: int | None, expected: int | None
) -> None:
    quote = make_quote(
        [cart_line(**monthly(trial_period_days=product_trial))],
        trial_period_days=override,
    )

    assert quote.lines[0].trial_period_days == expected
    assert quote.lines[0].due_now is (expected is None)


def test_trial_argument_leaves_one_time_lines_alone() -> None:
    quote = make_quote([cart_line(unit_price=500)], trial_period_days=30)

    assert quote.lines[0].due_now is True
    assert quote.total_price == 595
    assert quote.recurring_breakup is None


@pytest.mark.parametrize(
    ("cycles", "trial", "now", "renewal"),
    [
        (1, 0, 900, 1_000),  # cycle 1 now is discounted; cycle 2 is not
        (2, 0, 900, 900),  # cycle 2 still is
        (None, 0, 900, 900),  # forever
        (1, 14, 0, 900),  # after a trial, the first renewal is cycle 1
    ],
)
def test_subscription_cycles_limit_which_charges_are_discounted(
    cycles: int | None, trial: int, now: int, renewal: int
) -> None:
    code = make_discount(subscription_cycles=cycles)
    quote = make_quote(
        [cart_line(unit_price=1_000, **monthly(trial_period_days=trial))],
        [code],
        tax_provider=NO_TAX,
    )

    line = quote.lines[0]
    assert (quote.total_price, line.recurring_amount) == (now, renewal)
    assert line.recurring_discount == 1_000 - renewal
    assert line.discounted_price == 900
    assert line.discount_cycle == cycles


def test_discount_cycles_do_not_limit_one_time_lines() -> None:
    code = make_discount(subscription_cycles=1)
    quote = make_quote([cart_line(unit_price=1_000)], [code], tax_provider=NO_TAX)

    assert quote.total_price == 900
    assert quote.lines[0].discount_cycle is None


@pytest.mark.parametrize(
    ("count", "interval", "expected"),
    [
        (1, "Month", datetime(2026, 2, 28, 9, tzinfo=UTC)),
        (1, "Year", datetime(2027, 1, 31, 9, tzinfo=UTC)),
        (2, "Week", datetime(2026, 2, 14, 9, tzinfo=UTC)),
        (10, "Day", datetime(2026, 2, 10, 9, tzinfo=UTC)),
    ],
)
def test_next_billing_date_follows_the_payment_frequency(
    count: int, interval: Interval, expected: datetime
) -> None:
    price = monthly(payment_frequency_count=count, payment_frequency_interval=interval)
    moment = datetime(2026, 1, 31, 9, tzinfo=UTC)
    quote = make_quote([cart_line(**price)], moment=moment)

    assert quote.next_billing_date == expected


def test_cart_of_several_subscriptions_reports_each_one() -> None:
    quote = make_quote(
        [
            cart_line(unit_price=1_000, product_id="pdt_m", **monthly()),
            cart_line(
                unit_price=500,
                product_id="pdt_w",
                **monthly(payment_frequency_interval="Week", trial_period_days=3),
            ),
            cart_line(unit_price=300, product_id="pdt_once"),
        ],
        tax_provider=NO_TAX,
    )

    assert quote.next_billing_date == MOMENT + timedelta(days=3)
    assert quote.trial_period_days is None
    assert quote.total_price == 1_300
    assert quote.recurring_breakup is not None
    assert quote.recurring_breakup.total_amount == 1_500
    subscriptions = quote.to_preview_dict()["subscriptions"]
    assert [s["product_id"] for s in subscriptions] == ["pdt_m", "pdt_w"]
    assert [s["amount_due_now"] for s in subscriptions] == [1_000, 0]


def test_one_time_cart_has_no_recurring_breakup_or_billing_date() -> None:
    quote = make_quote([cart_line()])

    assert quote.recurring_breakup is None
    assert quote.next_billing_date is None
    assert quote.to_preview_dict()["subscriptions"] is None
