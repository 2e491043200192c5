"""``/l/{slug}``: saved parameters, overrides, and links that close."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from httpx import AsyncClient
from sqlalchemy.ext.asyncio import AsyncSession

from tests.support.factory import MerchantKit
from till.checkout import transitions
from till.core.clock import FrozenClock

from .support import (
    make_product,
    session_count,
    session_id_of,
    stored_session,
    unique_slug,
    visit,
)


async def _short_link(
    client: AsyncClient, kit: MerchantKit, pid: str, **body: Any
) -> str:
    slug = unique_slug("l")
    reply = await client.post(
        f"/products/{pid}/short_links",
        json={"slug": slug, **body},
        headers=kit.headers(),
    )
    assert reply.status_code == 200, reply.text
    return slug


async def _patch(client: AsyncClient, kit: MerchantKit, slug: str, **body: Any) -> None:
    reply = await client.patch(
        f"/products/short_links/{slug}", json=body, headers=kit.headers()
    )
    assert reply.status_code == 200, reply.text


async def test_short_link_applies_saved_parameters_and_marks_the_session(
    client: AsyncClient, merchant: MerchantKit, db: AsyncSession
) -> None:
    pid = await make_product(client, merchant, 1000)
    saved = {"quantity": "2", "metadata_campaign": "spring", "email": "a@example.com"}
    slug = await _short_link(client, merchant, pid, static_checkout_params=saved)
    sid = session_id_of(await visit(client, f"/l/{slug}"))
    stored = await stored_session(db, sid)
    assert stored.product_cart[0]["quantity"] == 2
    assert stored.meta == {"campaign": "spring"}
    assert stored.customer_email == "a@example.com"
    read = await client.get(f"/products/short_links/{slug}", headers=merchant.headers())
    assert (stored.origin, stored.link_id) == ("link", read.json()["id"])


async def test_visit_overrides_saved_parameters_except_locked_ones(
    client: AsyncClient, merchant: MerchantKit, db: AsyncSession
) -> None:
    pid = await make_product(client, merchant)
    saved = {
        "quantity": "2",
        "email": "locked@example.com",
        "disableEmail": "true",
        "metadata_campaign": "spring",
    }
    slug = await _short_link(client, merchant, pid, static_checkout_params=saved)
    query = {
        "quantity": "4",
        "email": "other@example.com",
        "disableEmail": "false",
        "metadata_ref": "newsletter",
    }
    stored = await stored_session(
        db, session_id_of(await visit(client, f"/l/{slug}", query))
    )
    assert stored.product_cart[0]["quantity"] == 4
    assert stored.customer_email == "locked@example.com"
    assert stored.feature_flags["allow_customer_editing_email"] is False
    assert stored.meta == {"campaign": "spring", "ref": "newsletter"}


async def test_slug_is_matched_without_regard_to_case(
    client: AsyncClient, merchant: MerchantKit
) -> None:
    pid = await make_product(client, merchant)
    slug = await _short_link(client, merchant, pid)
    session_id_of(await visit(client, f"/l/{slug.upper()}"))


async def test_completion_limit_closes_the_link_after_one_paid_session(
    client: AsyncClient, merchant: MerchantKit, db: AsyncSession, clock: FrozenClock
) -> None:
    pid = await make_product(client, merchant, 1000)
    saved = {"metadata_campaign": "flash"}
    slug = await _short_link(
        client, merchant, pid, static_checkout_params=saved, completion_limit=1
    )
    first = session_id_of(await visit(client, f"/l/{slug}"))
    assert await transitions.complete(db, first, "pay_first", clock.now())
    await db.commit()

    second = await visit(client, f"/l/{slug}")
    assert second.status_code == 410
    assert "No longer available" in second.text
    assert "sold out" in second.text
    assert await session_count(db, merchant) == 1
    read = await client.get(f"/products/short_links/{slug}", headers=merchant.headers())
    assert read.json()["completions"] == 1


async def test_open_unpaid_sessions_do_not_use_up_the_limit(
    client: AsyncClient, merchant: MerchantKit, db: AsyncSession
) -> None:
    pid = await make_product(client, merchant)
    slug = await _short_link(client, merchant, pid, completion_limit=1)
    session_id_of(await visit(client, f"/l/{slug}"))
    session_id_of(await visit(client, f"/l/{slug}"))
    assert await session_count(db, merchant) == 2


async def test_raising_the_limit_reopens_the_link(
    client: AsyncClient, merchant: MerchantKit, db: AsyncSession, clock: FrozenClock
) -> None:
    pid = await make_product(client, merchant)
    slug = await _short_link(client, merchant, pid, completion_limit=1)
    sid = session_id_of(await visit(client, f"/l/{slug}"))
    assert await transitions.complete(db, sid, "pay_x", clock.now())
    await db.commit()
    assert (await visit(client, f"/l/{slug}")).status_code == 410
    await _patch(client, merchant, slug, completion_limit=2)
    session_id_of(await visit(client, f"/l/{slug}"))


async def test_deactivated_link_shows_the_merchants_message(
    client: AsyncClient, merchant: MerchantKit, db: AsyncSession
) -> None:
    pid = await make_product(client, merchant)
    slug = await _short_link(client, merchant, pid)
    await _patch(
        client, merchant, slug, active=False, inactive_message="Back <soon> & better"
    )
    reply = await visit(client, f"/l/{slug}")
    assert reply.status_code == 410
    assert "Back &lt;soon&gt; &amp; better" in reply.text
    assert await session_count(db, merchant) == 0


async def test_expired_link_is_closed_once_its_time_passes(
    client: AsyncClient, merchant: MerchantKit, db: AsyncSession, clock: FrozenClock
) -> None:
    pid = await make_product(client, merchant)
    ends = clock.now() + timedelta(hours=1)
    slug = await _short_link(client, merchant, pid, expires_at=ends.isoformat())
    session_id_of(await visit(client, f"/l/{slug}"))
    clock.advance(timedelta(hours=1))
    reply = await visit(client, f"/l/{slug}")
    assert reply.status_code == 410
    assert "This offer has ended." in reply.text
    assert await session_count(db, merchant) == 1


async def test_unknown_slug_is_a_404_page(client: AsyncClient) -> None:
    reply = await visit(client, "/l/no-such-link-here")
    assert reply.status_code == 404
    assert "Link not found" in reply.text


async def test_short_link_to_an_archived_product_is_410(
    client: AsyncClient, merchant: MerchantKit
) -> None:
    pid = await make_product(client, merchant)
    slug = await _short_link(client, merchant, pid)
    await client.delete(f"/products/{pid}", headers=merchant.headers())
    assert (await visit(client, f"/l/{slug}")).status_code == 410


async def test_unfurler_and_head_on_a_short_link_create_no_session(
    client: AsyncClient, merchant: MerchantKit, db: AsyncSession
) -> None:
    pid = await make_product(client, merchant, name="Spring box")
    slug = await _short_link(client, merchant, pid)
    bot = await visit(client, f"/l/{slug}", **{"user-agent": "Twitterbot/1.0"})
    assert bot.status_code == 200
    assert '<meta property="og:title" content="Spring box">' in bot.text
    assert f'content="http://testserver/l/{slug}"' in bot.text
    head = await client.head(f"/l/{slug}")
    assert head.status_code == 200
    assert await session_count(db, merchant) == 0
