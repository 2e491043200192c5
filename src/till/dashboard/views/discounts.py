"""Discount codes: list, create, edit, delete; usage against limits."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import ValidationError

from till.catalog import service as catalog
from till.core.errors import Conflict, FieldInvalid
from till.dashboard import forms
from till.dashboard.forms import FormErrors, FormInvalid
from till.dashboard.paging import pager_of
from till.dashboard.render import page
from till.dashboard.routing import DashboardRoute
from till.dashboard.security import CurrentViewer, Viewer
from till.discounts import service as discounts
from till.discounts.models import Discount
from till.discounts.schemas import DiscountCreate, DiscountUpdate
from till.discounts.service import DiscountFilters
from till.http.deps import Db, Now
from till.http.pagination import Page

router = APIRouter(prefix="/dashboard/discounts", route_class=DashboardRoute)

# Products offered for "only for these products"; a merchant with more
# active products than this can still restrict codes through the API.
PRODUCT_CHOICES = 100
ACTIVITY = {"": None, "yes": True, "no": False}


@router.get("", response_class=HTMLResponse)
async def list_discounts(
    request: Request,
    viewer: CurrentViewer,
    db: Db,
    clock: Now,
    active: str = "",
    code: str = "",
) -> Response:
    active = active if active in ACTIVITY else ""
    code = code.strip()[:16]
    pager = pager_of(request, active=active, code=code)
    filters = DiscountFilters(active=ACTIVITY[active], code=code or None)
    rows = await discounts.list_discounts(
        db, viewer.who, pager.page, filters, clock.now()
    )
    return page(
        request,
        viewer,
        "discounts/list.html",
        section="discounts",
        discounts=rows,
        pager=pager.seen(len(rows)),
        filters={"active": active, "code": code},
        percent_text=forms.percent_text,
    )


@router.get("/new", response_class=HTMLResponse)
async def new_discount(request: Request, viewer: CurrentViewer, db: Db) -> Response:
    blank = {"type": "percentage", "currency": "USD"}
    return await _form_page(request, viewer, db, None, blank, {})


@router.post("", response_class=HTMLResponse)
async def create_discount(
    request: Request, viewer: CurrentViewer, db: Db, clock: Now
) -> Response:
    form: dict[str, Any] = dict(await forms.read_form(request))
    chosen = (await forms.read_form_lists(request, "restricted_to"))["restricted_to"]
    form["restricted_to"] = chosen
    try:
        data = DiscountCreate.model_validate(discount_spec(form, chosen))
        discount = await discounts.create_discount(db, clock, viewer.who, data)
    except ValidationError as exc:
        return await _form_page(request, viewer, db, None, form, forms.errors_of(exc))
    except FormInvalid as exc:
        return await _form_page(request, viewer, db, None, form, exc.errors)
    except (FieldInvalid, Conflict) as exc:
        errors = forms.errors_of_domain(exc)
        return await _form_page(request, viewer, db, None, form, errors)
    await db.commit()
    return RedirectResponse(f"/dashboard/discounts/{discount.id}", 303)


@router.get("/{discount_id}", response_class=HTMLResponse)
async def edit_discount(
    request: Request, discount_id: str, viewer: CurrentViewer, db: Db
) -> Response:
    discount = await discounts.get_discount(db, viewer.who, discount_id)
    return await _form_page(request, viewer, db, discount, form_of(discount), {})


@router.post("/{discount_id}", response_class=HTMLResponse)
async def update_discount(
    request: Request, discount_id: str, viewer: CurrentViewer, db: Db, clock: Now
) -> Response:
    discount = await discounts.get_discount(db, viewer.who, discount_id)
    form: dict[str, Any] = dict(await forms.read_form(request))
    chosen = (await forms.read_form_lists(request, "restricted_to"))["restricted_to"]
    form["restricted_to"] = chosen
    try:
        data = DiscountUpdate.model_validate(discount_spec(form, chosen))
        await discounts.update_discount(db, clock, viewer.who, discount_id, data)
    except ValidationError as exc:
        errors = forms.errors_of(exc)
        return await _form_page(request, viewer, db, discount, form, errors)
    except FormInvalid as exc:
        return await _form_page(request, viewer, db, discount, form, exc.errors)
    except (FieldInvalid, Conflict) as exc:
        errors = forms.errors_of_domain(exc)
        return await _form_page(request, viewer, db, discount, form, errors)
    await db.commit()
    return RedirectResponse("/dashboard/discounts", 303)


@router.post("/{discount_id}/delete")
async def delete_discount(
    discount_id: str, viewer: CurrentViewer, db: Db, clock: Now
) -> Response:
    await discounts.delete_discount(db, clock, viewer.who, discount_id)
    await db.commit()
    return RedirectResponse("/dashboard/discounts", 303)


def discount_spec(form: dict[str, Any], restricted_to: list[str]) -> dict[str, Any]:
    """The API's discount body, built from the form's fields."""
    kind = form.get("type", "percentage")
    currency = form.get("currency", "").strip().upper() or "USD"
    if kind == "flat":
        amount = forms.parse_amount(form.get("amount", ""), currency, "amount")
    else:
        amount = forms.parse_percent(form.get("amount", ""), "amount")
    return {
        "type": kind,
        "amount": amount,
        "currency": currency if kind == "flat" else None,
        "code": form.get("code", "").strip() or None,
        "name": form.get("name", "").strip() or None,
        "usage_limit": forms.optional_int(form.get("usage_limit"), "usage_limit"),
        "starts_at": form.get("starts_at", "").strip() or None,
        "expires_at": form.get("expires_at", "").strip() or None,
        "subscription_cycles": forms.optional_int(
            form.get("subscription_cycles"), "subscription_cycles"
        ),
        "restricted_to": restricted_to,
    }


def form_of(discount: Discount) -> dict[str, Any]:
    flat = discount.type == "flat"
    currency = discount.currency or "USD"
    return {
        "type": discount.type,
        "code": discount.code,
        "name": discount.name or "",
        "currency": currency,
        "amount": forms.major_text(discount.amount, currency)
        if flat
        else forms.percent_text(discount.amount),
        "usage_limit": str(discount.usage_limit or ""),
        "starts_at": _local(discount.starts_at),
        "expires_at": _local(discount.expires_at),
        "subscription_cycles": str(discount.subscription_cycles or ""),
        "restricted_to": list(discount.restricted_to),
    }


def _local(moment: Any) -> str:
    # The value format of <input type="datetime-local">, in UTC.
    return moment.strftime("%Y-%m-%dT%H:%M") if moment else ""


async def _form_page(
    request: Request,
    viewer: Viewer,
    db: Db,
    discount: Discount | None,
    form: dict[str, Any],
    errors: FormErrors,
) -> HTMLResponse:
    products = await catalog.list_products(
        db, viewer.who, Page(size=PRODUCT_CHOICES, number=0)
    )
    return page(
        request,
        viewer,
        "discounts/form.html",
        status=422 if errors else 200,
        section="discounts",
        discount=discount,
        form=form,
        chosen=set(form.get("restricted_to") or []),
        errors=errors,
        products=products,
    )
