"""Turning a cart into a quote: discounts, tax and totals.

:func:`build_quote` is a pure function of its arguments. Preview, session
creation, the hosted page and the charge all call it (or replay the quote it
returned), so what the buyer is shown is what is charged.

The rounding rule
-----------------
Amounts are whole minor units of the cart currency throughout; a fraction of
a minor unit exists only for a moment, inside the two steps below, and is
turned back into a whole unit by ``till.core.money.round_minor`` (half to
even).

1. Discounts apply to one unit, in the order the codes were given, each to
   what the codes before it left. A percentage code of ``b`` basis points
   takes ``round_minor(unit * b / 10000)``; a flat code takes its amount,
   but never more than is left, so a unit never costs less than zero.
2. The line's net amount is the discounted unit price times the quantity.
3. Tax is computed once per line, on the net amount, with the exact
   (Decimal) rate. Tax-exclusive: ``tax = round_minor(net * rate)`` and the
   line costs ``net + tax``. Tax-inclusive: the tax is the part of the net
   amount that is tax, ``tax = round_minor(net * rate / (1 + rate))``, and
   the line costs ``net``.
4. Every total is the plain sum of its lines, so lines always add up to the
   totals exactly.

Rates are ``Decimal`` (Quebec's QST is 9.975 %); no float is ever involved.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import ROUND_HALF_EVEN, Decimal, localcontext

from till.core.errors import FieldInvalid
from till.core.money import MAX_AMOUNT, round_minor
from till.pricing.countries import (
    country_needs_state,
    is_supported_country,
    normalize_state,
)
from till.pricing.discounts import (
    UnitDiscount,
    accept_discounts,
    applies_to,
    covers_cycle,
    discount_unit,
)
from till.pricing.errors import (
    AmountBelowMinimum,
    AmountNotAllowed,
    AmountTooLarge,
    CartSizeInvalid,
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
    PriceSpec,
    TaxCategory,
)
from till.pricing.outputs import AppliedDiscount, Breakup, Quote, QuoteLine
from till.pricing.periods import add_interval
from till.pricing.tax.builtin import BuiltinTaxProvider
from till.pricing.tax.provider import TaxProvider, TaxRate
from till.pricing.tax.tax_ids import TaxIdCheck, check_tax_id

__all__ = ["MAX_CART_LINES", "Quote", "QuoteLine", "build_quote"]

MAX_CART_LINES = 20
REVERSE_CHARGE_LABEL = "Reverse charge"


@dataclass(frozen=True)
class _Charge:
    """One billing of one line: now, or a renewal."""

    unit: UnitDiscount
    subtotal: int
    discount: int
    tax: int
    total: int


@dataclass(frozen=True)
class _Charges:
    first: _Charge  # the first billed cycle: now, or after the trial
    now: _Charge | None  # None during a free trial
    renewal: _Charge | None  # the next renewal; subscriptions only
    first_codes: tuple[DiscountSpec, ...]


@dataclass(frozen=True)
class _PricedLine:
    line: QuoteLine
    # What each code took off this line's charge due now, by discount id.
    cuts_now: Mapping[str, int]


def build_quote(
    lines: Sequence[CartLine],
    discounts: Sequence[DiscountSpec],
    location: BillingLocation,
    *,
    tax_id: str | None,
    seller_country: str,
    moment: datetime,
    trial_period_days: int | None = None,
    tax_provider: TaxProvider | None = None,
) -> Quote:
    """Price ``lines`` for a buyer billed at ``location`` at ``moment``.

    ``discounts`` are the codes the buyer entered, already looked up, in the
    order given. ``trial_period_days`` overrides every subscription's own
    trial. An invalid ``tax_id`` never fails the quote: it is reported in
    ``tax_id_err_msg`` and the buyer pays as a consumer. A valid one from
    another country than ``seller_country`` reverse charges the whole cart.

    Raises the field errors of :mod:`till.pricing.errors` for a cart, an
    address or a discount code the buyer has to change.
    """
    moment = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    location = _checked_location(location)
    currency = _checked_cart(lines)
    _check_trial(trial_period_days)
    product_ids = frozenset(line.price.product_id for line in lines)
    codes = accept_discounts(discounts, product_ids, moment)

    tax_check = _check_tax_id(tax_id, location.country)
    reverse_charge = _is_reverse_charge(tax_check, location, seller_country)
    rates = _rates(lines, location, tax_provider, reverse_charge)

    priced = [
        _price_line(line, codes, rates, moment, trial_period_days) for line in lines
    ]
    quote = _assemble(priced, codes, currency, location, tax_check, reverse_charge)
    _check_limits(quote)
    return quote


def ensure_tax_id_accepted(quote: Quote) -> None:
    """Refuse a quote whose tax id failed its check.

    A preview prices such a buyer as a consumer and shows the message; a
    session created with ``confirm`` must not silently drop the id the buyer
    gave, so it calls this first.
    """
    if quote.tax_id_err_msg is not None:
        raise InvalidTaxId(quote.tax_id_err_msg)


def line_tax(net: int, rate: Decimal, *, inclusive: bool) -> int:
    """Step 3 of the rounding rule: the tax of one line's net amount."""
    with localcontext() as context:
        # Wide enough that the division of step 3 cannot move a value that
        # is not exactly half a unit onto the half.
        context.prec = 60
        exact = net * rate / (1 + rate) if inclusive else net * rate
    return round_minor(exact)


