"""The SSRF guard: webhooks reach only public addresses unless OMS_WEBHOOKS_ALLOW_PRIVATE.

A URL is checked twice. When staff save it (:func:`check_url`): http or https, a host, no
credentials, and a literal IP (or ``localhost``) must be public. When a delivery is sent
(:func:`resolve_public`): the host is resolved with the event loop's ``getaddrinfo``,
EVERY address it resolves to must be public, and the delivery then connects to the
address that was checked (the caller pins it, see :mod:`oms.webhooks.delivery`), so a DNS
answer that changes between the check and the connection (DNS rebinding) cannot lead the
request elsewhere.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from urllib.parse import urlsplit

from oms.errors import DomainError, ErrorCode

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# Cloud metadata services, refused even where the networks below would not catch them.
METADATA_ADDRESSES = frozenset({ipaddress.ip_address("169.254.169.254"), ipaddress.ip_address("fd00:ec2::254")})
# Shared address space (carrier-grade NAT), not covered by ``is_private`` everywhere.
_SHARED = ipaddress.ip_network("100.64.0.0/10")
RESOLVE_TIMEOUT_SECONDS = 5.0
MAX_URL_LENGTH = 2000


class AddressRefused(Exception):
    """The URL's host is, or resolves to, an address webhooks may not reach."""


def refusal(address: IPAddress) -> str | None:
    """Why ``address`` may not be reached by a webhook, or None for a public address."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return refusal(address.ipv4_mapped)
    if address in METADATA_ADDRESSES:
        return "a cloud metadata address"
    checks = (
        (address.is_loopback, "a loopback address"),
        (address.is_link_local, "a link-local address"),
        (address.is_multicast, "a multicast address"),
        (address.is_unspecified, "an unspecified address"),
        (address.is_reserved, "a reserved address"),
        (address.is_private or address in _SHARED, "a private address"),
        (not address.is_global, "not a public address"),
    )
    for refused, why in checks:
        if refused:
            return why
    return None


def _invalid(message: str) -> DomainError:
    return DomainError.of(ErrorCode.INVALID, message, ["url"])


def check_url(url: str, *, allow_private: bool) -> str:
    """The URL, stripped, if staff may save it; INVALID (field ``url``) otherwise."""
    url = url.strip()
    if not url or len(url) > MAX_URL_LENGTH:
        raise _invalid(f"Give an http or https URL of at most {MAX_URL_LENGTH} characters.")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise _invalid("This is not a valid URL.") from None
    if parts.scheme not in ("http", "https"):
        raise _invalid("Only http and https URLs can receive webhooks.")
    host = parts.hostname
    if not host:
        raise _invalid("The URL has no host.")
    if parts.username is not None or parts.password is not None:
        raise _invalid("Credentials in the URL are not supported; the signature authenticates oms.")
    if port == 0:
        raise _invalid("The URL's port is not valid.")
    if allow_private:
        return url
    if host == "localhost" or host.endswith(".localhost"):
        raise _invalid("The URL points to this machine (localhost); set OMS_WEBHOOKS_ALLOW_PRIVATE to allow it.")
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return url  # a name: checked on its resolved addresses at each delivery
    why = refusal(address)
    if why is not None:
        raise _invalid(f"{host} is {why}; set OMS_WEBHOOKS_ALLOW_PRIVATE to allow it.")
    return url


async def resolve_public(host: str, port: int, *, allow_private: bool) -> IPAddress:
    """The address to connect to for ``host``: resolved with the loop's ``getaddrinfo``
    (bounded by :data:`RESOLVE_TIMEOUT_SECONDS`); :class:`AddressRefused` when any
    resolved address is not public (unless ``allow_private``) or nothing resolves."""
    try:
        literal: IPAddress | None = ipaddress.ip_address(host)
    except ValueError:
        literal = None
    if literal is not None:
        addresses = [literal]
    else:
        loop = asyncio.get_running_loop()
        try:
            async with asyncio.timeout(RESOLVE_TIMEOUT_SECONDS):
                infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (OSError, TimeoutError) as exc:
            raise AddressRefused(f"{host} does not resolve ({exc or 'timeout'})") from None
        addresses = []
        for info in infos:
            address = ipaddress.ip_address(str(info[4][0]).split("%", 1)[0])
            if address not in addresses:
                addresses.append(address)
        if not addresses:
            raise AddressRefused(f"{host} does not resolve")
    if not allow_private:
        for address in addresses:
            why = refusal(address)
            if why is not None:
                raise AddressRefused(f"{host} resolves to {address}, {why} (OMS_WEBHOOKS_ALLOW_PRIVATE allows it)")
    return addresses[0]
