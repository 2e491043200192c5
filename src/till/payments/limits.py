"""Card-testing defence: a cap on pay attempts per session and per client.

Someone holding a list of stolen card numbers tries them one by one on any
checkout that answers fast. Two caps stop that without getting in a real
buyer's way: attempts on one session (a buyer with a card or two declined
needs a handful) and attempts from one client address per hour, across all
sessions and merchants. Only a keyed hash of the address is stored.

The caps are :class:`PayLimits`; a deployment (or a test) may put another
instance in ``ctx.extras["pay_limits"]``.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta

import structlog
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from till.checkout.models import CheckoutSession
from till.http.context import AppContext
from till.payments.errors import TooManyPayAttempts
from till.payments.models import Payment

log = structlog.get_logger(__name__)


@dataclass(frozen=True)
class PayLimits:
    per_session: int = 10
    per_client: int = 30
    client_window: timedelta = timedelta(hours=1)


def limits_of(ctx: AppContext) -> PayLimits:
    limits = ctx.extras.get("pay_limits")
    if isinstance(limits, PayLimits):
        return limits
    return PayLimits(per_client=ctx.settings.pay_attempts_per_client_hour)


def client_fingerprint(secret_key: bytes, client_ip: str) -> str:
    """A keyed hash of the client address: comparable, not reversible by
    trying the four billion IPv4 addresses without the server's key."""
    message = b"till.pay.client." + client_ip.strip().encode()
    return hmac.new(secret_key, message, hashlib.sha256).hexdigest()


async def check_limits(
    db: AsyncSession,
    session: CheckoutSession,
    fingerprint: str,
    moment: datetime,
    limits: PayLimits,
) -> None:
    """Raise :class:`TooManyPayAttempts` when either cap is reached.

    The per-session cap is checked again inside the claim's conditional
    UPDATE, so concurrent attempts cannot slip past it together.
    """
    if session.pay_attempts >= limits.per_session:
        log.warning("payments.attempts_limited", session_id=session.id, scope="session")
        raise TooManyPayAttempts("on this checkout")
    recent = await db.scalar(
        select(func.count(Payment.id)).where(
            Payment.client_ip_hash == fingerprint,
            Payment.created_at > moment - limits.client_window,
        )
    )
    if (recent or 0) >= limits.per_client:
        log.warning("payments.attempts_limited", session_id=session.id, scope="client")
        raise TooManyPayAttempts("from your network in the last hour")
