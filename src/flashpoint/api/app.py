"""The FastAPI application factory: routes, JSON errors, body limit, security headers, the page."""

from __future__ import annotations

from typing import Any

from fastapi import Depends, FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy import func, select

from .. import __version__
from ..model import CERTAINTY_LEVELS, SUB_EVENT_TYPES
from . import errors
from .deps import AppState, get_state, write_pipeline
from .ingest import write_router
from .labels import labels_router
from .live import live_router
from .middleware import BodyLimit, SecurityHeaders
from .routes import read_router
from .schemas import ConfigOut, HealthOut
from .settings import Settings


def create_app(settings: Settings, *, pipeline: Any = None, link_rules: Any = None) -> FastAPI:
    """The API and page over the store at ``settings.db`` (opened and migrated here).

    ``pipeline`` and ``link_rules`` are for the write route; when not given they are loaded on
    the first POST, so a read-only server never loads the language model. With
    ``settings.typing_model`` and writing on, the pipeline (with that model) is loaded here, once,
    before the store is opened: a model that cannot be used stops the server at start
    (``TypingModelUnusable``), not its first POST.
    """
    from ..store import open_store
    from ..web import static_dir, vendor_dirs

    if pipeline is None and settings.typing_model is not None and settings.write_token is not None:
        pipeline = write_pipeline(settings)  # before the store opens: a bad model stops the server first
    engine, sessions = open_store(settings.db)
    app = FastAPI(
        title="flashpoint",
        version=__version__,
        description="Conflict events extracted from news reports, with the evidence for every field.",
        docs_url=None,  # served below from the installed Swagger UI, not a CDN
        redoc_url=None,
    )
    app.state.flashpoint = AppState(
        settings=settings, engine=engine, sessions=sessions, pipeline=pipeline, link_rules=link_rules
    )
    errors.install(app)
    app.include_router(read_router())
    app.include_router(write_router(settings))
    app.include_router(labels_router())
    app.include_router(live_router())
    app.add_api_route("/api/health", health, methods=["GET"], response_model=HealthOut, summary="Liveness and store")
    app.add_api_route("/api/config", config, methods=["GET"], response_model=ConfigOut,
                      summary="What the page needs: tile layer (if any), taxonomy")

    static = static_dir()
    app.mount("/static", StaticFiles(directory=static), name="static")
    for name, folder in vendor_dirs().items():
        app.mount(f"/vendor/{name}", StaticFiles(directory=folder), name=f"vendor-{name}")

    def index() -> FileResponse:
        return FileResponse(static / "index.html", media_type="text/html")

    app.add_api_route("/", index, methods=["GET", "HEAD"], include_in_schema=False)

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url="/openapi.json", title="flashpoint API",
            swagger_js_url="/vendor/swagger-ui/swagger-ui-bundle.js",
            swagger_css_url="/vendor/swagger-ui/swagger-ui.css",
            swagger_favicon_url="/vendor/swagger-ui/favicon.png",
        )

    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)
    app.add_middleware(SecurityHeaders, tile_url=settings.tile_url)
    return app


def health(state: AppState = Depends(get_state)) -> dict[str, Any]:
    from ..store.db import current_revision
    from ..store.models import EventRow

    with state.sessions() as s:
        count = s.scalar(select(func.count()).select_from(EventRow))
    return {
        "status": "ok", "version": __version__, "database": state.engine.dialect.name,
        "schema_revision": current_revision(state.engine), "events": count,
    }


def config(state: AppState = Depends(get_state)) -> dict[str, Any]:
    types: dict[str, list[str]] = {}
    for sub, parent in SUB_EVENT_TYPES.items():
        types.setdefault(parent, []).append(sub)
    return {
        "tile_url": state.settings.tile_url, "tile_attribution": state.settings.tile_attribution,
        "event_types": types, "certainty": list(CERTAINTY_LEVELS),
    }
