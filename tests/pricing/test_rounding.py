"""The rounding rule of ``till.pricing.quote``, case by case."""

from __future__ import annotations

from decimal import Decimal

import pytest

from till.core.money import decimals
from till.pricing.quote import basis_points, line_tax

from .builders import FixedRate, cart_line, make_discount, make_quote


@pytest.mark.parametrize(
    ("net", "percent", "tax"),
    [
        (2, "25", 0),  # 0.5 -> 0, the even neighbour
        (6, "25", 2),  # 1.5 -> 2
        (10, "25", 2),  # 2.5 -> 2
        (14, "25", 4),  # 3.5 -> 4
        (3, "25", 1),  # 0.75 -> 1
        (0, "25", 0),
    ],
)
def test_exclusive_tax_rounds_half_to_even(net: int, percent: str, tax: int) -> None:
    assert line_tax(net, Decimal(percent) / 100, inclusive=False) == tax


@pytest.mark.parametrize(
    ("net", "tax"),
    [
        (3, 0),  # 20 % inclusive is 1/6 of the price: 0.5 -> 0
        (9, 2),  # 1.5 -> 2
        (15, 2),  # 2.5 -> 2
        (21, 4),  # 3.5 -> 4
        (120, 20),
    ],
)
def test_inclusive_tax_is_extracted_and_rounds_half_to_even(net: int, tax: int) -> None:
    assert line_tax(net, Decimal("0.2"), inclusive=True) == tax


@pytest.mark.parametrize(
    ("inclusive", "tax", "total"),
    [(False, 2, 12), (True, 2, 10)],
)
def test_inclusive_price_is_the_total_and_exclusive_price_gets_tax_added(
    inclusive: bool, tax: int, total: int
) -> None:
    quote = make_quote(
        [cart_line(unit_price=10, tax_inclusive=inclusive)],
        tax_provider=FixedRate("20"),
    )

    assert (quote.total_tax, quote.total_price) == (tax, total)
    assert quote.current_breakup.subtotal == 10


def test_tax_is_rounded_once_per_line_not_per_unit() -> None:
    # Each unit of 5 would owe 0.5 -> 0; the line of 15 owes 1.5 -> 2.
    quote = make_quote([cart_line(3, unit_price=5)], tax_provider=FixedRate("10"))

    assert quote.lines[0].tax == 2


@pytest.mark.parametrize(
    ("unit_price", "tax"),
    [(1_005, 100), (1_015, 102), (1_000, 100)],
)
def test_jpy_rounds_to_whole_yen(unit_price: int, tax: int) -> None:
    assert decimals("JPY") == 0
    quote = make_quote([cart_line(unit_price=unit_price, currency="JPY")], country="JP")

    assert quote.currency == "JPY"
    assert quote.lines[0].tax == tax


@pytest.mark.parametrize(
    ("unit_price", "tax"),
    [(1_005, 100), (1_015, 102), (12_345, 1_234), (12_355, 1_236)],
)
def test_kwd_rounds_to_whole_fils(unit_price: int, tax: int) -> None:
    assert decimals("KWD") == 3
    quote = make_quote(
        [cart_line(unit_price=unit_price, currency="KWD")],
        tax_provider=FixedRate("10"),
    )

    assert quote.lines[0].tax == tax


@pytest.mark.parametrize(
    ("unit_price", "discounted"),
    [(5, 5), (15, 13), (25, 23), (35, 31)],
)
def test_percentage_discount_rounds_half_to_even_per_unit(
    unit_price: int, discounted: int
) -> None:
    # 10 % of 5, 15, 25 and 35 is exactly half a unit each time.
    quote = make_quote(
        [cart_line(4, unit_price=unit_price)],
        [make_discount(amount=1_000)],
        tax_provider=FixedRate("0"),
    )

    assert quote.lines[0].discounted_price == discounted
    assert quote.total_price == 4 * discounted


@pytest.mark.parametrize(
    ("percent", "bps"),
    [("19", 1900), ("9.975", 998), ("14.975", 1498), ("6.625", 662), ("0", 0)],
)
def test_display_rate_is_whole_basis_points_half_even(percent: str, bps: int) -> None:
    assert basis_points(Decimal(percent) / 100) == bps
