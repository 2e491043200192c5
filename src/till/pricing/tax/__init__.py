"""Tax rates and business tax ids for pricing."""

from till.pricing.tax.builtin import BuiltinTaxProvider, rate_table
from till.pricing.tax.provider import TaxProvider, TaxRate
from till.pricing.tax.tax_ids import TaxIdCheck, check_tax_id, tax_id_countries

__all__ = [
    "BuiltinTaxProvider",
    "TaxIdCheck",
    "TaxProvider",
    "TaxRate",
    "check_tax_id",
    "rate_table",
    "tax_id_countries",
]
