from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Response

from till.customers import service
from till.customers.schemas import (
    CustomerCreate,
    CustomerOut,
    CustomerUpdate,
    customer_out,
)
from till.http.deps import Caller, Db, Now
from till.http.idempotency import Idempotent
from till.http.pagination import PageParams
from till.http.schemas import ListOf

router = APIRouter(prefix="/customers", tags=["customers"])


@router.post("", response_model=CustomerOut)
async def create_customer(
    body: CustomerCreate, db: Db, clock: Now, who: Caller, idem: Idempotent
) -> CustomerOut | Response:
    """Create a customer. Email is unique per merchant and mode, ignoring case.

    Errors: 401, 409 email taken or idempotency key reused, 422 invalid field.
    """

    async def create() -> CustomerOut:
        return customer_out(await service.create_customer(db, clock, who, body))

    return await idem.run(create, CustomerOut)


@router.get("", response_model=ListOf[CustomerOut])
async def list_customers(
    db: Db,
    who: Caller,
    page: PageParams,
    email: str | None = None,
    name: str | None = None,
    created_at_gte: datetime | None = None,
    created_at_lte: datetime | None = None,
) -> ListOf[CustomerOut]:
    """List customers, newest first, filtered by email, name or creation time.

    Errors: 401, 422.
    """
    rows = await service.list_customers(
        db,
        who,
        page,
        email=email,
        name=name,
        created_at_gte=created_at_gte,
        created_at_lte=created_at_lte,
    )
    return ListOf(items=[customer_out(c) for c in rows])


@router.get("/{customer_id}", response_model=CustomerOut)
async def retrieve_customer(customer_id: str, db: Db, who: Caller) -> CustomerOut:
    """Read one customer. Errors: 401, 404."""
    return customer_out(await service.get_customer(db, who, customer_id))


@router.patch("/{customer_id}", response_model=CustomerOut)
async def update_customer(
    customer_id: str, body: CustomerUpdate, db: Db, who: Caller
) -> CustomerOut:
    """Change email, name, phone, language or metadata.

    Errors: 401, 404, 409 email taken, 422.
    """
    customer = await service.update_customer(db, who, customer_id, body)
    await db.commit()
    return customer_out(customer)
