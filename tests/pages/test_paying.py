"""Paying on the page: the form post, its redirects, declines and 3-D Secure."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
import structlog
from httpx import AsyncClient

from tests.pages.api import DE_ADDRESS, open_page, pay_form, simple_session
from tests.support.factory import MerchantKit

RETURN_URL = "https://shop.example/done?order=42"
DECLINED = "4000 0000 0000 0002"
THREE_DS = "4000 0025 0000 3155"


async def pay(client: AsyncClient, session_id: str, card: str = "4242424242424242"):  # type: ignore[no-untyped-def]
    _, csrf = await open_page(client, session_id)
    return await client.post(f"/session/{session_id}/pay", data=pay_form(csrf, card))


async def status_of(client: AsyncClient, kit: MerchantKit, session_id: str) -> dict:  # type: ignore[type-arg]
    reply = await client.get(f"/checkouts/{session_id}", headers=kit.headers())
    data: dict = reply.json()  # type: ignore[type-arg]
    return data


async def test_success_with_redirect_immediately_goes_to_return_url(
    client: AsyncClient, merchant: MerchantKit
) -> None:
    sid = await simple_session(
        client, merchant, return_url=RETURN_URL,
        feature_flags={"redirect_immediately": True},
    )  # fmt: skip

    reply = await pay(client, sid)

    assert reply.status_code == 303
    target = urlsplit(reply.headers["location"])
    assert target.netloc == "shop.example" and target.path == "/done"
    query = parse_qs(target.query)
    payment_id = (await status_of(client, merchant, sid))["payment_id"]
    assert query == {"order": ["42"], "session_id": [sid],
                     "payment_id": [payment_id], "status": ["succeeded"]}  # fmt: skip


async def test_success_without_redirect_immediately_shows_receipt_with_continue(
    client: AsyncClient, merchant: MerchantKit
) -> None:
    sid = await simple_session(client, merchant, return_url=RETURN_URL)

    reply = await pay(client, sid)

    assert reply.status_code == 303
    assert reply.headers["location"] == f"/session/{sid}"
    receipt = await client.get(f"/session/{sid}")
    assert receipt.status_code == 200
    assert "Payment successful" in receipt.text
    payment_id = (await status_of(client, merchant, sid))["payment_id"]
    assert payment_id in receipt.text
    assert f"session_id={sid}&amp;payment_id={payment_id}&amp;status=succeeded" in (
        receipt.text
    )
    assert "<form" not in receipt.text


async def test_success_without_return_url_shows_receipt_without_continue(
    client: AsyncClient, merchant: MerchantKit
) -> None:
    sid = await simple_session(client, merchant)

    await pay(client, sid)
    receipt = await client.get(f"/session/{sid}")

    assert "Payment successful" in receipt.text
    assert "continue-link" not in receipt.text


async def test_decline_shows_reason_keeps_values_and_allows_another_try(
    client: AsyncClient, merchant: MerchantKit
) -> None:
    sid = await simple_session(client, merchant)

    declined = await pay(client, sid, DECLINED)

    assert declined.status_code == 402
    assert "Your card was declined." in declined.text
    assert 'value="Ada Lovelace"' in declined.text
    assert "4000000000000002" not in declined.text
    assert (await status_of(client, merchant, sid))["payment_status"] == "failed"

    again = await pay(client, sid)
    assert again.status_code == 303
    assert (await status_of(client, merchant, sid))["payment_status"] == "succeeded"


async def test_paid_session_refuses_a_second_payment(
    client: AsyncClient, merchant: MerchantKit
) -> None:
    sid = await simple_session(client, merchant)
    _, csrf = await open_page(client, sid)
    first = await client.post(f"/session/{sid}/pay", data=pay_form(csrf))
    payment_id = (await status_of(client, merchant, sid))["payment_id"]

    second = await client.post(f"/session/{sid}/pay", data=pay_form(csrf))

    assert first.status_code == second.status_code == 303
    assert second.headers["location"] == f"/session/{sid}"
    assert (await status_of(client, merchant, sid))["payment_id"] == payment_id


@pytest.mark.parametrize(
    ("decision", "outcome"), [("approve", "succeeded"), ("fail", "failed")]
)
async def test_three_d_secure_challenge_decides_the_payment(
    client: AsyncClient, merchant: MerchantKit, decision: str, outcome: str
) -> None:
    sid = await simple_session(client, merchant)

    reply = await pay(client, sid, THREE_DS)
    assert reply.status_code == 303
    challenge_path = urlsplit(reply.headers["location"]).path
    assert challenge_path.startswith("/sandbox/3ds/")
    challenge = await client.get(challenge_path)
    assert challenge.status_code == 200
    assert "$10.65" in challenge.text and "•••• 3155" in challenge.text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', challenge.text)
    assert csrf is not None

    answer = await client.post(
        challenge_path, data={"csrf_token": csrf.group(1), "decision": decision}
    )

    assert answer.status_code == 303
    assert (await status_of(client, merchant, sid))["payment_status"] == outcome
    back = await client.get(answer.headers["location"])
    if outcome == "succeeded":
        assert "Payment successful" in back.text
    else:
        assert "We could not authenticate your card." in back.text
        assert "<form" in back.text


async def test_challenge_answer_without_csrf_token_is_refused(
    client: AsyncClient, merchant: MerchantKit
) -> None:
    sid = await simple_session(client, merchant)
    reply = await pay(client, sid, THREE_DS)
    challenge_path = urlsplit(reply.headers["location"]).path

    answer = await client.post(challenge_path, data={"decision": "approve"})

    assert answer.status_code == 403
    assert (await status_of(client, merchant, sid))["payment_status"] == (
        "requires_customer_action"
    )


async def test_forged_challenge_token_is_a_page_not_a_stack_trace(
    client: AsyncClient,
) -> None:
    reply = await client.get("/sandbox/3ds/not-a-token")

    assert reply.status_code == 400
    assert reply.headers["content-type"].startswith("text/html")
    assert "no longer valid" in reply.text


@pytest.fixture
def log_lines(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every line any structlog logger prints while the test runs.

    Loggers are cached with the stream they first wrote to, so the lines are
    taken where every one of them ends: the print logger's methods.
    """
    lines: list[str] = []

    def record(_: structlog.PrintLogger, message: str) -> None:
        lines.append(message)

    for name in ("debug", "info", "msg", "warning", "warn", "error", "err",
                 "critical", "exception", "fatal", "failure", "log"):  # fmt: skip
        monkeypatch.setattr(structlog.PrintLogger, name, record)
    return lines


