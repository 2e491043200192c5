"""The root of every error Till reports to a client.

::

    TillError (status, code, message, field)
     ├── InvalidRequest          400  the request cannot be understood
     │    └── FieldInvalid        422  one named field is wrong
     ├── Unauthenticated         401  no usable API key
     ├── NotFound                404  no such object for this merchant and mode
     ├── Conflict                409  the object's state forbids the change
     ├── TooManyRequests         429  a limit was reached; wait and retry
     └── ServiceUnavailable      503  try again; nothing was changed

Each domain adds a small family below these, named after the condition
(``SessionExpired``, ``DiscountUsageLimitReached``). Every error travels as
one JSON shape: ``{"code": "...", "message": "...", "field": "..."?}``.
"""

from __future__ import annotations

from typing import Any, ClassVar


class TillError(Exception):
    status: ClassVar[int] = 400
    code: ClassVar[str] = "BAD_REQUEST"

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def to_body(self) -> dict[str, Any]:
        body: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.field is not None:
            body["field"] = self.field
        return body


class InvalidRequest(TillError):
    status = 400
    code = "BAD_REQUEST"


class FieldInvalid(TillError):
    """A single named field has a value Till will not accept."""

    status = 422
    code = "INVALID_FIELD"

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}", field=field)


class Unauthenticated(TillError):
    status = 401
    code = "UNAUTHORIZED"


class NotFound(TillError):
    status = 404
    code = "NOT_FOUND"

    def __init__(self, kind: str, object_id: str) -> None:
        super().__init__(f"No {kind} with id {object_id!r}.")
        self.kind = kind
        self.object_id = object_id


class Conflict(TillError):
    status = 409
    code = "CONFLICT"


class TooManyRequests(TillError):
    status = 429
    code = "TOO_MANY_REQUESTS"


class ServiceUnavailable(TillError):
    """A dependency timed out or failed; the same request may succeed later."""

    status = 503
    code = "SERVICE_UNAVAILABLE"
