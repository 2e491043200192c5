"""A short-lived memory, per process, of the API keys already checked.

Every API request authenticates, and without this each one would spend a
database round trip before doing any work. A key found valid is remembered
for :data:`KEY_CACHE_SECONDS` under its digest (never the secret itself).

Revocation: ``revoke_key`` in this process forgets the key at once and
refuses to learn it again for one lifetime, so a request that read the key
just before the revocation committed cannot put it back. Another process (a
second server, ``till keys revoke``) has no way to tell this one: there, a
revoked key keeps working for at most :data:`KEY_CACHE_SECONDS`.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from till.merchants.keys import Principal

KEY_CACHE_SECONDS = 10.0
MAX_KEYS = 10_000

# (database, key digest): keys of one database never answer for another.
Slot = tuple[str, str]


class KeyCache:
    def __init__(
        self,
        ttl: float = KEY_CACHE_SECONDS,
        *,
        size: int = MAX_KEYS,
        now: Callable[[], float] = time.monotonic,
    ) -> None:
        self.ttl, self.size, self.now = ttl, size, now
        self._entries: dict[Slot, tuple[Principal, float]] = {}
        self._revoked: dict[str, float] = {}

    def get(self, slot: Slot) -> Principal | None:
        entry = self._entries.get(slot)
        if entry is None:
            return None
        principal, until = entry
        if until <= self.now():
            self._entries.pop(slot, None)
            return None
        return principal

    def put(self, slot: Slot, principal: Principal) -> None:
        now = self.now()
        if self._revoked.get(principal.key_id, 0.0) > now:
            return
        if len(self._entries) >= self.size:
            self._prune(now)
        self._entries[slot] = (principal, now + self.ttl)

    def forget(self, key_id: str) -> None:
        """Drop a revoked key and keep it out for one lifetime."""
        now = self.now()
        self._revoked = {k: t for k, t in self._revoked.items() if t > now}
        self._revoked[key_id] = now + self.ttl
        stale = [s for s, (p, _) in self._entries.items() if p.key_id == key_id]
        for slot in stale:
            del self._entries[slot]

    def forget_merchant(self, merchant_id: str) -> None:
        """Drop a merchant's keys so its changed settings are read again."""
        self._entries = {
            s: e for s, e in self._entries.items() if e[0].merchant_id != merchant_id
        }

    def _prune(self, now: float) -> None:
        self._entries = {s: e for s, e in self._entries.items() if e[1] > now}
        if len(self._entries) >= self.size:
            self._entries.clear()
