"""The REST API and the web page: one FastAPI app over the event store.

    app = create_app(Settings(db="events.sqlite", write_token="..."))

``flashpoint serve`` runs it on uvicorn; tests drive it through an ASGI client.
"""

from .app import create_app
from .settings import Settings

__all__ = ["Settings", "create_app"]
