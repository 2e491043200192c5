"""The built-in sandbox processor: a card network's test mode, in process.

What a charge does depends on the card number (see :data:`TEST_CARDS`), so a
developer can walk through success, every kind of decline, 3-D Secure and
failed renewals without a processor account. Nothing is stored: whatever a
later call needs travels in a signed token (see ``sandbox_tokens``), so any
API process can complete a challenge that another one started.
"""

from __future__ import annotations

import re

import structlog

from till.core.clock import Clock
from till.core.errors import FieldInvalid
from till.core.ids import new_id
from till.payments.processors.base import (
    ChargeOutcome,
    ChargeRequest,
    PaymentProcessor,
    RefundOutcome,
    RefundStatus,
)
from till.payments.processors.cards import (
    CardSummary,
    check_card,
    is_expired,
    normalise_number,
    summarise,
)
from till.payments.processors.codes import FailureCode
from till.payments.processors.sandbox_cards import (
    TEST_CARDS,
    Behaviour,
    find_test_card,
)
from till.payments.processors.sandbox_tokens import (
    ACTION_TOKEN_LIFETIME,
    ActionClaims,
    MethodClaims,
    TokenSigner,
)

__all__ = ["TEST_CARDS", "SandboxProcessor"]

_log = structlog.get_logger(__name__)

_CHARGE_PREFIX = "sbx_ch"
_REFUND_PREFIX = "sbx_re"
_CURRENCY = re.compile(r"[A-Z]{3}")


