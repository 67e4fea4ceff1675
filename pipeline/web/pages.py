"""The HTML pages: sign-in, search, a document beside its scan, corrections, deadlines, uploads, audit.

Every page works without JavaScript (forms, links, ``<details>``, CSS ``:target`` for a field's
box on the image); ``static/app.js`` only adds zoom buttons and keyboard-free niceties. Handlers
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
from pipeline.archive.query import parse_query, phrases
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
    try:
        wanted = phrases(parse_query(q))
    except QueryError:
        wanted = []
    words, prefixes = pageview.query_words(wanted)
    deadline_pages = _deadline_pages(doc)
    index = _int(params.get("page"), 1) - 1
    if "deadline" in params and "page" not in params:
        index = deadline_pages.get(_int(params.get("deadline"), -1), 0)
    index = min(max(index, 0), len(doc.pages) - 1)
    page = doc.pages[index]
    corrections = ctx.store.corrections(int(doc.id))
    fixed = review.standing(corrections)
    views = pageview.word_views(page)
    hits = {v.index for v in views if any(pageview.is_hit(t, words, prefixes) for t in (v.text, v.original))}
    frame = pageview.frame(page)
    turn = pageview.upright_turn(page) if params.get("view") != "scan" else 0
    if frame is not None and turn:
        frame = frame.turned(turn)
    boxes = {}
    for name in [*review.EDITABLE, "signer"]:
        prov = doc.fields.provenance.get(name)
        if prov is not None and prov.page == page.index:
            boxes[name] = pageview.field_words(page, prov, pageview.field_text(doc.fields, name))
    edit = _word_to_edit(params.get("w"), index, page) if ctx.viewer.can_edit else None
    deadline_words = _deadline_words(doc, page)
    marks = _marks(views, hits, fixed, index, deadline_words)
    return ctx.render(
        "document.html",
        marks=marks,
        doc=doc,
        page=page,
        index=index,
        q=q,
        views=views,
        lines=_lines(views),
        hits=hits,
        frame=frame,
        boxes=boxes,
        fixed=fixed,
        history=[c for c in corrections if c.reverted_at is not None or c.target in fixed],
        edit=edit,
        edit_view=views[edit] if edit is not None else None,
        editable=review.EDITABLE,
        field_value=review.field_value,
        deadline_pages=deadline_pages,
        deadline_words=deadline_words,
        cited_by=ctx.library.cited_by(ctx.viewer, doc),
        downloads=DOWNLOADS,
        text_parts=_text_parts(page.restored_text, words, prefixes) if not page.words else [],
        turn=turn,
        sideways=pageview.upright_turn(page) != 0,
    )


def _marks(views, hits, fixed, index: int, deadline_words: dict[int, int]) -> dict[int, tuple[str, str, int | None]]:
    """Word index -> (CSS classes, hover text, deadline number starting there) for the text panel."""
    out = {}
    for v in views:
        fix = fixed.get(f"word:{index}:{v.index}")
        classes = ["w"]
        tips = []
        if v.index in hits:
            classes.append("hit")
        if v.changed:
            classes.append("chg")
            tips.append(f"OCR: {v.original}")
        if v.alternatives:
            tips.append("phương án khác: " + ", ".join(v.alternatives))
        if v.low:
            classes.append("low")
            if v.confidence >= 0:
                tips.append(f"độ tin cậy OCR {v.confidence:.0f}")
        if fix:
            classes.append("fixed")
            tips.append(f"sửa bởi {fix.user_name}, máy đọc: {fix.machine or ''}")
        deadline = deadline_words.get(v.index)
        if deadline is not None:
            classes.append("deadline")
        starts = deadline if deadline is not None and deadline_words.get(v.index - 1) != deadline else None
        out[v.index] = (" ".join(classes), "; ".join(tips), starts)
    return out


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def _word_to_edit(value: str | None, index: int, page) -> int | None:
    if not value:
        return None
    p, _, w = value.partition(":")
    if _int(p, -1) != index or not 0 <= _int(w, -1) < len(page.words):
        return None
    return _int(w, -1)


def _lines(views: list[pageview.WordView]) -> list[list[list[pageview.WordView]]]:
    """Blocks of lines of words, in reading order."""
    blocks: list[list[list[pageview.WordView]]] = []
    key = None
    for v in views:
        if key is None or v.block != key[0]:
            blocks.append([[]])
        elif v.line != key[1]:
            blocks[-1].append([])
        blocks[-1][-1].append(v)
        key = (v.block, v.line)
    return blocks


def _text_parts(text: str, words: frozenset[str], prefixes: tuple[str, ...]) -> list[tuple[str, bool]]:
    """A page without word boxes (a PDF's text layer) as (piece, is_hit) pieces."""
    import regex

    out = []
    pos = 0
    for m in regex.finditer(r"[^\W_]+", text):
        if pageview.is_hit(m.group(), words, prefixes):
            out += [(text[pos : m.start()], False), (m.group(), True)]
            pos = m.end()
    out.append((text[pos:], False))
    return out


def _deadline_pages(doc) -> dict[int, int]:
    """Deadline number -> index of the page whose text holds its sentence (first page when not found)."""
    from pipeline.vietnamese import fold_lower

    out = {}
    for k, d in enumerate(doc.fields.deadlines):
        probe = " ".join(fold_lower(d.text).split())[:60]
        texts = [" ".join(fold_lower(p.restored_text).split()) for p in doc.pages]
        out[k] = next((i for i, text in enumerate(texts) if probe and probe in text), 0)
    return out


def _deadline_words(doc, page) -> dict[int, int]:
    """Word index -> deadline number, for the words of each deadline sentence on this page."""
    from pipeline.vietnamese import fold_lower

    out: dict[int, int] = {}
    if not page.words:
        return out
    folded = [fold_lower(w) for w in page.restored_words]
    for k, d in enumerate(doc.fields.deadlines):
        target = fold_lower(d.text).split()
        n = len(target)
        for i in range(len(folded) - n + 1):
            if n and folded[i : i + n] == target:
                out.update({j: k for j in range(i, i + n)})
                break
    return out


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
def _back(doc_id: str, page: int, msg: str, anchor: str = "") -> RedirectResponse:
    return RedirectResponse(f"/documents/{doc_id}?page={page + 1}&msg={quote(msg)}{anchor}", status_code=303)


@router.post("/documents/{doc_id}/fields/{name}")
def correct_field(
    request: Request,
    doc_id: str,
    name: str,
    value: Annotated[str, Form()] = "",
    csrf: Annotated[str, Form()] = "",
    page: Annotated[int, Form()] = 1,
) -> Response:
    ctx = signed_in(request)
    check_csrf(ctx, csrf)
    viewer = editor(ctx)
    doc = document_or_404(ctx, doc_id, None)
    try:
        stored = review.correct_field(ctx.archive, ctx.store, viewer, doc, name, value, ctx.app.config.lexicon)
    except review.CorrectionError as exc:
        return _back(doc.id, page - 1, f"Không sửa được: {exc}")
    if not ctx.library.visible(viewer, int(doc.id)):
        return RedirectResponse(f"/?msg={quote(f'Văn bản đã được đánh dấu {stored} và không còn hiển thị với bạn.')}",
                                status_code=303)  # fmt: skip
    return _back(doc.id, page - 1, f"Đã lưu {review.EDITABLE[name].lower()}.", f"#field-{name}")


@router.post("/documents/{doc_id}/words/{page}/{index}")
def correct_word(
    request: Request,
    doc_id: str,
    page: int,
    index: int,
    value: Annotated[str, Form()] = "",
    csrf: Annotated[str, Form()] = "",
) -> Response:
    ctx = signed_in(request)
    check_csrf(ctx, csrf)
    viewer = editor(ctx)
    doc = document_or_404(ctx, doc_id, None)
    try:
        review.correct_word(ctx.archive, ctx.store, viewer, doc, page - 1, index, value, ctx.app.config.lexicon)
    except review.CorrectionError as exc:
        return _back(doc.id, page - 1, f"Không sửa được: {exc}")
    return _back(doc.id, page - 1, "Đã lưu từ đã sửa.", f"#w{index}")


@router.post("/documents/{doc_id}/restore")
def restore_machine(
    request: Request,
    doc_id: str,
    target: Annotated[str, Form()] = "",
    csrf: Annotated[str, Form()] = "",
    page: Annotated[int, Form()] = 1,
) -> Response:
    ctx = signed_in(request)
    check_csrf(ctx, csrf)
    viewer = editor(ctx)
    doc = document_or_404(ctx, doc_id, None)
    try:
        review.restore_machine(ctx.archive, ctx.store, viewer, doc, target)
    except review.CorrectionError as exc:
        return _back(doc.id, page - 1, f"Không khôi phục được: {exc}")
    if not ctx.library.visible(viewer, int(doc.id)):
        return RedirectResponse(f"/?msg={quote('Văn bản không còn hiển thị với bạn.')}", status_code=303)
    return _back(doc.id, page - 1, "Đã khôi phục giá trị máy đọc.")


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
        return RedirectResponse(f"/upload?msg={quote('Hãy chọn tệp hoặc thư mục để tải lên.')}", status_code=303)
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
