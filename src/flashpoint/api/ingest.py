"""The write route: POST /api/articles runs the P4 ingest job on one or many JSON articles."""

from __future__ import annotations

import hmac
from typing import Any

from fastapi import APIRouter, Body, Depends
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import select

from ..ingest import content_id
from ..model import Article
from ..store.models import ArticleRow, EventSource
from .deps import AppState, get_state
from .errors import ERROR_RESPONSES, ApiError
from .schemas import ArticleIn, ErrorOut, IngestOut

_bearer = HTTPBearer(auto_error=False, description="The server's write token (flashpoint serve --token).")


def require_token(
    state: AppState = Depends(get_state), creds: HTTPAuthorizationCredentials | None = Depends(_bearer)
) -> None:
    token = state.settings.write_token
    if token is None:
        raise ApiError(403, "writing is disabled: start the server with a write token (--token)")
    if creds is None or not hmac.compare_digest(creds.credentials.encode(), token.encode()):
        raise ApiError(401, "a valid write token is required: send 'Authorization: Bearer <token>'")


def _article(item: ArticleIn) -> Article:
    text = item.html if item.html is not None else item.text
    aid = item.id or content_id(text)
    return Article(
        id=aid, text=text, origin=f"api:{aid}", is_html=item.html is not None, title=item.title,
        published=item.published, outlet=item.outlet, url=item.url,
    )


def _ingest_one(state: AppState, index: int, item: ArticleIn) -> dict[str, Any]:
    article = _article(item)
    summary = state.ingestor().run([article], paths=[article.origin])
    if summary.articles_failed:
        status, reason = "failed", summary.errors[0].reason if summary.errors else "failed"
    elif summary.articles_duplicate:
        status, reason = "duplicate", "already stored (same id, URL, text or content): nothing changed"
    elif summary.articles_copy:
        status, reason = "copy", None
    else:
        status, reason = "new", None
    with state.sessions() as s:
        if status == "copy":
            reason = f"near-duplicate of stored article {s.get(ArticleRow, article.id).duplicate_of}"
        ids = s.scalars(
            select(EventSource.event_id).where(EventSource.article_id == article.id).distinct()
            .order_by(EventSource.event_id)
        ).all()
    return {
        "index": index, "id": article.id, "status": status, "reason": reason, "event_ids": list(ids),
        "events_new": summary.events_new, "events_merged": summary.events_merged,
    }


def post_articles(
    body: ArticleIn | list[ArticleIn] = Body(..., description="One article object, or an array of them."),
    state: AppState = Depends(get_state),
    _auth: None = Depends(require_token),
) -> dict[str, Any]:
    items = body if isinstance(body, list) else [body]
    if not items:
        raise ApiError(422, "no articles: send one article object or a non-empty array", where="body")
    if len(items) > state.settings.max_items:
        raise ApiError(413, f"too many articles: {len(items)}, the limit is {state.settings.max_items} per request",
                       where="body")
    with state.ingest_lock:
        results = [_ingest_one(state, i, item) for i, item in enumerate(items)]
    counts = {k: sum(r["status"] == k for r in results) for k in ("new", "duplicate", "copy", "failed")}
    counts["events_new"] = sum(r["events_new"] for r in results)
    counts["events_merged"] = sum(r["events_merged"] for r in results)
    return {"results": results, "counts": counts}


def write_router() -> APIRouter:
    router = APIRouter(prefix="/api", responses=ERROR_RESPONSES)
    router.add_api_route(
        "/articles", post_articles, methods=["POST"], response_model=IngestOut,
        summary="Ingest one or many articles (needs the write token)",
        description="Each article runs through the pipeline and is linked into the store as by "
        "`flashpoint ingest`; the result lists what happened to each item. Bodies larger than the "
        "server's limit get 413.",
        responses={401: {"model": ErrorOut, "description": "Missing or wrong token"},
                   403: {"model": ErrorOut, "description": "Writing is disabled on this server"},
                   413: {"model": ErrorOut, "description": "Body or article count over the limit"}},
    )
    return router
