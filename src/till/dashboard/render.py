"""Jinja2 templates (autoescaped) and the filters every view uses."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from babel.numbers import format_decimal, format_percent
from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, pass_context, select_autoescape
from jinja2.runtime import Context
from markupsafe import Markup

from till.core.money import format_amount
from till.dashboard.security import CSRF_FIELD, SECURITY_HEADERS, Viewer
from till.http.deps import context_of


@dataclass(frozen=True)
class NavItem:
    section: str
    label: str
    path: str


NAV = [
    NavItem("overview", "Overview", "/dashboard"),
    NavItem("products", "Products", "/dashboard/products"),
    NavItem("links", "Short links", "/dashboard/links"),
    NavItem("checkouts", "Checkouts", "/dashboard/checkouts"),
    NavItem("payments", "Payments", "/dashboard/payments"),
    NavItem("subscriptions", "Subscriptions", "/dashboard/subscriptions"),
    NavItem("customers", "Customers", "/dashboard/customers"),
    NavItem("discounts", "Discounts", "/dashboard/discounts"),
    NavItem("webhooks", "Webhooks", "/dashboard/webhooks"),
    NavItem("developers", "Developers", "/dashboard/developers"),
]


@pass_context
def _money(context: Context, amount: int | None, currency: str | None) -> str:
    if amount is None or not currency:
        return "—"
    return format_amount(int(amount), currency, context.get("locale", "en"))


@pass_context
def _number(context: Context, value: int | Decimal) -> str:
    return str(format_decimal(value, locale=_babel_locale(context)))


@pass_context
def _percent(context: Context, ratio: Decimal | None) -> str:
    if ratio is None:
        return "—"
    return str(format_percent(ratio, format="#,##0.#%", locale=_babel_locale(context)))


def _babel_locale(context: Context) -> str:
    return str(context.get("locale", "en")).replace("-", "_")


def _when(moment: datetime | None) -> str:
    if moment is None:
        return "—"
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def _csrf_input(token: str) -> Markup:
    field = Markup('<input type="hidden" name="{}" value="{}">')
    return field.format(CSRF_FIELD, token)


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("till.dashboard", "templates"),
        autoescape=select_autoescape(["html", "svg"], default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(money=_money, number=_number, percent=_percent, when=_when)
    env.globals["csrf_input"] = _csrf_input
    env.globals["nav"] = NAV
    return env


templates = _environment()


def page(
    request: Request,
    viewer: Viewer | None,
    template: str,
    *,
    status: int = 200,
    **context: Any,
) -> HTMLResponse:
    """Render a template inside the dashboard's frame."""
    settings = context_of(request).settings
    body = templates.get_template(template).render(
        viewer=viewer,
        csrf=viewer.csrf if viewer else "",
        locale=viewer.locale if viewer else "en",
        mode=viewer.mode if viewer else "test",
        public_url=settings.public_url,
        path=request.url.path,
        **context,
    )
    return HTMLResponse(body, status_code=status, headers=SECURITY_HEADERS)


def error_page(request: Request, status: int, title: str, message: str) -> HTMLResponse:
    # Signed-in viewers keep their navigation on an error page.
    viewer = getattr(request.state, "viewer", None)
    return page(
        request, viewer, "error.html", status=status, title=title, message=message
    )
