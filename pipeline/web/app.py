"""What every route shares: configuration, per-thread archive connections, the request context
(session or bearer token, CSRF on every form) and the session cookies.

Routes live in ``pages`` (HTML, usable without JavaScript) and ``api`` (JSON under ``/api/``); both
read documents only through ``access.Library``. ``server`` puts them together into the application.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote, urlsplit

from fastapi import HTTPException, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates

from pipeline.archive import Archive, open_archive
from pipeline.settings import Settings, default_archive
from pipeline.web import auth
from pipeline.web.access import CLEARANCE_NAMES, ROLE_NAMES, SEARCH_WINDOW, Library, Viewer
from pipeline.web.store import User, WebStore, migrate
from pipeline.web.uploads import Worker

HERE = Path(__file__).parent


@dataclass(frozen=True)
class WebConfig:
    """Everything ``vanban serve`` decides once, from its flags and defaults."""

    archive: str
    cache: Path  # rendered page images
    uploads: Path  # originals uploaded through the browser (the archive references them)
    settings: Settings = field(default_factory=lambda: Settings(workers=1))  # for uploaded batches
    max_upload_bytes: int = 200 * 2**20  # per file
    max_request_bytes: int = 2 * 2**30  # per upload request
    secure_cookies: bool = False  # set the cookies' Secure flag (behind HTTPS)
    search_window: int = SEARCH_WINDOW
    login_limit: int = 5  # failed logins per user name per 15 minutes

    @classmethod
    def for_archive(cls, location: str, **kw) -> WebConfig:
        """Default folders: beside an SQLite archive, in the user's data/cache folders for a server."""
        if "://" in location:
            data = default_archive().parent
        else:
            data = Path(location).resolve().parent
        cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "vanban" / "pages"
        kw.setdefault("cache", cache)
        kw.setdefault("uploads", data / "uploads")
        return cls(archive=location, **kw)


class Archives:
    """A pool of archive connections: a request takes one for as long as it runs (sqlite3 and
    psycopg connections must not be used by two threads at once) and gives it back at its end."""

    def __init__(self, location: str) -> None:
        self.location = location
        self.free: list[Archive] = []
        self.opened: list[Archive] = []
        self.lock = threading.Lock()

    def acquire(self) -> Archive:
        with self.lock:
            if self.free:
                return self.free.pop()
        archive = open_archive(self.location, mode="write")
        with self.lock:
            self.opened.append(archive)
        return archive

    def release(self, archive: Archive) -> None:
        with self.lock:
            self.free.append(archive)

    def close(self) -> None:
        with self.lock:
            for archive in self.opened:
                archive.close()
            self.opened.clear()
            self.free.clear()


@dataclass
class Ctx:
    """What a request handler works with: the viewer (None before sign-in) and the archive."""

    request: Request
    app: VanbanApp
    user: User | None
    csrf: str
    archive: Archive
    store: WebStore

    @property
    def viewer(self) -> Viewer:
        if self.user is None:
            raise HTTPException(401)
        return Viewer(self.user.name, self.user.role, self.user.clearance)

    @property
    def library(self) -> Library:
        return Library(self.archive, self.store)

    def render(self, template: str, status: int = 200, **values) -> HTMLResponse:
        values.setdefault("message", self.app.sessions.unsign(self.request.query_params.get("msg")) or "")
        return self.app.templates.TemplateResponse(
            self.request,
            template,
            {"ctx": self, "viewer": self.viewer if self.user else None, "csrf": self.csrf,
             "roles": ROLE_NAMES, "clearances": CLEARANCE_NAMES, **values},
            status_code=status,
        )  # fmt: skip


class VanbanApp:
    """State shared by all requests: configuration, connections, signer, throttle, worker."""

    def __init__(self, config: WebConfig) -> None:
        self.config = config
        self.archives = Archives(config.archive)
        with open_archive(config.archive, mode="write") as archive:
            migrate(archive)
            self.sessions = auth.Sessions(WebStore(archive).secret())
        self.throttle = auth.LoginThrottle(limit=config.login_limit)
        self.worker = Worker(lambda: open_archive(config.archive, mode="write"), config.settings,
                             config.uploads / ".worker.lock")  # fmt: skip
        self.templates = Jinja2Templates(directory=str(HERE / "templates"))
        self.templates.env.filters["urlq"] = lambda s: quote(str(s), safe="")
        self.templates.env.globals["page_href"] = page_href

    def archive(self, request: Request) -> Archive:
        """A connection for this request, given back when the response is ready (``guard``)."""
        archive = self.archives.acquire()
        request.state.archives = [*getattr(request.state, "archives", []), archive]
        return archive

    def ctx(self, request: Request) -> Ctx:
        archive = self.archive(request)
        store = WebStore(archive)
        user, csrf = None, ""
        token = self.sessions.unsign(request.cookies.get(auth.SESSION_COOKIE))
        if token:
            found = store.session(auth.digest(token))
            if found:
                user, csrf = found
        if user is None:
            csrf = self.sessions.unsign(request.cookies.get(auth.LOGIN_COOKIE)) or ""
        return Ctx(request, self, user, csrf, archive, store)

    def bearer(self, request: Request) -> Ctx:
        """The API's caller from ``Authorization: Bearer TOKEN``; 401 without a valid one."""
        archive = self.archive(request)
        store = WebStore(archive)
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        user = store.token_user("api", auth.digest(token.strip())) if scheme.lower() == "bearer" and token else None
        if user is None:
            raise HTTPException(401, "missing or unknown API token", headers={"WWW-Authenticate": "Bearer"})
        return Ctx(request, self, user, "", archive, store)


def page_href(request: Request, **changes) -> str:
    """The current URL with some query parameters changed (None removes one)."""
    params = dict(request.query_params)
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = str(value)
    query = "&".join(f"{quote(k)}={quote(v, safe='')}" for k, v in params.items() if v != "")
    return f"{request.url.path}?{query}" if query else request.url.path


def safe_next(target: str | None) -> str:
    """A redirect target after sign-in: a path on this site, never another site."""
    if not target:
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


def login_cookie(response: Response, state: VanbanApp, token: str) -> None:
    response.set_cookie(auth.LOGIN_COOKIE, state.sessions.sign(token), httponly=True, samesite="strict",
                        secure=state.config.secure_cookies, max_age=3600)  # fmt: skip


def session_cookie(response: Response, state: VanbanApp, token: str) -> None:
    response.set_cookie(auth.SESSION_COOKIE, state.sessions.sign(token), httponly=True, samesite="lax",
                        secure=state.config.secure_cookies, max_age=auth.SESSION_HOURS * 3600)  # fmt: skip
    response.delete_cookie(auth.LOGIN_COOKIE)


SESSION_LIFETIME = timedelta(hours=auth.SESSION_HOURS)
