"""A client of ClamAV's daemon: ``PING``, ``VERSION`` and ``INSTREAM`` over TCP (``CLAMAV_URL=tcp://host:port``).

Written here (about 60 lines) rather than taken from PyPI: ``clamd`` 1.0.2 has not changed since
2014, and its maintained fork ``clamav-client`` is GPL-2.0 and sends 1 KiB chunks. INSTREAM sends the
file's bytes in length-prefixed chunks and a zero-length end; the daemon answers one NUL-terminated
line: ``stream: OK``, ``stream: <signature> FOUND`` or ``<reason> ERROR`` (man clamd).
"""

import socket
import struct
from dataclasses import dataclass
from urllib.parse import urlsplit

CHUNK = 64 * 1024


class ScannerUnavailable(Exception):
    """The daemon could not be reached or broke off: the file stays pending."""


@dataclass(frozen=True)
class Verdict:
    """What the daemon said of one file: ``clean``, ``infected`` (with its signature) or ``error`` (with why)."""

    status: str
    signature: str = ""
    detail: str = ""


def parse_reply(reply: str) -> Verdict:
    reply = reply.strip("\0\n ")
    if reply.endswith(" FOUND"):
        return Verdict("infected", signature=reply.removeprefix("stream:").removesuffix(" FOUND").strip())
    if reply.endswith(" ERROR"):
        return Verdict("error", detail=reply.removeprefix("stream:").removesuffix(" ERROR").strip())
    if reply == "stream: OK":
        return Verdict("clean")
    raise ScannerUnavailable(f"clamd answered something unexpected: {reply[:200]!r}")


class ClamdClient:
    def __init__(self, url: str, *, timeout: float = 120.0, connect_timeout: float = 3.0):
        parts = urlsplit(url)
        if parts.scheme != "tcp" or not parts.hostname or not parts.port:
            raise ValueError(f"CLAMAV_URL must look like tcp://host:port, not {url!r}")
        self.address = (parts.hostname, parts.port)
        self.timeout = timeout
        self.connect_timeout = connect_timeout

    def _command(self, command: bytes, body=None) -> str:
        try:
            with socket.create_connection(self.address, timeout=self.connect_timeout) as sock:
                sock.settimeout(self.timeout)
                sock.sendall(b"z" + command + b"\0")
                if body is not None:
                    try:
                        while chunk := body.read(CHUNK):
                            sock.sendall(struct.pack("!L", len(chunk)) + chunk)
                        sock.sendall(struct.pack("!L", 0))
                    except (BrokenPipeError, ConnectionResetError):
                        pass  # over StreamMaxLength the daemon answers, then hangs up: read its answer
                reply = b""
                while not reply.endswith(b"\0") and (data := sock.recv(4096)):
                    reply += data
        except OSError as error:  # refused, reset (the daemon drops a stream over StreamMaxLength), timed out
            raise ScannerUnavailable(f"clamd at {self.address[0]}:{self.address[1]}: {error}") from error
        if not reply:
            raise ScannerUnavailable(f"clamd at {self.address[0]}:{self.address[1]} closed without answering")
        return reply.decode("utf-8", "replace").strip("\0\n ")

    def ping(self) -> bool:
        return self._command(b"PING") == "PONG"

    def version(self) -> str:
        return self._command(b"VERSION")

    def scan(self, file) -> Verdict:
        """Scan an open binary file (read from where it is to its end)."""
        return parse_reply(self._command(b"INSTREAM", body=file))
