"""The card number and the CVC reach neither the database nor the API."""

from __future__ import annotations

from sqlalchemy import text

from tests.payments.support import DECLINED, SUCCESS, THREE_DS, Shop, action_token
from till.payments.complete import complete_action

TABLES = (
    "payments",
    "subscriptions",
    "checkout_sessions",
    "customers",
    "webhook_events",
)
CVC = "737"


async def _dump(shop: Shop) -> str:
    """Every row of the tables a payment writes, as one text."""
    chunks: list[str] = []
    async with shop.ctx.sessions() as db:
        for table in TABLES:
            rows = await db.execute(text(f"SELECT * FROM {table}"))
            chunks.extend(repr(tuple(row)) for row in rows)
    return "\n".join(chunks)


def _forms(number: str) -> list[str]:
    digits = number.replace(" ", "")
    return [digits, number, digits[:12], digits[4:16]]


async def test_no_card_number_or_cvc_is_stored_or_served(shop: Shop) -> None:
    plan = await shop.recurring()
    sid = await shop.session(await shop.one_time(), plan)
    await shop.pay(sid, DECLINED, cvc=CVC)
    challenged = await shop.pay(sid, THREE_DS, cvc=CVC)
    await complete_action(shop.ctx, action_token(challenged), approved=False)
    paid = await shop.pay(sid, SUCCESS, cvc=CVC)
    assert paid.status == "succeeded"

    stored = await _dump(shop)
    assert "4242" in stored  # the last four digits are kept, as they should be
    for number in (SUCCESS, DECLINED, THREE_DS):
        for form in _forms(number):
            assert form not in stored
    assert f"'{CVC}'" not in stored and f'"{CVC}"' not in stored

    reply = await shop.client.get(
        f"/payments/{paid.payment_id}", headers=shop.kit.headers()
    )
    listed = await shop.client.get("/payments", headers=shop.kit.headers())
    for body in (reply.text, listed.text):
        for number in (SUCCESS, DECLINED, THREE_DS):
            assert number.replace(" ", "") not in body
        assert "method_token" not in body
    assert reply.json()["card_last_four"] == "4242"