class SandboxProcessor(PaymentProcessor):
    """Charges whose outcome is decided by the test card number.

    ``secret_key`` signs the action and saved-method tokens and must be the
    same in every process; ``public_url`` is the server's external base URL,
    under which the hosted pages serve the 3-D Secure challenge.
    """

    def __init__(self, secret_key: bytes, clock: Clock, public_url: str) -> None:
        self._tokens = TokenSigner(secret_key)
        self._clock = clock
        self._public_url = public_url.rstrip("/")

    async def charge(self, request: ChargeRequest) -> ChargeOutcome:
        _check_amount(request.amount)
        _check_currency(request.currency)
        processor_ref = new_id(_CHARGE_PREFIX)

        problem = check_card(request.card, self._clock.now())
        if problem is not None:
            _log.info(
                "sandbox.card_refused", payment_id=request.payment_id, code=problem
            )
            return ChargeOutcome.failed(processor_ref, problem)

        card = summarise(request.card)
        test_card = find_test_card(normalise_number(request.card.number))
        if test_card is not None and test_card.behaviour is Behaviour.DECLINE:
            code = test_card.error_code or FailureCode.CARD_DECLINED
            return _decline(processor_ref, card, code, request.payment_id)

        behaviour = test_card.behaviour if test_card else Behaviour.SUCCEED
        if behaviour.challenges or request.force_3ds:
            decline_code = test_card.error_code if test_card else None
            return self._challenge(
                self._pending(request, processor_ref, card, behaviour, decline_code)
            )
        return self._approve(
            processor_ref, card, behaviour, request.save_method, request.payment_id
        )

    async def complete_action(self, action_token: str, approved: bool) -> ChargeOutcome:
        claims = self._tokens.open_action(action_token, self._clock.now())
        ref, card = claims.processor_ref, claims.card

        if not approved:
            code = FailureCode.AUTHENTICATION_FAILED
            return _decline(ref, card, code, claims.payment_id)
        if claims.behaviour is Behaviour.CHALLENGE_THEN_DECLINE:
            code = claims.decline_code or FailureCode.CARD_DECLINED
            return _decline(ref, card, code, claims.payment_id)
        return self._approve(
            ref, card, claims.behaviour, claims.save_method, claims.payment_id
        )

    async def charge_saved_method(
        self, method_token: str, amount: int, currency: str, payment_id: str
    ) -> ChargeOutcome:
        _check_amount(amount)
        _check_currency(currency)
        claims = self._tokens.open_method(method_token)
        ref, card = new_id(_CHARGE_PREFIX), claims.card

        if is_expired(card.exp_month, card.exp_year, self._clock.now()):
            return _decline(ref, card, FailureCode.EXPIRED_CARD, payment_id)
        if claims.behaviour is Behaviour.DECLINE_SAVED_CHARGES:
            return _decline(ref, card, FailureCode.CARD_DECLINED, payment_id)

        _log.info(
            "sandbox.saved_method_charged",
            payment_id=payment_id,
            processor_ref=ref,
            brand=card.brand,
            last4=card.last4,
        )
        return ChargeOutcome.succeeded(ref, card)

    async def refund(
        self, processor_payment_ref: str, amount: int, currency: str
    ) -> RefundOutcome:
        if amount <= 0:
            raise FieldInvalid("amount", "a refund must be a positive amount")
        if not processor_payment_ref.startswith(f"{_CHARGE_PREFIX}_"):
            raise FieldInvalid("processor_payment_ref", "is not a sandbox charge")
        _check_currency(currency)

        refund_ref = new_id(_REFUND_PREFIX)
        _log.info(
            "sandbox.refund_succeeded",
            processor_payment_ref=processor_payment_ref,
            processor_ref=refund_ref,
            amount=amount,
            currency=currency,
        )
        return RefundOutcome(RefundStatus.SUCCEEDED, refund_ref)

    def describe_action(self, action_token: str) -> ActionClaims:
        """What the challenge page shows: amount, card, where to return.

        Raises the same errors as :meth:`complete_action` for a forged or
        expired token, so the page refuses exactly what completion would.
        """
        return self._tokens.open_action(action_token, self._clock.now())

    def action_url(self, action_token: str) -> str:
        return f"{self._public_url}/sandbox/3ds/{action_token}"

    def _challenge(self, claims: ActionClaims) -> ChargeOutcome:
        token = self._tokens.seal_action(claims)
        _log.info(
            "sandbox.challenge_required",
            payment_id=claims.payment_id,
            processor_ref=claims.processor_ref,
            brand=claims.card.brand,
            last4=claims.card.last4,
        )
        return ChargeOutcome.requires_action(
            claims.processor_ref, claims.card, token, self.action_url(token)
        )

    def _pending(
        self,
        request: ChargeRequest,
        processor_ref: str,
        card: CardSummary,
        behaviour: Behaviour,
        decline_code: FailureCode | None,
    ) -> ActionClaims:
        return ActionClaims(
            processor_ref=processor_ref,
            payment_id=request.payment_id,
            amount=request.amount,
            currency=request.currency,
            card=card,
            behaviour=behaviour,
            decline_code=decline_code,
            save_method=request.save_method,
            return_url=request.action_return_url,
            expires_at=self._clock.now() + ACTION_TOKEN_LIFETIME,
        )

    def _approve(
        self,
        processor_ref: str,
        card: CardSummary,
        behaviour: Behaviour,
        save_method: bool,
        payment_id: str,
    ) -> ChargeOutcome:
        method_token = None
        if save_method:
            method_token = self._tokens.seal_method(MethodClaims(card, behaviour))

        _log.info(
            "sandbox.charge_succeeded",
            payment_id=payment_id,
            processor_ref=processor_ref,
            brand=card.brand,
            last4=card.last4,
            saved=save_method,
        )
        return ChargeOutcome.succeeded(processor_ref, card, method_token)


def _decline(
    processor_ref: str, card: CardSummary, code: FailureCode, payment_id: str
) -> ChargeOutcome:
    _log.info(
        "sandbox.charge_declined",
        payment_id=payment_id,
        processor_ref=processor_ref,
        brand=card.brand,
        last4=card.last4,
        code=code,
    )
    return ChargeOutcome.failed(processor_ref, code, card)


def _check_amount(amount: int) -> None:
    # Zero is allowed: a free trial still checks and saves the card.
    if amount < 0:
        raise FieldInvalid("amount", "must not be negative")


def _check_currency(currency: str) -> None:
    if _CURRENCY.fullmatch(currency) is None:
        raise FieldInvalid("currency", "must be a three-letter ISO 4217 code")
