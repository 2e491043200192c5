"""Wire shapes of ``/products/{id}/short_links`` and ``/products/short_links``.

The create body and the ``{full_url, short_url}`` reply follow the Dodo
Payments format; ``active``, ``inactive_message``, ``expires_at`` and
``completion_limit`` are Till's own, and so is every field of the reply past
the wire format's (clients that do not know them ignore them).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
)

from till.core.clock import as_utc
from till.links.models import ShortLink
from till.links.urls import qr_url, short_url, static_url

MAX_PARAMS = 100
MAX_SLUG_LENGTH = 64
SLUG_PATTERN = r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$"


def _lower(value: Any) -> Any:
    return value.strip().lower() if isinstance(value, str) else value


def _as_text(value: Any) -> Any:
    # The wire format says strings; numbers and booleans are what people
    # write for quantity=2 or disableEmail=true, so they are taken as text.
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value) if isinstance(value, int | float) else value


Slug = Annotated[
    str,
    BeforeValidator(_lower),
    StringConstraints(min_length=1, max_length=MAX_SLUG_LENGTH, pattern=SLUG_PATTERN),
]
ParamName = Annotated[str, StringConstraints(min_length=1, max_length=100)]
ParamValue = Annotated[str, BeforeValidator(_as_text), Field(max_length=2000)]
Params = Annotated[dict[ParamName, ParamValue], Field(max_length=MAX_PARAMS)]
Message = Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)]
Moment = Annotated[datetime, AfterValidator(as_utc)]
Limit = Annotated[int, Field(ge=1, le=1_000_000_000)]


class ShortLinkCreate(BaseModel):
    model_config = ConfigDict(extra="ignore")

    slug: Slug
    static_checkout_params: Params | None = None
    active: bool = True
    inactive_message: Message | None = None
    expires_at: Moment | None = None
    completion_limit: Limit | None = None


class ShortLinkUpdate(BaseModel):
    """Fields sent are changed; ``null`` clears a message, expiry or limit."""

    model_config = ConfigDict(extra="forbid")

    static_checkout_params: Params | None = None
    active: bool | None = None
    inactive_message: Message | None = None
    expires_at: Moment | None = None
    completion_limit: Limit | None = None


class ShortLinkOut(BaseModel):
    """One short link: ``full_url`` and ``short_url`` are the wire format's
    reply to create; the rest is Till's."""

    id: str
    slug: str
    product_id: str
    full_url: str
    short_url: str
    qr_svg_url: str
    qr_png_url: str
    static_checkout_params: dict[str, str]
    active: bool
    inactive_message: str | None
    expires_at: datetime | None
    completion_limit: int | None
    # Completed checkout sessions that came through this link.
    completions: int
    created_at: datetime
    updated_at: datetime


def short_link_out(link: ShortLink, public_url: str, completions: int) -> ShortLinkOut:
    short = short_url(public_url, link.slug)
    return ShortLinkOut(
        id=link.id,
        slug=link.slug,
        product_id=link.product_id,
        full_url=static_url(public_url, link.product_id, link.params),
        short_url=short,
        qr_svg_url=qr_url(short, "svg"),
        qr_png_url=qr_url(short, "png"),
        static_checkout_params=dict(link.params),
        active=link.active,
        inactive_message=link.inactive_message,
        expires_at=link.expires_at,
        completion_limit=link.completion_limit,
        completions=completions,
        created_at=link.created_at,
        updated_at=link.updated_at,
    )
