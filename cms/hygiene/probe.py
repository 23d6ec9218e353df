"""One polite check of one URL: does it still answer?

* ``HEAD`` first; a ``GET`` (headers only: the body is never read) when the ``HEAD`` is
  refused (an answer of 400 or more, or no HTTP answer), since many servers mishandle ``HEAD``;
* redirects (301, 302, 303, 307, 308) followed to ``max_redirects``, each hop checked like
  the first; a loop is reported as such;
* a descriptive ``User-Agent``, a timeout per request and a deadline per URL;
* like webhooks (``cms.webhook_targets``), only public addresses: the host is resolved,
  every address checked, and the connection made to a checked address (DNS rebinding
  cannot slip through); ``AddressGuard(block_private=False)`` or ``allowed_hosts`` exempt
  hosts (tests against a local server, an intranet page);
* ``HostPacer``: requests to one host at least ``interval`` seconds apart.

The stdlib's ``http.client`` is enough (as for webhooks): the checker needs the status and
the ``Location`` of an answer, on a socket it connected itself.
"""

import http.client
import ipaddress
import socket
import ssl
import time
from dataclasses import dataclass, field
from http import HTTPStatus
from urllib.parse import urljoin, urlsplit

from ..webhook_targets import TargetRefused, connect_first, is_public

REDIRECTS = frozenset({301, 302, 303, 307, 308})
#: An answer that says "not now" rather than "gone": recorded, but neither broken nor recovered.
INCONCLUSIVE = frozenset({429})


class Outcome:
    OK = "ok"
    BROKEN = "broken"
    INCONCLUSIVE = "inconclusive"


@dataclass(frozen=True)
class ProbeResult:
    outcome: str  # an ``Outcome``
    status_code: int | None = None
    error: str = ""
    final_url: str = ""  # where redirects led (empty when the URL answered itself)
    requests: int = 0


@dataclass
class AddressGuard:
    """Which addresses the checker may connect to: public ones, and the ``allowed_hosts`` (names or IPs)."""

    block_private: bool = True
    allowed_hosts: tuple[str, ...] = ()

    def connect(self, host: str, port: int, timeout: float) -> socket.socket:
        """A socket connected to ``host`` at an address checked first; ``TargetRefused`` for a private one."""
        answers = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        allowed = {name.strip().strip("[]").lower() for name in self.allowed_hosts}
        if self.block_private and host.strip("[]").lower() not in allowed:
            for *_, sockaddr in answers:
                address = ipaddress.ip_address(sockaddr[0].split("%", 1)[0])
                if not is_public(address):
                    raise TargetRefused(f"the URL points at a private address ({address})")
        return connect_first(host, answers, timeout)


@dataclass
class HostPacer:
    """Requests to one host at least ``interval`` seconds apart (``clock`` and ``sleep`` replaceable in tests)."""

    interval: float
    clock: callable = time.monotonic
    sleep: callable = time.sleep
    last: dict = field(default_factory=dict)

    def ready_at(self, host: str) -> float:
        previous = self.last.get(host)
        return float("-inf") if previous is None else previous + self.interval

    def wait(self, host: str) -> None:
        delay = self.ready_at(host) - self.clock()
        if delay > 0:
            self.sleep(delay)
        self.last[host] = self.clock()


class _GuardedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, host, port, *, timeout, guard):
        super().__init__(host, port, timeout=timeout)
        self.guard = guard

    def connect(self):
        self.sock = self.guard.connect(self.host, self.port, self.timeout)


class _GuardedHTTPSConnection(http.client.HTTPSConnection):
    """Over TLS, the certificate verified for the URL's host name (sent as SNI)."""

    def __init__(self, host, port, *, timeout, guard):
        self.tls_context = ssl.create_default_context()
        super().__init__(host, port, timeout=timeout, context=self.tls_context)
        self.guard = guard

    def connect(self):
        sock = self.guard.connect(self.host, self.port, self.timeout)
        self.sock = self.tls_context.wrap_socket(sock, server_hostname=self.host)


def status_text(status: int) -> str:
    try:
        return f"HTTP {status} {HTTPStatus(status).phrase}"
    except ValueError:
        return f"HTTP {status}"


class _Failure(Exception):
    """No HTTP answer: ``text`` says why; ``retry_with_get`` when a GET might fare better than the HEAD."""

    def __init__(self, text: str, *, retry_with_get: bool = False):
        super().__init__(text)
        self.text = text
        self.retry_with_get = retry_with_get


