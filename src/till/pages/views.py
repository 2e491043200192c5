"""View models: what a template shows, computed from a session and a quote.

Pure functions. Every amount is formatted here with ``format_amount`` for the
page's locale and every sentence goes through gettext, so templates only lay
out strings they are given.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from babel import Locale
from babel.dates import format_datetime

from till.core.money import format_amount
from till.pages.i18n import DEFAULT_LOCALE, Translator
from till.pages.theme import Look, look_of
from till.payments.processors import TEST_CARDS
from till.pricing import Quote, QuoteLine

Money = Callable[[int], str]


@dataclass(frozen=True)
class PriceFacts:
    """What the page needs of one cart line's price, as the session stored it."""

    product_id: str
    unit_price: int
    pay_what_you_want: bool = False
    is_subscription: bool = False
    payment_frequency_count: int = 1
    payment_frequency_interval: str = "Month"


@dataclass(frozen=True)
class SessionFacts:
    """A checkout session as the page sees it: the row, its merchant and the
    descriptions of its products, with no database attached."""

    id: str
    mode: str
    status: str
    merchant_name: str
    quote: Quote
    prices: tuple[PriceFacts, ...]
    descriptions: Mapping[str, str | None] = field(default_factory=dict)
    customer_email: str | None = None
    customer_name: str | None = None
    customer_phone: str | None = None
    billing_address: Mapping[str, Any] | None = None
    tax_id: str | None = None
    business_name: str | None = None
    discount_codes: tuple[str, ...] = ()
    amounts: Mapping[str, int] = field(default_factory=dict)
    flags: Mapping[str, Any] = field(default_factory=dict)
    custom_fields: tuple[Mapping[str, Any], ...] = ()
    return_url: str | None = None
    cancel_url: str | None = None
    minimal_address: bool = False
    expires_at: datetime | None = None
    payment_id: str | None = None
    payment_status: str | None = None
    card: str | None = None
    customization: Mapping[str, Any] = field(default_factory=dict)
    # The merchant's: theme defaults and the origins that may frame the page.
    theme_defaults: Mapping[str, Any] | None = None
    embed_origins: tuple[str, ...] = ()

    @property
    def currency(self) -> str:
        return self.quote.currency

    @property
    def is_test(self) -> bool:
        return self.mode == "test"

    @property
    def forced_language(self) -> str | None:
        value = self.customization.get("force_language")
        return str(value) if value else None

    @property
    def look(self) -> Look:
        return look_of(self.customization, self.theme_defaults)

    def flag(self, name: str, default: bool) -> bool:
        value = self.flags.get(name)
        return default if value is None else bool(value)

    def price_of(self, product_id: str) -> PriceFacts | None:
        return next((p for p in self.prices if p.product_id == product_id), None)


@dataclass(frozen=True)
class LineView:
    name: str
    description: str | None
    quantity: int
    unit_price: str
    amount: str
    terms: tuple[str, ...]


@dataclass(frozen=True)
class AdjustmentView:
    """A row under the lines: a discount or a tax."""

    label: str
    amount: str


@dataclass(frozen=True)
class SummaryView:
    lines: tuple[LineView, ...]
    subtotal: str
    discounts: tuple[AdjustmentView, ...]
    taxes: tuple[AdjustmentView, ...]
    total: str
    total_amount: int
    notes: tuple[str, ...]


def summary_view(
    quote: Quote,
    prices: Sequence[PriceFacts],
    descriptions: Mapping[str, str | None],
    locale: str,
    t: Translator,
) -> SummaryView:
    """The order summary: lines, discounts, taxes and the total due now."""
    money = _formatter(quote.currency, locale)
    by_id = {p.product_id: p for p in prices}
    breakup = quote.current_breakup
    return SummaryView(
        lines=tuple(
            _line_view(line, by_id.get(line.product_id), descriptions, money, t)
            for line in quote.lines
        ),
        subtotal=money(breakup.subtotal),
        discounts=tuple(
            AdjustmentView(
                t.gettext("Discount (%(code)s)") % {"code": applied.code},
                money(-applied.amount),
            )
            for applied in quote.discounts_applied
        ),
        taxes=_tax_rows(quote, money, t),
        total=money(breakup.total_amount),
        total_amount=breakup.total_amount,
        notes=_notes(quote, t),
    )


def _formatter(currency: str, locale: str) -> Money:
    def money(amount: int) -> str:
        return format_amount(amount, currency, locale)

    return money


def _line_view(
    line: QuoteLine,
    price: PriceFacts | None,
    descriptions: Mapping[str, str | None],
    money: Money,
    t: Translator,
) -> LineView:
    return LineView(
        name=line.name,
        description=descriptions.get(line.product_id),
        quantity=line.quantity,
        unit_price=money(line.og_price),
        amount=money(line.og_price * line.quantity),
        terms=line_terms(line, price, money, t),
    )


