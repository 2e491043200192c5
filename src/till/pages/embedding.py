"""Embed mode: the same pages inside an iframe on the merchant's site.

``/embed.js`` opens a page as ``/session/{id}?embed=1&origin=<parent
origin>`` (``&stay=1`` when the merchant's page handles success itself).
The parent origin is the only address the frame's script posts messages to
and the only one it accepts messages from, so it is checked against the
merchant's ``embed_origins`` before it is written into the page; the
response's ``frame-ancestors`` then lets exactly those origins frame it, so
a page that lies about its origin is still refused by the browser.

Every page the frame moves through (a failed post, the receipt, the 3-D
Secure page and back) carries the same query, so the whole flow stays in
embed mode without any cookie or server-side state.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

EMBED_PARAM = "embed"
ORIGIN_PARAM = "origin"
STAY_PARAM = "stay"

# The shapes ``check_origin`` of the merchant settings accepts, again here:
# a stored value goes into a response header, so it is checked where used.
_PATTERN = re.compile(
    r"^(https?)://(\*\.)?((?:[a-z0-9-]{1,63}\.)*[a-z0-9-]{1,63})(?::([0-9]{1,5}|\*))?$"
)
_ORIGIN = re.compile(
    r"^(https?)://((?:[a-z0-9-]{1,63}\.)*[a-z0-9-]{1,63}|\[[0-9a-f:.]+\])"
    r"(?::([0-9]{1,5}))?$"
)
_DEFAULT_PORTS = {"http": "80", "https": "443"}


@dataclass(frozen=True)
class Embed:
    """A page shown inside the merchant's frame."""

    parent_origin: str
    frame_ancestors: tuple[str, ...]
    stay: bool = False

    def query(self) -> str:
        params = {EMBED_PARAM: "1", ORIGIN_PARAM: self.parent_origin}
        if self.stay:
            params[STAY_PARAM] = "1"
        return urlencode(params)

    def url(self, path: str) -> str:
        """``path`` (Till's own, maybe with a query) kept in embed mode."""
        separator = "&" if "?" in path else "?"
        return f"{path}{separator}{self.query()}"


class EmbedRefused(Exception):
    """Embed mode was asked for by a parent the merchant did not list."""


def wants_embed(query: Mapping[str, str]) -> bool:
    return query.get(EMBED_PARAM) == "1"


def embed_from_query(query: Mapping[str, str], allowed: Iterable[str]) -> Embed | None:
    """The embed context a request asks for; None for a top-level page.

    Raises EmbedRefused when embed mode is asked for with a parent origin
    missing, malformed or not among ``allowed``.
    """
    if not wants_embed(query):
        return None
    patterns = frame_ancestors(allowed)
    origin = normalise_origin(query.get(ORIGIN_PARAM, ""))
    if origin is None or not origin_allowed(origin, patterns):
        raise EmbedRefused(origin)
    return Embed(origin, patterns, stay=query.get(STAY_PARAM) == "1")


def frame_ancestors(allowed: Iterable[str]) -> tuple[str, ...]:
    """The merchant's origins that are well-formed CSP source expressions."""
    return tuple(dict.fromkeys(o for o in allowed if _PATTERN.match(str(o))))


def normalise_origin(value: str) -> str | None:
    """``scheme://host[:port]`` in lower case with a default port dropped."""
    match = _ORIGIN.match(value.strip().lower())
    if match is None:
        return None
    scheme, host, port = match.groups()
    if port is None or port == _DEFAULT_PORTS[scheme]:
        return f"{scheme}://{host}"
    return f"{scheme}://{host}:{port}"


def origin_allowed(origin: str, patterns: Iterable[str]) -> bool:
    """Whether a CSP ``frame-ancestors`` list of ``patterns`` admits
    ``origin``: same scheme, the host itself or (for ``*.host``) any name
    under it, and the same port, any port for ``:*``."""
    parts = urlsplit(origin)
    host = parts.hostname or ""
    port = str(parts.port) if parts.port else _DEFAULT_PORTS.get(parts.scheme, "")
    return any(_admits(p, parts.scheme, host, port) for p in patterns)


def _admits(pattern: str, scheme: str, host: str, port: str) -> bool:
    match = _PATTERN.match(pattern)
    if match is None:
        return False
    p_scheme, wildcard, p_host, p_port = match.groups()
    if p_scheme != scheme:
        return False
    host_ok = host.endswith("." + p_host) if wildcard else host == p_host
    port_ok = p_port == "*" or (p_port or _DEFAULT_PORTS[p_scheme]) == port
    return host_ok and port_ok
