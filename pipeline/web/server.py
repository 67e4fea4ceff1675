"""The FastAPI application of ``vanban serve``: the routes of ``pages`` and ``api`` on the shared
state of ``app``, with the guards every request passes (security headers, body limits, archive
connections given back, errors shown as the caller expects them).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from pipeline.settings import Settings
from pipeline.web import api, pages
from pipeline.web.app import HERE, VanbanApp, WebConfig

CONFIG_ENV = "VANBAN_WEB_CONFIG"  # the configuration, for server processes started by uvicorn


def config_to_env(config: WebConfig) -> str:
    return json.dumps({
        "archive": config.archive, "cache": str(config.cache), "uploads": str(config.uploads),
        "workers": config.settings.workers,
        "max_upload_bytes": config.max_upload_bytes, "secure_cookies": config.secure_cookies,
    })  # fmt: skip


def app_from_env() -> FastAPI:
    """The application of one of ``vanban serve --processes N``'s processes (uvicorn calls it)."""
    data = json.loads(os.environ[CONFIG_ENV])
    return create_app(WebConfig(
        archive=data["archive"], cache=Path(data["cache"]), uploads=Path(data["uploads"]),
        settings=Settings(workers=data["workers"]),
        max_upload_bytes=data["max_upload_bytes"], secure_cookies=data["secure_cookies"],
    ))  # fmt: skip


SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}


def create_app(config: WebConfig) -> FastAPI:
    """The application for one archive; the upload worker runs while the app does (lifespan)."""
    state = VanbanApp(config)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> Iterator[None]:
        state.worker.start()
        try:
            yield
        finally:
            state.worker.stop()
            state.archives.close()

    app = FastAPI(title="vanban", lifespan=lifespan, docs_url=None, redoc_url=None, openapi_url=None)
    app.state.vanban = state

    @app.middleware("http")
    async def guard(request: Request, call_next):
        if request.method == "POST" and request.url.path == "/upload":
            length = request.headers.get("content-length")
            if length is None or not length.isdigit() or int(length) > state.config.max_request_bytes:
                return Response("upload too large or without Content-Length", status_code=413)
        try:
            response = await call_next(request)
        finally:
            for archive in getattr(request.state, "archives", []):
                state.archives.release(archive)
        for key, value in SECURITY_HEADERS.items():
            response.headers.setdefault(key, value)
        if not request.url.path.startswith("/static/"):
            response.headers.setdefault("Cache-Control", "no-store")
        return response

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        if request.url.path.startswith("/api/") or request.url.path.endswith(".ics"):
            return JSONResponse({"error": exc.detail or "error"}, status_code=exc.status_code, headers=exc.headers)
        ctx = state.ctx(request)
        if ctx.user is None:  # not signed in: the sign-in page, nothing else
            return RedirectResponse(f"/?next={quote(request.url.path)}", status_code=303)
        return ctx.render("error.html", status=exc.status_code, status_code=exc.status_code, detail=exc.detail)

    app.include_router(pages.router)
    app.include_router(api.router)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    return app
