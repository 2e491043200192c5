"""Property: a preview is, minor unit for minor unit, the session's quote.

Hypothesis draws carts (one-time, pay-what-you-want, tax-inclusive and
subscription lines, with quantities and chosen amounts), billing addresses,
tax ids (valid, invalid, foreign, domestic), discount codes and trial
overrides. For each body, ``POST /checkouts/preview`` and ``POST /checkouts``
must agree: the same quote when both succeed, the same error when not. No
total may ever be negative.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from httpx import AsyncClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.ext.asyncio import AsyncSession

from tests.checkout.support import discount, product
from tests.support.factory import MerchantKit, one_time_product, recurring_product
from till.checkout.models import CheckoutSession
from till.pricing import Quote


@dataclass(frozen=True)
class Catalog:
    products: tuple[str, ...]
    pwyw: frozenset[str]
    codes: tuple[str, ...]


_CATALOGS: dict[str, Catalog] = {}

ADDRESSES = st.one_of(
    st.none(),
    st.fixed_dictionaries(
        {"country": st.sampled_from(["DE", "FR", "GB", "IN", "AU", "JP", "BR", "NO"])},
        optional={"zipcode": st.sampled_from(["10117", "75001", "SW1A"])},
    ),
    st.fixed_dictionaries(
        {
            "country": st.just("US"),
            "state": st.sampled_from(["WA", "CA", "TX", "NY", "Texas", "MA"]),
        }
    ),
    st.fixed_dictionaries(
        {"country": st.just("CA"), "state": st.sampled_from(["QC", "ON", "BC", "AB"])}
    ),
)
TAX_IDS = st.sampled_from(
    [
        None,
        "DE136695976",
        "DE000000000",
        "FR40303265045",
        "GB980780684",
        "51824753556",
        "27AAPFU0939F1ZV",
        "not a tax id",
    ]
)


async def _catalog(client: AsyncClient, kit: MerchantKit) -> Catalog:
    """Products and codes, made once per merchant (the fixture outlives
    the examples, so they are shared)."""
    if kit.merchant_id in _CATALOGS:
        return _CATALOGS[kit.merchant_id]
    pwyw_body = one_time_product(
        300, price_extra={"pay_what_you_want": True, "suggested_price": 900}
    )
    bodies = [
        one_time_product(1999, tax_category="saas"),
        one_time_product(1, tax_category="digital_products"),
        one_time_product(
            4995, tax_category="e_book", price_extra={"tax_inclusive": True}
        ),
        one_time_product(123_457, tax_category="edtech"),
        pwyw_body,
        recurring_product(1200, trial_days=14),
        recurring_product(9900, tax_category="live_tutoring"),
        one_time_product(500, currency="EUR"),
    ]
    ids = tuple([await product(client, kit, body) for body in bodies])
    await discount(client, kit, "PCT10", amount=1000)
    await discount(client, kit, "PCT33", amount=3333)
    await discount(client, kit, "FLAT3", type="flat", amount=300, currency="USD")
    await discount(client, kit, "ONLY0", amount=5000, restricted_to=[ids[0]])
    await discount(client, kit, "TWOCYC", amount=2500, subscription_cycles=2)
    await discount(client, kit, "FUTURE", amount=1000, starts_at="2030-01-01T00:00:00Z")
    codes = ("PCT10", "pct33", "FLAT3", "ONLY0", "TWOCYC")
    catalog = Catalog(ids, frozenset({ids[4]}), codes)
    _CATALOGS[kit.merchant_id] = catalog
    return catalog


@st.composite
def bodies(draw: st.DrawFn, catalog: Catalog) -> dict[str, Any]:
    # Now and then the EUR product (last) or an unusable code joins in, to
    # check that preview and create refuse alike too.
    usd = list(catalog.products[:-1])
    picks = draw(st.lists(st.sampled_from(usd), min_size=1, max_size=4, unique=True))
    if _rarely(draw):
        picks.append(catalog.products[-1])
    cart = [
        {
            "product_id": pid,
            "quantity": draw(st.integers(1, 40)),
            **(
                {"amount": draw(st.integers(300, 50_000))}
                if pid in catalog.pwyw and draw(st.booleans())
                else {}
            ),
        }
        for pid in picks
    ]
    body: dict[str, Any] = {"product_cart": cart}
    address = draw(ADDRESSES)
    if address is not None:
        body["billing_address"] = address
        tax_id = draw(TAX_IDS)
        if tax_id is not None:
            body["tax_id"] = tax_id
    codes = draw(st.lists(st.sampled_from(catalog.codes), max_size=3))
    if _rarely(draw):
        codes.append(draw(st.sampled_from(["FUTURE", "NOPE"])))
    if codes:
        body["discount_codes"] = codes
    trial = draw(st.one_of(st.none(), st.integers(0, 60)))
    if trial is not None:
        body["subscription_data"] = {"trial_period_days": trial}
    return body


def _rarely(draw: st.DrawFn) -> bool:
    # Away from the ends: Hypothesis leans towards extreme values.
    return draw(st.integers(0, 99)) in range(40, 46)


def _never_negative(preview: dict[str, Any]) -> None:
    for breakup in (preview["current_breakup"], preview["recurring_breakup"]):
        if breakup is not None:
            assert min(breakup.values()) >= 0, breakup
    assert preview["total_price"] >= 0
    assert preview["total_tax"] >= 0
    for line in preview["product_cart"]:
        assert line["discounted_price"] >= 0
        assert line["tax"] >= 0
    assert sum(line["tax"] for line in preview["product_cart"]) == preview["total_tax"]


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
async def test_preview_equals_the_created_sessions_quote(
    client: AsyncClient, merchant: MerchantKit, db: AsyncSession, data: st.DataObject
) -> None:
    catalog = await _catalog(client, merchant)
    body = data.draw(bodies(catalog))
    headers = merchant.headers()

    preview = await client.post("/checkouts/preview", json=body, headers=headers)
    created = await client.post("/checkouts", json=body, headers=headers)

    assert preview.status_code < 500 and created.status_code < 500
    if preview.status_code != 200:
        assert created.status_code == preview.status_code, (preview.text, created.text)
        assert created.json() == preview.json()
        return
    assert created.status_code == 200, created.text
    session = await db.get(
        CheckoutSession, created.json()["session_id"], populate_existing=True
    )
    assert session is not None
    assert Quote.from_dict(session.quote).to_preview_dict() == preview.json()
    assert session.total_amount == preview.json()["total_price"]
    _never_negative(preview.json())
