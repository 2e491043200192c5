"""Products: what a merchant sells, at what price."""

from __future__ import annotations

from collections.abc import Sequence

import structlog
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from till.catalog.errors import ProductNotFound
from till.catalog.models import Product
from till.catalog.schemas import PriceIn, ProductCreate, ProductUpdate
from till.core.clock import Clock
from till.core.ids import new_id
from till.http.pagination import Page
from till.merchants.keys import Principal

log = structlog.get_logger(__name__)


def _price_fields(price: PriceIn) -> dict[str, object]:
    return {
        "price": price.model_dump(exclude_none=True),
        "currency": price.currency,
        "amount": price.price,
        "is_recurring": price.type == "recurring_price",
    }


async def create_product(
    db: AsyncSession, clock: Clock, who: Principal, data: ProductCreate
) -> Product:
    now = clock.now()
    product = Product(
        id=new_id("pdt"),
        merchant_id=who.merchant_id,
        mode=who.mode,
        name=data.name,
        description=data.description,
        image=data.image,
        tax_category=data.tax_category,
        meta=data.metadata,
        archived=False,
        created_at=now,
        updated_at=now,
        **_price_fields(data.price),
    )
    db.add(product)
    await db.flush()
    log.info("product.created", merchant_id=who.merchant_id, product_id=product.id)
    return product


async def get_product(db: AsyncSession, who: Principal, product_id: str) -> Product:
    """A product of the caller's merchant and mode; anyone else's is 404."""
    product = await db.get(Product, product_id)
    if product is None or not who.owns(product):
        raise ProductNotFound(product_id)
    return product


async def get_products(
    db: AsyncSession, who: Principal, product_ids: Sequence[str]
) -> dict[str, Product]:
    """The caller's products among ``product_ids``, by id; others are absent."""
    rows = await db.scalars(
        select(Product).where(
            Product.id.in_(set(product_ids)),
            Product.merchant_id == who.merchant_id,
            Product.mode == who.mode,
        )
    )
    return {p.id: p for p in rows}


async def update_product(
    db: AsyncSession, clock: Clock, who: Principal, product_id: str, data: ProductUpdate
) -> Product:
    product = await get_product(db, who, product_id)
    changes = data.model_dump(exclude_unset=True, exclude={"price", "metadata"})
    for name, value in changes.items():
        if value is not None or name in ("description", "image"):
            setattr(product, name, value)
    if data.price is not None:
        for name, value in _price_fields(data.price).items():
            setattr(product, name, value)
    if data.metadata is not None:
        product.meta = data.metadata
    product.updated_at = clock.now()
    await db.flush()
    log.info("product.updated", merchant_id=who.merchant_id, product_id=product_id)
    return product


async def list_products(
    db: AsyncSession,
    who: Principal,
    page: Page,
    *,
    archived: bool = False,
    recurring: bool | None = None,
) -> list[Product]:
    query = select(Product).where(
        Product.merchant_id == who.merchant_id,
        Product.mode == who.mode,
        Product.archived == archived,
    )
    if recurring is not None:
        query = query.where(Product.is_recurring == recurring)
    query = query.order_by(Product.created_at.desc(), Product.id)
    return list(await db.scalars(page.apply(query)))


async def set_archived(
    db: AsyncSession, clock: Clock, who: Principal, product_id: str, archived: bool
) -> Product:
    product = await get_product(db, who, product_id)
    product.archived = archived
    product.updated_at = clock.now()
    await db.flush()
    event = "product.archived" if archived else "product.unarchived"
    log.info(event, merchant_id=who.merchant_id, product_id=product_id)
    return product
