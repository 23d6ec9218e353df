"""A real HTTP server on 127.0.0.1 for the link checker's tests, answering by path; it records every request."""

import contextlib
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass(frozen=True)
class Seen:
    method: str
    path: str
    host: str
    user_agent: str
    at: float  # time.monotonic() on arrival


class LinkServer:
    """Paths: ``/ok`` 200, ``/missing`` 404, ``/error`` 500, ``/slow`` (answers after ``slow_seconds``),
    ``/loop-a`` ⇄ ``/loop-b`` (a redirect loop), ``/moved`` (301 to ``/ok``), ``/chain/N`` (302 to N+1 forever),
    ``/no-head`` (405 to HEAD, 200 to GET), ``/busy`` (429), ``/toggle`` (``toggle_status``, changeable)."""

    def __init__(self):
        self.requests: list[Seen] = []
        self.toggle_status = 500
        self.slow_seconds = 1.5
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def answer(self, method):
                with server._lock:
                    server.requests.append(
                        Seen(method, self.path, self.headers["Host"], self.headers["User-Agent"], time.monotonic())
                    )
                status, location = server.route(method, self.path)
                self.send_response(status)
                if location:
                    self.send_header("Location", location)
                body = b"x" * 2048
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if method == "GET":
                    with contextlib.suppress(OSError):  # the checker closes without reading the body
                        self.wfile.write(body)

            def do_HEAD(self):
                self.answer("HEAD")

            def do_GET(self):
                self.answer("GET")

            def log_message(self, format, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)

    def route(self, method, path):
        path = path.split("?", 1)[0]
        if path == "/ok":
            return 200, None
        if path == "/missing":
            return 404, None
        if path == "/error":
            return 500, None
        if path == "/slow":
            time.sleep(self.slow_seconds)
            return 200, None
        if path == "/loop-a":
            return 302, "/loop-b"
        if path == "/loop-b":
            return 302, f"http://127.0.0.1:{self.port}/loop-a"
        if path == "/moved":
            return 301, "/ok"
        if path.startswith("/chain/"):
            return 302, f"/chain/{int(path.rsplit('/', 1)[1]) + 1}"
        if path == "/no-head":
            return (405, None) if method == "HEAD" else (200, None)
        if path == "/busy":
            return 429, None
        if path == "/toggle":
            return self.toggle_status, None
        return 404, None

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    def paths(self) -> list[tuple[str, str]]:
        return [(seen.method, seen.path) for seen in self.requests]

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()
