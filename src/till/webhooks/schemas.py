"""Wire shapes of ``/webhooks`` and of Till's delivery log."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Generic, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from till.core.metadata import check_metadata
from till.core.validation import HttpUrl
from till.events import EventType

T = TypeVar("T")

StringMap = Annotated[dict[str, str], AfterValidator(check_metadata)]
Description = Annotated[str, Field(max_length=500)]
RateLimit = Annotated[int, Field(ge=1, le=100_000)]
# Only names Till sends are accepted, so a misspelt type is an error rather
# than an endpoint that silently never hears anything.
FilterTypes = Annotated[list[EventType], Field(max_length=len(EventType))]


class WebhookCreate(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    url: HttpUrl
    description: Description | None = None
    disabled: bool | None = None
    filter_types: FilterTypes = Field(default_factory=list)
    metadata: StringMap | None = None
    rate_limit: RateLimit | None = None


class WebhookUpdate(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    url: HttpUrl | None = None
    description: Description | None = None
    disabled: bool | None = None
    filter_types: FilterTypes | None = None
    metadata: StringMap | None = None
    rate_limit: RateLimit | None = None


class WebhookOut(BaseModel):
    id: str
    url: str
    description: str
    disabled: bool
    filter_types: list[str]
    metadata: dict[str, Any]
    rate_limit: int | None
    created_at: datetime
    updated_at: datetime


class WebhookSecretOut(BaseModel):
    secret: str


class CursorPage(BaseModel, Generic[T]):
    """The cursor list shape of ``/webhooks``: pass ``iterator`` back for more."""

    data: list[T]
    iterator: str | None
    done: bool


class AttemptOut(BaseModel):
    number: int
    attempted_at: datetime
    duration_ms: int
    status_code: int | None
    response_body: str | None
    error: str | None
    succeeded: bool


class DeliveryOut(BaseModel):
    id: str
    webhook_id: str
    event_id: str
    event_type: str
    status: str
    attempt_count: int
    next_attempt_at: datetime | None
    created_at: datetime
    finished_at: datetime | None
    resent_from: str | None
    attempts: list[AttemptOut]


def webhook_out(endpoint: Any) -> WebhookOut:
    return WebhookOut(
        id=endpoint.id,
        url=endpoint.url,
        description=endpoint.description,
        disabled=endpoint.disabled,
        filter_types=list(endpoint.filter_types),
        metadata=dict(endpoint.meta),
        rate_limit=endpoint.rate_limit,
        created_at=endpoint.created_at,
        updated_at=endpoint.updated_at,
    )


def attempt_out(attempt: Any) -> AttemptOut:
    return AttemptOut(
        number=attempt.number,
        attempted_at=attempt.attempted_at,
        duration_ms=attempt.duration_ms,
        status_code=attempt.status_code,
        response_body=attempt.response_body,
        error=attempt.error,
        succeeded=attempt.succeeded,
    )


def delivery_out(delivery: Any, event_type: str, attempts: list[Any]) -> DeliveryOut:
    return DeliveryOut(
        id=delivery.id,
        webhook_id=delivery.endpoint_id,
        event_id=delivery.event_id,
        event_type=event_type,
        status=delivery.status,
        attempt_count=delivery.attempt_count,
        next_attempt_at=delivery.next_attempt_at,
        created_at=delivery.created_at,
        finished_at=delivery.finished_at,
        resent_from=delivery.resent_from,
        attempts=[attempt_out(a) for a in attempts],
    )
