"""ASGI middleware: the request body limit and the security headers of every response."""

from __future__ import annotations

from urllib.parse import urlsplit

from .errors import error_response

_BODY_METHODS = {"POST", "PUT", "PATCH"}


class BodyLimit:
    """Refuse (413) a request body over ``max_bytes`` before any route parses it.

    The body is read here up to the limit, then replayed to the app, so a client that sends no
    Content-Length (chunked) is held to the same limit.
    """

    def __init__(self, app, *, max_bytes: int) -> None:
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http" or scope["method"] not in _BODY_METHODS:
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > self.max_bytes:
            await self._too_large(scope, receive, send)
            return
        chunks, size = [], 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body = message.get("body", b"")
            size += len(body)
            if size > self.max_bytes:
                await self._too_large(scope, receive, send)
                return
            chunks.append(body)
            if not message.get("more_body"):
                break
        replayed = False

        async def replay():
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": b"".join(chunks), "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _too_large(self, scope, receive, send) -> None:
        response = error_response(413, f"request body too large: the limit is {self.max_bytes:,} bytes")
        await response(scope, receive, send)


class SecurityHeaders:
    """A strict Content-Security-Policy (no inline script, no third-party origin but a
    configured tile server) and the usual hardening headers on every response."""

    def __init__(self, app, *, tile_url: str | None) -> None:
        self.app = app
        img = "'self' data:"
        if tile_url:
            parts = urlsplit(tile_url.replace("{s}", "a"))
            img += f" {parts.scheme}://{parts.netloc.replace('a.', '*.', 1) if '{s}' in tile_url else parts.netloc}"
        # Leaflet positions elements through inline styles, hence 'unsafe-inline' for styles only.
        base = (f"default-src 'self'; img-src {img}; style-src 'self' 'unsafe-inline'; object-src 'none'; "
                "base-uri 'none'; frame-ancestors 'none'; form-action 'self'")
        self.page_csp = (base + "; script-src 'self'").encode()
        # Swagger UI is started by one inline script of FastAPI's docs page (no untrusted content there)
        self.docs_csp = (base + "; script-src 'self' 'unsafe-inline'").encode()

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        csp = self.docs_csp if scope["path"] == "/docs" else self.page_csp

        async def with_headers(message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers += [
                    (b"content-security-policy", csp),
                    (b"x-content-type-options", b"nosniff"),
                    (b"referrer-policy", b"no-referrer"),
                    (b"x-frame-options", b"DENY"),
                ]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_headers)
