"""Where webhooks may go: refused inward addresses, checked again at delivery."""

from __future__ import annotations

import dataclasses
import ipaddress
from collections.abc import AsyncIterator

import pytest
from httpx import ASGITransport, AsyncClient

from tests.support.factory import MerchantKit
from till.app import create_app
from till.config import Settings
from till.core.clock import FrozenClock
from till.webhooks import ssrf
from till.webhooks.ssrf import UnsafeDestination, check_destination, refusal

DNS = {
    "hooks.example.com": ["93.184.216.34"],
    "loop.example.com": ["127.0.0.1"],
    "office.example.com": ["10.0.0.1"],
    "meta.example.com": ["169.254.169.254"],
    "mixed.example.com": ["93.184.216.34", "10.0.0.1"],
    "mapped.example.com": ["::ffff:127.0.0.1"],
}


@pytest.fixture(autouse=True)
def fake_dns(monkeypatch: pytest.MonkeyPatch) -> None:
    async def resolve(host: str, port: int) -> list[str]:
        if host in DNS:
            return DNS[host]
        try:
            return [str(ipaddress.ip_address(host.strip("[]")))]
        except ValueError:
            raise OSError(f"no such host {host}") from None

    monkeypatch.setattr(ssrf, "resolve_host", resolve)


@pytest.mark.parametrize(
    ("address", "mode", "allowed"),
    [
        ("93.184.216.34", "live", True),
        ("127.0.0.1", "live", False),
        ("::1", "live", False),
        ("10.0.0.1", "live", False),
        ("192.168.1.5", "live", False),
        ("172.16.0.1", "live", False),
        ("169.254.169.254", "live", False),
        ("100.64.0.1", "live", False),
        ("0.0.0.0", "live", False),
        ("fd00:ec2::254", "live", False),
        ("127.0.0.1", "test", True),
        ("10.0.0.1", "test", True),
        ("169.254.169.254", "test", False),
        ("fe80::1", "test", False),
        ("224.0.0.1", "test", False),
    ],
)
def test_address_rules(address: str, mode: str, allowed: bool) -> None:
    reason = refusal(ipaddress.ip_address(address), mode, allow_private=False)
    assert (reason is None) is allowed, reason


def test_allow_private_setting_lifts_the_address_rules() -> None:
    for address in ("127.0.0.1", "10.0.0.1", "169.254.169.254"):
        assert (
            refusal(ipaddress.ip_address(address), "live", allow_private=True) is None
        )


@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.1/hook",
        "https://10.0.0.1/hook",
        "https://169.254.169.254/latest/meta-data",
        "https://[::1]/hook",
        "https://loop.example.com/hook",
        "https://office.example.com/hook",
        "https://meta.example.com/hook",
        "https://mixed.example.com/hook",
        "https://mapped.example.com/hook",
        "https://nowhere.invalid/hook",
        "http://hooks.example.com/hook",
    ],
)
async def test_live_urls_refused(url: str) -> None:
    with pytest.raises(UnsafeDestination):
        await check_destination(url, "live", allow_private=False)


async def test_live_public_https_url_is_accepted_and_pinned() -> None:
    found = await check_destination(
        "https://hooks.example.com:8443/in?x=1", "live", allow_private=False
    )
    assert found is not None
    assert found.address == "93.184.216.34"
    assert found.host == "hooks.example.com"


async def test_test_mode_accepts_localhost_and_private_but_not_metadata() -> None:
    assert await check_destination(
        "http://127.0.0.1:4000/x", "test", allow_private=False
    )
    assert await check_destination(
        "http://office.example.com/x", "test", allow_private=False
    )
    with pytest.raises(UnsafeDestination):
        await check_destination(
            "http://meta.example.com/x", "test", allow_private=False
        )


@pytest.fixture
async def strict_client(
    settings: Settings, clock: FrozenClock
) -> AsyncIterator[AsyncClient]:
    strict = dataclasses.replace(settings, webhook_allow_private=False)
    app = create_app(strict, clock=clock)
    async with app.router.lifespan_context(app):
        transport = ASGITransport(app=app, raise_app_exceptions=False)
        async with AsyncClient(transport=transport, base_url="http://testserver") as c:
            yield c


@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.1/hook",
        "https://10.0.0.1/hook",
        "https://169.254.169.254/hook",
        "https://meta.example.com/hook",
        "https://loop.example.com/hook",
        "http://hooks.example.com/hook",
    ],
)
async def test_api_refuses_unsafe_live_urls_naming_the_field(
    strict_client: AsyncClient, merchant: MerchantKit, url: str
) -> None:
    reply = await strict_client.post(
        "/webhooks", json={"url": url}, headers=merchant.headers("live")
    )

    assert reply.status_code == 422, reply.text
    assert reply.json()["code"] == "WEBHOOK_URL_NOT_ALLOWED"
    assert reply.json()["field"] == "url"


async def test_api_checks_a_changed_url_too(
    strict_client: AsyncClient, merchant: MerchantKit
) -> None:
    made = await strict_client.post(
        "/webhooks",
        json={"url": "https://hooks.example.com/in"},
        headers=merchant.headers("live"),
    )
    assert made.status_code == 200, made.text

    changed = await strict_client.patch(
        f"/webhooks/{made.json()['id']}",
        json={"url": "https://meta.example.com/in"},
        headers=merchant.headers("live"),
    )

    assert changed.status_code == 422
    assert changed.json()["code"] == "WEBHOOK_URL_NOT_ALLOWED"


async def test_api_lets_test_mode_use_localhost(
    strict_client: AsyncClient, merchant: MerchantKit
) -> None:
    reply = await strict_client.post(
        "/webhooks",
        json={"url": "http://localhost:3000/in"},
        headers=merchant.headers(),
    )
    assert reply.status_code == 200, reply.text
