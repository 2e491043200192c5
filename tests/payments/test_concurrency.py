"""Exactly one successful payment per session, however many requests race.

Each racer runs the full pay flow with its own database sessions from the
app's context, as concurrent HTTP requests would. PostgreSQL only: SQLite
serialises every writer, so it cannot show a race the code must survive.
"""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import func, select

from tests.payments.support import THREE_DS, Shop, action_token, fresh_ip
from tests.support.databases import ScratchDatabase
from till.core.errors import Conflict
from till.payments.attempt import PayAttempt
from till.payments.complete import complete_action
from till.payments.models import Payment

RACERS = 20


def _postgres_only(database: ScratchDatabase) -> None:
    if not database.is_postgres:
        pytest.skip("concurrency is proven on PostgreSQL")


async def test_twenty_concurrent_payments_make_one_success(
    shop: Shop, database: ScratchDatabase
) -> None:
    _postgres_only(database)
    sid = await shop.session(await shop.one_time(), await shop.recurring())

    results = await asyncio.gather(
        *(shop.pay(sid, ip=fresh_ip()) for _ in range(RACERS)),
        return_exceptions=True,
    )

    wins = [r for r in results if isinstance(r, PayAttempt) and r.status == "succeeded"]
    refused = [r for r in results if isinstance(r, Conflict)]
    assert len(wins) == 1, results
    assert len(refused) == RACERS - 1, results
    assert {type(r).__name__ for r in refused} <= {
        "PaymentInProgress",
        "SessionCompleted",
    }
    payments = await shop.payments_of(sid)
    assert [p.status for p in payments] == ["succeeded"]
    session = await shop.stored_session(sid)
    assert (session.status, session.payment_id) == ("completed", wins[0].payment_id)
    assert await shop.event_count("payment.succeeded", str(wins[0].payment_id)) == 1
    async with shop.ctx.sessions() as db:
        subs = await db.scalar(
            select(func.count(Payment.id)).where(
                Payment.checkout_session_id == sid, Payment.status == "succeeded"
            )
        )
    assert subs == 1


async def test_twenty_concurrent_challenge_completions_make_one_success(
    shop: Shop, database: ScratchDatabase
) -> None:
    _postgres_only(database)
    sid = await shop.session(await shop.one_time())
    token = action_token(await shop.pay(sid, THREE_DS))

    results = await asyncio.gather(
        *(complete_action(shop.ctx, token, approved=True) for _ in range(RACERS))
    )

    assert {r.status for r in results} == {"succeeded"}
    assert len({r.payment_id for r in results}) == 1
    assert [p.status for p in await shop.payments_of(sid)] == ["succeeded"]
    assert await shop.event_count("payment.succeeded", str(results[0].payment_id)) == 1
