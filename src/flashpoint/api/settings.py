"""What the server is told at start: where the store is, the write token, limits, binding,
the typing model its ingest uses."""

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

    def __post_init__(self) -> None:
        if self.max_body_bytes < 1 or self.max_items < 1:
            raise ValueError("max_body_bytes and max_items must be positive")
        if self.write_token is not None and len(self.write_token) < 16:
            raise ValueError("the write token must be at least 16 characters")
        if self.tile_url is not None and not self.tile_url.startswith(("https://", "http://")):
            raise ValueError("tile_url must be an http(s) URL template")
