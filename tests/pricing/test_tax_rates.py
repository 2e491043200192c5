from __future__ import annotations

from datetime import date

import pytest

from till.pricing import ensure_tax_id_accepted
from till.pricing.errors import InvalidTaxId
from till.pricing.tax import rate_table
from till.pricing.tax.tax_ids import tax_id_countries

from .builders import FRENCH_VAT_ID, GERMAN_VAT_ID, cart_line, make_quote


@pytest.mark.parametrize(
    ("country", "state", "category", "tax_rate", "tax", "label"),
    [
        ("DE", None, "saas", 1900, 1900, "VAT 19 %"),
        ("DE", None, "e_book", 700, 700, "VAT 7 %"),
        ("DE", None, "live_tutoring", 1900, 1900, "VAT 19 %"),
        ("FR", None, "saas", 2000, 2000, "VAT 20 %"),
        ("FR", None, "e_book", 550, 550, "VAT 5.5 %"),
        ("FI", None, "saas", 2550, 2550, "VAT 25.5 %"),
        ("DK", None, "e_book", 2500, 2500, "VAT 25 %"),
        ("GB", None, "e_book", 0, 0, "VAT 0 %"),
        ("CH", None, "saas", 810, 810, "VAT 8.1 %"),
        ("AU", None, "saas", 1000, 1000, "GST 10 %"),
        ("IN", None, "edtech", 1800, 1800, "GST 18 %"),
        ("JP", None, "saas", 1000, 1000, "Consumption tax 10 %"),
        ("US", "WA", "saas", 650, 650, "Sales tax 6.5 %"),
        ("US", "NY", "saas", 400, 400, "Sales tax 4 %"),
        ("US", "TX", "saas", 500, 500, "Sales tax 6.25 % on 80 %"),
        ("US", "TX", "e_book", 625, 625, "Sales tax 6.25 %"),
        ("US", "CA", "saas", 0, 0, "No tax"),
        ("US", "NJ", "saas", 0, 0, "No tax"),
        # 6.625 % of 100.00 is 6.625, half way: it rounds to the even 662.
        ("US", "NJ", "digital_products", 662, 662, "Sales tax 6.625 %"),
        ("US", None, "saas", 0, 0, "No tax"),
        ("CA", "QC", "saas", 1498, 1498, "GST 5 % + QST 9.975 %"),
        ("CA", "Quebec", "saas", 1498, 1498, "GST 5 % + QST 9.975 %"),
        ("CA", "ON", "saas", 1300, 1300, "HST 13 %"),
        ("CA", None, "saas", 500, 500, "GST 5 %"),
        ("KW", None, "saas", 0, 0, "No tax"),
    ],
)
def test_consumer_pays_the_rate_of_their_place_and_category(
    country: str,
    state: str | None,
    category: str,
    tax_rate: int,
    tax: int,
    label: str,
) -> None:
    quote = make_quote(
        [cart_line(unit_price=10_000, tax_category=category)],
        country=country,
        state=state,
    )

    line = quote.lines[0]
    assert (line.tax_rate, line.tax, line.tax_label) == (tax_rate, tax, label)
    assert quote.total_price == 10_000 + tax
    assert quote.reverse_charge is False


def test_quebec_combined_rate_keeps_its_thousandths() -> None:
    # 14.975 % of 10.00 is 1.4975, not the 1.50 of the rounded display rate.
    quote = make_quote([cart_line(unit_price=1_000)], country="CA", state="QC")

    assert quote.lines[0].tax == 150
    quote = make_quote([cart_line(unit_price=10)], country="CA", state="QC")
    assert quote.lines[0].tax == 1


def test_reverse_charge_for_eu_business_with_valid_vat_id() -> None:
    quote = make_quote(
        [
            cart_line(unit_price=10_000),
            cart_line(unit_price=500, tax_category="e_book"),
        ],
        country="DE",
        tax_id=GERMAN_VAT_ID,
        seller_country="FR",
    )

    assert quote.reverse_charge is True
    assert quote.total_tax == 0
    assert quote.total_price == 10_500
    assert {line.tax_label for line in quote.lines} == {"Reverse charge"}
    assert {line.tax_rate for line in quote.lines} == {0}
    assert quote.tax_id_format_name == "VAT Number"
    assert quote.tax_id_err_msg is None


