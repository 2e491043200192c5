"""Rules that join several fields of a create body.

:func:`check_request` holds for every create and preview. :func:`check_confirm`
holds for ``confirm: true``, which skips the page where the buyer would fill
in what is missing, so everything needed to pay must be in the request.
"""

from __future__ import annotations

from till.checkout.errors import MissingForConfirm
from till.checkout.schemas import BillingAddressIn, CheckoutCreate, FeatureFlagsIn
from till.core.errors import FieldInvalid
from till.pricing import Quote, country_needs_state, ensure_tax_id_accepted


def check_request(body: CheckoutCreate) -> None:
    if body.discount_codes is not None and body.discount_code is not None:
        raise FieldInvalid(
            "discount_code", "give discount_codes or discount_code, not both"
        )
    if body.tax_id and body.billing_address is None:
        raise FieldInvalid("billing_address", "is required when tax_id is given")
    _check_payment_method(body)
    _check_flags(body.feature_flags or FeatureFlagsIn())
    _check_custom_field_keys(body)


def _check_payment_method(body: CheckoutCreate) -> None:
    if body.payment_method_id is None:
        return
    if not body.confirm:
        raise FieldInvalid("payment_method_id", "is only allowed with confirm: true")
    if body.customer is None or body.customer.customer_id is None:
        field = "customer.customer_id"
        raise FieldInvalid(field, "is required when payment_method_id is given")


def _check_flags(flags: FeatureFlagsIn) -> None:
    if flags.require_tax_id and not flags.allow_tax_id:
        field = "feature_flags.require_tax_id"
        raise FieldInvalid(field, "needs allow_tax_id to be true")
    if flags.require_phone_number and not flags.allow_phone_number_collection:
        field = "feature_flags.require_phone_number"
        raise FieldInvalid(field, "needs allow_phone_number_collection to be true")


def _check_custom_field_keys(body: CheckoutCreate) -> None:
    seen: set[str] = set()
    for index, custom in enumerate(body.custom_fields or []):
        if custom.key in seen:
            raise FieldInvalid(f"custom_fields[{index}].key", "is used twice")
        seen.add(custom.key)


def check_confirm(
    body: CheckoutCreate, email: str | None, phone: str | None, quote: Quote
) -> None:
    """Refuse, naming the first missing field, a confirm without all it needs."""
    flags = body.feature_flags or FeatureFlagsIn()
    if not email:
        raise MissingForConfirm("customer.email", "the customer's email")
    if flags.require_phone_number and not phone:
        raise MissingForConfirm("customer.phone_number", "a phone number")
    _check_address(body.billing_address, wants_minimal_address(body))
    if flags.require_tax_id and not body.tax_id:
        raise MissingForConfirm("tax_id", "a tax id")
    ensure_tax_id_accepted(quote)


def wants_minimal_address(body: CheckoutCreate) -> bool:
    """Whether country and zipcode are address enough; by default only for
    the single-page flow, which has no separate address step."""
    if body.minimal_address is None:
        return (body.feature_flags or FeatureFlagsIn()).single_page
    return body.minimal_address


def _check_address(address: BillingAddressIn | None, minimal: bool) -> None:
    if address is None:
        raise MissingForConfirm("billing_address", "a billing address")
    needed = ["zipcode"] if minimal else ["street", "city", "zipcode"]
    if not minimal and country_needs_state(address.country):
        needed.insert(0, "state")
    for part in needed:
        if getattr(address, part) is None:
            raise MissingForConfirm(f"billing_address.{part}", f"the {part}")
