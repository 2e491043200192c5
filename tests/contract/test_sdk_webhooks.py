"""The official SDK drives a real Till server: webhook endpoints."""

from __future__ import annotations

import base64

import dodopayments
import pytest
from dodopayments import DodoPayments


def test_webhook_endpoint_round_trip(sdk: DodoPayments) -> None:
    created = sdk.webhooks.create(
        url="http://localhost:4242/hooks",
        description="orders",
        filter_types=["payment.succeeded", "subscription.cancelled"],
        metadata={"team": "billing"},
    )
    assert created.id.startswith("whk_")
    assert created.url == "http://localhost:4242/hooks"
    assert created.filter_types == ["payment.succeeded", "subscription.cancelled"]
    assert created.disabled is False

    read = sdk.webhooks.retrieve(created.id)
    assert read.description == "orders"
    assert read.metadata == {"team": "billing"}

    changed = sdk.webhooks.update(created.id, disabled=True, filter_types=[])
    assert changed.disabled is True
    assert changed.filter_types == []

    secret = sdk.webhooks.retrieve_secret(created.id).secret
    assert secret.startswith("whsec_")
    assert len(base64.b64decode(secret.removeprefix("whsec_"))) == 32

    sdk.webhooks.delete(created.id)
    with pytest.raises(dodopayments.NotFoundError):
        sdk.webhooks.retrieve(created.id)


def test_list_follows_the_iterator_across_pages(sdk: DodoPayments) -> None:
    made = {sdk.webhooks.create(url=f"http://localhost:4242/{n}").id for n in range(3)}

    listed = {endpoint.id for endpoint in sdk.webhooks.list(limit=2)}

    assert made <= listed


def test_unknown_event_type_is_a_422(sdk: DodoPayments) -> None:
    with pytest.raises(dodopayments.UnprocessableEntityError):
        sdk.webhooks.create(
            url="http://localhost:4242/x",
            filter_types=["dispute.opened"],
        )


def test_other_merchants_endpoint_is_not_found(
    sdk: DodoPayments, other_sdk: DodoPayments
) -> None:
    created = sdk.webhooks.create(url="http://localhost:4242/mine")
    with pytest.raises(dodopayments.NotFoundError):
        other_sdk.webhooks.retrieve(created.id)
    with pytest.raises(dodopayments.NotFoundError):
        other_sdk.webhooks.retrieve_secret(created.id)