def basis_points(rate: Decimal) -> int:
    """A rate for display, in whole basis points (QST 9.975 % shows 998)."""
    return int((rate * 10_000).quantize(Decimal(1), rounding=ROUND_HALF_EVEN))


# Checking the request ------------------------------------------------------


def _checked_location(location: BillingLocation) -> BillingLocation:
    country = location.country.strip().upper()
    if not is_supported_country(country):
        raise UnsupportedCountry(location.country)
    state = location.state.strip() if location.state else None
    if state and country_needs_state(country):
        code = normalize_state(country, state)
        if code is None:
            raise UnknownState(country, state)
        state = code
    return BillingLocation(country, state or None, location.zipcode)


def _checked_cart(lines: Sequence[CartLine]) -> str:
    if not 1 <= len(lines) <= MAX_CART_LINES:
        raise CartSizeInvalid(len(lines), MAX_CART_LINES)
    currency = lines[0].price.currency
    for index, line in enumerate(lines):
        _check_line(index, line, currency)
    return currency


def _check_line(index: int, line: CartLine, currency: str) -> None:
    if line.price.currency != currency:
        raise MixedCurrencies(index, line.price.currency, currency)
    if line.quantity < 1:
        raise QuantityInvalid(index, line.quantity)
    if line.amount is not None:
        _check_chosen_amount(index, line.price, line.amount)
    subtotal = _og_price(line) * line.quantity
    if subtotal > MAX_AMOUNT:
        raise AmountTooLarge(f"product_cart[{index}].quantity", subtotal, MAX_AMOUNT)


def _check_chosen_amount(index: int, price: PriceSpec, amount: int) -> None:
    if not price.pay_what_you_want:
        raise AmountNotAllowed(index)
    if amount < price.unit_price:
        raise AmountBelowMinimum(index, amount, price.unit_price)
    if amount > MAX_AMOUNT:
        raise AmountTooLarge(f"product_cart[{index}].amount", amount, MAX_AMOUNT)


def _check_trial(trial_period_days: int | None) -> None:
    if trial_period_days is not None and trial_period_days < 0:
        field = "subscription_data.trial_period_days"
        raise FieldInvalid(field, "must not be negative")


def _check_limits(quote: Quote) -> None:
    breakups = [quote.current_breakup, quote.recurring_breakup]
    for breakup in filter(None, breakups):
        largest = max(breakup.subtotal, breakup.total_amount)
        if largest > MAX_AMOUNT:
            raise AmountTooLarge("product_cart", largest, MAX_AMOUNT)


# Tax -----------------------------------------------------------------------