def line_terms(
    line: QuoteLine, price: PriceFacts | None, money: Money, t: Translator
) -> tuple[str, ...]:
    """Subscription terms: the trial, what each renewal costs, discount cycles."""
    if not line.is_subscription:
        return ()
    terms: list[str] = []
    if line.trial_period_days:
        days = line.trial_period_days
        terms.append(
            t.ngettext("%(num)d-day free trial", "%(num)d-day free trial", days)
            % {"num": days}
        )
    if line.recurring_amount is not None and price is not None:
        terms.append(_renewal_term(line, price, money, t))
    if line.discount_cycle:
        cycles = line.discount_cycle
        terms.append(
            t.ngettext(
                "discount for the first payment",
                "discount for the first %(num)d payments",
                cycles,
            )
            % {"num": cycles}
        )
    return tuple(terms)


def _renewal_term(
    line: QuoteLine, price: PriceFacts, money: Money, t: Translator
) -> str:
    amount = line.recurring_amount or 0
    tax = line.recurring_tax or 0
    net = amount if line.tax_inclusive else amount - tax
    count = price.payment_frequency_count
    text = _every(price.payment_frequency_interval, count, t) % {
        "amount": money(net),
        "num": count,
    }
    if tax and not line.tax_inclusive:
        text = t.gettext("%(terms)s plus tax") % {"terms": text}
    return text


def _every(interval: str, count: int, t: Translator) -> str:
    if interval == "Day":
        return t.ngettext(
            "then %(amount)s every day", "then %(amount)s every %(num)d days", count
        )
    if interval == "Week":
        return t.ngettext(
            "then %(amount)s every week", "then %(amount)s every %(num)d weeks", count
        )
    if interval == "Year":
        return t.ngettext(
            "then %(amount)s every year", "then %(amount)s every %(num)d years", count
        )
    return t.ngettext(
        "then %(amount)s every month", "then %(amount)s every %(num)d months", count
    )


def _tax_rows(quote: Quote, money: Money, t: Translator) -> tuple[AdjustmentView, ...]:
    # Lines taxed under one label (say "VAT 19 %") share one row; a label the
    # page cannot know in advance (a provider's own wording) is shown as is.
    # Known shortcoming: the built-in rates' labels come from the pricing
    # tables in English ("VAT", "GST"); translating them needs the tables to
    # carry a tax name code the page could look up in its catalogue.
    rows: dict[tuple[str, bool], int] = {}
    for line in quote.lines:
        key = (line.tax_label, line.tax_inclusive)
        rows[key] = rows.get(key, 0) + line.tax
    views = []
    for (label, inclusive), amount in rows.items():
        if inclusive:
            label = t.gettext("Includes %(tax)s") % {"tax": label}
        views.append(AdjustmentView(label, money(amount)))
    return tuple(views)


def _notes(quote: Quote, t: Translator) -> tuple[str, ...]:
    notes = []
    if quote.reverse_charge:
        notes.append(
            t.gettext(
                "Reverse charge: no tax is charged; as a business you account "
                "for it yourself."
            )
        )
    if quote.tax_id_err_msg:
        notes.append(
            t.gettext("Your tax ID was not accepted (%(reason)s), so tax applies.")
            % {"reason": quote.tax_id_err_msg}
        )
    return tuple(notes)


def pay_label(
    total_amount: int, total: str, t: Translator, custom: str | None = None
) -> str:
    """The pay button's text: the merchant's own, else one with the total."""
    if custom:
        return custom
    if total_amount == 0:
        return t.gettext("Start free trial")
    return t.gettext("Pay %(total)s") % {"total": total}


def return_link(return_url: str, session_id: str, payment_id: str, status: str) -> str:
    """``return_url`` with the outcome added to whatever query it already has."""
    parts = urlsplit(return_url)
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if k not in ("session_id", "payment_id", "status")
    ]
    query += [("session_id", session_id), ("payment_id", payment_id)]
    query.append(("status", status))
    return urlunsplit(parts._replace(query=urlencode(query)))


def safe_link(url: str | None) -> str | None:
    """``url`` if it may become an href; a ``javascript:`` link never does."""
    if not url:
        return None
    scheme = urlsplit(url).scheme.lower()
    return url if scheme in ("http", "https") else None


@dataclass(frozen=True)
class SandboxCardView:
    number: str
    description: str


