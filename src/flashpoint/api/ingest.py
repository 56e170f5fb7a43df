"""The write route: POST /api/articles runs the P4 ingest job on one or many JSON articles."""

from __future__ import annotations

import hmac
import logging
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import Discriminator, Field, Tag
from sqlalchemy import select

from ..ingest import content_id
from ..ingest.safety import safe_article
from ..model import Article
from ..store.models import ArticleRow, EventSource
from .deps import AppState, get_state
from .errors import ERROR_RESPONSES, ApiError
from .schemas import MAX_TEXT_CHARS, ArticleIn, ErrorOut, IngestOut
from .settings import Settings

log = logging.getLogger("flashpoint.api")

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
    # made safe as every reader's items are, so the id answered is the id stored
    return safe_article(Article(
        id=aid, text=text, origin=f"api:{aid}", is_html=item.html is not None, title=item.title,
        published=item.published, outlet=item.outlet, url=item.url,
    ))


def _ingest_one(state: AppState, index: int, article: Article) -> dict[str, Any]:
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
        row = s.get(ArticleRow, article.id)
        if status == "copy":
            reason = f"near-duplicate of stored article {row.duplicate_of if row else '(unknown)'}"
        # what the pipeline and the store made safe (the article's own warnings among them)
        said = list(article.warnings) + (list(row.warnings or ()) if row is not None and status != "duplicate" else [])
        ids = s.scalars(
            select(EventSource.event_id).where(EventSource.article_id == article.id).distinct()
            .order_by(EventSource.event_id)
        ).all()
    return {
        "index": index, "id": article.id, "status": status, "reason": reason, "event_ids": list(ids),
        "events_new": summary.events_new, "events_merged": summary.events_merged, "warnings": said,
    }


def _failed(index: int, article_id: str, reason: str) -> dict[str, Any]:
    """An item not stored, and why; the other items of the request go on."""
    return {"index": index, "id": article_id, "status": "failed", "reason": reason, "event_ids": [],
            "events_new": 0, "events_merged": 0}


def _ingest_item(state: AppState, index: int, item: ArticleIn) -> dict[str, Any]:
    """One item's result, whatever happens to it."""
    article_id = item.id or ""
    try:
        article = _article(item)
        article_id = article.id
        if item.html is None and len(item.text) > MAX_TEXT_CHARS:
            # refused before the pipeline: parsing a text near the limit takes a worker half a minute
            result = _failed(index, article_id, f"text of {len(article.text):,} characters: the limit is "
                             f"{MAX_TEXT_CHARS:,}; send it in parts")
        else:
            result = _ingest_one(state, index, article)
    except Exception as exc:  # noqa: BLE001 - one bad item must not cost the others (issue #16)
        # each article commits alone: the one that raised left nothing half-stored
        log.exception("ingesting item %d (%s) of a POST failed", index, article_id or "no id")
        result = _failed(index, article_id, f"could not be ingested ({type(exc).__name__}; details in the "
                         "server's log)")
    # the request's own repairs first, then the pipeline's and the store's, each said once
    return {**result, "warnings": list(dict.fromkeys([*item.warnings, *result.get("warnings", ())]))}


def _ingest(state: AppState, items: list[ArticleIn]) -> dict[str, Any]:
    with state.ingest_lock:
        results = [_ingest_item(state, i, item) for i, item in enumerate(items)]
    counts = {k: sum(r["status"] == k for r in results) for k in ("new", "duplicate", "copy", "failed")}
    counts["events_new"] = sum(r["events_new"] for r in results)
    counts["events_merged"] = sum(r["events_merged"] for r in results)
    return {"results": results, "counts": counts}


def _body_type(max_items: int) -> Any:
    """One article, or an array of 1 to ``max_items``: the limit is in the schema (maxItems), so a
    longer array is refused (422) like any body the schema does not allow."""
    batch = Annotated[list[ArticleIn], Field(min_length=1, max_length=max_items), Tag("[array]")]
    # the JSON's own shape picks the branch, so errors speak of that branch only; tags in brackets
    # are branch names, left out of error paths (errors._where)
    one_or_many = Annotated[Annotated[ArticleIn, Tag("[object]")] | batch, Discriminator(_shape)]
    return Annotated[one_or_many, Body(description=f"One article object, or an array of 1 to {max_items}.")]


def _shape(body: Any) -> str:
    return "[array]" if isinstance(body, list) else "[object]"


def articles_route(max_items: int):
    """The POST /api/articles endpoint of a server that takes at most ``max_items`` per request."""

    def post_articles(
        body, state: AppState = Depends(get_state), _auth: None = Depends(require_token)
    ) -> dict[str, Any]:
        return _ingest(state, body if isinstance(body, list) else [body])

    # the body's type depends on the server's settings, so it is given here (FastAPI reads it from here)
    post_articles.__annotations__["body"] = _body_type(max_items)
    return post_articles


def write_router(settings: Settings) -> APIRouter:
    router = APIRouter(prefix="/api", responses=ERROR_RESPONSES)
    router.add_api_route(
        "/articles", articles_route(settings.max_items), methods=["POST"], response_model=IngestOut,
        summary="Ingest one or many articles (needs the write token)",
        description="Each article runs through the pipeline and is linked into the store as by "
        "`flashpoint ingest`, and commits alone. The answer is 200 with what happened to each item "
        "(`new`, `duplicate`, `copy` or `failed` with a reason): an item that fails does not stop the others. "
        "A body that does not match the schema (more articles than the array's maxItems, say) is refused "
        "whole (422) and nothing is stored; bodies larger than the server's byte limit get 413.",
        responses={401: {"model": ErrorOut, "description": "Missing or wrong token"},
                   403: {"model": ErrorOut, "description": "Writing is disabled on this server"},
                   413: {"model": ErrorOut, "description": "Body over the server's byte limit"}},
    )
    return router
