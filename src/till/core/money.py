"""Money as integers of minor units beside an ISO 4217 code.

Every amount in Till is an ``int`` counted in the currency's smallest unit
(cents for USD, yen for JPY, fils for KWD). How many decimals a currency has
comes from Babel's copy of the CLDR data, so this module never hard-codes a
table that could drift from the standard.
"""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal
from functools import cache

from babel.core import Locale, UnknownLocaleError
from babel.numbers import format_currency, get_currency_precision, list_currencies

# Currencies Till accepts on products: every ISO 4217 code that Babel knows,
# minus funds, precious metals and testing codes, which no card network
# settles in.
_NOT_SETTLEABLE = frozenset(
    {
        "XAU", "XAG", "XPT", "XPD", "XTS", "XXX", "XBA", "XBB", "XBC", "XBD",
        "XDR", "XSU", "XUA", "BOV", "CHE", "CHW", "CLF", "COU", "MXV", "USN",
        "USS", "UYI", "UYW", "VED",
    }
)  # fmt: skip

# The largest amount any single price, line or total may reach. It keeps every
# intermediate product of price, quantity and basis points inside a signed
# 64-bit column with room to spare.
MAX_AMOUNT = 10**12


@cache
def supported_currencies() -> frozenset[str]:
    return frozenset(
        code
        for code in list_currencies()
        if len(code) == 3 and code.isalpha() and code not in _NOT_SETTLEABLE
    )


def is_supported_currency(code: str) -> bool:
    return code in supported_currencies()


@cache
def decimals(currency: str) -> int:
    """Number of minor-unit digits of ``currency`` (USD 2, JPY 0, KWD 3)."""
    return int(get_currency_precision(currency))


def to_major(amount: int, currency: str) -> Decimal:
    """Exact value in major units, for display and tax arithmetic only."""
    return Decimal(amount).scaleb(-decimals(currency))


def format_amount(amount: int, currency: str, locale: str = "en") -> str:
    """Human text for an amount, e.g. ``€12.00`` or ``12,00 €``."""
    try:
        loc = Locale.parse(locale.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        loc = Locale.parse("en")
    return str(
        format_currency(
            to_major(amount, currency),
            currency,
            locale=loc,
            currency_digits=True,
        )
    )


def round_minor(value: Decimal) -> int:
    """The one rounding rule of Till: half to even, to a whole minor unit.

    Banker's rounding is used because it is unbiased over many lines: a
    merchant selling thousands of lines that each end in exactly half a cent
    neither gains nor loses on the sum. Every place that turns an exact
    fractional amount into a charged amount calls this function.
    """
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_EVEN))