def _check_tax_id(tax_id: str | None, country: str) -> TaxIdCheck | None:
    if tax_id is None or not tax_id.strip():
        return None
    return check_tax_id(tax_id, country)


def _is_reverse_charge(
    check: TaxIdCheck | None, location: BillingLocation, seller_country: str
) -> bool:
    # A business buying from abroad accounts for the tax itself; one buying
    # from a seller in its own country pays the seller's tax like anyone.
    if check is None or not check.valid:
        return False
    return location.country != seller_country.strip().upper()


def _rates(
    lines: Sequence[CartLine],
    location: BillingLocation,
    provider: TaxProvider | None,
    reverse_charge: bool,
) -> dict[TaxCategory, TaxRate]:
    categories = dict.fromkeys(line.price.tax_category for line in lines)
    if reverse_charge:
        zero = TaxRate(Decimal(0), REVERSE_CHARGE_LABEL, location.country)
        return dict.fromkeys(categories, zero)
    provider = provider or BuiltinTaxProvider()
    return {category: provider.rate_for(location, category) for category in categories}


# Pricing one line ----------------------------------------------------------


def _price_line(
    line: CartLine,
    codes: Sequence[DiscountSpec],
    rates: Mapping[TaxCategory, TaxRate],
    moment: datetime,
    trial_override: int | None,
) -> _PricedLine:
    rate = rates[line.price.tax_category]
    trial = _trial_days(line.price, trial_override)
    charges = _charges(line, codes, rate, trial)
    quote_line = _quote_line(line, rate, charges, trial, moment)
    cuts_now = dict(charges.now.unit.cuts) if charges.now else {}
    return _PricedLine(quote_line, {k: v * line.quantity for k, v in cuts_now.items()})


def _charges(
    line: CartLine, codes: Sequence[DiscountSpec], rate: TaxRate, trial: int
) -> _Charges:
    spec = line.price
    own_codes = [code for code in codes if applies_to(code, spec.product_id)]
    # The first billed cycle is cycle 1. A trial is not a cycle, so with a
    # trial the first renewal is cycle 1, and it is also the next renewal.
    first_codes = _codes_for_cycle(own_codes, 1 if spec.is_subscription else None)
    first = _charge(line, first_codes, rate)
    renewal = None
    if spec.is_subscription:
        next_cycle = 2 if trial == 0 else 1
        renewal = _charge(line, _codes_for_cycle(own_codes, next_cycle), rate)
    now = first if trial == 0 else None
    return _Charges(first, now, renewal, tuple(first_codes))


def _charge(line: CartLine, codes: Sequence[DiscountSpec], rate: TaxRate) -> _Charge:
    og_price = _og_price(line)
    unit = discount_unit(og_price, codes)
    subtotal = og_price * line.quantity
    net = unit.unit_price * line.quantity
    inclusive = line.price.tax_inclusive
    tax = line_tax(net, rate.rate, inclusive=inclusive)
    total = net if inclusive else net + tax
    return _Charge(unit, subtotal, subtotal - net, tax, total)


def _quote_line(
    line: CartLine, rate: TaxRate, charges: _Charges, trial: int, moment: datetime
) -> QuoteLine:
    spec = line.price
    subscription = spec.is_subscription
    first, now, renewal = charges.first, charges.now, charges.renewal
    return QuoteLine(
        product_id=spec.product_id,
        name=spec.name,
        quantity=line.quantity,
        og_price=_og_price(line),
        og_currency=spec.currency,
        currency=spec.currency,
        discounted_price=first.unit.unit_price,
        discount_amount=first.unit.percent_bps,
        subtotal_amount=now.subtotal if now else 0,
        discount_total=now.discount if now else 0,
        tax_category=spec.tax_category,
        tax_inclusive=spec.tax_inclusive,
        tax_rate=basis_points(rate.rate),
        tax=now.tax if now else 0,
        total_amount=now.total if now else 0,
        is_subscription=subscription,
        due_now=now is not None,
        recurring_amount=renewal.total if renewal else None,
        recurring_tax=renewal.tax if renewal else None,
        recurring_discount=renewal.discount if renewal else None,
        discount_cycle=_discount_cycle(charges.first_codes) if subscription else None,
        trial_period_days=(trial or None) if subscription else None,
        next_billing_date=_next_billing(spec, trial, moment) if subscription else None,
        tax_label=rate.label,
    )


