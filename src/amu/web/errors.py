"""One JSON error shape for every error the API returns.

``{"error": {"code": "invalid_filter", "message": "unknown country 'Atlantis'", "hint": "...", "valid": [...]}}``

Library errors (:class:`amu.errors.AmuError`) keep their message and hint; a filter error also carries the
valid values as a list. Request validation, unknown routes and unexpected failures use the same shape.
"""

from __future__ import annotations

import logging
from typing import Any, Sequence

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from amu.errors import AmuError, ExportError, FilterError, NotFound, QueryError, StoreError

log = logging.getLogger("amu.web")


class ErrorBody(BaseModel):
    code: str
    message: str
    hint: str | None = None
    valid: list[str] = []


class ErrorResponse(BaseModel):
    """The shape of every error response."""

    error: ErrorBody


ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorResponse, "description": "A filter or parameter is malformed or unknown; "
                                                 "`valid` lists the valid values where they are a closed set"},
    404: {"model": ErrorResponse, "description": "No such incident or actor"},
}


class ApiError(Exception):
    """An error raised by a route itself (a parameter the library does not check)."""

    def __init__(self, status: int, code: str, message: str, hint: str | None = None,
                 valid: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.hint, self.valid = status, code, message, hint, list(valid)


def error_response(status: int, code: str, message: str, hint: str | None = None,
                   valid: Sequence[str] = ()) -> JSONResponse:
    body = ErrorResponse(error=ErrorBody(code=code, message=message, hint=hint, valid=list(valid)))
    return JSONResponse(status_code=status, content=body.model_dump())


def _library(exc: AmuError) -> tuple[int, str]:
    if isinstance(exc, NotFound):
        return 404, "not_found"
    if isinstance(exc, (FilterError, QueryError)):
        return 400, "invalid_filter"
    if isinstance(exc, ExportError):
        return 400, "export_failed"
    if isinstance(exc, StoreError):
        return 503, "store_unavailable"
    return 400, "bad_request"


def install(app: FastAPI) -> None:
    """Register the handlers that give every error the one shape."""

    @app.exception_handler(AmuError)
    async def amu_error(request: Request, exc: AmuError) -> JSONResponse:
        status, code = _library(exc)
        message = exc.args[0] if exc.args else str(exc)
        return error_response(status, code, str(message), exc.hint, getattr(exc, "valid", ()))

    @app.exception_handler(ApiError)
    async def api_error(request: Request, exc: ApiError) -> JSONResponse:
        return error_response(exc.status, exc.code, exc.message, exc.hint, exc.valid)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = []
        for e in exc.errors():
            where = ".".join(str(p) for p in e.get("loc", ()) if p not in ("query", "path"))
            problems.append(f"{where}: {e.get('msg', 'invalid')}" if where else str(e.get("msg", "invalid")))
        return error_response(400, "invalid_request", "; ".join(problems) or "invalid request",
                              "see /docs for each parameter's type")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        hint = "the API is under /api (see /docs)" if exc.status_code == 404 else None
        return error_response(exc.status_code, code, str(exc.detail), hint)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error on %s", request.url.path)
        return error_response(500, "internal_error", f"{type(exc).__name__}: {exc}",
                              "this is a bug in Amu; the server log has the traceback")