def test_reverse_charge_keeps_tax_inclusive_price_as_the_net() -> None:
    quote = make_quote(
        [cart_line(unit_price=11_900, tax_inclusive=True)],
        tax_id=GERMAN_VAT_ID,
    )

    assert (quote.total_price, quote.total_tax) == (11_900, 0)


def test_invalid_tax_id_fills_error_and_charges_vat() -> None:
    quote = make_quote(
        [cart_line(unit_price=10_000)], country="DE", tax_id="DE136695977"
    )

    assert quote.reverse_charge is False
    assert quote.total_tax == 1_900
    assert quote.tax_id_err_msg is not None
    assert "checksum" in quote.tax_id_err_msg
    assert quote.tax_id_format_name is None


def test_vat_id_of_another_member_state_is_invalid_for_the_billing_country() -> None:
    quote = make_quote(
        [cart_line(unit_price=10_000)], country="DE", tax_id=FRENCH_VAT_ID
    )

    assert quote.reverse_charge is False
    assert quote.tax_id_err_msg == "A VAT Number for this country starts with DE."
    assert quote.total_tax == 1_900


def test_same_country_business_pays_normal_vat() -> None:
    quote = make_quote(
        [cart_line(unit_price=10_000)],
        country="DE",
        tax_id=GERMAN_VAT_ID,
        seller_country="DE",
    )

    assert quote.reverse_charge is False
    assert quote.total_tax == 1_900
    assert quote.lines[0].tax_label == "VAT 19 %"
    assert quote.tax_id_format_name == "VAT Number"


@pytest.mark.parametrize("tax_id", [None, "", "   "])
def test_missing_tax_id_prices_a_consumer_without_error(tax_id: str | None) -> None:
    quote = make_quote([cart_line()], tax_id=tax_id)

    assert (quote.tax_id_err_msg, quote.tax_id_format_name) == (None, None)


def test_tax_id_from_a_country_without_a_scheme_prices_a_consumer() -> None:
    quote = make_quote(
        [cart_line(unit_price=10_000)], country="US", state="WA", tax_id="12-3456789"
    )

    assert quote.reverse_charge is False
    assert quote.tax_id_err_msg == "Till cannot check business tax ids from US."
    assert quote.total_tax == 650


def test_ensure_tax_id_accepted_refuses_quote_with_invalid_id() -> None:
    quote = make_quote([cart_line()], tax_id="DE000")

    with pytest.raises(InvalidTaxId) as caught:
        ensure_tax_id_accepted(quote)

    assert (caught.value.field, caught.value.status) == ("tax_id", 422)
    assert caught.value.code == "INVALID_TAX_ID"


def test_ensure_tax_id_accepted_passes_valid_and_absent_ids() -> None:
    ensure_tax_id_accepted(make_quote([cart_line()], tax_id=GERMAN_VAT_ID))
    ensure_tax_id_accepted(make_quote([cart_line()]))


def test_every_rate_names_its_source_and_a_date() -> None:
    table = rate_table()
    figures = [
        figure
        for jurisdiction in table.values()
        for figure in [jurisdiction.standard, *jurisdiction.categories.values()]
    ]

    assert len(table) > 80
    assert all(figure.source.strip() for figure in figures)
    assert all(
        date(1990, 1, 1) <= figure.as_of <= date(2026, 12, 31) for figure in figures
    )
    assert all(0 <= figure.percent < 100 for figure in figures)


EU_27 = (
    "AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK"
)


@pytest.mark.parametrize(
    "code",
    [
        *EU_27.split(),
        "GB",
        "NO",
        "CH",
        "IS",
        "TR",
        "AU",
        "NZ",
        "SG",
        "JP",
        "KR",
        "IN",
        "ZA",
    ],
)
def test_table_covers_country_with_a_nonzero_standard_rate(code: str) -> None:
    assert rate_table()[code].standard.percent > 0


@pytest.mark.parametrize(
    "province",
    ["AB", "BC", "MB", "NB", "NL", "NS", "NT", "NU", "ON", "PE", "QC", "SK", "YT"],
)
def test_table_covers_every_canadian_province(province: str) -> None:
    assert rate_table()[f"CA-{province}"].standard.percent >= 5


def test_every_eu_country_has_a_tax_id_scheme() -> None:
    assert set(EU_27.split()) <= tax_id_countries()
