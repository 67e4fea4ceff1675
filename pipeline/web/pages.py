"""The HTML pages: sign-in, search, a document beside its scan, corrections, deadlines, uploads, audit.

Every page works without JavaScript (forms, links, ``<details>``, CSS ``:target`` for a field's
box on the image); ``static/app.js`` only adds zoom buttons and shows a field's box in place. Handlers
get documents only from ``access.Library`` and check the CSRF token of every form they accept.
"""

from __future__ import annotations

import shutil
import tempfile
from datetime import date, timedelta
from pathlib import Path
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, BackgroundTasks, Form, HTTPException, Request
from fastapi.responses import FileResponse, RedirectResponse, Response
from starlette.datastructures import FormData, UploadFile

from pipeline.archive import QueryError
from pipeline.errors import VanbanError
from pipeline.export import SUFFIXES, export
from pipeline.types import SECRECIES
from pipeline.web import auth, pageview, review, uploads
from pipeline.web.access import NotFound, SearchForm, Viewer
from pipeline.web.app import SESSION_LIFETIME, Ctx, VanbanApp, login_cookie, safe_next, session_cookie
from pipeline.web.calendar import ics_feed
from pipeline.web.images import DEFAULT_DPI, ImageError, cached_page

router = APIRouter()
DOWNLOADS = {"pdf": "PDF tìm kiếm được", "docx": "DOCX", "txt": "TXT", "html": "Báo cáo rà soát (HTML)"}


def ctx_of(request: Request) -> Ctx:
    state: VanbanApp = request.app.state.vanban
    return state.ctx(request)


def signed_in(request: Request) -> Ctx:
    ctx = ctx_of(request)
    if ctx.user is None:
        raise HTTPException(401)
    return ctx


def check_csrf(ctx: Ctx, token: str | None) -> None:
    if not auth.same(ctx.csrf, token):
        raise HTTPException(403, "Phiên làm việc đã hết hạn hoặc biểu mẫu không hợp lệ (CSRF); hãy tải lại trang.")


def editor(ctx: Ctx) -> Viewer:
    viewer = ctx.viewer
    if not viewer.can_edit:
        raise HTTPException(403, "Chỉ biên tập viên được làm việc này.")
    return viewer


def document_or_404(ctx: Ctx, doc_id: str, action: str | None = "view"):
    try:
        return ctx.library.document(ctx.viewer, doc_id, action)
    except NotFound:
        raise HTTPException(404, "Không có văn bản này.") from None


# -- sign-in ---------------------------------------------------------------------------------------
def login_page(ctx: Ctx, error: str = "", status: int = 200, next_url: str = "/") -> Response:
    """The sign-in form; its token stays the one the browser already holds, so a second tab or a
    background request (a favicon) does not invalidate the form in the first."""
    token = ctx.csrf or auth.new_token()
    ctx.csrf = token
    response = ctx.render("login.html", status=status, error=error, next_url=safe_next(next_url))
    login_cookie(response, ctx.app, token)
    return response


@router.post("/login")
def login(
    request: Request,
    name: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    csrf: Annotated[str, Form()] = "",
    next_url: Annotated[str, Form(alias="next")] = "/",
) -> Response:
    ctx = ctx_of(request)
    if not auth.same(ctx.csrf, csrf):
        return login_page(ctx, "Biểu mẫu đã hết hạn; hãy đăng nhập lại.", 403, next_url)
    client = request.client.host if request.client else "?"
    wait = ctx.app.throttle.retry_after(name, client)
    if wait:
        response = login_page(ctx, f"Đăng nhập sai quá nhiều lần. Hãy thử lại sau {wait} giây.", 429, next_url)
        response.headers["Retry-After"] = str(wait)
        return response
    user = ctx.store.user(name.strip())
    if not auth.check_password(user, password):
        ctx.app.throttle.failed(name, client)
        return login_page(ctx, "Sai tên đăng nhập hoặc mật khẩu.", 401, next_url)
    assert user is not None
    ctx.app.throttle.succeeded(name)
    token = auth.new_token()
    ctx.store.add_session(auth.digest(token), user.id, auth.new_token(), SESSION_LIFETIME)
    response = RedirectResponse(safe_next(next_url), status_code=303)
    session_cookie(response, ctx.app, token)
    return response


