"""Properties every quote keeps, whatever the cart."""

from __future__ import annotations

import json
from dataclasses import dataclass

from dodopayments.types import CheckoutSessionPreviewResponse
from hypothesis import event, given, settings
from hypothesis import strategies as st

from till.core.money import MAX_AMOUNT
from till.pricing import (
    AmountTooLarge,
    BillingLocation,
    CartLine,
    DiscountSpec,
    PriceSpec,
    Quote,
    QuoteLine,
    build_quote,
    country_needs_state,
    subdivisions,
    supported_countries,
)
from till.pricing.inputs import DiscountType, Interval, TaxCategory

from .builders import FRENCH_VAT_ID, GERMAN_VAT_ID, MOMENT

CURRENCIES = ["EUR", "USD", "GBP", "JPY", "KWD", "INR"]
INTERVALS: list[Interval] = ["Day", "Week", "Month", "Year"]
KINDS: list[DiscountType] = ["percentage", "flat"]
CATEGORIES: list[TaxCategory] = [
    "digital_products",
    "saas",
    "e_book",
    "edtech",
    "live_tutoring",
]
# Countries with tax, and a checksum-valid business id from each, so that
# consumer tax and reverse charge both come up often.
VALID_TAX_IDS = {
    "DE": GERMAN_VAT_ID,
    "FR": FRENCH_VAT_ID,
    "GB": "GB980780684",
    "AU": "51824753556",
    "CA": "123456782RT0001",
    "IN": "27AAPFU0939F1ZV",
    "JP": "T8000000000001",
    "US": None,
}
INVALID_TAX_IDS = ["DE136695977", "not a tax id"]


@dataclass(frozen=True)
class Case:
    lines: list[CartLine]
    discounts: list[DiscountSpec]
    location: BillingLocation
    tax_id: str | None
    seller_country: str
    trial_period_days: int | None


@st.composite
def cart_lines(draw: st.DrawFn, currency: str, index: int) -> CartLine:
    subscription = draw(st.booleans())
    minimum = draw(st.integers(0, 10**8))
    pay_what_you_want = not subscription and draw(st.booleans())
    price = PriceSpec(
        product_id=f"pdt_{index}",
        name=f"Product {index}",
        currency=currency,
        unit_price=minimum,
        tax_category=draw(st.sampled_from(CATEGORIES)),
        tax_inclusive=draw(st.booleans()),
        pay_what_you_want=pay_what_you_want,
        is_subscription=subscription,
        payment_frequency_count=draw(st.integers(1, 12)),
        payment_frequency_interval=draw(st.sampled_from(INTERVALS)),
        trial_period_days=draw(st.sampled_from([0, 0, 7, 30])),
    )
    amount = None
    if pay_what_you_want:
        amount = draw(st.none() | st.integers(minimum, 10**8))
    return CartLine(price, draw(st.integers(1, 1_000)), amount)


@st.composite
def discounts(draw: st.DrawFn, product_ids: list[str], index: int) -> DiscountSpec:
    kind = draw(st.sampled_from(KINDS))
    ceiling = 10_000 if kind == "percentage" else 10**7
    restricted = draw(st.sets(st.sampled_from(product_ids), max_size=3))
    return DiscountSpec(
        discount_id=f"dsc_{index}",
        code=f"CODE{index}",
        type=kind,
        amount=draw(st.integers(0, ceiling)),
        restricted_to=frozenset(restricted),
        subscription_cycles=draw(st.none() | st.integers(1, 3)),
    )


@st.composite
def locations(draw: st.DrawFn) -> BillingLocation:
    country = draw(
        st.sampled_from(sorted(VALID_TAX_IDS))
        | st.sampled_from(sorted(supported_countries()))
    )
    state = None
    if country_needs_state(country):
        codes = [sub.code for sub in subdivisions(country)]
        state = draw(st.none() | st.sampled_from(codes))
    return BillingLocation(country, state)


