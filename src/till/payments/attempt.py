"""What a pay attempt tells the hosted page, and where the buyer goes next."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

AttemptStatus = Literal["succeeded", "failed", "requires_customer_action"]


@dataclass(frozen=True)
class PayAttempt:
    """The outcome of :func:`~till.payments.pay.pay_session` or
    :func:`~till.payments.complete.complete_action`.

    ``action_url`` is set for ``requires_customer_action``: send the buyer
    there (the 3-D Secure challenge). ``redirect_url`` is set for a success
    on a session with a ``return_url``; ``None`` after a success means "show
    the receipt", and after a failure "stay on the page, show
    ``error_message`` and let the buyer try again".
    """

    status: AttemptStatus
    session_id: str
    payment_id: str | None
    error_code: str | None = None
    error_message: str | None = None
    action_url: str | None = None
    redirect_url: str | None = None


def return_redirect(
    return_url: str, session_id: str, payment_id: str | None, status: str
) -> str:
    """``return_url`` with ``session_id``, ``payment_id`` and ``status`` added.

    The merchant's own query parameters are kept, except ones with those three
    names, which Till's values replace so the merchant cannot be misled.
    """
    parts = urlsplit(return_url)
    ours = {"session_id": session_id, "payment_id": payment_id or "", "status": status}
    kept = [
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if key not in ours
    ]
    query = urlencode([*kept, *ours.items()])
    return urlunsplit(parts._replace(query=query))
