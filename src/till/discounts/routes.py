from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from till.discounts import service
from till.discounts.schemas import (
    DiscountCreate,
    DiscountOut,
    DiscountType,
    DiscountUpdate,
    discount_out,
)
from till.discounts.service import DiscountFilters
from till.http.deps import Caller, Db, Now
from till.http.idempotency import Idempotent
from till.http.pagination import PageParams
from till.http.schemas import ListOf

router = APIRouter(prefix="/discounts", tags=["discounts"])


@router.post("", response_model=DiscountOut)
async def create_discount(
    body: DiscountCreate, db: Db, clock: Now, who: Caller, idem: Idempotent
) -> DiscountOut | Response:
    """Create a discount code.

    ``percentage`` codes take ``amount`` basis points (1 to 10 000) off each
    unit; ``flat`` codes take ``amount`` minor units. A flat code with a
    ``currency`` (or one ``currency_options`` row) applies only to carts in
    that currency; without one, its amount counts in the cart's currency.
    Without ``code`` a 16-character code is generated; codes are stored
    uppercase and matched without case.

    Errors: 401 bad key, 409 the code exists (or idempotency key reused),
    422 a field is invalid, including ``restricted_to[i]`` naming a product
    that is not yours.
    """

    async def create() -> DiscountOut:
        return discount_out(await service.create_discount(db, clock, who, body))

    return await idem.run(create, DiscountOut)


@router.get("", response_model=ListOf[DiscountOut])
async def list_discounts(
    db: Db,
    clock: Now,
    who: Caller,
    page: PageParams,
    active: bool | None = None,
    code: Annotated[str | None, Query(max_length=16)] = None,
    discount_type: DiscountType | None = None,
    product_id: Annotated[str | None, Query(max_length=40)] = None,
) -> ListOf[DiscountOut]:
    """List discounts that are not deleted, newest first.

    ``active=true`` keeps the codes redeemable now (started, not expired,
    not used up), ``false`` the others; ``code`` matches part of a code
    without case; ``product_id`` keeps codes that apply to that product,
    unrestricted ones included. Errors: 401, 422 bad parameters.
    """
    filters = DiscountFilters(active, code, discount_type, product_id)
    rows = await service.list_discounts(db, who, page, filters, clock.now())
    return ListOf(items=[discount_out(d) for d in rows])


@router.get("/code/{code}", response_model=DiscountOut)
async def retrieve_discount_by_code(code: str, db: Db, who: Caller) -> DiscountOut:
    """Read the discount a code names, whatever case it is typed in.

    The reply shows dates and usage; whether the code would be accepted on
    a cart is for preview to say. Errors: 401, 404 no such code.
    """
    return discount_out(await service.get_by_code(db, who, code.strip()))


@router.get("/{discount_id}", response_model=DiscountOut)
async def retrieve_discount(discount_id: str, db: Db, who: Caller) -> DiscountOut:
    """Read one discount. Errors: 401, 404 (also once deleted)."""
    return discount_out(await service.get_discount(db, who, discount_id))


@router.patch("/{discount_id}", response_model=DiscountOut)
async def update_discount(
    discount_id: str, body: DiscountUpdate, db: Db, clock: Now, who: Caller
) -> DiscountOut:
    """Change a discount; absent fields are kept, ``null`` clears the
    optional ones. Sessions already created keep the quote they were given.

    Errors: 401, 404, 409 the new code exists, 422.
    """
    discount = await service.update_discount(db, clock, who, discount_id, body)
    await db.commit()
    return discount_out(discount)


@router.delete("/{discount_id}", status_code=204)
async def delete_discount(
    discount_id: str, db: Db, clock: Now, who: Caller
) -> Response:
    """Delete a discount: its code stops working at once and may be reused.

    Errors: 401, 404.
    """
    await service.delete_discount(db, clock, who, discount_id)
    await db.commit()
    return Response(status_code=204)