@dataclass
class Prober:
    """Checks URLs with one guard, pace, timeout, redirect limit and ``User-Agent``."""

    user_agent: str
    timeout: float = 10.0
    max_redirects: int = 5
    guard: AddressGuard = field(default_factory=AddressGuard)
    pacer: HostPacer = field(default_factory=lambda: HostPacer(interval=0.0))

    def _request(self, method: str, url: str, timeout: float) -> tuple[int, str | None]:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            raise _Failure(f"Not an http(s) URL: {parts.scheme or 'no scheme'}.")
        try:
            port = parts.port
        except ValueError:
            raise _Failure("The URL's port is not valid.") from None
        host = parts.hostname
        if not host:
            raise _Failure("The URL has no host.")
        connection_class = _GuardedHTTPSConnection if parts.scheme == "https" else _GuardedHTTPConnection
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        self.pacer.wait(host)
        connection = connection_class(host, port or connection_class.default_port, timeout=timeout, guard=self.guard)
        try:
            connection.request(
                method, path, headers={"User-Agent": self.user_agent, "Accept": "*/*", "Connection": "close"}
            )
            response = connection.getresponse()
            return response.status, response.getheader("Location")
        except TargetRefused as refused:
            raise _Failure(f"Not checked: {refused}.") from None
        except socket.gaierror:
            raise _Failure(f"Could not connect: {host} was not found.") from None
        except TimeoutError:
            raise _Failure(f"No answer within {self.timeout:g} seconds.") from None
        except ConnectionRefusedError:
            raise _Failure("Could not connect: connection refused.") from None
        except ssl.SSLError as error:
            raise _Failure(f"TLS error: {error.reason or type(error).__name__}.") from None
        except http.client.HTTPException as error:
            raise _Failure(f"Not an HTTP answer ({type(error).__name__}).", retry_with_get=True) from None
        except OSError as error:
            raise _Failure(
                f"Could not connect: {error.strerror or type(error).__name__}.", retry_with_get=True
            ) from None
        finally:
            connection.close()  # the body (of a GET too) is never read

    def check(self, url: str) -> ProbeResult:
        """Whether ``url`` answers: HEAD (then GET), following redirects to the limit, within a deadline."""
        deadline = time.monotonic() + self.timeout * (self.max_redirects + 2)
        method, current, seen, requests = "HEAD", url, {url}, 0
        redirects = 0
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return ProbeResult(Outcome.BROKEN, error="No final answer in time.", requests=requests)
            requests += 1
            try:
                status, location = self._request(method, current, min(self.timeout, remaining))
            except _Failure as failure:
                if method == "HEAD" and failure.retry_with_get:
                    method = "GET"
                    continue
                return ProbeResult(
                    Outcome.BROKEN, error=failure.text, final_url=_elsewhere(current, url), requests=requests
                )
            if status >= 400 and method == "HEAD" and status not in INCONCLUSIVE:
                method = "GET"  # many servers refuse or mishandle HEAD: ask again the usual way
                continue
            if status in REDIRECTS and location:
                redirects += 1
                target = urljoin(current, location.strip())
                if target in seen:
                    return ProbeResult(
                        Outcome.BROKEN,
                        status,
                        f"Redirect loop ({status_text(status)} back to {target}).",
                        final_url=_elsewhere(current, url),
                        requests=requests,
                    )
                if redirects > self.max_redirects:
                    return ProbeResult(
                        Outcome.BROKEN,
                        status,
                        f"Too many redirects (more than {self.max_redirects}).",
                        final_url=_elsewhere(current, url),
                        requests=requests,
                    )
                seen.add(target)
                current = target
                continue
            final_url = _elsewhere(current, url)
            if status in INCONCLUSIVE:
                return ProbeResult(
                    Outcome.INCONCLUSIVE,
                    status,
                    f"{status_text(status)}: the server asked us to come back later.",
                    final_url,
                    requests,
                )
            if status >= 400:
                return ProbeResult(Outcome.BROKEN, status, status_text(status), final_url, requests)
            return ProbeResult(Outcome.OK, status, "", final_url, requests)


def _elsewhere(current: str, original: str) -> str:
    return "" if current == original else current


def url_host(url: str) -> str:
    """The host of ``url``, lower case (``""`` if it has none): what pacing and ``--host`` go by."""
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""
