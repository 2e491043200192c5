"""Wire shapes of the merchant's own settings (``/merchant``, Till's own)."""

from __future__ import annotations

import re
from typing import Annotated, Any

import pycountry
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator

from till.checkout.schemas import ThemeDefaultsIn
from till.core.validation import HttpUrl

_HOST = re.compile(r"^(\*\.)?([a-z0-9-]{1,63}\.)*[a-z0-9-]{1,63}(:[0-9]{1,5})?$")
_ORIGIN = re.compile(
    r"^https?://(\*\.)?([a-z0-9-]{1,63}\.)*[a-z0-9-]{1,63}(:([0-9]{1,5}|\*))?$"
)


def check_country(value: str) -> str:
    code = value.upper()
    if pycountry.countries.get(alpha_2=code) is None:
        raise ValueError(f"{value!r} is not an ISO 3166 alpha-2 country code")
    return code


def check_host(value: str) -> str:
    host = value.strip().lower()
    if not _HOST.match(host):
        raise ValueError(f"{value!r} is not a host name (example.com, *.example.com)")
    return host


def check_origin(value: str) -> str:
    origin = value.strip().lower().rstrip("/")
    if not _ORIGIN.match(origin):
        raise ValueError(
            f"{value!r} is not an origin (https://shop.example.com, http://localhost:*)"
        )
    return origin


Country = Annotated[str, AfterValidator(check_country)]
Host = Annotated[str, AfterValidator(check_host)]
Origin = Annotated[str, AfterValidator(check_origin)]


class MerchantUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    country: Country | None = None
    locale: Annotated[str, Field(pattern=r"^[a-z]{2}([_-][A-Za-z]{2})?$")] | None = None
    default_return_url: HttpUrl | None = None
    allowed_return_hosts: Annotated[list[Host], Field(max_length=50)] | None = None
    embed_origins: Annotated[list[Origin], Field(max_length=50)] | None = None
    checkout_theme: ThemeDefaultsIn | None = None

    # Omitting a field leaves it as it is; sending null clears it. A list
    # cleared is an empty list; the merchant's name, country and language
    # cannot be cleared.
    @field_validator("name", "country", "locale")
    @classmethod
    def _not_cleared(cls, value: str | None) -> str:
        if value is None:
            raise ValueError("cannot be cleared")
        return value

    @field_validator("allowed_return_hosts", "embed_origins", mode="before")
    @classmethod
    def _null_list_is_empty(cls, value: object) -> object:
        return [] if value is None else value


class MerchantOut(BaseModel):
    business_id: str
    name: str
    country: str
    locale: str
    default_return_url: str | None
    allowed_return_hosts: list[str]
    embed_origins: list[str]
    checkout_theme: dict[str, Any] | None = None


def merchant_out(merchant: Any) -> MerchantOut:
    return MerchantOut(
        business_id=merchant.id,
        name=merchant.name,
        country=merchant.country,
        locale=merchant.locale,
        default_return_url=merchant.default_return_url,
        allowed_return_hosts=list(merchant.allowed_return_hosts),
        embed_origins=list(merchant.embed_origins),
        checkout_theme=merchant.checkout_theme,
    )
