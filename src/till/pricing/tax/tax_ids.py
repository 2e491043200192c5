"""Format and checksum checks of business tax ids, by billing country.

Only the number itself is checked (python-stdnum): no registry is asked
whether the business exists, so a well-formed id of a closed company passes.
A registry lookup (VIES, HMRC, ABR) needs the network and belongs in a
service beside pricing, not here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import import_module
from typing import Any

from stdnum.exceptions import ValidationError

# EU member states and the prefix their VAT numbers carry; Greece alone uses
# a prefix (EL) that differs from its ISO code.
_EU_PREFIXES = {
    "AT": "AT", "BE": "BE", "BG": "BG", "CY": "CY", "CZ": "CZ", "DE": "DE",
    "DK": "DK", "EE": "EE", "ES": "ES", "FI": "FI", "FR": "FR", "GR": "EL",
    "HR": "HR", "HU": "HU", "IE": "IE", "IT": "IT", "LT": "LT", "LU": "LU",
    "LV": "LV", "MT": "MT", "NL": "NL", "PL": "PL", "PT": "PT", "RO": "RO",
    "SE": "SE", "SI": "SI", "SK": "SK",
}  # fmt: skip

_SEPARATORS = re.compile(r"[\s.\-/,]")

# South African VAT numbers are ten digits starting with 4; stdnum has no
# module for them, so only that shape is checked.
_ZA_VAT = re.compile(r"4\d{9}")


@dataclass(frozen=True)
class TaxIdCheck:
    """The outcome of one check: ``normalized`` and ``format_name`` are set
    when ``valid``; ``error_message`` is set when not."""

    valid: bool
    format_name: str | None = None
    normalized: str | None = None
    error_message: str | None = None


@dataclass(frozen=True)
class _Scheme:
    format_name: str
    module: str
    # Prepended to the normalized number, and stripped from the input first
    # when the stdnum module does not strip it itself.
    prefix: str = ""


_SCHEMES = {
    "GB": _Scheme("VAT Number", "stdnum.gb.vat", "GB"),
    "NO": _Scheme("VAT Number", "stdnum.no.mva", "NO"),
    "CH": _Scheme("VAT Number", "stdnum.ch.vat"),
    "IS": _Scheme("VAT Number", "stdnum.is_.vsk"),
    "AU": _Scheme("ABN", "stdnum.au.abn"),
    "NZ": _Scheme("IRD Number", "stdnum.nz.ird"),
    "IN": _Scheme("GSTIN", "stdnum.in_.gstin"),
    "CA": _Scheme("Business Number", "stdnum.ca.bn"),
    "SG": _Scheme("UEN", "stdnum.sg.uen"),
    "JP": _Scheme("Registration Number", "stdnum.jp.cn", "T"),
    "KR": _Scheme("Business Registration Number", "stdnum.kr.brn"),
    "TR": _Scheme("VKN", "stdnum.tr.vkn"),
    "MX": _Scheme("RFC", "stdnum.mx.rfc"),
    "BR": _Scheme("CNPJ", "stdnum.br.cnpj"),
    "AR": _Scheme("CUIT", "stdnum.ar.cuit"),
    "CL": _Scheme("RUT", "stdnum.cl.rut"),
    "CO": _Scheme("NIT", "stdnum.co.nit"),
    "TW": _Scheme("UBN", "stdnum.tw.ubn"),
    "TH": _Scheme("TIN", "stdnum.th.tin"),
    "ID": _Scheme("NPWP", "stdnum.id.npwp"),
}


def tax_id_countries() -> frozenset[str]:
    """Countries whose business tax ids Till can check."""
    return frozenset(_SCHEMES) | frozenset(_EU_PREFIXES) | {"ZA"}


def check_tax_id(tax_id: str, country: str) -> TaxIdCheck:
    """Check ``tax_id`` against the scheme of the billing ``country``."""
    country = country.upper()
    number = _SEPARATORS.sub("", tax_id).upper()
    if country in _EU_PREFIXES:
        return _check_eu_vat(number, _EU_PREFIXES[country])
    if country == "ZA":
        return _check_za_vat(number)
    scheme = _SCHEMES.get(country)
    if scheme is None:
        message = f"Till cannot check business tax ids from {country}."
        return TaxIdCheck(valid=False, error_message=message)
    return _check_with_stdnum(number, scheme)


def _check_eu_vat(number: str, prefix: str) -> TaxIdCheck:
    # An EU VAT number is only valid for the state its prefix names, so a
    # buyer billed in Greece cannot reverse charge with a German number.
    # Greek buyers often type their ISO code; stdnum and VIES expect EL.
    if prefix == "EL" and number.startswith("GR"):
        number = "EL" + number[2:]
    if number[:2].isalpha() and number[:2] != prefix:
        message = f"A VAT Number for this country starts with {prefix}."
        return TaxIdCheck(valid=False, error_message=message)
    if not number[:2].isalpha():
        number = prefix + number
    return _check_with_stdnum(number, _Scheme("VAT Number", "stdnum.eu.vat"))


def _check_za_vat(number: str) -> TaxIdCheck:
    number = number.removeprefix("ZA")
    if _ZA_VAT.fullmatch(number) is None:
        message = "Not a valid VAT Number: ten digits starting with 4 expected."
        return TaxIdCheck(valid=False, error_message=message)
    return TaxIdCheck(valid=True, format_name="VAT Number", normalized=number)


def _check_with_stdnum(number: str, scheme: _Scheme) -> TaxIdCheck:
    module: Any = import_module(scheme.module)
    if scheme.prefix:
        number = number.removeprefix(scheme.prefix)
    try:
        compact = str(module.validate(number))
    except ValidationError as exc:
        message = f"Not a valid {scheme.format_name}: {exc}"
        return TaxIdCheck(valid=False, error_message=message)
    normalized = scheme.prefix + compact
    return TaxIdCheck(True, scheme.format_name, normalized, None)
