"""Where webhooks may go: public http(s) addresses only, checked when an endpoint is saved and again when sent.

An endpoint pointing at loopback, private (RFC 1918, fc00::/7), link-local (169.254/16 with
the cloud metadata address, fe80::/10), shared (100.64/10), unspecified, multicast or
reserved addresses, or at an IPv6 form of one of these (IPv4-mapped, 6to4, NAT64), would
let an editor reach the hub's own network. :func:`validate_webhook_url` refuses such URLs
when an endpoint is saved; :func:`connect` resolves the host when a delivery is sent,
refuses unless every address it resolves to is public, and connects to an address it
checked, so that a DNS answer changed in between (rebinding) cannot slip through.

``settings.WEBHOOK_ALLOWED_HOSTS`` names hosts exempt from the address check (receivers
on premises), e.g. ``["hooks.intranet.example", "10.0.0.5"]``.
"""

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.text import capfirst

SCHEMES = ("http", "https")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


class TargetRefused(Exception):
    """The URL's host is, or resolves to, an address webhooks may not reach."""


def host_is_allowed(host: str) -> bool:
    allowed = {name.strip().strip("[]").lower() for name in settings.WEBHOOK_ALLOWED_HOSTS}
    return host.strip("[]").lower() in allowed


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if address.ipv4_mapped:
        return address.ipv4_mapped
    if address.sixtofour:
        return address.sixtofour
    if address in _NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def is_public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if address.version == 6 and (embedded := _embedded_ipv4(address)) is not None:
        return is_public(embedded)
    return address.is_global and not (address.is_multicast or address.is_reserved)


def _check(sockaddrs) -> None:
    for sockaddr in sockaddrs:
        address = ipaddress.ip_address(sockaddr[0].split("%", 1)[0])
        if not is_public(address):
            raise TargetRefused(f"the URL points at a private address ({address})")


def _resolve(host: str, port: int) -> list[tuple]:
    return socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)


def connect(host: str, port: int, timeout: float) -> socket.socket:
    """A socket connected to ``host``, at an address checked first (unless the host is allowed).

    Raises :class:`TargetRefused` if any address the host resolves to is not public, and
    ``OSError`` (``socket.gaierror``, ``ConnectionRefusedError``, ``TimeoutError``…) as
    :func:`socket.create_connection` does.
    """
    answers = _resolve(host, port)
    if not host_is_allowed(host):
        _check(sockaddr for *_, sockaddr in answers)
    return connect_first(host, answers, timeout)


def connect_first(host: str, answers: list[tuple], timeout: float) -> socket.socket:
    """A socket connected to the first of ``answers`` (``getaddrinfo``'s, checked already) that accepts; else the
    last ``OSError``."""
    error = OSError(f"No address for {host}")
    for family, kind, proto, _name, sockaddr in answers:
        sock = socket.socket(family, kind, proto)
        try:
            sock.settimeout(timeout)
            sock.connect(sockaddr)
        except OSError as failure:
            sock.close()
            error = failure
            continue
        return sock
    raise error


def validate_webhook_url(url: str) -> None:
    """Model validator: an http(s) URL whose host is allowed or resolves only to public addresses.

    A host that does not resolve now is accepted (it may be set up later): it is checked
    again at every delivery.
    """
    parts = urlsplit(url)
    if parts.scheme not in SCHEMES:
        raise ValidationError("Enter an https:// (or http://) address.", code="scheme")
    host = parts.hostname
    if not host or host_is_allowed(host):
        return
    try:
        answers = _resolve(host, parts.port or (443 if parts.scheme == "https" else 80))
    except (OSError, ValueError, UnicodeError):
        return
    try:
        _check(sockaddr for *_, sockaddr in answers)
    except TargetRefused as refused:
        raise ValidationError(
            "%(reason)s: webhooks are only sent to public addresses. A receiver on premises needs its host "
            "in the WEBHOOK_ALLOWED_HOSTS setting.",
            code="private_address",
            params={"reason": capfirst(str(refused))},
        ) from None
