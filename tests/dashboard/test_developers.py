"""API keys and merchant settings from the Developers page."""

from __future__ import annotations

import re

from tests.dashboard.support import Dashboard
from tests.support.factory import MerchantKit


async def test_new_key_secret_is_shown_once_and_works(dash: Dashboard) -> None:
    created = await dash.post("/dashboard/developers/keys", {"name": "backend"})
    assert created.status_code == 200
    found = re.search(r'data-copy="(till_test_sk_[A-Za-z0-9]{32})"', created.text)
    assert found is not None
    secret = found.group(1)
    api = await dash.client.get(
        "/products", headers={"Authorization": f"Bearer {secret}"}
    )
    assert api.status_code == 200
    again = await dash.get("/dashboard/developers")
    assert secret not in again.text
    assert "backend" in again.text


async def test_revoked_key_is_refused_by_the_api(
    dash: Dashboard, merchant: MerchantKit
) -> None:
    headers = merchant.headers()
    assert (await dash.client.get("/products", headers=headers)).status_code == 200
    reply = await dash.post(f"/dashboard/developers/keys/{merchant.test.key_id}/revoke")
    assert reply.status_code == 303
    refused = await dash.client.get("/products", headers=headers)
    assert refused.status_code == 401
    assert refused.json()["code"] == "INVALID_API_KEY"
    page = (await dash.get("/dashboard/developers")).text
    assert "status-revoked" in page


async def test_keys_listed_are_those_of_the_current_mode(
    dash: Dashboard, merchant: MerchantKit
) -> None:
    test_page = (await dash.get("/dashboard/developers")).text
    assert merchant.test.key_id in test_page
    assert merchant.live.key_id not in test_page
    await dash.switch_mode("live")
    live_page = (await dash.get("/dashboard/developers")).text
    assert merchant.live.key_id in live_page
    created = await dash.post("/dashboard/developers/keys", {"name": "live one"})
    assert re.search(r"till_live_sk_[A-Za-z0-9]{32}", created.text)


SETTINGS = {
    "name": "Renamed Shop",
    "country": "de",
    "locale": "de",
    "default_return_url": "https://shop.example.com/thanks",
    "allowed_return_hosts": "shop.example.com\n*.example.org\n",
    "embed_origins": "https://shop.example.com",
}


async def test_settings_are_saved_through_the_merchant_service(
    dash: Dashboard, merchant: MerchantKit
) -> None:
    reply = await dash.post("/dashboard/developers/settings", SETTINGS)
    assert reply.status_code == 303
    saved = (await dash.client.get("/merchant", headers=merchant.headers())).json()
    assert saved["name"] == "Renamed Shop"
    assert saved["country"] == "DE"
    assert saved["allowed_return_hosts"] == ["shop.example.com", "*.example.org"]
    assert saved["embed_origins"] == ["https://shop.example.com"]
    assert saved["default_return_url"] == "https://shop.example.com/thanks"


async def test_bad_host_is_named_and_nothing_is_saved(
    dash: Dashboard, merchant: MerchantKit
) -> None:
    reply = await dash.post(
        "/dashboard/developers/settings",
        {**SETTINGS, "allowed_return_hosts": "not a host"},
    )
    assert reply.status_code == 422
    assert "is not a host name" in reply.text
    saved = (await dash.client.get("/merchant", headers=merchant.headers())).json()
    assert saved["name"] != "Renamed Shop"
