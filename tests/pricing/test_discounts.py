from __future__ import annotations

from datetime import timedelta

import pytest

from till.pricing import (
    DiscountCodeExpired,
    DiscountNotApplicable,
    DiscountRefused,
    DiscountSpec,
    DiscountUsageLimitReached,
    InvalidDiscountCode,
)

from .builders import MOMENT, FixedRate, cart_line, make_discount, make_quote

TEN_PERCENT = make_discount(discount_id="dsc_pct", code="PCT", amount=1_000)
ONE_EURO = make_discount(discount_id="dsc_flat", code="FLAT", type="flat", amount=100)
NO_TAX = FixedRate("0")


@pytest.mark.parametrize(
    ("codes", "unit_price"),
    [
        ([TEN_PERCENT, ONE_EURO], 800),  # 1000 - 100 = 900, then - 100
        ([ONE_EURO, TEN_PERCENT], 810),  # 1000 - 100 = 900, then - 90
        ([TEN_PERCENT], 900),
        ([ONE_EURO], 900),
        ([], 1_000),
    ],
)
def test_codes_apply_in_the_order_given(
    codes: list[DiscountSpec], unit_price: int
) -> None:
    quote = make_quote([cart_line(2, unit_price=1_000)], codes, tax_provider=NO_TAX)

    assert quote.lines[0].discounted_price == unit_price
    assert quote.current_breakup.discount == 2 * (1_000 - unit_price)


def test_flat_code_larger_than_the_price_leaves_zero_not_less() -> None:
    big = make_discount(type="flat", amount=5_000)
    quote = make_quote([cart_line(3, unit_price=1_000)], [big])

    line = quote.lines[0]
    assert (line.discounted_price, line.tax, line.total_amount) == (0, 0, 0)
    assert quote.current_breakup.discount == 3_000
    assert quote.discounts_applied[0].amount == 3_000


def test_second_flat_code_takes_only_what_the_first_left() -> None:
    first = make_discount(discount_id="dsc_a", code="A", type="flat", amount=700)
    second = make_discount(discount_id="dsc_b", code="B", type="flat", amount=700)
    quote = make_quote([cart_line(unit_price=1_000)], [first, second])

    amounts = [applied.amount for applied in quote.discounts_applied]
    assert amounts == [700, 300]
    assert quote.total_price == 0


def test_restricted_code_touches_only_its_products() -> None:
    code = make_discount(restricted_to=frozenset({"pdt_book"}))
    quote = make_quote(
        [
            cart_line(unit_price=1_000, product_id="pdt_plan"),
            cart_line(unit_price=1_000, product_id="pdt_book"),
        ],
        [code],
        tax_provider=NO_TAX,
    )

    plan, book = quote.lines
    assert (plan.discounted_price, plan.discount_amount) == (1_000, None)
    assert (book.discounted_price, book.discount_amount) == (900, 1_000)
    assert quote.discounts_applied[0].amount == 100


def test_percentage_codes_sum_their_basis_points_on_the_line() -> None:
    other = make_discount(discount_id="dsc_five", code="FIVE", amount=500)
    quote = make_quote([cart_line()], [TEN_PERCENT, other, ONE_EURO])

    assert quote.lines[0].discount_amount == 1_500


def test_flat_codes_alone_leave_discount_amount_empty() -> None:
    quote = make_quote([cart_line()], [ONE_EURO])

    assert quote.lines[0].discount_amount is None


def test_code_entered_twice_counts_once() -> None:
    quote = make_quote([cart_line()], [TEN_PERCENT, TEN_PERCENT], tax_provider=NO_TAX)

    assert quote.total_price == 900
    assert len(quote.discounts_applied) == 1


def test_discounts_applied_add_up_to_the_cart_discount() -> None:
    quote = make_quote(
        [cart_line(3, unit_price=999), cart_line(2, unit_price=15, product_id="p2")],
        [TEN_PERCENT, ONE_EURO],
    )

    applied = sum(item.amount for item in quote.discounts_applied)
    assert applied == quote.current_breakup.discount


@pytest.mark.parametrize(
    ("changes", "error", "code"),
    [
        (
            {"expires_at": MOMENT},
            DiscountCodeExpired,
            "DISCOUNT_CODE_EXPIRED",
        ),
        (
            {"expires_at": MOMENT - timedelta(days=1)},
            DiscountCodeExpired,
            "DISCOUNT_CODE_EXPIRED",
        ),
        (
            {"starts_at": MOMENT + timedelta(seconds=1)},
            DiscountCodeExpired,
            "DISCOUNT_CODE_EXPIRED",
        ),
        (
            {"usage_limit": 5, "times_used": 5},
            DiscountUsageLimitReached,
            "DISCOUNT_CODE_USAGE_LIMIT_EXCEEDED",
        ),
        (
            {"restricted_to": frozenset({"pdt_other"})},
            DiscountNotApplicable,
            "DISCOUNT_NOT_AVAILABLE_FOR_PRODUCT",
        ),
    ],
)
def test_unusable_code_is_refused_with_its_own_error(
    changes: dict[str, object], error: type[DiscountRefused], code: str
) -> None:
    refused = make_discount(code="SPRING", **changes)

    with pytest.raises(error) as caught:
        make_quote([cart_line()], [TEN_PERCENT, refused])

    assert caught.value.code == code
    assert caught.value.status == 400
    assert caught.value.field == "discount_codes[1]"
    assert caught.value.discount_code == "SPRING"


@pytest.mark.parametrize(
    "changes",
    [
        {"starts_at": MOMENT, "expires_at": MOMENT + timedelta(seconds=1)},
        {"usage_limit": 5, "times_used": 4},
        {"usage_limit": None, "times_used": 10_000},
        {"restricted_to": frozenset({"pdt_plan", "pdt_other"})},
        # A timestamp read back from SQLite has no zone; it is taken as UTC.
        {"expires_at": MOMENT.replace(tzinfo=None) + timedelta(hours=1)},
    ],
)
def test_usable_code_is_accepted(changes: dict[str, object]) -> None:
    quote = make_quote([cart_line()], [make_discount(**changes)])

    assert quote.current_breakup.discount == 100


def test_invalid_discount_code_error_is_there_for_callers() -> None:
    error = InvalidDiscountCode("NOPE")

    assert (error.code, error.status, error.field) == (
        "INVALID_DISCOUNT_CODE",
        400,
        "discount_code",
    )
    assert error.to_body()["message"] == "Discount code 'NOPE' does not exist."
