"""What routes depend on: the app's state (store, pipeline) and a database session per request."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from fastapi import Request
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from .settings import Settings


def write_pipeline(settings: Settings):
    """The pipeline that types POSTed articles, with the settings' typing model (and its
    encoder). A model that cannot be used raises ``TypingModelUnusable``."""
    from ..pipeline import Pipeline, Resources

    model = settings.typing_model
    return Pipeline(Resources.load(typing_model=Path(model) if model else None))


@dataclass
class AppState:
    """Built once by ``create_app``; the pipeline is loaded on the first write unless injected
    (or loaded by ``create_app`` at start, with a typing model)."""

    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    pipeline: object | None = None  # flashpoint.pipeline.Pipeline (loading it imports spaCy)
    link_rules: object | None = None  # flashpoint.link.LinkRules
    # one ingest at a time: the NLP model is not shared across threads and SQLite has one writer
    ingest_lock: threading.Lock = field(default_factory=threading.Lock)

    def load_pipeline(self) -> None:
        """The write route's pipeline, loaded on the first write."""
        if self.pipeline is None:
            self.pipeline = write_pipeline(self.settings)

    def ingestor(self):
        """The P4 ingest job; call with ``ingest_lock`` held."""
        from ..link import LinkRules
        from ..store import Ingestor

        self.load_pipeline()
        if self.link_rules is None:
            self.link_rules = LinkRules.load()
        return Ingestor(self.sessions, self.pipeline, self.link_rules)


def get_state(request: Request) -> AppState:
    return request.app.state.flashpoint


def get_session(request: Request) -> Iterator[Session]:
    with get_state(request).sessions() as session:
        yield session
