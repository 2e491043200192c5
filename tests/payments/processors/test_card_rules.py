from __future__ import annotations

from datetime import UTC, datetime

import pytest

from till.payments.processors.cards import (
    CardBrand,
    CardInput,
    check_card,
    cvc_fits,
    detect_brand,
    is_expired,
    normalise_number,
    parse_number,
    passes_luhn,
    summarise,
)
from till.payments.processors.codes import FailureCode

JAN_15_2026 = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("4242 4242 4242 4242", "4242424242424242"),
        ("4242-4242-4242-4242", "4242424242424242"),
        ("  3782 822463 10005 ", "378282246310005"),
        ("4242424242424242", "4242424242424242"),
    ],
)
def test_spaces_and_dashes_are_stripped_from_numbers(raw: str, expected: str) -> None:
    assert normalise_number(raw) == expected


@pytest.mark.parametrize(
    ("digits", "valid"),
    [
        ("4242424242424242", True),
        ("4242424242424241", False),
        ("378282246310005", True),
        ("5555555555554444", True),
        ("4000000000000002", True),
        ("79927398713", True),
        ("79927398710", False),
        ("", False),
        ("4242x24242424242", False),
        ("\uff14\uff12\uff14\uff12", False),  # full-width digits are not card digits
    ],
)
def test_luhn_check(digits: str, valid: bool) -> None:
    assert passes_luhn(digits) is valid


@pytest.mark.parametrize(
    "raw",
    [
        "4242 4242 4242 4241",  # fails Luhn
        "4242.4242.4242.4242",  # not a separator Till strips
        "42424242424",  # 11 digits: too short for a card
        "42424242424242424242",  # 20 digits: too long
        "",
        "not a number",
    ],
)
def test_implausible_numbers_parse_to_none(raw: str) -> None:
    assert parse_number(raw) is None


@pytest.mark.parametrize(
    ("digits", "brand"),
    [
        ("4242424242424242", CardBrand.VISA),
        ("4000056655665556", CardBrand.VISA),
        ("5555555555554444", CardBrand.MASTERCARD),
        ("5105105105105100", CardBrand.MASTERCARD),
        ("2221000000000009", CardBrand.MASTERCARD),
        ("2720990000000000", CardBrand.MASTERCARD),
        ("2220990000000000", CardBrand.UNKNOWN),
        ("2721000000000000", CardBrand.UNKNOWN),
        ("378282246310005", CardBrand.AMEX),
        ("371449635398431", CardBrand.AMEX),
        ("6011111111111117", CardBrand.DISCOVER),
        ("6445644564456445", CardBrand.DISCOVER),
        ("6500000000000002", CardBrand.DISCOVER),
        ("3566002020360505", CardBrand.JCB),
        ("3528000000000000", CardBrand.JCB),
        ("3056930009020004", CardBrand.DINERS),
        ("36227206271667", CardBrand.DINERS),
        ("38520000023237", CardBrand.DINERS),
        ("6200000000000005", CardBrand.UNIONPAY),
        ("1234567812345670", CardBrand.UNKNOWN),
        ("", CardBrand.UNKNOWN),
    ],
)
def test_brand_detection(digits: str, brand: CardBrand) -> None:
    assert detect_brand(digits) is brand


@pytest.mark.parametrize(
    ("exp_month", "exp_year", "now", "expired"),
    [
        (1, 2026, datetime(2026, 1, 1, 0, 0, tzinfo=UTC), False),
        (1, 2026, datetime(2026, 1, 31, 23, 59, 59, tzinfo=UTC), False),
        (1, 2026, datetime(2026, 2, 1, 0, 0, tzinfo=UTC), True),
        (12, 2025, datetime(2026, 1, 1, 0, 0, tzinfo=UTC), True),
        (12, 2025, datetime(2025, 12, 31, 23, 59, tzinfo=UTC), False),
        (2, 2026, JAN_15_2026, False),
        (12, 30, JAN_15_2026, False),  # two-digit year
        (12, 25, JAN_15_2026, True),
    ],
)
def test_card_is_valid_through_the_end_of_its_expiry_month(
    exp_month: int, exp_year: int, now: datetime, expired: bool
) -> None:
    assert is_expired(exp_month, exp_year, now) is expired


@pytest.mark.parametrize(
    ("cvc", "brand", "fits"),
    [
        ("123", CardBrand.VISA, True),
        ("1234", CardBrand.VISA, False),
        ("12", CardBrand.MASTERCARD, False),
        ("1234", CardBrand.AMEX, True),
        ("123", CardBrand.AMEX, False),
        ("123", CardBrand.UNKNOWN, True),
        ("1234", CardBrand.UNKNOWN, True),
        ("12a", CardBrand.VISA, False),
        ("", CardBrand.VISA, False),
    ],
)
def test_cvc_length_depends_on_brand(cvc: str, brand: CardBrand, fits: bool) -> None:
    assert cvc_fits(cvc, brand) is fits


@pytest.mark.parametrize(
    ("number", "exp_month", "exp_year", "cvc", "problem"),
    [
        ("4242 4242 4242 4242", 12, 2030, "123", None),
        ("4242 4242 4242 4241", 12, 2030, "123", FailureCode.INVALID_CARD_NUMBER),
        ("4242 4242 4242 4242", 13, 2030, "123", FailureCode.INVALID_EXPIRY_MONTH),
        ("4242 4242 4242 4242", 0, 2030, "123", FailureCode.INVALID_EXPIRY_MONTH),
        ("4242 4242 4242 4242", 12, 2025, "123", FailureCode.EXPIRED_CARD),
        ("4242 4242 4242 4242", 12, 2030, "12", FailureCode.INVALID_CVC),
        ("3782 822463 10005", 12, 2030, "123", FailureCode.INVALID_CVC),
        # The number is reported before the date, as the buyer reads the form.
        ("4242 4242 4242 4241", 12, 2025, "1", FailureCode.INVALID_CARD_NUMBER),
    ],
)
def test_check_card_reports_the_first_problem(
    number: str, exp_month: int, exp_year: int, cvc: str, problem: FailureCode | None
) -> None:
    card = CardInput(number, exp_month, exp_year, cvc)
    assert check_card(card, JAN_15_2026) == problem


def test_summary_keeps_brand_last4_expiry_and_holder_only() -> None:
    card = CardInput("5555-5555-5555-4444", 3, 29, "123", "  Grace Hopper ")

    summary = summarise(card)

    assert summary.brand is CardBrand.MASTERCARD
    assert summary.last4 == "4444"
    assert (summary.exp_month, summary.exp_year) == (3, 2029)
    assert summary.holder_name == "Grace Hopper"


def test_summary_of_an_invalid_number_is_refused() -> None:
    with pytest.raises(ValueError):
        summarise(CardInput("1234", 3, 2029, "123"))


def test_card_input_repr_hides_number_and_cvc() -> None:
    card = CardInput("4242 4242 4242 4242", 12, 2030, "987", "Ada")

    assert "4242" not in repr(card)
    assert "987" not in repr(card)
