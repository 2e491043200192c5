"""What a processor adapter raises, as opposed to what it reports.

::

    TillError
     ├── InvalidRequest
     │    ├── InvalidActionToken       400  forged, garbled or not an action token
     │    │    └── ActionTokenExpired  400  the challenge was left open too long
     │    └── InvalidMethodToken       400  forged, garbled or not a method token
     └── ServiceUnavailable
          └── ProcessorUnavailable     503  the remote processor did not answer

A declined or mistyped card is not an exception: it comes back as a failed
``ChargeOutcome`` with a code, because the buyer can act on it. These classes
are for a caller that handed over something no processor would accept, and
for a processor that could not be reached at all.
"""

from __future__ import annotations

from datetime import datetime

from till.core.errors import InvalidRequest, ServiceUnavailable


class InvalidActionToken(InvalidRequest):
    code = "INVALID_ACTION_TOKEN"

    def __init__(self, reason: str) -> None:
        super().__init__(f"The customer action token is not valid: {reason}.")
        self.reason = reason


class ActionTokenExpired(InvalidActionToken):
    code = "ACTION_TOKEN_EXPIRED"

    def __init__(self, expired_at: datetime) -> None:
        super().__init__(f"it expired at {expired_at.isoformat()}")
        self.expired_at = expired_at


class InvalidMethodToken(InvalidRequest):
    code = "INVALID_METHOD_TOKEN"

    def __init__(self, reason: str) -> None:
        super().__init__(f"The saved payment method token is not valid: {reason}.")
        self.reason = reason


class ProcessorUnavailable(ServiceUnavailable):
    """The processor could not be reached or timed out; the caller may retry.

    An adapter raises this only where a retry cannot charge twice: the request
    never left, or it carried an idempotency key the remote side honours.
    """

    code = "PROCESSOR_UNAVAILABLE"

    def __init__(self, processor: str, detail: str) -> None:
        super().__init__(f"The {processor} payment processor is unavailable: {detail}.")
        self.processor = processor
        self.detail = detail
