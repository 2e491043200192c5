"""QR codes decode back to the link they were made for."""

from __future__ import annotations

import io

import segno
import zxingcpp
from httpx import AsyncClient
from PIL import Image

from tests.support.factory import MerchantKit
from till.links import qr

from .support import make_product, unique_slug


def _decode_png(data: bytes) -> str:
    image = Image.open(io.BytesIO(data))
    found = zxingcpp.read_barcodes(image)
    assert len(found) == 1
    return str(found[0].text)


def test_png_decodes_to_the_url() -> None:
    url = "http://127.0.0.1:8000/l/spring-sale?metadata_campaign=flyer"
    assert _decode_png(qr.png_bytes(url)) == url


def test_svg_has_the_same_modules_as_segnos_own_encoding() -> None:
    url = "https://till.example.com/buy/pdt_abc"
    expected = segno.make_qr(url, error="m", boost_error=False)
    svg = qr.svg_bytes(url).decode()
    assert svg.startswith("<?xml")
    reference = io.BytesIO()
    expected.save(reference, kind="svg", scale=qr.SCALE, border=qr.BORDER, title=url)
    assert svg == reference.getvalue().decode()
    assert f"<title>{url}</title>" in svg


async def test_static_link_qr_png_decodes_to_the_link_with_its_query(
    client: AsyncClient, merchant: MerchantKit
) -> None:
    pid = await make_product(client, merchant)
    reply = await client.get(
        f"/buy/{pid}/qr.png", params={"metadata_campaign": "flyer", "quantity": "2"}
    )
    assert reply.status_code == 200
    assert reply.headers["content-type"] == "image/png"
    decoded = _decode_png(reply.content)
    assert decoded == (
        f"http://testserver/buy/{pid}?metadata_campaign=flyer&quantity=2"
    )


async def test_short_link_qr_svg_and_png(
    client: AsyncClient, merchant: MerchantKit
) -> None:
    pid = await make_product(client, merchant)
    slug = unique_slug("qr")
    await client.post(
        f"/products/{pid}/short_links", json={"slug": slug}, headers=merchant.headers()
    )
    png = await client.get(f"/l/{slug}/qr.png")
    assert _decode_png(png.content) == f"http://testserver/l/{slug}"
    svg = await client.get(f"/l/{slug}/qr.svg")
    assert svg.headers["content-type"] == "image/svg+xml"
    assert svg.content == qr.svg_bytes(f"http://testserver/l/{slug}")


async def test_qr_of_unknown_links_and_types_is_404(
    client: AsyncClient, merchant: MerchantKit
) -> None:
    pid = await make_product(client, merchant)
    assert (await client.get("/buy/pdt_nothing/qr.svg")).status_code == 404
    assert (await client.get("/l/no-such-slug/qr.png")).status_code == 404
    assert (await client.get(f"/buy/{pid}/qr.gif")).status_code == 404
