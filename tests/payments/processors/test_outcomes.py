from __future__ import annotations

import pytest

from till.core.errors import InvalidRequest, ServiceUnavailable
from till.payments.processors import (
    ChargeOutcome,
    ChargeStatus,
    FailureCode,
    InvalidActionToken,
    InvalidMethodToken,
    ProcessorUnavailable,
)


def test_every_failure_code_has_a_buyer_message() -> None:
    for code in FailureCode:
        assert code.message.endswith(".")


@pytest.mark.parametrize("code", list(FailureCode))
def test_only_processing_errors_are_worth_retrying(code: FailureCode) -> None:
    outcome = ChargeOutcome.failed("sbx_ch_x", code)

    assert outcome.retryable is (code is FailureCode.PROCESSING_ERROR)


@pytest.mark.parametrize(
    "fields",
    [
        {"status": ChargeStatus.FAILED},
        {"status": ChargeStatus.SUCCEEDED, "error_code": FailureCode.CARD_DECLINED},
        {"status": ChargeStatus.SUCCEEDED, "retryable": True},
        {"status": ChargeStatus.REQUIRES_CUSTOMER_ACTION, "action_token": "t"},
        {"status": ChargeStatus.SUCCEEDED, "action_token": "t", "action_url": "u"},
    ],
)
def test_contradictory_outcome_is_refused(fields: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        ChargeOutcome(processor_ref="sbx_ch_x", **fields)  # type: ignore[arg-type]


def test_processor_unavailable_means_try_again() -> None:
    error = ProcessorUnavailable("stripe", "timed out after 10 s")

    assert isinstance(error, ServiceUnavailable)
    assert error.status == 503
    assert error.to_body() == {
        "code": "PROCESSOR_UNAVAILABLE",
        "message": "The stripe payment processor is unavailable: timed out after 10 s.",
    }


@pytest.mark.parametrize("error_class", [InvalidActionToken, InvalidMethodToken])
def test_token_errors_are_the_callers_problem(error_class: type[Exception]) -> None:
    assert issubclass(error_class, InvalidRequest)
