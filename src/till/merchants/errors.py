from __future__ import annotations

from till.core.errors import FieldInvalid, NotFound, Unauthenticated


class MissingApiKey(Unauthenticated):
    code = "MISSING_API_KEY"

    def __init__(self) -> None:
        super().__init__("Send your secret key as 'Authorization: Bearer <key>'.")


class MalformedApiKey(Unauthenticated):
    code = "MALFORMED_API_KEY"

    def __init__(self) -> None:
        super().__init__("The Authorization header does not hold a Till key.")


class UnknownApiKey(Unauthenticated):
    code = "INVALID_API_KEY"

    def __init__(self) -> None:
        super().__init__("The API key is unknown or has been revoked.")


class MerchantNotFound(NotFound):
    def __init__(self, merchant_id: str) -> None:
        super().__init__("merchant", merchant_id)


class ApiKeyNotFound(NotFound):
    def __init__(self, key_id: str) -> None:
        super().__init__("API key", key_id)


class InvalidMode(FieldInvalid):
    def __init__(self, mode: str) -> None:
        super().__init__("mode", f"must be 'test' or 'live', got {mode!r}")
