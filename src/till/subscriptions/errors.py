from __future__ import annotations

from till.core.errors import Conflict, NotFound


class SubscriptionNotFound(NotFound):
    def __init__(self, subscription_id: str) -> None:
        super().__init__("subscription", subscription_id)


class SubscriptionNotLive(Conflict):
    """The subscription has ended; it can no longer be changed that way."""

    code = "SUBSCRIPTION_NOT_ACTIVE"

    def __init__(self, subscription_id: str, status: str) -> None:
        super().__init__(
            f"Subscription {subscription_id!r} is {status}; it cannot be changed "
            "that way.",
            field="status",
        )
