"""Webhook endpoints and deliveries through the dashboard.

These run on a database of their own: the session's ``till serve`` process
shares the main test database, and its worker would deliver (and race for)
the deliveries these tests drive one step at a time with ``run_once``.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import AsyncIterator, Iterator

import pytest
from httpx import ASGITransport, AsyncClient

from tests.dashboard.support import Dashboard, make_user
from tests.support.databases import ScratchDatabase, postgres_database, sqlite_database
from tests.support.factory import MerchantKit, make_merchant
from tests.webhooks.receiver import Receiver, running_receiver
from till.app import create_app
from till.config import Settings
from till.core.clock import FrozenClock
from till.events import EventType
from till.http.context import AppContext
from till.webhooks.outbox import record_event
from till.webhooks.worker import run_once


@pytest.fixture(scope="module")
def private_database(
    database: ScratchDatabase, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ScratchDatabase]:
    if database.is_postgres:
        yield from postgres_database()
    else:
        yield from sqlite_database(tmp_path_factory.mktemp("dashboard-hooks"))


@dataclasses.dataclass
class Hooks:
    dash: Dashboard
    ctx: AppContext
    kit: MerchantKit


@pytest.fixture
async def hooks(
    settings: Settings, clock: FrozenClock, private_database: ScratchDatabase
) -> AsyncIterator[Hooks]:
    private = dataclasses.replace(settings, database_url=private_database.url)
    app = create_app(private, clock=clock)
    ctx: AppContext = app.state.ctx
    async with app.router.lifespan_context(app):
        async with ctx.sessions() as db:
            kit = await make_merchant(db, clock, name="Hook Shop")
            user = await make_user(db, clock, kit.merchant_id)
        transport = ASGITransport(app=app, raise_app_exceptions=False)
        async with AsyncClient(transport=transport, base_url="http://testserver") as c:
            dash = Dashboard(c)
            await dash.sign_in(user)
            yield Hooks(dash, ctx, kit)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with running_receiver() as running:
        yield running


async def _endpoint(hooks: Hooks, url: str, *types: str) -> str:
    reply = await hooks.dash.client.post(
        "/dashboard/webhooks",
        data={"csrf": hooks.dash.csrf, "url": url, "filter_types": list(types)},
    )
    assert reply.status_code == 303, reply.text
    return reply.headers["location"].rsplit("/", 1)[1]


async def _payment_event(hooks: Hooks) -> None:
    async with hooks.ctx.sessions() as db:
        await record_event(
            db,
            merchant_id=hooks.kit.merchant_id,
            mode="test",
            event_type=EventType.PAYMENT_SUCCEEDED,
            data={"payment_id": "pay_sample", "total_amount": 1000},
            moment=hooks.ctx.clock.now(),
        )
        await db.commit()


async def test_delivery_log_shows_status_code_and_body_then_resends(
    hooks: Hooks, receiver: Receiver
) -> None:
    receiver.reply_body = b'{"seen": "<script>x</script>"}'
    webhook_id = await _endpoint(hooks, receiver.url, "payment.succeeded")
    await _payment_event(hooks)
    assert await run_once(hooks.ctx) == 1

    page = (await hooks.dash.get(f"/dashboard/webhooks/{webhook_id}")).text
    assert "payment.succeeded" in page
    assert "status-succeeded" in page
    assert 'data-testid="status-code">200<' in page
    assert "&lt;script&gt;x&lt;/script&gt;" in page
    delivery_id = re.findall(r'data-delivery-id="(\w+)"', page)[0]

    resent = await hooks.dash.post(
        f"/dashboard/webhooks/{webhook_id}/deliveries/{delivery_id}/resend"
    )
    assert resent.status_code == 303
    assert await run_once(hooks.ctx) == 1
    assert len(receiver.received) == 2
    assert len(set(receiver.ids())) == 1  # the same webhook-id, so receivers dedupe
    after = (await hooks.dash.get(f"/dashboard/webhooks/{webhook_id}")).text
    assert len(re.findall(r"data-delivery-id=", after)) == 2
    assert "re-sent" in after


async def test_failed_delivery_shows_the_answer(
    hooks: Hooks, receiver: Receiver
) -> None:
    receiver.answer(500)
    receiver.reply_body = b"database is down"
    webhook_id = await _endpoint(hooks, receiver.url)
    await _payment_event(hooks)
    await run_once(hooks.ctx)
    page = (await hooks.dash.get(f"/dashboard/webhooks/{webhook_id}")).text
    assert 'data-testid="status-code">500<' in page
    assert "database is down" in page
    assert "status-pending" in page  # a retry is scheduled


async def test_secret_is_revealed_only_by_a_form_post(
    hooks: Hooks, receiver: Receiver
) -> None:
    webhook_id = await _endpoint(hooks, receiver.url)
    page = (await hooks.dash.get(f"/dashboard/webhooks/{webhook_id}")).text
    assert "whsec_" not in page
    revealed = await hooks.dash.post(f"/dashboard/webhooks/{webhook_id}/secret")
    api = await hooks.dash.client.get(
        f"/webhooks/{webhook_id}/secret", headers=hooks.kit.headers()
    )
    assert api.json()["secret"].startswith("whsec_")
    assert api.json()["secret"] in revealed.text


async def test_edit_disable_and_delete(hooks: Hooks, receiver: Receiver) -> None:
    webhook_id = await _endpoint(hooks, receiver.url)
    saved = await hooks.dash.client.post(
        f"/dashboard/webhooks/{webhook_id}",
        data={
            "csrf": hooks.dash.csrf,
            "url": receiver.url + "/v2",
            "description": "orders",
            "filter_types": ["payment.failed", "refund.succeeded"],
            "disabled": "on",
        },
    )
    assert saved.status_code == 303
    api = await hooks.dash.client.get(
        f"/webhooks/{webhook_id}", headers=hooks.kit.headers()
    )
    body = api.json()
    assert body["url"].endswith("/hook/v2") and body["disabled"] is True
    assert body["filter_types"] == ["payment.failed", "refund.succeeded"]

    await hooks.dash.post(f"/dashboard/webhooks/{webhook_id}/delete")
    gone = await hooks.dash.client.get(
        f"/webhooks/{webhook_id}", headers=hooks.kit.headers()
    )
    assert gone.status_code == 404


async def test_refused_url_is_named_on_the_form(hooks: Hooks) -> None:
    reply = await hooks.dash.post("/dashboard/webhooks", {"url": "ftp://example.com"})
    assert reply.status_code == 422
    assert 'id="url-error"' in reply.text
    assert "data-webhook-id" not in reply.text


async def test_other_merchants_endpoint_is_404(
    hooks: Hooks, receiver: Receiver, clock: FrozenClock
) -> None:
    async with hooks.ctx.sessions() as db:
        other = await make_merchant(db, clock, name="Other Hooks")
    created = await hooks.dash.client.post(
        "/webhooks", json={"url": receiver.url}, headers=other.headers()
    )
    theirs = created.json()["id"]
    for path in (f"/dashboard/webhooks/{theirs}",):
        assert (await hooks.dash.get(path)).status_code == 404
    for path in (
        f"/dashboard/webhooks/{theirs}/secret",
        f"/dashboard/webhooks/{theirs}/delete",
    ):
        assert (await hooks.dash.post(path)).status_code == 404
    still = await hooks.dash.client.get(f"/webhooks/{theirs}", headers=other.headers())
    assert still.status_code == 200
