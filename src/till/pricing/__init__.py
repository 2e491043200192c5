"""Pricing: one pure function from a cart to a quote.

No I/O, no database, no clock: the caller loads products and discount codes,
passes the moment, and gets back a :class:`Quote` it can show, store and
charge.
"""

from till.pricing.countries import (
    Subdivision,
    country_needs_state,
    is_supported_country,
    normalize_state,
    subdivisions,
    supported_countries,
)
from till.pricing.errors import (
    AmountBelowMinimum,
    AmountNotAllowed,
    AmountTooLarge,
    CartSizeInvalid,
    DiscountCodeExpired,
    DiscountNotApplicable,
    DiscountRefused,
    DiscountUsageLimitReached,
    InvalidDiscountCode,
    InvalidTaxId,
    MixedCurrencies,
    QuantityInvalid,
    UnknownState,
    UnsupportedCountry,
)
from till.pricing.inputs import (
    BillingLocation,
    CartLine,
    DiscountSpec,
    Interval,
    PriceSpec,
    TaxCategory,
)
from till.pricing.outputs import AppliedDiscount, Breakup, Quote, QuoteLine
from till.pricing.periods import add_interval
from till.pricing.quote import MAX_CART_LINES, build_quote, ensure_tax_id_accepted
from till.pricing.tax import (
    BuiltinTaxProvider,
    TaxIdCheck,
    TaxProvider,
    TaxRate,
    check_tax_id,
)

__all__ = [
    "MAX_CART_LINES",
    "AmountBelowMinimum",
    "AmountNotAllowed",
    "AmountTooLarge",
    "AppliedDiscount",
    "BillingLocation",
    "Breakup",
    "BuiltinTaxProvider",
    "CartLine",
    "CartSizeInvalid",
    "DiscountCodeExpired",
    "DiscountNotApplicable",
    "DiscountRefused",
    "DiscountSpec",
    "DiscountUsageLimitReached",
    "Interval",
    "InvalidDiscountCode",
    "InvalidTaxId",
    "MixedCurrencies",
    "PriceSpec",
    "QuantityInvalid",
    "Quote",
    "QuoteLine",
    "Subdivision",
    "TaxCategory",
    "TaxIdCheck",
    "TaxProvider",
    "TaxRate",
    "UnknownState",
    "UnsupportedCountry",
    "add_interval",
    "build_quote",
    "check_tax_id",
    "country_needs_state",
    "ensure_tax_id_accepted",
    "is_supported_country",
    "normalize_state",
    "subdivisions",
    "supported_countries",
]
