"""Dashboard users: argon2 hashes, lock-out, sessions that end."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from tests.dashboard.support import PASSWORD, DashUser
from tests.support.factory import MerchantKit
from till.core.clock import FrozenClock
from till.core.errors import FieldInvalid
from till.dashboard import auth
from till.dashboard.errors import (
    SignInLocked,
    SignInRefused,
    UserEmailTaken,
    WeakPassword,
)


async def test_password_is_stored_as_an_argon2id_hash(
    db: AsyncSession, user: DashUser
) -> None:
    found = await auth.find_user(db, user.email)
    assert found is not None
    assert found.password_hash.startswith("$argon2id$")
    assert PASSWORD not in found.password_hash
    assert auth.verify_password(found.password_hash, PASSWORD)
    assert not auth.verify_password(found.password_hash, PASSWORD + "x")


async def test_email_is_unique_whatever_its_case(
    db: AsyncSession, clock: FrozenClock, merchant: MerchantKit, user: DashUser
) -> None:
    with pytest.raises(UserEmailTaken):
        await auth.create_user(
            db, clock, merchant.merchant_id, user.email.upper(), "another password"
        )


async def test_short_password_is_refused(
    db: AsyncSession, clock: FrozenClock, merchant: MerchantKit
) -> None:
    with pytest.raises(WeakPassword) as refused:
        await auth.create_user(
            db, clock, merchant.merchant_id, "a@example.com", "short"
        )
    assert refused.value.field == "password"


async def test_malformed_email_is_refused_by_name(
    db: AsyncSession, clock: FrozenClock, merchant: MerchantKit
) -> None:
    with pytest.raises(FieldInvalid) as refused:
        await auth.create_user(db, clock, merchant.merchant_id, "nobody", PASSWORD)
    assert refused.value.field == "email"


@pytest.mark.parametrize(
    ("failures", "delay"),
    [
        (0, None),
        (4, None),
        (5, timedelta(minutes=1)),
        (6, timedelta(minutes=2)),
        (8, timedelta(minutes=8)),
        (11, timedelta(hours=1)),
        (500, timedelta(hours=1)),
    ],
)
def test_lock_delay_doubles_after_five_failures_up_to_an_hour(
    failures: int, delay: timedelta | None
) -> None:
    assert auth.lock_delay(failures) == delay


async def test_fifth_failure_locks_even_the_right_password_out(
    db: AsyncSession, clock: FrozenClock, user: DashUser
) -> None:
    for _ in range(auth.FREE_ATTEMPTS):
        with pytest.raises(SignInRefused):
            await auth.sign_in(db, clock, user.email, "wrong password")
    with pytest.raises(SignInLocked) as locked:
        await auth.sign_in(db, clock, user.email, PASSWORD)
    assert locked.value.retry_after_seconds == 60

    clock.advance(timedelta(seconds=61))
    signed = await auth.sign_in(db, clock, user.email, PASSWORD)
    assert signed.user.failed_attempts == 0
    assert signed.user.locked_until is None


async def test_unknown_email_is_refused_like_a_wrong_password(
    db: AsyncSession, clock: FrozenClock
) -> None:
    with pytest.raises(SignInRefused) as refused:
        await auth.sign_in(db, clock, "nobody@example.com", PASSWORD)
    assert refused.value.message == "The email or the password is not right."


async def test_session_cookie_is_stored_only_as_a_digest_and_expires(
    db: AsyncSession, clock: FrozenClock, user: DashUser
) -> None:
    signed = await auth.sign_in(db, clock, user.email, PASSWORD)
    assert signed.session.token_hash == auth.token_digest(signed.token)
    assert signed.token not in signed.session.token_hash

    assert await auth.find_session(db, signed.token, clock.now()) is not None
    clock.advance(auth.SESSION_LIFETIME)
    assert await auth.find_session(db, signed.token, clock.now()) is None


async def test_new_password_ends_open_sessions_and_lifts_the_lock(
    db: AsyncSession, clock: FrozenClock, user: DashUser
) -> None:
    signed = await auth.sign_in(db, clock, user.email, PASSWORD)
    for _ in range(auth.FREE_ATTEMPTS):
        with pytest.raises(SignInRefused):
            await auth.sign_in(db, clock, user.email, "wrong password")
    await auth.set_password(db, user.email, "a brand new password")
    assert await auth.find_session(db, signed.token, clock.now()) is None
    again = await auth.sign_in(db, clock, user.email, "a brand new password")
    assert again.user.id == signed.user.id
