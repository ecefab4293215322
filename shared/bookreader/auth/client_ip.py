"""The client's IP address, believing `X-Forwarded-For` only from trusted proxies.

Each proxy appends the address it received the request from, so the header's right end is the
part our own proxies wrote. Walking it from the right past the trusted proxies, the first
address we do not trust is the client. From an untrusted peer the header is ignored: anybody
can send one.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Sequence
from functools import lru_cache

from bookreader.config import get_settings
from bookreader.errors import BookReaderError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


def client_ip(
    peer: str,
    forwarded_for: str | Iterable[str] | None,
    trusted: Sequence[IPNetwork] | None = None,
) -> str:
    """The client address for a request from `peer` carrying `forwarded_for` header value(s)."""
    networks = trusted if trusted is not None else trusted_proxies()
    peer_address = parse_ip(peer)
    if peer_address is None or not _is_trusted(peer_address, networks) or not forwarded_for:
        return str(peer_address) if peer_address is not None else peer
    values = [forwarded_for] if isinstance(forwarded_for, str) else list(forwarded_for)
    hops = [hop.strip() for value in values for hop in value.split(",")]
    client = peer_address
    for hop in reversed(hops):
        address = parse_ip(hop)
        if address is None:
            break  # garbage left of our proxies' entries: the last trusted hop is all we know
        client = address
        if not _is_trusted(address, networks):
            break
    return str(client)


def from_trusted_proxy(peer: str) -> bool:
    """Whether the request's peer is one of TRUSTED_PROXIES (whose headers we believe)."""
    address = parse_ip(peer)
    return address is not None and _is_trusted(address, trusted_proxies())


def trusted_proxies() -> tuple[IPNetwork, ...]:
    """TRUSTED_PROXIES as networks (default: loopback only)."""
    text = get_settings().trusted_proxies
    try:
        return parse_networks(text)
    except ValueError as error:
        raise BookReaderError("config_invalid", f"TRUSTED_PROXIES: {error}", 500) from error


@lru_cache(maxsize=8)
def parse_networks(text: str) -> tuple[IPNetwork, ...]:
    """`"10.0.0.0/8, 127.0.0.1"` → networks; a bad entry is a configuration error."""
    return tuple(
        ipaddress.ip_network(item.strip(), strict=False) for item in text.split(",") if item.strip()
    )


def parse_ip(text: str) -> IPAddress | None:
    """An address from `1.2.3.4`, `1.2.3.4:5678`, `::1` or `[::1]:80`; None if it is none."""
    text = text.strip()
    if text.startswith("["):
        text = text[1:].split("]", 1)[0]
    elif text.count(":") == 1:
        text = text.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    # An IPv4 client seen through an IPv6 socket is still that IPv4 client.
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def _is_trusted(address: IPAddress, networks: Sequence[IPNetwork]) -> bool:
    return any(address.version == net.version and address in net for net in networks)
