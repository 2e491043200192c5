"""Products: list, create, edit, archive; each with its payment link and QR."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import ValidationError

from till.catalog import service as catalog
from till.catalog.models import Product
from till.catalog.schemas import ProductCreate, ProductUpdate
from till.dashboard import forms
from till.dashboard.forms import FormErrors, FormInvalid
from till.dashboard.paging import pager_of
from till.dashboard.render import page
from till.dashboard.routing import DashboardRoute
from till.dashboard.security import CurrentViewer, Viewer
from till.dashboard.views.links import links_of_product
from till.http.deps import Ctx, Db, Now
from till.links.urls import static_url

router = APIRouter(prefix="/dashboard/products", route_class=DashboardRoute)

TAX_CATEGORIES = {
    "saas": "Software as a service",
    "digital_products": "Digital product",
    "e_book": "E-book",
    "edtech": "Education technology",
    "live_tutoring": "Live tutoring",
}
INTERVALS = ("Day", "Week", "Month", "Year")
KINDS = {
    "one_time": "One-time",
    "recurring": "Recurring",
    "pay_what_you_want": "Pay what you want",
}


@router.get("", response_class=HTMLResponse)
async def list_products(
    request: Request, viewer: CurrentViewer, db: Db, archived: bool = False
) -> Response:
    pager = pager_of(request, archived="true" if archived else None)
    rows = await catalog.list_products(db, viewer.who, pager.page, archived=archived)
    return page(
        request,
        viewer,
        "products/list.html",
        section="products",
        products=rows,
        archived=archived,
        pager=pager.seen(len(rows)),
        kind_of=kind_of,
    )


@router.get("/new", response_class=HTMLResponse)
async def new_product(request: Request, viewer: CurrentViewer) -> Response:
    return _form_page(request, viewer, None, _blank_form(), {})


@router.post("", response_class=HTMLResponse)
async def create_product(
    request: Request, viewer: CurrentViewer, db: Db, clock: Now
) -> Response:
    form = await forms.read_form(request)
    try:
        data = ProductCreate.model_validate(product_spec(form))
        product = await catalog.create_product(db, clock, viewer.who, data)
    except ValidationError as exc:
        return _form_page(request, viewer, None, form, forms.errors_of(exc))
    except FormInvalid as exc:
        return _form_page(request, viewer, None, form, exc.errors)
    await db.commit()
    return RedirectResponse(f"/dashboard/products/{product.id}", 303)


@router.get("/{product_id}", response_class=HTMLResponse)
async def show_product(
    request: Request, product_id: str, viewer: CurrentViewer, db: Db, ctx: Ctx
) -> Response:
    product = await catalog.get_product(db, viewer.who, product_id)
    return page(
        request,
        viewer,
        "products/detail.html",
        section="products",
        product=product,
        kind=KINDS[kind_of(product)],
        tax_label=TAX_CATEGORIES.get(product.tax_category, product.tax_category),
        link=static_url(ctx.settings.public_url, product.id),
        short_links=await links_of_product(db, ctx, viewer, product.id),
    )


@router.get("/{product_id}/edit", response_class=HTMLResponse)
async def edit_product(
    request: Request, product_id: str, viewer: CurrentViewer, db: Db
) -> Response:
    product = await catalog.get_product(db, viewer.who, product_id)
    return _form_page(request, viewer, product, form_of(product), {})


@router.post("/{product_id}", response_class=HTMLResponse)
async def update_product(
    request: Request, product_id: str, viewer: CurrentViewer, db: Db, clock: Now
) -> Response:
    product = await catalog.get_product(db, viewer.who, product_id)
    form = await forms.read_form(request)
    try:
        data = ProductUpdate.model_validate(product_spec(form))
        await catalog.update_product(db, clock, viewer.who, product_id, data)
    except ValidationError as exc:
        return _form_page(request, viewer, product, form, forms.errors_of(exc))
    except FormInvalid as exc:
        return _form_page(request, viewer, product, form, exc.errors)
    await db.commit()
    return RedirectResponse(f"/dashboard/products/{product_id}", 303)


@router.post("/{product_id}/archive")
async def archive_product(
    product_id: str, viewer: CurrentViewer, db: Db, clock: Now
) -> Response:
    await catalog.set_archived(db, clock, viewer.who, product_id, True)
    await db.commit()
    return RedirectResponse(f"/dashboard/products/{product_id}", 303)


@router.post("/{product_id}/unarchive")
async def unarchive_product(
    product_id: str, viewer: CurrentViewer, db: Db, clock: Now
) -> Response:
    await catalog.set_archived(db, clock, viewer.who, product_id, False)
    await db.commit()
    return RedirectResponse(f"/dashboard/products/{product_id}", 303)


def kind_of(product: Product) -> str:
    if product.is_recurring:
        return "recurring"
    if product.price.get("pay_what_you_want"):
        return "pay_what_you_want"
    return "one_time"


def product_spec(form: dict[str, str]) -> dict[str, Any]:
    """The API's product body, built from the form's fields."""
    currency = form.get("currency", "").strip().upper() or "USD"
    kind = form.get("kind", "one_time")
    price: dict[str, Any] = {
        "type": "recurring_price" if kind == "recurring" else "one_time_price",
        "price": forms.parse_amount(form.get("price", ""), currency, "price"),
        "currency": currency,
        "tax_inclusive": forms.checked(form, "tax_inclusive"),
    }
    if kind == "pay_what_you_want":
        price["pay_what_you_want"] = True
        suggested = form.get("suggested_price", "").strip()
        if suggested:
            price["suggested_price"] = forms.parse_amount(
                suggested, currency, "suggested_price"
            )
    if kind == "recurring":
        price.update(_recurring_fields(form))
    return {
        "name": form.get("name", ""),
        "description": form.get("description", "").strip() or None,
        "tax_category": form.get("tax_category", ""),
        "price": price,
    }


def _recurring_fields(form: dict[str, str]) -> dict[str, Any]:
    return {
        "payment_frequency_count": form.get("payment_frequency_count") or "1",
        "payment_frequency_interval": form.get("payment_frequency_interval", ""),
        "subscription_period_count": form.get("subscription_period_count") or "1",
        "subscription_period_interval": form.get("subscription_period_interval", ""),
        "trial_period_days": form.get("trial_period_days") or "0",
    }


def form_of(product: Product) -> dict[str, str]:
    price = product.price
    currency = product.currency
    values = {
        "name": product.name,
        "description": product.description or "",
        "tax_category": product.tax_category,
        "kind": kind_of(product),
        "currency": currency,
        "price": forms.major_text(product.amount, currency),
        "suggested_price": forms.major_text(price.get("suggested_price"), currency),
        "tax_inclusive": "on" if price.get("tax_inclusive") else "",
    }
    for name in _recurring_fields({}):
        if name in price:
            values[name] = str(price[name])
    return values


def _blank_form() -> dict[str, str]:
    return {
        "kind": "one_time",
        "currency": "USD",
        "tax_category": "saas",
        "payment_frequency_count": "1",
        "payment_frequency_interval": "Month",
        "subscription_period_count": "10",
        "subscription_period_interval": "Year",
        "trial_period_days": "0",
    }


def _form_page(
    request: Request,
    viewer: Viewer,
    product: Product | None,
    form: dict[str, str],
    errors: FormErrors,
) -> HTMLResponse:
    return page(
        request,
        viewer,
        "products/form.html",
        status=422 if errors else 200,
        section="products",
        product=product,
        form=form,
        errors=errors,
        kinds=KINDS,
        tax_categories=TAX_CATEGORIES,
        intervals=INTERVALS,
    )