@router.post("/logout")
def logout(request: Request, csrf: Annotated[str, Form()] = "") -> Response:
    ctx = signed_in(request)
    check_csrf(ctx, csrf)
    token = ctx.app.sessions.unsign(request.cookies.get(auth.SESSION_COOKIE))
    if token:
        ctx.store.drop_session(auth.digest(token))
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(auth.SESSION_COOKIE)
    return response


# -- search ----------------------------------------------------------------------------------------
@router.get("/")
def home(request: Request) -> Response:
    ctx = ctx_of(request)
    if ctx.user is None:
        return login_page(ctx, next_url=request.query_params.get("next", "/"))
    error = ""
    try:
        form = SearchForm.from_params(request.query_params)
        result = ctx.library.search(ctx.viewer, form, ctx.app.config.search_window)
    except (ValueError, QueryError) as exc:
        form, result, error = SearchForm(q=request.query_params.get("q", "")), None, str(exc)
    return ctx.render("search.html", form=form, result=result, error=error, secrecies=SECRECIES)


# -- a document ------------------------------------------------------------------------------------
@router.get("/documents/{doc_id}")
def document(request: Request, doc_id: str) -> Response:
    ctx = signed_in(request)
    doc = document_or_404(ctx, doc_id)
    params = request.query_params
    q = params.get("q", "")
    index = _int(params.get("page"), 1) - 1
    if "deadline" in params and "page" not in params:
        index = pageview.deadline_page(doc, _int(params.get("deadline"), -1))
    index = min(max(index, 0), len(doc.pages) - 1)
    corrections = ctx.store.corrections(int(doc.id))
    fixed = review.standing(corrections)
    view = pageview.build(doc, index, q, fixed, upright=params.get("view") != "scan")
    edit = _word_to_edit(params.get("w"), view) if ctx.viewer.can_edit else None
    return ctx.render(
        "document.html",
        doc=doc,
        view=view,
        page=view.page,
        index=index,
        q=q,
        fixed=fixed,
        history=[c for c in corrections if c.reverted_at is not None or c.target in fixed],
        edit=edit,
        edit_view=view.words[edit] if edit is not None else None,
        editable=review.EDITABLE,
        field_value=review.field_value,
        cited_by=ctx.library.cited_by(ctx.viewer, doc),
        downloads=DOWNLOADS,
    )


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def _word_to_edit(value: str | None, view: pageview.PageView) -> int | None:
    """The word ``?w=PAGE:WORD`` (0-based) names on the page shown, if it is there."""
    page, _, word = (value or "").partition(":")
    if _int(page, -1) != view.page.index or not 0 <= _int(word, -1) < len(view.words):
        return None
    return _int(word, -1)


@router.get("/documents/{doc_id}/pages/{number}.jpg")
def page_image(request: Request, doc_id: str, number: int, dpi: int = DEFAULT_DPI, turn: int = 0) -> Response:
    ctx = signed_in(request)
    doc = document_or_404(ctx, doc_id, f"page-image:{number}")
    try:
        path = cached_page(doc, number - 1, Path(ctx.app.config.cache), dpi, turn)
    except ImageError as exc:
        raise HTTPException(404, f"Không hiển thị được ảnh trang: {exc}") from None
    return FileResponse(path, media_type="image/jpeg")


