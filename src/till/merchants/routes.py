from __future__ import annotations

from fastapi import APIRouter

from till.http.deps import Caller, Db
from till.merchants import service
from till.merchants.schemas import MerchantOut, MerchantUpdate, merchant_out

router = APIRouter(prefix="/merchant", tags=["merchant"])


@router.get("", response_model=MerchantOut)
async def retrieve_settings(db: Db, who: Caller) -> MerchantOut:
    """The calling merchant's settings (Till's own resource). Errors: 401."""
    return merchant_out(await service.get_merchant(db, who.merchant_id))


@router.patch("", response_model=MerchantOut)
async def update_settings(body: MerchantUpdate, db: Db, who: Caller) -> MerchantOut:
    """Change name, country (decides reverse charge), locale, the default
    return URL, the hosts a payment link's ``redirect_url`` may point at, and
    the origins allowed to embed the checkout. Errors: 401, 422.
    """
    changes = body.model_dump(exclude_unset=True)
    merchant = await service.update_settings(db, who.merchant_id, changes)
    await db.commit()
    return merchant_out(merchant)
