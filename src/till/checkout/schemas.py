"""Wire shapes of ``/checkouts``, following the Dodo Payments format.

Pydantic checks each field on its own; rules that join several fields
(``discount_code`` with ``discount_codes``, what ``confirm`` needs) live in
:mod:`till.checkout.requirements` so that their errors can name the right
field.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StrictInt,
    model_validator,
)

from till.core.metadata import Metadata
from till.core.validation import Email, HttpUrl
from till.customers.schemas import Phone
from till.pages.colours import check_colour

MAX_CUSTOM_FIELDS = 5
MAX_DISCOUNT_CODES = 20


def _plain(value: str) -> str:
    # PostgreSQL text cannot hold NUL, and no name, code or address needs a
    # control character; refusing them here keeps them out of every column.
    if any(ch < " " or ch == "\x7f" for ch in value):
        raise ValueError("must not contain control characters")
    return value


def _blank_to_none(value: str | None) -> str | None:
    return value or None


Plain = AfterValidator(_plain)
Code = Annotated[str, Field(min_length=1, max_length=64), Plain]
Id = Annotated[str, Field(min_length=1, max_length=64), Plain]
Text = Annotated[str, Field(max_length=200), Plain]
TaxId = Annotated[str, Field(max_length=64), Plain]
BuyerEmail = Annotated[Email, Plain]
Option = Annotated[str, Field(min_length=1, max_length=100), Plain]

# An address part that is empty counts as missing.
ShortPart = Annotated[
    Annotated[str, Field(max_length=100), Plain] | None,
    AfterValidator(_blank_to_none),
]
LongPart = Annotated[
    Annotated[str, Field(max_length=300), Plain] | None,
    AfterValidator(_blank_to_none),
]
ZipPart = Annotated[
    Annotated[str, Field(max_length=20), Plain] | None,
    AfterValidator(_blank_to_none),
]

# Colours end up in the hosted page's CSS, so only a closed colour grammar
# is let through (see ``till.pages.colours``); the stored form is the one the
# page writes.
Colour = Annotated[str, Field(max_length=64), AfterValidator(check_colour)]
HttpsUrl = Annotated[str, Field(max_length=2000, pattern=r"^https://[^\s\"'<>()\\]+$")]

Radius = Annotated[str, Field(pattern=r"^\d{1,3}(\.\d{1,3})?(px|rem|em)$")]


class _Wire(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)


class CartItemIn(_Wire):
    # Ranges are checked with the cart (``product_cart[i].quantity``), so the
    # message can name the line.
    product_id: Id
    quantity: StrictInt
    amount: StrictInt | None = None


class CustomerIn(_Wire):
    """``{customer_id}`` for a known customer, or ``{email, name?, phone?}``."""

    customer_id: Id | None = None
    email: BuyerEmail | None = None
    name: Text | None = None
    phone_number: Phone | None = None

    @model_validator(mode="after")
    def _one_way_to_say_who(self) -> CustomerIn:
        if self.customer_id is None and self.email is None:
            raise ValueError("give customer_id, or email for a new customer")
        return self


def _upper(value: str) -> str:
    return value.upper()


class BillingAddressIn(_Wire):
    country: Annotated[str, Field(pattern=r"^[A-Za-z]{2}$"), AfterValidator(_upper)]
    state: ShortPart = None
    city: ShortPart = None
    street: LongPart = None
    zipcode: ZipPart = None


class SubscriptionDataIn(_Wire):
    trial_period_days: Annotated[int, Field(ge=0, le=10_000)] | None = None


class FeatureFlagsIn(_Wire):
    """Every flag of the wire format, with the default it documents."""

    allow_currency_selection: bool = True
    allow_customer_editing_business_name: bool = False
    allow_customer_editing_city: bool = True
    allow_customer_editing_country: bool = True
    allow_customer_editing_email: bool = True
    allow_customer_editing_name: bool = True
    allow_customer_editing_state: bool = True
    allow_customer_editing_street: bool = True
    allow_customer_editing_tax_id: bool = True
    allow_customer_editing_zipcode: bool = True
    allow_discount_code: bool = True
    allow_editing_addons: bool = False
    allow_phone_number_collection: bool = True
    allow_tax_id: bool = True
    always_create_new_customer: bool = False
    redirect_immediately: bool = False
    require_cardholder_name: bool = False
    require_phone_number: bool = False
    require_tax_id: bool = False
    single_page: bool = False


class ThemeModeIn(_Wire):
    bg_primary: Colour | None = None
    bg_secondary: Colour | None = None
    border_primary: Colour | None = None
    border_secondary: Colour | None = None
    button_primary: Colour | None = None
    button_primary_hover: Colour | None = None
    button_secondary: Colour | None = None
    button_secondary_hover: Colour | None = None
    button_text_primary: Colour | None = None
    button_text_secondary: Colour | None = None
    input_focus_border: Colour | None = None
    text_error: Colour | None = None
    text_placeholder: Colour | None = None
    text_primary: Colour | None = None
    text_secondary: Colour | None = None
    text_success: Colour | None = None


class ThemeConfigIn(_Wire):
    dark: ThemeModeIn | None = None
    light: ThemeModeIn | None = None
    font_primary_url: HttpsUrl | None = None
    font_secondary_url: HttpsUrl | None = None
    font_size: Literal["xs", "sm", "md", "lg", "xl", "2xl"] | None = None
    font_weight: Literal["normal", "medium", "bold", "extraBold"] | None = None
    pay_button_text: Annotated[str, Field(max_length=100), Plain] | None = None
    radius: Radius | None = None


class ThemeDefaultsIn(_Wire):
    """A merchant's default look (Till's own ``checkout_theme`` setting):
    what a session's ``customization`` falls back to."""

    theme: Literal["dark", "light", "system"] | None = None
    theme_config: ThemeConfigIn | None = None