@router.get("/documents/{doc_id}/download/{fmt}")
def download(request: Request, doc_id: str, fmt: str, background: BackgroundTasks) -> Response:
    ctx = signed_in(request)
    if fmt not in DOWNLOADS:
        raise HTTPException(404, "Không có định dạng này.")
    doc = document_or_404(ctx, doc_id, f"download:{fmt}")
    folder = Path(tempfile.mkdtemp(prefix="vanban-export-"))
    background.add_task(shutil.rmtree, folder, True)
    name = Path(doc.shown_path).stem + SUFFIXES[fmt]
    try:
        out = export(doc, fmt, folder / "out")
    except (VanbanError, OSError) as exc:
        shutil.rmtree(folder, ignore_errors=True)
        raise HTTPException(409, f"Không xuất được văn bản: {exc}") from None
    media = {"pdf": "application/pdf", "txt": "text/plain; charset=utf-8", "html": "text/html; charset=utf-8",
             "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}[fmt]  # fmt: skip
    headers = {"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"}
    return FileResponse(out, media_type=media, headers=headers, background=background)


# -- corrections -----------------------------------------------------------------------------------
def notice(ctx: Ctx, url: str, text: str, anchor: str = "") -> RedirectResponse:
    """A redirect to ``url`` whose page shows ``text``; the text travels signed, so a link made
    elsewhere cannot put words on this site's pages."""
    sep = "&" if "?" in url else "?"
    return RedirectResponse(f"{url}{sep}msg={quote(ctx.app.sessions.sign(text))}{anchor}", status_code=303)


def _back(ctx: Ctx, doc_id: str, page: int, msg: str, anchor: str = "") -> RedirectResponse:
    return notice(ctx, f"/documents/{doc_id}?page={page + 1}", msg, anchor)


def _review(request: Request, doc_id: str, csrf: str, page: int, change, done: str, anchor: str = "") -> Response:
    """An editor's change to a document: the form's token, the role and the document's visibility
    checked first; the change's refusal shown on the page; a document the change hid (marked
    secret above the editor's clearance) left for the search page."""
    ctx = signed_in(request)
    check_csrf(ctx, csrf)
    viewer = editor(ctx)
    doc = document_or_404(ctx, doc_id, None)
    try:
        change(ctx, viewer, doc)
    except review.CorrectionError as exc:
        return _back(ctx, doc.id, page - 1, f"Không lưu được: {exc}")
    if not ctx.library.visible(viewer, int(doc.id)):
        return notice(ctx, "/", "Văn bản đã được đánh dấu mật và không còn hiển thị với bạn.")
    return _back(ctx, doc.id, page - 1, done, anchor)


@router.post("/documents/{doc_id}/fields/{name}")
def correct_field(
    request: Request,
    doc_id: str,
    name: str,
    value: Annotated[str, Form()] = "",
    csrf: Annotated[str, Form()] = "",
    page: Annotated[int, Form()] = 1,
) -> Response:
    def change(ctx: Ctx, viewer: Viewer, doc) -> None:
        review.correct_field(ctx.archive, ctx.store, viewer, doc, name, value)

    label = review.EDITABLE.get(name, name).lower()
    return _review(request, doc_id, csrf, page, change, f"Đã lưu {label}.", f"#field-{name}")


@router.post("/documents/{doc_id}/words/{page}/{index}")
def correct_word(
    request: Request,
    doc_id: str,
    page: int,
    index: int,
    value: Annotated[str, Form()] = "",
    csrf: Annotated[str, Form()] = "",
) -> Response:
    def change(ctx: Ctx, viewer: Viewer, doc) -> None:
        review.correct_word(ctx.archive, ctx.store, viewer, doc, page - 1, index, value)

    return _review(request, doc_id, csrf, page, change, "Đã lưu từ đã sửa.", f"#w{index}")


@router.post("/documents/{doc_id}/restore")
def restore_machine(
    request: Request,
    doc_id: str,
    target: Annotated[str, Form()] = "",
    csrf: Annotated[str, Form()] = "",
    page: Annotated[int, Form()] = 1,
) -> Response:
    def change(ctx: Ctx, viewer: Viewer, doc) -> None:
        review.restore_machine(ctx.archive, ctx.store, viewer, doc, target)

    return _review(request, doc_id, csrf, page, change, "Đã khôi phục giá trị máy đọc.")


# -- deadlines -------------------------------------------------------------------------------------
def _date(value: str | None, default: date) -> date:
    if not value:
        return default
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise HTTPException(400, f"Ngày không hợp lệ: {value!r} (dùng yyyy-mm-dd).") from None


@router.get("/deadlines")
def deadlines(request: Request) -> Response:
    ctx = signed_in(request)
    params = request.query_params
    today = date.today()
    start = _date(params.get("from"), today - timedelta(days=30))
    end = _date(params.get("to"), today + timedelta(days=180))
    issuer, doc_type = params.get("issuer") or None, params.get("type") or None
    rows = ctx.library.deadlines(ctx.viewer, start, end, issuer, doc_type)
    return ctx.render("deadlines.html", rows=rows, today=today.isoformat(), start=start, end=end, issuer=issuer,
                      doc_type=doc_type, choices=ctx.library.facet_values(ctx.viewer),
                      feed=params.get("feed"))  # fmt: skip


@router.post("/deadlines/feed")
def new_feed(request: Request, csrf: Annotated[str, Form()] = "") -> Response:
    ctx = signed_in(request)
    check_csrf(ctx, csrf)
    assert ctx.user is not None
    key = auth.issue_token(ctx.store, ctx.user, "feed", replace=True)
    return RedirectResponse(f"/deadlines?feed={quote(key)}", status_code=303)


@router.get("/calendar/{key}.ics")
def calendar(request: Request, key: str) -> Response:
    state: VanbanApp = request.app.state.vanban
    ctx = state.ctx(request)
    user = ctx.store.token_user("feed", auth.digest(key))
    if user is None:
        raise HTTPException(404, "no such calendar")
    viewer = Viewer(user.name, user.role, user.clearance)
    today = date.today()
    rows = ctx.library.deadlines(viewer, today - timedelta(days=365), today + timedelta(days=10 * 365))
    base = str(request.base_url).rstrip("/")
    return Response(ics_feed(rows, base, user.name), media_type="text/calendar; charset=utf-8")


# -- uploads ---------------------------------------------------------------------------------------
@router.get("/upload")
def upload_page(request: Request) -> Response:
    ctx = signed_in(request)
    viewer = editor(ctx)
    batches = ctx.store.batches(None if viewer.is_admin else viewer.name)
    return ctx.render("upload.html", batches=batches, max_mb=ctx.app.config.max_upload_bytes // 2**20)


@router.post("/upload")
async def upload(request: Request) -> Response:
    state: VanbanApp = request.app.state.vanban
    form: FormData = await request.form(max_files=2000, max_fields=50)
    try:
        from starlette.concurrency import run_in_threadpool

        return await run_in_threadpool(_receive, request, state, form)
    finally:
        await form.close()


def _receive(request: Request, state: VanbanApp, form: FormData) -> Response:
    ctx = state.ctx(request)
    if ctx.user is None:
        raise HTTPException(401)
    check_csrf(ctx, form.get("csrf") if isinstance(form.get("csrf"), str) else None)
    viewer = editor(ctx)
    files = [f for f in form.getlist("files") if isinstance(f, UploadFile) and f.filename]
    if not files:
        return notice(ctx, "/upload", "Hãy chọn tệp hoặc thư mục để tải lên.")
    incoming = [uploads.Incoming(f.filename or "file", f.file) for f in files]
    config = state.config
    batch_id = uploads.receive(ctx.store, ctx.archive, viewer.name, incoming, config.uploads, config.settings,
                               config.max_upload_bytes)  # fmt: skip
    state.worker.submit(batch_id)
    return RedirectResponse(f"/batches/{batch_id}", status_code=303)


@router.get("/batches/{batch_id}")
def batch(request: Request, batch_id: int) -> Response:
    ctx = signed_in(request)
    viewer = editor(ctx)
    found = ctx.store.batch(batch_id)
    if found is None or (found.user_name != viewer.name and not viewer.is_admin):
        raise HTTPException(404, "Không có lô tải lên này.")
    files = ctx.store.batch_files(batch_id)
    visible = ctx.library.visible_ids(viewer, [f.doc_id for f in files if f.doc_id])
    return ctx.render("batch.html", batch=found, files=files, visible=visible)


# -- audit -----------------------------------------------------------------------------------------
@router.get("/audit")
def audit(request: Request) -> Response:
    ctx = signed_in(request)
    viewer = ctx.viewer
    if not viewer.is_admin:
        raise HTTPException(403, "Chỉ quản trị viên xem được nhật ký truy cập.")
    page = max(1, _int(request.query_params.get("page"), 1))
    entries, total = ctx.store.audit_entries(limit=100, offset=(page - 1) * 100)
    visible = ctx.library.visible_ids(viewer, [e.doc_id for e in entries])
    return ctx.render("audit.html", entries=entries, total=total, page=page, visible=visible)
