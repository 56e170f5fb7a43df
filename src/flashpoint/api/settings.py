"""What the server is told at start: where the store is, the write token, limits, binding,
the typing model its ingest uses, how the live stream polls the store."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, kw_only=True)
class Settings:
    db: str | None = None  # SQLite path or postgresql:// URL; None: the default store
    write_token: str | None = None  # POST needs "Authorization: Bearer <token>"; None: writing is off
    max_body_bytes: int = 5_000_000  # larger request bodies get 413 before any parsing
    max_items: int = 100  # articles per POST: each runs the whole NLP pipeline
    host: str = "127.0.0.1"  # loopback unless told otherwise: the API has no user accounts
    port: int = 8000
    tile_url: str | None = None  # e.g. a local tile server's https://host/{z}/{x}/{y}.png; None: borders only
    tile_attribution: str = ""
    typing_model: str | None = None  # a file from `flashpoint typing-model train`: POSTed articles are typed with it
    # GET /api/live (api/live.py) reads the store this often for events changed since each open
    # page's cursor: one short indexed query per open page per poll; a change shows this late at most
    live_poll_seconds: float = 2.0
    # a live stream ends after this long and the browser reconnects where it was (its
    # Last-Event-ID): a stopping server waits this long for open pages at most; 0: one read per stream
    live_max_seconds: float = 60.0

    def __post_init__(self) -> None:
        if self.max_body_bytes < 1 or self.max_items < 1:
            raise ValueError("max_body_bytes and max_items must be positive")
        if not self.live_poll_seconds > 0 or not self.live_max_seconds >= 0:
            raise ValueError("live_poll_seconds must be positive and live_max_seconds not negative")
        if self.write_token is not None and len(self.write_token) < 16:
            raise ValueError("the write token must be at least 16 characters")
        if self.tile_url is not None and not self.tile_url.startswith(("https://", "http://")):
            raise ValueError("tile_url must be an http(s) URL template")
