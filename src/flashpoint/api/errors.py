"""Errors as JSON: ``{"error": message, "status": code, "details": [...]}`` for every failure."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from .schemas import ErrorOut

log = logging.getLogger("flashpoint.api")

# The error responses every route may give, for the OpenAPI schema.
ERROR_RESPONSES = {
    code: {"model": ErrorOut, "description": text}
    for code, text in ((400, "Bad request"), (404, "Not found"), (422, "Invalid input"), (500, "Server error"))
}


class ApiError(Exception):
    """An error the client can fix: its status code, a message, and which input was wrong."""

    def __init__(self, status: int, message: str, *, where: str | None = None) -> None:
        super().__init__(message)
        self.status, self.message, self.where = status, message, where


def _encodable(text: str) -> str:
    # a message may quote the request (a JSON key, a path): a lone surrogate there has no UTF-8
    # form and would make the error response itself fail
    return text.encode("utf-8", "replace").decode("utf-8")


def error_response(status: int, message: str, details: list[dict] | None = None, headers=None) -> JSONResponse:
    details = [{k: _encodable(str(v)) for k, v in d.items()} for d in details or []]
    body = ErrorOut(error=_encodable(message), status=status, details=details)
    return JSONResponse(body.model_dump(), status_code=status, headers=headers)


def _where(loc: tuple) -> str:
    # pydantic names each branch of a union it tried ("list[function-after[_one_body(), ArticleIn]]"):
    # the client wants the path in its own request, "body.0.text"
    return ".".join(str(p) for p in loc if not (isinstance(p, str) and "[" in p))


def install(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def api_error(_request: Request, exc: ApiError) -> JSONResponse:
        details = [{"where": exc.where, "message": exc.message}] if exc.where else []
        return error_response(exc.status, exc.message, details)

    @app.exception_handler(RequestValidationError)
    async def invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        details = [{"where": _where(e.get("loc", ())), "message": e.get("msg", "invalid")} for e in exc.errors()]
        first = details[0] if details else {"where": "request", "message": "invalid"}
        more = f" (and {len(details) - 1} more)" if len(details) > 1 else ""
        return error_response(422, f"invalid request: {first['where']}: {first['message']}{more}", details)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        message = exc.detail if isinstance(exc.detail, str) else "error"
        if exc.status_code == 404 and message == "Not Found":
            message = "not found: no such page or API route"
        return error_response(exc.status_code, message, headers=getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def crash(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return error_response(500, "internal server error (logged on the server)")
