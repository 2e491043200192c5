"""A payment's state machine, one conditional UPDATE per move.

::

    processing ──▶ succeeded
        │  ╲──────▶ failed
        │   ╲─────▶ cancelled
        ▼
    requires_customer_action ──▶ succeeded | failed | cancelled

``move`` returns whether it won. Two completions of one 3-D Secure challenge,
or a completion racing a new attempt that retires the challenge, meet on the
same row: the database lets one UPDATE through and the other reads ``False``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import structlog
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from till.payments.models import Payment

log = structlog.get_logger(__name__)

PROCESSING = "processing"
REQUIRES_ACTION = "requires_customer_action"
SUCCEEDED = "succeeded"
FAILED = "failed"
CANCELLED = "cancelled"

ALLOWED: dict[str, frozenset[str]] = {
    PROCESSING: frozenset({SUCCEEDED, FAILED, CANCELLED, REQUIRES_ACTION}),
    REQUIRES_ACTION: frozenset({SUCCEEDED, FAILED, CANCELLED}),
}


async def move(
    db: AsyncSession,
    payment_id: str,
    sources: Sequence[str],
    target: str,
    moment: datetime,
    **values: Any,
) -> bool:
    """``sources`` → ``target``, setting ``values`` too, if the row is still
    in one of ``sources``."""
    for source in sources:
        if target not in ALLOWED.get(source, frozenset()):
            raise ValueError(f"a payment cannot move from {source} to {target}")
    result = await db.execute(
        update(Payment)
        .where(Payment.id == payment_id, Payment.status.in_(sources))
        .values(status=target, updated_at=moment, **values)
        .execution_options(synchronize_session=False)
    )
    won = int(getattr(result, "rowcount", 0)) == 1
    if won:
        log.info("payment.status_changed", payment_id=payment_id, status=target)
    return won
