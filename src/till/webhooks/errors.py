from __future__ import annotations

from till.core.errors import Conflict, FieldInvalid, NotFound


class WebhookNotFound(NotFound):
    def __init__(self, webhook_id: str) -> None:
        super().__init__("webhook", webhook_id)


class DeliveryNotFound(NotFound):
    def __init__(self, delivery_id: str) -> None:
        super().__init__("webhook delivery", delivery_id)


class WebhookUrlRefused(FieldInvalid):
    """The URL breaks the destination rules of ``till.webhooks.ssrf``."""

    code = "WEBHOOK_URL_NOT_ALLOWED"

    def __init__(self, reason: str) -> None:
        super().__init__("url", reason)


class WebhookDisabled(Conflict):
    code = "WEBHOOK_DISABLED"

    def __init__(self, webhook_id: str) -> None:
        super().__init__(
            f"Webhook {webhook_id!r} is disabled; enable it before re-sending."
        )


class DeliveryInProgress(Conflict):
    code = "DELIVERY_IN_PROGRESS"

    def __init__(self, delivery_id: str) -> None:
        super().__init__(
            f"Delivery {delivery_id!r} is still being attempted; "
            "re-send it once it has succeeded or failed."
        )
