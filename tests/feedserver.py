"""A real HTTP server on 127.0.0.1 for the watcher's tests (stdlib ``http.server`` in a thread).

It serves the feeds and pages of ``tests/fixtures/feeds`` (written for the tests) or any body a
test gives, answers conditional requests as a real server does (304 when ``If-None-Match``
names the current ETag or ``If-Modified-Since`` the current Last-Modified), can fail, stall or
redirect on purpose, and records every request it was sent with the answer it gave, and how
many requests to it were ever in flight at once.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures" / "feeds"
CONTENT_TYPES = {".xml": "application/rss+xml", ".atom": "application/atom+xml",
                 ".rdf": "application/rdf+xml", ".html": "text/html; charset=utf-8"}


@dataclass
class Route:
    body: bytes = b""
    content_type: str | None = "text/html; charset=utf-8"
    status: int = 200
    etag: str | None = None
    last_modified: str | None = None
    delay: float = 0.0  # seconds before answering
    location: str | None = None  # where a 3xx points


@dataclass(frozen=True)
class Seen:
    path: str
    headers: dict[str, str]  # names in lower case
    status: int


@dataclass
class FeedServer:
    routes: dict[str, Route] = field(default_factory=dict)
    requests: list[Seen] = field(default_factory=list)
    max_in_flight: int = 0
    _in_flight: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _server: ThreadingHTTPServer | None = None

    def start(self) -> FeedServer:
        self._server = _Quiet(("127.0.0.1", 0), _handler(self))
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def close(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    @property
    def base(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def url(self, path: str) -> str:
        return self.base + path

    def route(self, path: str, body: bytes | str = b"", **kw) -> Route:
        self.routes[path] = Route(body.encode() if isinstance(body, str) else body, **kw)
        return self.routes[path]

    def fixture(self, path: str, name: str, **kw) -> Route:
        """Serve ``tests/fixtures/feeds/<name>`` at ``path``, its ``{{base}}`` made this server."""
        text = (FIXTURES / name).read_text(encoding="utf-8").replace("{{base}}", self.base)
        kw.setdefault("content_type", CONTENT_TYPES[Path(name).suffix])
        return self.route(path, text, **kw)

    def pages(self) -> None:
        """Every page of ``fixtures/feeds/pages`` at /pages/<name>."""
        for page in sorted((FIXTURES / "pages").glob("*.html")):
            self.fixture(f"/pages/{page.name}", f"pages/{page.name}")

    def seen(self, path: str) -> list[Seen]:
        with self._lock:
            return [r for r in self.requests if r.path == path]


class _Quiet(ThreadingHTTPServer):
    def handle_error(self, request, client_address) -> None:  # a client that gave up: expected here
        pass


def _handler(server: FeedServer):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *_args) -> None:  # quiet
            pass

        def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
            with server._lock:
                server._in_flight += 1
                server.max_in_flight = max(server.max_in_flight, server._in_flight)
            try:
                self._answer()
            except (BrokenPipeError, ConnectionResetError):  # the client gave up (a timeout test)
                pass
            finally:
                with server._lock:
                    server._in_flight -= 1

        def _answer(self) -> None:
            route = server.routes.get(self.path.split("?", 1)[0])
            headers = {k.lower(): v for k, v in self.headers.items()}
            status = 404 if route is None else route.status
            if route is not None and route.status == 200 and (
                (route.etag and headers.get("if-none-match") == route.etag)
                or (route.last_modified and headers.get("if-modified-since") == route.last_modified)
            ):
                status = 304
            with server._lock:
                server.requests.append(Seen(self.path, headers, status))
            if route is not None and route.delay:
                time.sleep(route.delay)
            body = b"" if status == 304 or route is None else route.body
            if route is None:
                body = b"not found"
            self.send_response(status)
            if route is not None and route.location:
                self.send_header("Location", route.location)
            if route is not None and route.content_type and status != 304:
                self.send_header("Content-Type", route.content_type)
            if route is not None and route.etag:
                self.send_header("ETag", route.etag)
            if route is not None and route.last_modified:
                self.send_header("Last-Modified", route.last_modified)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    return Handler


@pytest.fixture
def feed_server():
    server = FeedServer().start()
    try:
        yield server
    finally:
        server.close()