class CustomizationIn(_Wire):
    theme: Literal["dark", "light", "system"] | None = None
    theme_config: ThemeConfigIn | None = None
    force_language: (
        Annotated[str, Field(pattern=r"^[A-Za-z]{2,3}([_-][A-Za-z0-9]{2,8})?$")] | None
    ) = None
    show_on_demand_tag: bool = True
    show_order_details: bool = True


class CustomFieldIn(_Wire):
    field_type: Literal["text", "number", "email", "url", "date", "dropdown", "boolean"]
    key: Annotated[str, Field(pattern=r"^[A-Za-z0-9_-]{1,40}$")]
    label: Annotated[str, Field(min_length=1, max_length=100), Plain]
    options: Annotated[list[Option], Field(max_length=50)] | None = None
    placeholder: Annotated[str, Field(max_length=200), Plain] | None = None
    required: bool = False

    @model_validator(mode="after")
    def _dropdown_has_options(self) -> CustomFieldIn:
        if self.field_type == "dropdown" and not self.options:
            raise ValueError("a dropdown needs at least one option")
        return self


PaymentMethodType = Annotated[str, Field(pattern=r"^[a-z0-9_]{1,40}$")]


class CheckoutCreate(_Wire):
    """The body of ``POST /checkouts`` and ``POST /checkouts/preview``."""

    product_cart: Annotated[list[CartItemIn], Field(min_length=1, max_length=20)]
    customer: CustomerIn | None = None
    billing_address: BillingAddressIn | None = None
    return_url: HttpUrl | None = None
    cancel_url: HttpUrl | None = None
    confirm: bool = False
    minimal_address: bool | None = None
    discount_codes: (
        Annotated[list[Code], Field(max_length=MAX_DISCOUNT_CODES)] | None
    ) = None
    discount_code: Code | None = None
    metadata: Metadata | None = None
    tax_id: TaxId | None = None
    customer_business_name: Text | None = None
    subscription_data: SubscriptionDataIn | None = None
    feature_flags: FeatureFlagsIn | None = None
    customization: CustomizationIn | None = None
    custom_fields: (
        Annotated[list[CustomFieldIn], Field(max_length=MAX_CUSTOM_FIELDS)] | None
    ) = None
    allowed_payment_method_types: (
        Annotated[list[PaymentMethodType], Field(max_length=200)] | None
    ) = None
    show_saved_payment_methods: bool = False
    payment_method_id: Id | None = None
    force_3ds: bool | None = None
    # Accepted for compatibility; a session URL is short already.
    short_link: bool = False

    @property
    def codes(self) -> list[str]:
        """The discount codes in the order given, whichever field held them."""
        if self.discount_codes is not None:
            return list(self.discount_codes)
        return [self.discount_code] if self.discount_code else []

    @property
    def trial_period_days(self) -> int | None:
        data = self.subscription_data
        return data.trial_period_days if data is not None else None


class CheckoutSessionOut(BaseModel):
    session_id: str
    checkout_url: str | None
    payment_id: str | None = None
    client_secret: str | None = None


class CheckoutStatusOut(BaseModel):
    """``GET /checkouts/{id}``; ``status`` and ``expires_at`` are Till's."""

    id: str
    created_at: datetime
    customer_email: str | None
    customer_name: str | None
    payment_id: str | None
    payment_status: str | None
    status: str
    expires_at: datetime


class CheckoutListItem(BaseModel):
    id: str
    status: str
    origin: str
    link_id: str | None
    currency: str
    total_amount: int
    total_tax: int
    recurring_amount: int | None
    customer_email: str | None
    customer_name: str | None
    payment_id: str | None
    payment_status: str | None
    metadata: dict[str, Any]
    created_at: datetime
    expires_at: datetime
    completed_at: datetime | None


def status_out(session: Any, status: str) -> CheckoutStatusOut:
    return CheckoutStatusOut(
        id=session.id,
        created_at=session.created_at,
        customer_email=session.customer_email,
        customer_name=session.customer_name,
        payment_id=session.payment_id,
        payment_status=session.payment_status,
        status=status,
        expires_at=session.expires_at,
    )


def list_item(session: Any, status: str) -> CheckoutListItem:
    recurring = session.quote.get("recurring_breakup")
    return CheckoutListItem(
        id=session.id,
        status=status,
        origin=session.origin,
        link_id=session.link_id,
        currency=session.currency,
        total_amount=session.total_amount,
        total_tax=session.quote.get("total_tax", 0),
        recurring_amount=recurring["total_amount"] if recurring else None,
        customer_email=session.customer_email,
        customer_name=session.customer_name,
        payment_id=session.payment_id,
        payment_status=session.payment_status,
        metadata=session.meta,
        created_at=session.created_at,
        expires_at=session.expires_at,
        completed_at=session.completed_at,
    )
