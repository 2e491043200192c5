"""Dashboard users and their sign-in sessions.

Passwords are hashed with argon2id (argon2-cffi's defaults). Repeated
failures lock the account for a delay that doubles with each further
failure, so guessing a password online takes years rather than minutes.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

import structlog
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from till.core.clock import Clock
from till.core.errors import FieldInvalid
from till.core.ids import new_id
from till.core.validation import check_email
from till.dashboard.errors import (
    SignInLocked,
    SignInRefused,
    UserEmailTaken,
    UserNotFound,
    WeakPassword,
)
from till.dashboard.models import DashboardSession, DashboardUser
from till.merchants import service as merchants
from till.merchants.errors import InvalidMode
from till.merchants.keys import MODES

log = structlog.get_logger(__name__)

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 1024
SESSION_LIFETIME = timedelta(hours=12)
# Failures allowed before the first lock; then 1 minute, doubling, at most 1 h.
FREE_ATTEMPTS = 5
FIRST_LOCK = timedelta(minutes=1)
LONGEST_LOCK = timedelta(hours=1)


@dataclass(frozen=True)
class SignedIn:
    """A new sign-in session; ``token`` goes in the cookie and nowhere else."""

    token: str
    session: DashboardSession
    user: DashboardUser


@cache
def _hasher() -> PasswordHasher:
    return PasswordHasher()


@cache
def _decoy_hash() -> str:
    # Verified against when the email is unknown, so a reply's timing does
    # not tell which emails have accounts.
    return _hasher().hash(secrets.token_urlsafe(16))


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise WeakPassword(MIN_PASSWORD_LENGTH)
    if len(password) > MAX_PASSWORD_LENGTH:
        raise FieldInvalid("password", f"must be at most {MAX_PASSWORD_LENGTH} chars")
    return _hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def generate_password() -> str:
    return secrets.token_urlsafe(15)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def lock_delay(failed_attempts: int) -> timedelta | None:
    """How long the account stays locked after this many failures in a row."""
    if failed_attempts < FREE_ATTEMPTS:
        return None
    doublings = min(failed_attempts - FREE_ATTEMPTS, 12)
    delay: timedelta = min(FIRST_LOCK * (2**doublings), LONGEST_LOCK)
    return delay


async def create_user(
    db: AsyncSession, clock: Clock, merchant_id: str, email: str, password: str
) -> DashboardUser:
    try:
        address = check_email(email).lower()
    except ValueError as exc:
        raise FieldInvalid("email", str(exc)) from None
    await merchants.get_merchant(db, merchant_id)
    if await find_user(db, address) is not None:
        raise UserEmailTaken(address)
    user = DashboardUser(
        id=new_id("usr"),
        merchant_id=merchant_id,
        email=address,
        password_hash=hash_password(password),
        failed_attempts=0,
        created_at=clock.now(),
    )
    db.add(user)
    try:
        await db.flush()
    except IntegrityError:
        raise UserEmailTaken(address) from None
    log.info("dashboard.user_created", merchant_id=merchant_id, user_id=user.id)
    return user


async def find_user(db: AsyncSession, email: str) -> DashboardUser | None:
    found: DashboardUser | None = await db.scalar(
        select(DashboardUser).where(DashboardUser.email == email.strip().lower())
    )
    return found


async def get_user(db: AsyncSession, user_id: str) -> DashboardUser:
    user = await db.get(DashboardUser, user_id)
    if user is None:
        raise UserNotFound(user_id)
    return user


async def first_user_of(db: AsyncSession, merchant_id: str) -> DashboardUser | None:
    found: DashboardUser | None = await db.scalar(
        select(DashboardUser)
        .where(DashboardUser.merchant_id == merchant_id)
        .order_by(DashboardUser.created_at)
        .limit(1)
    )
    return found


async def sign_in(
    db: AsyncSession, clock: Clock, email: str, password: str
) -> SignedIn:
    """Check the password and open a session; the caller commits.

    Raises ``SignInLocked`` while the account is locked (the password is not
    even checked then) and ``SignInRefused`` for any other failure.
    """
    now = clock.now()
    user = await find_user(db, email)
    if user is None:
        verify_password(_decoy_hash(), password)
        raise SignInRefused()
    if user.locked_until is not None and user.locked_until > now:
        raise SignInLocked(user.locked_until - now)
    if not verify_password(user.password_hash, password):
        await _count_failure(db, user, now)
        raise SignInRefused()
    return await _open_session(db, user, now, password)


async def _count_failure(db: AsyncSession, user: DashboardUser, now: datetime) -> None:
    # Counted in SQL so concurrent guesses cannot overwrite each other's count.
    await db.execute(
        update(DashboardUser)
        .where(DashboardUser.id == user.id)
        .values(failed_attempts=DashboardUser.failed_attempts + 1)
    )
    await db.refresh(user, ["failed_attempts"])
    delay = lock_delay(user.failed_attempts)
    if delay is not None:
        user.locked_until = now + delay
        log.warning(
            "dashboard.user_locked",
            user_id=user.id,
            failed_attempts=user.failed_attempts,
            seconds=int(delay.total_seconds()),
        )
    await db.flush()


async def _open_session(
    db: AsyncSession, user: DashboardUser, now: datetime, password: str
) -> SignedIn:
    user.failed_attempts = 0
    user.locked_until = None
    if _hasher().check_needs_rehash(user.password_hash):
        user.password_hash = _hasher().hash(password)
    await db.execute(
        delete(DashboardSession).where(
            DashboardSession.user_id == user.id, DashboardSession.expires_at <= now
        )
    )
    token = secrets.token_urlsafe(32)
    session = DashboardSession(
        token_hash=token_digest(token),
        user_id=user.id,
        mode="test",
        csrf_secret=secrets.token_urlsafe(32),
        created_at=now,
        expires_at=now + SESSION_LIFETIME,
    )
    db.add(session)
    await db.flush()
    log.info("dashboard.signed_in", merchant_id=user.merchant_id, user_id=user.id)
    return SignedIn(token=token, session=session, user=user)


async def find_session(
    db: AsyncSession, token: str, moment: datetime
) -> tuple[DashboardSession, DashboardUser] | None:
    """The live session a cookie stands for, with its user; None if none."""
    session = await db.get(DashboardSession, token_digest(token))
    if session is None or session.expires_at <= moment:
        return None
    return session, await get_user(db, session.user_id)


async def sign_out(db: AsyncSession, token: str) -> None:
    await db.execute(
        delete(DashboardSession).where(
            DashboardSession.token_hash == token_digest(token)
        )
    )
    await db.flush()


async def switch_mode(db: AsyncSession, session: DashboardSession, mode: str) -> None:
    if mode not in MODES:
        raise InvalidMode(mode)
    session.mode = mode
    await db.flush()


async def set_password(db: AsyncSession, email: str, password: str) -> DashboardUser:
    """Replace the password, lift a lock-out and end every open session."""
    user = await find_user(db, email)
    if user is None:
        raise UserNotFound(email.strip().lower())
    user.password_hash = hash_password(password)
    user.failed_attempts = 0
    user.locked_until = None
    await db.execute(
        delete(DashboardSession).where(DashboardSession.user_id == user.id)
    )
    await db.flush()
    log.info("dashboard.password_changed", user_id=user.id)
    return user
