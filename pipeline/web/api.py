"""The JSON API under ``/api/``: ``Authorization: Bearer TOKEN`` (``vanban users token NAME``), the
same access rules as the pages (``access.Library``), 404 for what the caller may not see.

``GET /api/search?q=...`` answers ``{"hits": [...], "total": N, "capped": bool, "facets": {...}}``:
the hits are ``vanban search --json``'s objects; ``GET /api/documents/ID`` is ``vanban show --json``.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import JSONResponse

from pipeline.archive import QueryError
from pipeline.web.access import NotFound, SearchForm, SearchPage
from pipeline.web.app import VanbanApp

router = APIRouter(prefix="/api")


def _state(request: Request) -> VanbanApp:
    return request.app.state.vanban


def facets_json(result: SearchPage) -> dict[str, list[dict[str, Any]]]:
    """Each facet's values with their counts, most frequent first (None: documents without one)."""
    return {
        name: [{"value": value, "count": count} for value, count in counter.most_common()]
        for name, counter in result.facets.items()
    }


@router.get("/search")
def search(request: Request) -> JSONResponse:
    ctx = _state(request).bearer(request)
    try:
        form = SearchForm.from_params(request.query_params)
        result = ctx.library.search(ctx.viewer, form, ctx.app.config.search_window)
    except (ValueError, QueryError) as exc:
        raise HTTPException(400, str(exc)) from None
    return JSONResponse(
        {"hits": [h.to_json() for h in result.hits], "total": result.total, "capped": result.capped,
         "page": form.page, "facets": facets_json(result)}  # fmt: skip
    )


@router.get("/documents/{doc_id}")
def document(request: Request, doc_id: str) -> JSONResponse:
    ctx = _state(request).bearer(request)
    try:
        doc = ctx.library.document(ctx.viewer, doc_id, "api:document")
    except NotFound:
        raise HTTPException(404, "no such document") from None
    return JSONResponse(doc.to_json())
