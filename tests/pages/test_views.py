"""The order summary and the small view helpers, as pure functions."""

from __future__ import annotations

import pytest
from babel.support import NullTranslations

from tests.pages.support import facts, plan, widget
from till.pages.views import (
    pay_label,
    receipt_page,
    return_link,
    safe_link,
    sandbox_cards_view,
    summary_view,
)
from till.pricing import DiscountSpec

T = NullTranslations()


def summary_of(**kwargs: object):  # type: ignore[no-untyped-def]
    f = facts(**kwargs)  # type: ignore[arg-type]
    return summary_view(f.quote, f.prices, {"pdt_widget": "A fine widget"}, "en", T)


def test_lines_show_name_quantity_unit_price_and_amount() -> None:
    summary = summary_of(specs=[widget(1250)], quantities=[3])

    (line,) = summary.lines
    assert (line.name, line.quantity) == ("Widget", 3)
    assert (line.unit_price, line.amount) == ("$12.50", "$37.50")
    assert line.description == "A fine widget"


def test_german_buyer_sees_vat_row_with_rate_in_label() -> None:
    summary = summary_of(specs=[widget(1000)], country="DE")

    assert [(t.label, t.amount) for t in summary.taxes] == [("VAT 19 %", "$1.90")]
    assert summary.total == "$11.90"
    assert summary.total_amount == 1190


def test_business_abroad_with_valid_vat_id_sees_reverse_charge() -> None:
    summary = summary_of(specs=[widget(1000)], country="DE", tax_id="DE136695976")

    assert [(t.label, t.amount) for t in summary.taxes] == [("Reverse charge", "$0.00")]
    assert any("Reverse charge" in note for note in summary.notes)
    assert summary.total == "$10.00"


def test_discount_row_names_code_and_shows_negative_amount() -> None:
    code = DiscountSpec("dsc_1", "SAVE20", "percentage", 2000)

    summary = summary_of(specs=[widget(1000)], discounts=[code])

    assert [(d.label, d.amount) for d in summary.discounts] == [
        ("Discount (SAVE20)", "-$2.00")
    ]
    assert summary.total == "$8.00"


def test_subscription_with_trial_shows_trial_and_renewal_terms() -> None:
    summary = summary_of(specs=[plan(1200, trial=14)])

    (line,) = summary.lines
    assert line.terms == ("14-day free trial", "then $12.00 every month")
    assert summary.total == "$0.00"


@pytest.mark.parametrize(
    ("count", "interval", "expected"),
    [
        (1, "Month", "then $12.00 every month"),
        (3, "Month", "then $12.00 every 3 months"),
        (1, "Year", "then $12.00 every year"),
        (2, "Week", "then $12.00 every 2 weeks"),
        (1, "Day", "then $12.00 every day"),
    ],
)
def test_renewal_terms_name_the_billing_interval(
    count: int, interval: str, expected: str
) -> None:
    spec = plan(
        1200, payment_frequency_count=count, payment_frequency_interval=interval
    )

    (line,) = summary_of(specs=[spec]).lines

    assert line.terms == (expected,)


def test_taxed_renewal_says_plus_tax() -> None:
    (line,) = summary_of(specs=[plan(1200)], country="DE").lines

    assert line.terms == ("then $12.00 every month plus tax",)


def test_pay_label_names_total_or_trial() -> None:
    assert pay_label(1190, "$11.90", T) == "Pay $11.90"
    assert pay_label(0, "$0.00", T) == "Start free trial"


def test_return_link_adds_outcome_and_keeps_merchant_query() -> None:
    link = return_link(
        "https://shop.example/done?order=7&status=x", "cks_1", "pay_2", "succeeded"
    )

    assert link == (
        "https://shop.example/done?order=7&session_id=cks_1&payment_id=pay_2"
        "&status=succeeded"
    )


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("https://shop.example/back", True),
        ("http://localhost:3000/", True),
        ("javascript:alert(1)", False),
        ("JaVaScRiPt:alert(1)", False),
        ("data:text/html,hi", False),
        (None, False),
    ],
)
def test_only_http_links_become_hrefs(url: str | None, allowed: bool) -> None:
    assert (safe_link(url) is not None) is allowed


def test_receipt_continues_to_return_url_with_outcome() -> None:
    f = facts(return_url="https://shop.example/thanks", payment_id="pay_9")

    page = receipt_page(f)

    assert page.continue_url == (
        "https://shop.example/thanks?session_id=cks_test&payment_id=pay_9"
        "&status=succeeded"
    )


def test_test_cards_are_listed_in_test_mode_only() -> None:
    numbers = [card.number for card in sandbox_cards_view(True)]

    assert "4242 4242 4242 4242" in numbers
    assert "4000 0025 0000 3155" in numbers
    assert sandbox_cards_view(False) == ()
