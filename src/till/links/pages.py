"""The two small HTML pages links show instead of redirecting.

- the preview page: Open Graph and Twitter card tags for link-preview bots
  (and HEAD requests), so a pasted link shows the product, its price and
  the merchant, without creating a session;
- the closed page: "no longer available" for an archived product, a
  deactivated, expired or sold-out short link, and "not found" for an
  unknown one.

Templates are rendered with autoescaping on and receive only the strings
chosen here. The pages carry their own few lines of CSS, allowed by its
hash in the Content-Security-Policy, so no script or other style can run.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from functools import cache

from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, StrictUndefined

from till.catalog.models import Product
from till.core.money import format_amount, to_major
from till.links.visit import Closed
from till.merchants.models import Merchant
from till.pages.i18n import Translator, translations_for

STYLE = (
    "body{font:16px/1.5 system-ui,sans-serif;margin:0;background:#f6f6f7;"
    "color:#1d1d1f}main{max-width:32rem;margin:12vh auto;padding:2rem;"
    "background:#fff;border-radius:12px;box-shadow:0 1px 4px #0002}"
    "h1{font-size:1.4rem;margin:0 0 .5rem}.muted{color:#6e6e73}"
    ".price{font-size:1.25rem;font-weight:600}"
    "a.button{display:inline-block;margin-top:1rem;padding:.6rem 1.2rem;"
    "background:#1d1d1f;color:#fff;border-radius:8px;text-decoration:none}"
)
_INTERVALS = {
    "Day": ("day", "days"),
    "Week": ("week", "weeks"),
    "Month": ("month", "months"),
    "Year": ("year", "years"),
}


@dataclass(frozen=True)
class ProductCard:
    """What a page says about a product, as display strings."""

    name: str
    merchant: str
    price: str
    description: str | None
    image: str | None
    amount: str
    currency: str


@cache
def _environment(locale: str) -> Environment:
    env = Environment(
        loader=PackageLoader("till.links", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_translations(  # type: ignore[attr-defined]
        translations_for(locale), newstyle=True
    )
    return env


def preview_response(
    product: Product, merchant: Merchant, link_url: str, continue_url: str
) -> HTMLResponse:
    """The Open Graph page of a link that can sell."""
    card = product_card(product, merchant)
    html = _render(
        "preview.html",
        merchant.locale,
        card=card,
        link_url=link_url,
        continue_url=continue_url,
    )
    return _page(html, 200)


def closed_response(closed: Closed) -> HTMLResponse:
    """The "no longer available" or "not found" page."""
    locale = closed.merchant.locale if closed.merchant is not None else "en"
    card = None
    if closed.product is not None and closed.merchant is not None:
        card = product_card(closed.product, closed.merchant)
    html = _render(
        "closed.html",
        locale,
        reason=closed.reason,
        card=card,
        message=closed.message,
    )
    return _page(html, closed.status)


def unusable_response() -> HTMLResponse:
    """A link whose checkout could not be started for a reason of Till's."""
    return _page(
        _render("closed.html", "en", reason="failed", card=None, message=None), 503
    )


def product_card(product: Product, merchant: Merchant) -> ProductCard:
    return ProductCard(
        name=product.name,
        merchant=merchant.name,
        price=price_text(product, merchant.locale, translations_for(merchant.locale)),
        description=product.description,
        image=product.image if (product.image or "").startswith("https://") else None,
        amount=str(to_major(product.amount, product.currency)),
        currency=product.currency,
    )


def price_text(product: Product, locale: str, t: Translator) -> str:
    """``$10.00``, ``From $1.00`` (pay what you want), ``$12.00 per month``."""
    amount = format_amount(product.amount, product.currency, locale)
    if product.price.get("pay_what_you_want"):
        return t.gettext("From %(amount)s") % {"amount": amount}
    if not product.is_recurring:
        return amount
    count = int(product.price.get("payment_frequency_count", 1))
    one, many = _INTERVALS.get(
        product.price.get("payment_frequency_interval", "Month"), ("month", "months")
    )
    if count == 1:
        return t.gettext("%(amount)s per %(interval)s") % {
            "amount": amount,
            "interval": t.gettext(one),
        }
    return t.gettext("%(amount)s every %(count)d %(interval)s") % {
        "amount": amount,
        "count": count,
        "interval": t.ngettext(one, many, count),
    }


def _render(template: str, locale: str, **context: object) -> str:
    page = _environment(locale).get_template(template)
    return page.render(locale=locale, style=STYLE, **context)


def _page(html: str, status: int) -> HTMLResponse:
    response = HTMLResponse(html, status_code=status)
    response.headers["content-security-policy"] = _policy()
    response.headers["x-content-type-options"] = "nosniff"
    response.headers["referrer-policy"] = "no-referrer"
    response.headers["cache-control"] = "no-store"
    return response


@cache
def _policy() -> str:
    digest = base64.b64encode(hashlib.sha256(STYLE.encode()).digest()).decode()
    return "; ".join(
        [
            "default-src 'none'",
            f"style-src 'sha256-{digest}'",
            "img-src 'self' https: data:",
            "base-uri 'none'",
            "form-action 'none'",
            "frame-ancestors 'none'",
        ]
    )
