"""A stand-in for ClamAV's daemon in unit tests: a real TCP server speaking clamd's protocol (PING, INSTREAM).

A fake of an external service, like a local SMTP server: it finds the EICAR test string (and nothing
else) in what it is sent. The real daemon is used by tests/integration/test_virus_scanning.py.
"""

import socketserver
import struct
import threading

# The EICAR test file, from two halves so that no file of the repository is one.
EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$" + rb"EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
SIGNATURE = "Eicar-Test-Signature"


class _Handler(socketserver.BaseRequestHandler):
    def handle(self):
        sock = self.request
        command = b""
        while not command.endswith(b"\0"):
            data = sock.recv(1)
            if not data:
                return
            command += data
        if command == b"zPING\0":
            sock.sendall(b"PONG\0")
        elif command == b"zINSTREAM\0":
            body = b""
            while True:
                (size,) = struct.unpack("!L", _read(sock, 4))
                if not size:
                    break
                body += _read(sock, size)
            self.server.scanned.append(body)
            reply = f"stream: {SIGNATURE} FOUND" if EICAR in body else "stream: OK"
            sock.sendall(reply.encode() + b"\0")
        else:
            sock.sendall(b"UNKNOWN COMMAND\0")


def _read(sock, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = sock.recv(size - len(data))
        if not chunk:
            raise ConnectionError("closed")
        data += chunk
    return data


class FakeClamd(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.scanned: list[bytes] = []
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"tcp://127.0.0.1:{self.server_address[1]}"

    def stop(self):
        self.shutdown()
        self.server_close()