@st.composite
def cases(draw: st.DrawFn) -> Case:
    currency = draw(st.sampled_from(CURRENCIES))
    size = draw(st.integers(1, 20))
    lines = [draw(cart_lines(currency, index)) for index in range(size)]
    product_ids = [line.price.product_id for line in lines]
    stack = [draw(discounts(product_ids, i)) for i in range(draw(st.integers(0, 4)))]
    location = draw(locations())
    valid_id = VALID_TAX_IDS.get(location.country)
    return Case(
        lines=lines,
        discounts=stack,
        location=location,
        tax_id=draw(st.sampled_from([None, valid_id, *INVALID_TAX_IDS])),
        seller_country=draw(st.sampled_from(["US", "DE", "GB", "IN"])),
        trial_period_days=draw(st.none() | st.integers(0, 60)),
    )


def quote_of(case: Case) -> Quote | None:
    try:
        return build_quote(
            case.lines,
            case.discounts,
            case.location,
            tax_id=case.tax_id,
            seller_country=case.seller_country,
            moment=MOMENT,
            trial_period_days=case.trial_period_days,
        )
    except AmountTooLarge:
        event("refused as too large")
        # Only a cart whose undiscounted, fully taxed value could pass the
        # limit may be refused.
        most = sum(line.price.unit_price * line.quantity for line in case.lines)
        most = max(most, sum(_og(line) * line.quantity for line in case.lines))
        assert most * 13 // 10 > MAX_AMOUNT
        return None


def _og(line: CartLine) -> int:
    return line.price.unit_price if line.amount is None else line.amount


def _amounts(line: QuoteLine) -> list[int]:
    values = [
        line.og_price,
        line.discounted_price,
        line.subtotal_amount,
        line.discount_total,
        line.tax,
        line.total_amount,
        line.recurring_amount,
        line.recurring_tax,
        line.recurring_discount,
    ]
    return [value for value in values if value is not None]


@settings(max_examples=200, deadline=None)
@given(cases())
def test_quote_invariants_hold_for_any_cart(case: Case) -> None:
    quote = quote_of(case)
    if quote is None:
        return
    event(f"reverse charge: {quote.reverse_charge}")
    event(f"tax charged: {quote.total_tax > 0}")

    lines = quote.lines
    amounts = [amount for line in lines for amount in _amounts(line)]
    assert all(type(amount) is int and amount >= 0 for amount in amounts)

    current = quote.current_breakup
    assert current.subtotal == sum(line.subtotal_amount for line in lines)
    assert current.discount == sum(line.discount_total for line in lines)
    assert current.tax == sum(line.tax for line in lines)
    assert current.total_amount == sum(line.total_amount for line in lines)
    exclusive_tax = sum(line.tax for line in lines if not line.tax_inclusive)
    assert current.total_amount == current.subtotal - current.discount + exclusive_tax
    assert quote.total_price == current.total_amount >= 0
    assert quote.total_tax == current.tax

    if quote.reverse_charge:
        assert quote.total_tax == 0
        assert quote.recurring_breakup is None or quote.recurring_breakup.tax == 0


@settings(max_examples=200, deadline=None)
@given(cases())
def test_recurring_breakup_is_the_sum_of_the_renewals(case: Case) -> None:
    quote = quote_of(case)
    if quote is None:
        return

    subscriptions = [line for line in quote.lines if line.is_subscription]
    recurring = quote.recurring_breakup
    if not subscriptions:
        assert recurring is None
        return
    assert recurring is not None
    assert recurring.total_amount == sum(
        line.recurring_amount or 0 for line in subscriptions
    )
    exclusive_tax = sum(
        line.recurring_tax or 0 for line in subscriptions if not line.tax_inclusive
    )
    assert (
        recurring.total_amount
        == recurring.subtotal - recurring.discount + exclusive_tax
    )
    assert quote.next_billing_date is not None
    assert quote.next_billing_date > MOMENT


@settings(max_examples=200, deadline=None)
@given(cases())
def test_quote_round_trips_and_matches_the_sdk(case: Case) -> None:
    quote = quote_of(case)
    if quote is None:
        return

    stored = json.loads(json.dumps(quote.to_dict()))
    assert Quote.from_dict(stored) == quote

    preview = CheckoutSessionPreviewResponse.model_validate(quote.to_preview_dict())
    assert preview.total_price == quote.total_price
    assert len(preview.product_cart) == len(quote.lines)
