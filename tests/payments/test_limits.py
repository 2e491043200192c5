"""Card-testing defence: attempts per session and per client are capped."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.payments.support import DECLINED, Shop, fresh_ip
from till.core.clock import FrozenClock
from till.payments.errors import TooManyPayAttempts
from till.payments.limits import PayLimits, client_fingerprint


async def test_a_session_takes_a_limited_number_of_attempts(shop: Shop) -> None:
    shop.ctx.extras["pay_limits"] = PayLimits(per_session=3)
    sid = await shop.session(await shop.one_time())
    for _ in range(3):
        assert (await shop.pay(sid, DECLINED)).status == "failed"

    with pytest.raises(TooManyPayAttempts) as refused:
        await shop.pay(sid)

    assert refused.value.status == 429
    assert refused.value.code == "TOO_MANY_PAY_ATTEMPTS"
    assert "on this checkout" in refused.value.message
    assert len(await shop.payments_of(sid)) == 3


async def test_the_default_session_cap_is_ten(shop: Shop) -> None:
    sid = await shop.session(await shop.one_time())
    ip = fresh_ip()
    for _ in range(10):
        await shop.pay(sid, DECLINED, ip=ip)
    with pytest.raises(TooManyPayAttempts):
        await shop.pay(sid, ip=ip)


async def test_one_client_is_capped_across_sessions_for_an_hour(
    shop: Shop, clock: FrozenClock
) -> None:
    shop.ctx.extras["pay_limits"] = PayLimits(per_client=4)
    product = await shop.one_time()
    ip = fresh_ip()
    for _ in range(2):
        sid = await shop.session(product)
        await shop.pay(sid, DECLINED, ip=ip)
        await shop.pay(sid, DECLINED, ip=ip)

    third = await shop.session(product)
    with pytest.raises(TooManyPayAttempts) as refused:
        await shop.pay(third, ip=ip)
    assert "last hour" in refused.value.message
    assert (await shop.pay(third, ip=fresh_ip())).status == "succeeded"

    clock.advance(timedelta(hours=1, seconds=1))
    fourth = await shop.session(product)
    assert (await shop.pay(fourth, ip=ip)).status == "succeeded"


async def test_only_a_keyed_hash_of_the_client_address_is_stored(shop: Shop) -> None:
    sid = await shop.session(await shop.one_time())
    await shop.pay(sid, ip="203.0.113.9")
    [payment] = await shop.payments_of(sid)
    assert payment.client_ip_hash == client_fingerprint(
        shop.ctx.settings.secret_bytes, "203.0.113.9"
    )
    assert "203.0.113.9" not in str(payment.client_ip_hash)
    assert client_fingerprint(b"another-key-0123456789", "203.0.113.9") != (
        payment.client_ip_hash
    )
