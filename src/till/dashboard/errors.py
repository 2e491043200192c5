"""Why a dashboard user cannot be created or signed in.

::

    FieldInvalid (422)
     └── WeakPassword             shorter than the minimum
    Conflict (409)
     └── UserEmailTaken           another dashboard user has that email
    Unauthenticated (401)
     └── SignInRefused            wrong email or password (never says which)
    TooManyRequests (429)
     └── SignInLocked             too many failures; wait ``retry_after``
    NotFound (404)
     └── UserNotFound
"""

from __future__ import annotations

from datetime import timedelta

from till.core.errors import (
    Conflict,
    FieldInvalid,
    NotFound,
    TooManyRequests,
    Unauthenticated,
)


class WeakPassword(FieldInvalid):
    code = "WEAK_PASSWORD"

    def __init__(self, minimum: int) -> None:
        super().__init__("password", f"must be at least {minimum} characters")


class UserEmailTaken(Conflict):
    code = "USER_EMAIL_TAKEN"

    def __init__(self, email: str) -> None:
        super().__init__(f"A dashboard user with email {email!r} exists already.")


class SignInRefused(Unauthenticated):
    code = "SIGN_IN_REFUSED"

    def __init__(self) -> None:
        super().__init__("The email or the password is not right.")


class SignInLocked(TooManyRequests):
    code = "SIGN_IN_LOCKED"

    def __init__(self, retry_after: timedelta) -> None:
        seconds = max(1, int(retry_after.total_seconds()))
        super().__init__(f"Too many failed sign-ins. Try again in {_spoken(seconds)}.")
        self.retry_after_seconds = seconds


class UserNotFound(NotFound):
    def __init__(self, user: str) -> None:
        super().__init__("dashboard user", user)
        # Looked up by id or by email; the message fits both.
        self.message = f"No dashboard user {user!r}."


def _spoken(seconds: int) -> str:
    if seconds < 120:
        return f"{seconds} seconds"
    return f"{(seconds + 59) // 60} minutes"
