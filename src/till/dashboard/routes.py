"""Every dashboard page under ``/dashboard``, one router per view."""

from __future__ import annotations

from fastapi import APIRouter

from till.dashboard.views import (
    access,
    checkouts,
    customers,
    developers,
    discounts,
    links,
    overview,
    payments,
    products,
    subscriptions,
    webhooks,
)

router = APIRouter(include_in_schema=False)
for view in (
    access,
    overview,
    products,
    links,
    checkouts,
    payments,
    subscriptions,
    customers,
    discounts,
    webhooks,
    developers,
):
    router.include_router(view.router)
