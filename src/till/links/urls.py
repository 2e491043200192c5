"""The public addresses of links, built from the server's public origin."""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import quote, urlencode

BUY_PREFIX = "/buy"
SHORT_PREFIX = "/l"


def static_url(
    public_url: str, product_id: str, params: Mapping[str, str] | None = None
) -> str:
    """``/buy/{product_id}`` with ``params`` as its query, in their order."""
    url = f"{public_url}{BUY_PREFIX}/{quote(product_id, safe='')}"
    return f"{url}?{urlencode(list(params.items()))}" if params else url


def short_url(public_url: str, slug: str) -> str:
    return f"{public_url}{SHORT_PREFIX}/{slug}"


def qr_url(link_url: str, kind: str) -> str:
    """Where the QR code of a link without a query is served (svg or png)."""
    return f"{link_url}/qr.{kind}"