def sandbox_cards_view(
    is_test: bool, t: Translator | None = None
) -> tuple[SandboxCardView, ...]:
    """The sandbox's test cards, for the banner shown in test mode only."""
    if not is_test:
        return ()
    say = t.gettext if t is not None else str
    return tuple(
        SandboxCardView(c.number, say(c.description)) for c in TEST_CARDS.values()
    )


@dataclass(frozen=True)
class CheckoutPage:
    merchant_name: str
    back_url: str | None
    pay_url: str
    quote_url: str
    csrf_token: str
    pay_label: str
    notice: str | None = None
    show_order_details: bool = True
    total: str = ""


def checkout_page(
    facts: SessionFacts,
    summary: SummaryView,
    csrf_token: str,
    t: Translator,
    notice: str | None = None,
) -> CheckoutPage:
    look = facts.look
    return CheckoutPage(
        merchant_name=facts.merchant_name,
        back_url=safe_link(facts.cancel_url),
        pay_url=f"/session/{facts.id}/pay",
        quote_url=f"/session/{facts.id}/quote",
        csrf_token=csrf_token,
        pay_label=pay_label(
            summary.total_amount, summary.total, t, look.pay_button_text
        ),
        notice=notice,
        show_order_details=look.show_order_details,
        total=summary.total,
    )


_BRANDS = {
    "visa": "Visa",
    "mastercard": "Mastercard",
    "amex": "American Express",
    "discover": "Discover",
    "jcb": "JCB",
    "diners": "Diners Club",
    "unionpay": "UnionPay",
}


def card_label(brand: str, last4: str) -> str:
    """``Visa •••• 4242``; an unknown brand shows only the digits."""
    name = _BRANDS.get(brand.lower())
    return f"{name} •••• {last4}" if name else f"•••• {last4}"


@dataclass(frozen=True)
class ReceiptPage:
    merchant_name: str
    email: str | None
    payment_id: str | None
    continue_url: str | None
    card: str | None


def receipt_page(facts: SessionFacts, *, show_continue: bool = True) -> ReceiptPage:
    return ReceiptPage(
        merchant_name=facts.merchant_name,
        email=facts.customer_email,
        payment_id=facts.payment_id,
        continue_url=continue_url(facts) if show_continue else None,
        card=facts.card,
    )


def continue_url(facts: SessionFacts) -> str | None:
    """The return URL with the outcome of the session's payment, if both exist."""
    if not facts.return_url or not facts.payment_id:
        return None
    link = return_link(facts.return_url, facts.id, facts.payment_id, "succeeded")
    return safe_link(link)


@dataclass(frozen=True)
class MessagePage:
    """A page that only says something: expired, not found, refused."""

    title: str
    paragraphs: tuple[str, ...]
    merchant_name: str | None = None
    link_url: str | None = None
    link_label: str | None = None


def expired_page(
    facts: SessionFacts, t: Translator, locale: str = DEFAULT_LOCALE
) -> MessagePage:
    back = safe_link(facts.cancel_url)
    when: tuple[str, ...] = ()
    if facts.expires_at is not None:
        # The buyer's time zone is unknown to the server, so the moment is
        # given in UTC and says so.
        moment = format_datetime(
            facts.expires_at, "medium", tzinfo=UTC, locale=_babel_locale(locale)
        )
        when = (t.gettext("It expired on %(moment)s (UTC).") % {"moment": moment},)
    return MessagePage(
        title=t.gettext("This checkout has expired"),
        paragraphs=(
            *when,
            t.gettext("Nothing was charged. Go back to the seller to start again."),
        ),
        merchant_name=facts.merchant_name,
        link_url=back,
        link_label=t.gettext("Back") if back else None,
    )


def not_found_page(t: Translator) -> MessagePage:
    return MessagePage(
        title=t.gettext("Checkout not found"),
        paragraphs=(
            t.gettext(
                "This link is not valid. Check it, or ask the seller for a new one."
            ),
        ),
    )


@dataclass(frozen=True)
class ChallengePage:
    amount: str
    card: str
    action_url: str
    csrf_token: str


def _babel_locale(locale: str) -> Locale:
    return Locale.parse(locale)


@dataclass(frozen=True)
class Outcome:
    """What a framed page tells the merchant's page about the payment."""

    kind: str  # "payment_succeeded" or "payment_failed"
    session_id: str
    payment_id: str | None = None
    status: str | None = None
    return_url: str | None = None
    reason: str | None = None
    message: str | None = None


@dataclass(frozen=True)
class Shell:
    """What the frame of every page (``base.html``) shows: its language, its
    theme, and in embed mode the parent it talks to and what it says."""

    lang: str
    page: str
    theme: str = "light"
    theme_url: str | None = None
    session_id: str | None = None
    parent_origin: str | None = None
    outcome: Outcome | None = None
