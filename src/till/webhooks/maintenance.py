"""Periodic chores the worker loop runs besides deliveries."""

from __future__ import annotations

import structlog

from till.http.context import AppContext
from till.http.idempotency import forget_expired_keys
from till.subscriptions.renew import renew_due
from till.webhooks.abandoned import detect_abandoned

log = structlog.get_logger(__name__)


async def run(ctx: AppContext) -> None:
    """Detect abandoned checkouts, renew due subscriptions and forget expired
    idempotency keys."""
    found = await detect_abandoned(ctx)
    renewed = await renew_due(ctx)
    async with ctx.sessions() as db:
        forgotten = await forget_expired_keys(db, ctx.clock)
    if found or renewed or forgotten:
        log.info(
            "worker.maintenance",
            abandoned=found,
            renewals=renewed,
            idempotency_keys=forgotten,
        )