async def test_card_numbers_never_reach_the_logs(
    client: AsyncClient, merchant: MerchantKit, log_lines: list[str]
) -> None:
    sid = await simple_session(client, merchant)

    await pay(client, sid, DECLINED)
    await pay(client, sid, THREE_DS)
    await pay(client, sid, "4242 4242 4242 4242")

    logged = "\n".join(log_lines)
    assert "http.request" in logged and f"/session/{sid}/pay" in logged
    for secret in ("4000000000000002", "4000 0000 0000 0002", "4000002500003155",
                   "4242424242424242", "4242 4242 4242 4242", "card_number",
                   "card_cvc", "cvc="):  # fmt: skip
        assert secret not in logged, secret


async def test_receipt_shows_what_was_charged_not_what_was_first_quoted(
    client: AsyncClient, merchant: MerchantKit
) -> None:
    sid = await simple_session(client, merchant, billing_address=DE_ADDRESS)

    await pay(client, sid)  # the form moves the buyer to Washington state
    receipt = await client.get(f"/session/{sid}")

    assert "Sales tax 6.5 %" in receipt.text and "$10.65" in receipt.text
    assert "VAT" not in receipt.text
    assert "Paid with Visa •••• 4242." in receipt.text
    assert "Total paid" in receipt.text and "Total due today" not in receipt.text


async def test_refused_tax_id_is_shown_beside_its_field(
    client: AsyncClient, merchant: MerchantKit
) -> None:
    sid = await simple_session(client, merchant)
    _, csrf = await open_page(client, sid)
    form = pay_form(csrf, is_business="1", tax_id="DE000000000")

    reply = await client.post(f"/session/{sid}/pay", data=form)

    assert reply.status_code == 422
    error = re.search(r'id="f-tax_id-error">([^<]+)</p>', reply.text)
    assert error is not None and error.group(1)[0].isupper()
    assert "tax_id:" not in error.group(1)
    assert 'value="DE000000000"' in reply.text
    assert (await status_of(client, merchant, sid))["payment_id"] is None


async def test_challenge_page_lets_its_answer_redirect_to_the_return_url(
    client: AsyncClient, merchant: MerchantKit
) -> None:
    sid = await simple_session(
        client, merchant, return_url=RETURN_URL,
        feature_flags={"redirect_immediately": True},
    )  # fmt: skip
    reply = await pay(client, sid, THREE_DS)
    challenge_path = urlsplit(reply.headers["location"]).path

    challenge = await client.get(challenge_path)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', challenge.text)
    assert csrf is not None
    answer = await client.post(
        challenge_path, data={"csrf_token": csrf.group(1), "decision": "approve"}
    )

    policy = challenge.headers["content-security-policy"]
    assert "form-action 'self' https://shop.example;" in policy
    assert answer.status_code == 303
    assert answer.headers["location"].startswith("https://shop.example/done?")
