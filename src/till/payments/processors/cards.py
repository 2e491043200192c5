"""Card numbers, brands, expiry dates and security codes.

Pure rules: no I/O, and no clock (the moment is always a parameter). The full
number and the CVC live only in :class:`CardInput`, whose ``repr`` hides them;
everything that travels further is a :class:`CardSummary`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from till.payments.processors.codes import FailureCode


class CardBrand(StrEnum):
    VISA = "visa"
    MASTERCARD = "mastercard"
    AMEX = "amex"
    DISCOVER = "discover"
    JCB = "jcb"
    DINERS = "diners"
    UNIONPAY = "unionpay"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class CardInput:
    """A card as the buyer typed it.

    ``number`` may contain spaces or dashes; ``exp_year`` may have two digits
    (``30`` for 2030). Both the number and the CVC are left out of ``repr`` so
    that logging a request by mistake leaks neither.
    """

    number: str = field(repr=False)
    exp_month: int
    exp_year: int
    cvc: str = field(repr=False)
    holder_name: str | None = None


@dataclass(frozen=True)
class CardSummary:
    """What may be stored, shown and logged about a card."""

    brand: CardBrand
    last4: str
    exp_month: int
    exp_year: int
    holder_name: str | None = None


_SEPARATORS = re.compile(r"[ \-]")
_DIGITS = re.compile(r"[0-9]+")

# Issuer prefixes, most specific first where ranges could overlap. Each entry
# is an inclusive range of prefixes of one length, compared as strings.
_BRAND_PREFIXES: tuple[tuple[CardBrand, str, str], ...] = (
    (CardBrand.AMEX, "34", "34"),
    (CardBrand.AMEX, "37", "37"),
    (CardBrand.DINERS, "300", "305"),
    (CardBrand.DINERS, "309", "309"),
    (CardBrand.DINERS, "36", "36"),
    (CardBrand.DINERS, "38", "39"),
    (CardBrand.JCB, "3528", "3589"),
    (CardBrand.DISCOVER, "6011", "6011"),
    (CardBrand.DISCOVER, "644", "649"),
    (CardBrand.DISCOVER, "65", "65"),
    (CardBrand.UNIONPAY, "62", "62"),
    (CardBrand.MASTERCARD, "51", "55"),
    (CardBrand.MASTERCARD, "2221", "2720"),
    (CardBrand.VISA, "4", "4"),
)

_SHORTEST_NUMBER = 12
_LONGEST_NUMBER = 19


def normalise_number(raw: str) -> str:
    """The number without the spaces and dashes people type between groups."""
    return _SEPARATORS.sub("", raw.strip())


def is_digits(text: str) -> bool:
    # str.isdigit() also accepts superscripts and other scripts' digits.
    return _DIGITS.fullmatch(text) is not None


def passes_luhn(digits: str) -> bool:
    if not is_digits(digits):
        return False

    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 1:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def parse_number(raw: str) -> str | None:
    """The card's digits if it could be a real card number, else None."""
    digits = normalise_number(raw)
    if not _SHORTEST_NUMBER <= len(digits) <= _LONGEST_NUMBER:
        return None
    return digits if passes_luhn(digits) else None


def detect_brand(digits: str) -> CardBrand:
    for brand, low, high in _BRAND_PREFIXES:
        prefix = digits[: len(low)]
        if len(prefix) == len(low) and low <= prefix <= high:
            return brand
    return CardBrand.UNKNOWN


def full_year(exp_year: int) -> int:
    return 2000 + exp_year if 0 <= exp_year < 100 else exp_year


def is_expired(exp_month: int, exp_year: int, now: datetime) -> bool:
    """Whether the card has expired at ``now``.

    A card is good through the last day of its expiry month, so only a later
    month counts as expired. The month is read in ``now``'s own timezone (UTC
    for every Till clock).
    """
    return (now.year, now.month) > (full_year(exp_year), exp_month)


def cvc_lengths(brand: CardBrand) -> frozenset[int]:
    if brand is CardBrand.AMEX:
        return frozenset({4})
    # An unrecognised issuer could print either length; do not refuse it.
    if brand is CardBrand.UNKNOWN:
        return frozenset({3, 4})
    return frozenset({3})


def cvc_fits(cvc: str, brand: CardBrand) -> bool:
    return is_digits(cvc) and len(cvc) in cvc_lengths(brand)


def check_card(card: CardInput, now: datetime) -> FailureCode | None:
    """The first thing wrong with what the buyer typed, or None.

    Checked in the order a buyer reads the form, so the reported problem is
    the one they would fix first.
    """
    digits = parse_number(card.number)
    if digits is None:
        return FailureCode.INVALID_CARD_NUMBER
    if not 1 <= card.exp_month <= 12:
        return FailureCode.INVALID_EXPIRY_MONTH
    if is_expired(card.exp_month, card.exp_year, now):
        return FailureCode.EXPIRED_CARD
    if not cvc_fits(card.cvc, detect_brand(digits)):
        return FailureCode.INVALID_CVC
    return None


def summarise(card: CardInput) -> CardSummary:
    """Keep only brand, last four digits, expiry and holder.

    Raises ValueError when the number is not a plausible card number; call
    :func:`check_card` first.
    """
    digits = parse_number(card.number)
    if digits is None:
        raise ValueError("cannot summarise a card whose number is not valid")

    holder = (card.holder_name or "").strip() or None
    return CardSummary(
        brand=detect_brand(digits),
        last4=digits[-4:],
        exp_month=card.exp_month,
        exp_year=full_year(card.exp_year),
        holder_name=holder,
    )
