from __future__ import annotations

from fastapi import APIRouter, Response

from till.catalog import service
from till.catalog.schemas import (
    ProductCreate,
    ProductListItem,
    ProductOut,
    ProductUpdate,
    product_list_item,
    product_out,
)
from till.http.deps import Caller, Db, Now
from till.http.idempotency import Idempotent
from till.http.pagination import PageParams
from till.http.schemas import ListOf

router = APIRouter(prefix="/products", tags=["products"])


@router.post("", response_model=ProductOut)
async def create_product(
    body: ProductCreate, db: Db, clock: Now, who: Caller, idem: Idempotent
) -> ProductOut | Response:
    """Create a product with a one-time or recurring price.

    Errors: 401 bad key, 409 idempotency key reused with another body,
    422 a field is invalid (the reply names it).
    """

    async def create() -> ProductOut:
        return product_out(await service.create_product(db, clock, who, body))

    return await idem.run(create, ProductOut)


@router.get("", response_model=ListOf[ProductListItem])
async def list_products(
    db: Db,
    who: Caller,
    page: PageParams,
    archived: bool = False,
    recurring: bool | None = None,
) -> ListOf[ProductListItem]:
    """List products, newest first. Errors: 401, 422 bad page parameters."""
    rows = await service.list_products(
        db, who, page, archived=archived, recurring=recurring
    )
    return ListOf(items=[product_list_item(p) for p in rows])


@router.get("/{product_id}", response_model=ProductOut)
async def retrieve_product(product_id: str, db: Db, who: Caller) -> ProductOut:
    """Read one product, archived or not. Errors: 401, 404."""
    return product_out(await service.get_product(db, who, product_id))


@router.patch("/{product_id}", response_model=ProductOut)
async def update_product(
    product_id: str, body: ProductUpdate, db: Db, clock: Now, who: Caller
) -> ProductOut:
    """Change name, description, price, tax category or metadata.

    Sessions already created keep the price they were quoted.
    Errors: 401, 404, 422.
    """
    product = await service.update_product(db, clock, who, product_id, body)
    await db.commit()
    return product_out(product)


@router.delete("/{product_id}", status_code=204)
async def archive_product(product_id: str, db: Db, clock: Now, who: Caller) -> Response:
    """Archive: the product stays readable but can no longer be sold.

    Errors: 401, 404.
    """
    await service.set_archived(db, clock, who, product_id, True)
    await db.commit()
    return Response(status_code=204)


@router.post("/{product_id}/unarchive", status_code=204)
async def unarchive_product(
    product_id: str, db: Db, clock: Now, who: Caller
) -> Response:
    """Make an archived product sellable again. Errors: 401, 404."""
    await service.set_archived(db, clock, who, product_id, False)
    await db.commit()
    return Response(status_code=204)
