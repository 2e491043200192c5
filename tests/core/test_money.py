from __future__ import annotations

from decimal import Decimal

import pytest

from till.core.money import (
    decimals,
    format_amount,
    is_supported_currency,
    round_minor,
    to_major,
)


@pytest.mark.parametrize(
    ("currency", "digits"),
    [("USD", 2), ("EUR", 2), ("JPY", 0), ("KRW", 0), ("KWD", 3), ("BHD", 3)],
)
def test_decimals_come_from_the_currency(currency: str, digits: int) -> None:
    assert decimals(currency) == digits


@pytest.mark.parametrize(
    ("value", "rounded"),
    [
        ("0.5", 0),
        ("1.5", 2),
        ("2.5", 2),
        ("-0.5", 0),
        ("2.4999", 2),
        ("2.5001", 3),
        ("10", 10),
    ],
)
def test_round_minor_is_half_to_even(value: str, rounded: int) -> None:
    assert round_minor(Decimal(value)) == rounded


def test_to_major_is_exact() -> None:
    assert to_major(1999, "USD") == Decimal("19.99")
    assert to_major(1999, "JPY") == Decimal("1999")
    assert to_major(1999, "KWD") == Decimal("1.999")


@pytest.mark.parametrize(
    ("amount", "currency", "locale", "text"),
    [
        (1200, "EUR", "de", "12,00\xa0€"),
        (1200, "USD", "en", "$12.00"),
        (1500, "JPY", "en", "¥1,500"),
        (1200, "EUR", "not-a-locale", "€12.00"),
    ],
)
def test_format_amount_follows_locale(
    amount: int, currency: str, locale: str, text: str
) -> None:
    assert format_amount(amount, currency, locale) == text


@pytest.mark.parametrize(
    ("code", "ok"), [("USD", True), ("EUR", True), ("XAU", False), ("ABC", False)]
)
def test_supported_currencies_exclude_metals_and_unknown(code: str, ok: bool) -> None:
    assert is_supported_currency(code) is ok