def _og_price(line: CartLine) -> int:
    # A pay-what-you-want buyer's own amount replaces the minimum.
    return line.price.unit_price if line.amount is None else line.amount


def _trial_days(spec: PriceSpec, override: int | None) -> int:
    if not spec.is_subscription:
        return 0
    return spec.trial_period_days if override is None else override


def _codes_for_cycle(
    codes: Sequence[DiscountSpec], cycle: int | None
) -> list[DiscountSpec]:
    return [code for code in codes if covers_cycle(code, cycle)]


def _discount_cycle(codes: Sequence[DiscountSpec]) -> int | None:
    # Cycles the line stays discounted; None when no code or one code
    # without a limit applies.
    limits = [code.subscription_cycles for code in codes]
    if not limits or None in limits:
        return None
    return max(limit for limit in limits if limit is not None)


def _next_billing(spec: PriceSpec, trial: int, moment: datetime) -> datetime:
    if trial > 0:
        return moment + timedelta(days=trial)
    count, interval = spec.payment_frequency_count, spec.payment_frequency_interval
    return add_interval(moment, count, interval)


# Totals ------------------------------------------------------------------


def _assemble(
    priced: Sequence[_PricedLine],
    codes: Sequence[DiscountSpec],
    currency: str,
    location: BillingLocation,
    tax_check: TaxIdCheck | None,
    reverse_charge: bool,
) -> Quote:
    lines = tuple(p.line for p in priced)
    current = _current_breakup(lines)
    subscriptions = [line for line in lines if line.is_subscription]
    return Quote(
        currency=currency,
        billing_country=location.country,
        lines=lines,
        current_breakup=current,
        recurring_breakup=_recurring_breakup(subscriptions),
        total_price=current.total_amount,
        total_tax=current.tax,
        next_billing_date=_earliest_billing(subscriptions),
        trial_period_days=_cart_trial(subscriptions),
        tax_id_err_msg=tax_check.error_message if tax_check else None,
        tax_id_format_name=tax_check.format_name if tax_check else None,
        reverse_charge=reverse_charge,
        discounts_applied=_applied(codes, priced),
    )


def _current_breakup(lines: Sequence[QuoteLine]) -> Breakup:
    return Breakup(
        subtotal=sum(line.subtotal_amount for line in lines),
        discount=sum(line.discount_total for line in lines),
        tax=sum(line.tax for line in lines),
        total_amount=sum(line.total_amount for line in lines),
    )


def _recurring_breakup(subscriptions: Sequence[QuoteLine]) -> Breakup | None:
    if not subscriptions:
        return None
    return Breakup(
        subtotal=sum(line.recurring_subtotal or 0 for line in subscriptions),
        discount=sum(line.recurring_discount or 0 for line in subscriptions),
        tax=sum(line.recurring_tax or 0 for line in subscriptions),
        total_amount=sum(line.recurring_amount or 0 for line in subscriptions),
    )


def _earliest_billing(subscriptions: Sequence[QuoteLine]) -> datetime | None:
    dates = [line.next_billing_date for line in subscriptions]
    return min(filter(None, dates), default=None)


def _cart_trial(subscriptions: Sequence[QuoteLine]) -> int | None:
    # The wire format gives one cart-wide trial only for a single
    # subscription; several report theirs line by line.
    if len(subscriptions) != 1:
        return None
    return subscriptions[0].trial_period_days


def _applied(
    codes: Sequence[DiscountSpec], priced: Sequence[_PricedLine]
) -> tuple[AppliedDiscount, ...]:
    return tuple(
        AppliedDiscount(
            discount_id=code.discount_id,
            code=code.code,
            amount=sum(p.cuts_now.get(code.discount_id, 0) for p in priced),
        )
        for code in codes
    )
