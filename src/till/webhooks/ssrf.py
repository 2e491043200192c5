"""Where Till may send a webhook.

A webhook URL is chosen by whoever holds an API key, and Till's server makes
the request, so a URL pointing inward would let a key holder probe the
network Till runs in (and read the first 2 KB of each answer through the
delivery log). The rules:

- live mode: ``https`` only, and every address the host resolves to must be
  a public one: not loopback, private, link-local (which covers the cloud
  metadata service at 169.254.169.254), shared, multicast or reserved;
- test mode: ``http`` or ``https``; loopback and private addresses are
  allowed so a developer can receive on ``http://localhost``; link-local and
  the other special ranges stay refused;
- ``TILL_WEBHOOK_ALLOW_PRIVATE=true`` lifts the address rules in both modes
  for self-hosters whose receivers live on an internal network (live mode
  still requires ``https``).

The rules are checked when an endpoint is created or changed and again
before every delivery, because DNS answers change. The delivery then
connects to the address that was checked (see :class:`Destination`), so a
second lookup cannot swap in another one.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# 169.254.169.254 is inside link-local already; the IPv6 form AWS uses is a
# unique-local address, which is private. Both are named so a reader sees them.
METADATA_ADDRESSES = frozenset(
    {ipaddress.ip_address("169.254.169.254"), ipaddress.ip_address("fd00:ec2::254")}
)


class UnsafeDestination(Exception):
    """The URL may not receive webhooks; the message says why, in one line."""


@dataclass(frozen=True)
class Destination:
    """A checked URL and the address to connect to for it."""

    url: str
    host: str
    address: str


async def resolve_host(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to; tests replace this function."""
    loop = asyncio.get_running_loop()
    infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


def check_scheme(url: str, mode: str) -> None:
    scheme = urlsplit(url).scheme
    if mode == "live" and scheme != "https":
        raise UnsafeDestination("live-mode webhook URLs must use https")
    if scheme not in ("http", "https"):
        raise UnsafeDestination("webhook URLs must use http or https")


def refusal(address: IPAddress, mode: str, allow_private: bool) -> str | None:
    """Why Till will not send to ``address`` in ``mode``, or None if it may."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    if address.is_multicast or address.is_unspecified or address.is_reserved:
        # ``is_global`` says yes to multicast, so these are asked first.
        return "is not a unicast address"
    if allow_private or address.is_global:
        return None
    if address in METADATA_ADDRESSES:
        return "is a cloud metadata service address"
    if address.is_link_local:
        return "is a link-local address"
    if mode == "test" and (address.is_loopback or address.is_private):
        return None
    if address.is_loopback:
        return "is a loopback address"
    if address.is_private:
        return "is a private network address"
    return "is not a public internet address"


async def check_destination(
    url: str, mode: str, *, allow_private: bool, must_resolve: bool = True
) -> Destination | None:
    """Check ``url`` for ``mode``; raise :class:`UnsafeDestination` if refused.

    Returns where to connect, or None when the host does not resolve and
    ``must_resolve`` is false (a test-mode URL may be registered before its
    receiver exists; delivery checks it again).
    """
    check_scheme(url, mode)
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        found = await resolve_host(host, port)
    except (OSError, UnicodeError):
        if must_resolve:
            raise UnsafeDestination(f"host {host!r} does not resolve") from None
        return None
    addresses = _ordered({ipaddress.ip_address(a.split("%", 1)[0]) for a in found})
    if not addresses:
        raise UnsafeDestination(f"host {host!r} does not resolve")
    for address in addresses:
        reason = refusal(address, mode, allow_private)
        if reason is not None:
            raise UnsafeDestination(
                f"host {host!r} resolves to {address}, which {reason}"
            )
    return Destination(url=url, host=host, address=str(addresses[0]))


def _ordered(addresses: set[IPAddress]) -> list[IPAddress]:
    # IPv4 first: a receiver bound to 127.0.0.1 is the common local setup,
    # and ``localhost`` resolves to ::1 as well.
    return sorted(addresses, key=lambda a: (a.version, int(a)))
