"""The web application through its test client: every route x role x clearance (nothing classified
leaks: no hit, count, snippet, image, export, deadline or feed entry), CSRF, login throttling,
corrections, uploads of every bad-input kind, the background worker and its resumption, the web
tables' migration on both backends, and the ``vanban serve`` / ``vanban users`` commands.

The permission matrix runs on SQLite and PostgreSQL (the access rules are SQL on each).
"""

from __future__ import annotations

import io
import math
import os
import re
import struct
import subprocess
import sys
import time
import urllib.request
import zlib
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from PIL import Image, ImageDraw, ImageFont

from pipeline.archive import ArchiveVersionError, SearchQuery, open_archive
from pipeline.archive.query import parse_query, phrases
from pipeline.export.pdf import _mul, _scale, _turn
from pipeline.settings import Settings
from pipeline.types import (
    Box,
    Deadline,
    DocumentRecord,
    Fields,
    OcrWord,
    PageGeometry,
    PageRecord,
    Provenance,
    Reference,
    Signer,
)
from pipeline.vietnamese import fold
from pipeline.web import auth, pageview, review
from pipeline.web.access import CLEARANCES, ROLES, Viewer, may_see, secrecy_level
from pipeline.web.app import WebConfig, safe_next
from pipeline.web.auth import LoginThrottle
from pipeline.web.calendar import ics_feed
from pipeline.web.catalog import DeadlineRow
from pipeline.web.server import create_app
from pipeline.web.store import WEB_SCHEMA, WebStore, migrate

FONT = "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf"
PASSWORD = "mật khẩu đủ dài"
VANBAN = [sys.executable, "-m", "pipeline.cli"]


# -- a small archive: one public document and four classified ones, each with its own marker word -----
def scan_png(path: Path, lines: list[str]) -> Path:
    """A 100 dpi page image with the lines printed on it (the 'original' the archive points at)."""
    img = Image.new("L", (827, 1169), 255)
    draw = ImageDraw.Draw(img)
    font = ImageFont.truetype(FONT, 22)
    for i, line in enumerate(lines):
        draw.text((60, 60 + 34 * i), line, font=font, fill=0)
    img.save(path, dpi=(100, 100))
    return path


def make_page(index: int, text: str, stripped: set[str] = frozenset()) -> PageRecord:
    """A page of OCR words laid out line by line; words in ``stripped`` lost their accents in OCR."""
    words, x, y = [], 60, 60
    for line_no, line in enumerate(text.split("\n")):
        x = 60
        for token in line.split():
            raw = fold(token) if token in stripped else token
            words.append(OcrWord(raw, Box(x, y, 12 * len(token), 26), 91.0 if raw == token else 42.0, 0, line_no))
            x += 12 * len(token) + 10
        y += 34
    restored = tuple(text.split())
    raw_text = "\n".join(" ".join(fold(t) if t in stripped else t for t in line.split()) for line in text.split("\n"))
    return PageRecord(index, raw_text, text, tuple(words), restored, 80.0, "ocr", 1.0, 827, 1169, PageGeometry(dpi=100))


@dataclass(frozen=True)
class Spec:
    key: str
    marker: str  # a word only this document has (text, subject, issuer, deadline)
    secrecy: str | None
    doc_type: str
    number: str
    symbol: str
    cites_public: bool = False


SPECS = [
    Spec("public", "congkhai", None, "Kế hoạch", "12", "KH-UBND"),
    Spec("mat", "bimatmot", "Mật", "Chỉ thị", "34", "CT-MAT", cites_public=True),
    Spec("toimat", "bimathai", "Tối mật", "Quyết định", "56", "QĐ-TM", cites_public=True),
    Spec("tuyetmat", "bimatba", "Tuyệt mật", "Thông báo", "78", "TB-TUYET"),
    Spec("odd", "bimatla", "MẬT", "Hướng dẫn", "90", "HD-LA"),  # a value that is not a stamp: highest level
]
LEVEL = {"public": 0, "mat": 1, "toimat": 2, "tuyetmat": 3, "odd": 3}


def record(spec: Spec, folder: Path) -> DocumentRecord:
    issuer = f"Ủy ban nhân dân phường Kiến An {spec.marker}"
    lines = [
        f"{issuer.upper()}",
        f"Số: {spec.number}/{spec.symbol}",
        f"{spec.doc_type.upper()} về việc {spec.marker} chungmot bình chọn sản phẩm",
        "Kiến An, ngày 11 tháng 9 năm 2025",
    ]
    if spec.cites_public:
        lines.append("Thực hiện Kế hoạch số 12/KH-UBND của Ủy ban nhân dân phường")
    deadline = f"Các đơn vị báo cáo {spec.marker} trước ngày 10/01/2030."
    lines += [deadline, "Nơi nhận: Như trên; Lưu: VT.", "Nguyễn Tùng Lâm"]
    text = "\n".join(lines)
    path = scan_png(folder / f"{spec.key}.png", lines)
    at = text.index("Nguyễn Tùng Lâm")  # a signer read from legacy OCR: its marks a guess (confidence 0.5)
    prov = {"issuer": Provenance(0, "header_left", 0, len(issuer), 0.9),
            "signer": Provenance(0, "body", at, at + len("Nguyễn Tùng Lâm"), 0.5)}  # fmt: skip
    fields = Fields(
        number=spec.number,
        symbol=spec.symbol,
        doc_type=spec.doc_type,
        issuer=issuer,
        place="Kiến An",
        date="2025-09-11",
        date_year=2025,
        subject=f"về việc {spec.marker} chungmot bình chọn sản phẩm",
        references=(Reference("Kế hoạch", "12", "KH-UBND"),) if spec.cites_public else (),
        deadlines=(Deadline("2030-01-10", deadline),),
        signer=Signer("Nguyễn Tùng Lâm"),
        secrecy=spec.secrecy,  # type: ignore[arg-type]
        provenance=prov,
    )
    sha = (spec.key.encode().hex() * 64)[:64]
    page = make_page(0, text, stripped={"Kiến", "chọn"})
    return DocumentRecord(sha, str(path), path.stat().st_size, (page,), fields)


def build_archive(location: str, folder: Path) -> dict[str, str]:
    folder.mkdir(parents=True, exist_ok=True)
    with open_archive(location) as archive:
        return {s.key: archive.add(record(s, folder)) for s in SPECS}


def config_for(location: str, root: Path, **kw) -> WebConfig:
    kw.setdefault("settings", Settings(workers=1))
    return WebConfig(archive=location, cache=root / "cache", uploads=root / "uploads", **kw)


def add_users(location: str, users: list[tuple[str, str, str]]) -> dict[str, str]:
    """Accounts (name, role, clearance), all with PASSWORD; returns an API token per name."""
    hashed = auth.hash_password(PASSWORD)
    tokens = {}
    with open_archive(location) as archive:
        migrate(archive)
        store = WebStore(archive)
        for name, role, clearance in users:
            user = store.add_user(name, role, clearance, hashed)
            tokens[name] = auth.issue_token(store, user, "api")
    return tokens


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "no CSRF field in the page"
    return found.group(1)


def login(client: TestClient, name: str, password: str = PASSWORD):
    page = client.get("/")
    return client.post("/login", data={"name": name, "password": password, "csrf": csrf_of(page.text)},
                       follow_redirects=False)  # fmt: skip


def signed_in(app, name: str) -> TestClient:
    client = TestClient(app)
    response = login(client, name)
    assert response.status_code == 303, response.text
    return client


def wait_idle(app, seconds: float = 120.0) -> None:
    worker = app.state.vanban.worker
    deadline = time.monotonic() + seconds
    while not worker.idle():
        assert time.monotonic() < deadline, "the upload worker did not finish"
        time.sleep(0.05)


def backend_location(kind: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    if kind == "sqlite":
        return str(tmp_path / "archive.sqlite")
    return request.getfixturevalue("pg_url")


# -- the permission matrix -------------------------------------------------------------------------------
USERS = [(f"{role}-{clearance}", role, clearance) for role in ROLES for clearance in CLEARANCES]
GET_ROUTES = {  # every GET route of the application: the matrix below covers each one
    "/", "/documents/{doc_id}", "/documents/{doc_id}/pages/{number}.jpg", "/documents/{doc_id}/download/{fmt}",
    "/deadlines", "/calendar/{key}.ics", "/upload", "/batches/{batch_id}", "/audit", "/api/search",
    "/api/documents/{doc_id}",
}  # fmt: skip
POST_ROUTES = {
    "/login", "/logout", "/documents/{doc_id}/fields/{name}", "/documents/{doc_id}/words/{page}/{index}",
    "/documents/{doc_id}/restore", "/deadlines/feed", "/upload",
}  # fmt: skip


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def matrix(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    """A served archive of SPECS with a user for every role x clearance (read-only tests only)."""
    root = tmp_path_factory.mktemp(f"matrix-{request.param}")
    if request.param == "sqlite":
        location = str(root / "archive.sqlite")
    else:
        import psycopg

        server = request.getfixturevalue("pg_server")
        with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE matrix_{os.getpid()}")
        location = f"{server}/matrix_{os.getpid()}"
    ids = build_archive(location, root / "scans")
    tokens = add_users(location, [*USERS, ("other-editor", "editor", "tuyet-mat")])
    app = create_app(config_for(location, root))
    with TestClient(app) as client:  # runs the lifespan (worker) for the module
        clients = {name: signed_in(app, name) for name, _, _ in USERS}
        # a batch by someone else, and a classified view in the audit log
        other = signed_in(app, "other-editor")
        files = {"files": ("note.csv", b"a,b\n", "text/csv")}
        batch = other.post("/upload", data={"csrf": csrf_of(other.get("/upload").text)}, files=files)
        other.get(f"/documents/{ids['tuyetmat']}")
        wait_idle(app)
        yield app, client, clients, tokens, ids, int(batch.url.path.rsplit("/", 1)[1])


def visible_keys(clearance: str) -> set[str]:
    level = CLEARANCES.index(clearance)
    return {s.key for s in SPECS if LEVEL[s.key] <= level}


def assert_no_leak(body: str, clearance: str, where: str) -> None:
    """No marker of a document above the clearance anywhere in a response body."""
    for spec in SPECS:
        if spec.key not in visible_keys(clearance):
            assert spec.marker not in body, f"{where}: {spec.key} leaked to clearance {clearance}"


def api_routes(routes) -> list[APIRoute]:
    """The application's routes, through included routers (which newer FastAPI versions wrap)."""
    out = []
    for route in routes:
        if isinstance(route, APIRoute):
            out.append(route)
        elif hasattr(route, "original_router"):
            out += api_routes(route.original_router.routes)
    return out


def test_matrix_covers_every_route(matrix) -> None:
    app = matrix[0]
    routes = {(m, r.path) for r in api_routes(app.routes) for m in r.methods}
    assert {p for m, p in routes if m == "GET"} == GET_ROUTES
    assert {p for m, p in routes if m == "POST"} == POST_ROUTES


@pytest.mark.parametrize("name,role,clearance", USERS)
def test_permission_matrix(matrix, name: str, role: str, clearance: str) -> None:
    app, _, clients, tokens, ids, other_batch = matrix
    client = clients[name]
    api = {"Authorization": f"Bearer {tokens[name]}"}
    visible = visible_keys(clearance)
    viewer = Viewer(name, role, clearance)

    # search page: hits, snippets, facets; a query for a hidden marker finds nothing
    page = client.get("/?q=chungmot")
    assert page.status_code == 200
    assert_no_leak(page.text, clearance, "search page")
    for key in visible:
        assert f'href="/documents/{ids[key]}?' in page.text
    assert f"{len(visible)} văn bản" in page.text
    for spec in SPECS:
        hidden = client.get(f"/?q={spec.marker}")  # the page repeats the query: look at the results
        assert ("Không tìm thấy văn bản nào" in hidden.text) == (spec.key not in visible)
        results = hidden.text.split('aria-label="Kết quả"')[1]
        assert_no_leak(results.replace(f"q={spec.marker}", ""), clearance, f"search for {spec.marker}")
    for facet in ("secrecy=none", "type=Ch%E1%BB%89+th%E1%BB%8B", "deadlines=yes", "year=2025"):
        assert_no_leak(client.get(f"/?q=chungmot&{facet}").text, clearance, f"facet {facet}")
    # a reference finds the document and those citing it, of what the viewer may see
    cited = client.get("/?q=12/KH-UBND")
    assert_no_leak(cited.text, clearance, "reference search")
    assert f'href="/documents/{ids["public"]}?' in cited.text

    # JSON API: same rules, total and facet counts of visible documents only
    found = client.get("/api/search?q=chungmot", headers=api).json()
    assert found["total"] == len(visible) == len(found["hits"])
    assert {h["id"] for h in found["hits"]} == {ids[k] for k in visible}
    assert sum(v["count"] for v in found["facets"]["doc_type"]) == len(visible)
    shown_levels = {v["value"] for v in found["facets"]["secrecy"]}
    assert all(may_see(viewer, level) for level in shown_levels)
    assert_no_leak(str(found), clearance, "api search")
    assert client.get("/api/search?q=chungmot").status_code == 401  # the API takes tokens, not cookies

    # every route that names a document: 404 (not 403) for what the viewer may not see
    for key, doc_id in ids.items():
        expect = 200 if key in visible else 404
        urls = [f"/documents/{doc_id}", f"/documents/{doc_id}/pages/1.jpg", f"/documents/{doc_id}/download/txt",
                f"/documents/{doc_id}?page=1&q=chungmot"]  # fmt: skip
        if expect == 404 or name == "reader-tuyet-mat":
            urls += [f"/documents/{doc_id}/download/{fmt}" for fmt in ("pdf", "docx", "html")]
        for url in urls:
            response = client.get(url)
            assert response.status_code == expect, (url, response.status_code)
            if expect == 404:
                assert_no_leak(response.text, clearance, url)
            elif url.endswith("/download/pdf"):
                assert response.content.startswith(b"%PDF-")
        response = client.get(f"/api/documents/{doc_id}", headers=api)
        assert response.status_code == expect
        if expect == 200:
            assert response.json()["id"] == doc_id
        assert_no_leak(response.text, clearance, "api document")
    # the public document's page lists who cites it: only what the viewer may see
    assert_no_leak(client.get(f"/documents/{ids['public']}").text, clearance, "cited-by list")
    assert client.get("/documents/999999").status_code == 404
    assert client.get("/api/documents/abc", headers=api).status_code == 404

    # deadlines view and the calendar feed
    deadlines = client.get("/deadlines?from=2030-01-01&to=2030-12-31")
    assert deadlines.status_code == 200 and deadlines.text.count("<tr class=") == len(visible)
    assert_no_leak(deadlines.text, clearance, "deadlines")
    feed_page = client.post("/deadlines/feed", data={"csrf": csrf_of(deadlines.text)})
    key = re.search(r"/calendar/([\w-]+)\.ics", feed_page.text).group(1)
    ics = client.get(f"/calendar/{key}.ics")
    assert ics.status_code == 200 and ics.text.count("BEGIN:VEVENT") == len(visible)
    for spec in SPECS:
        assert spec.marker not in ics.text or spec.secrecy is None  # classified events stay behind sign-in
    assert TestClient(app).get(f"/calendar/{key}x.ics").status_code == 404

    # role-bound pages: 403 by role, never a document's content
    assert client.get("/upload").status_code == (200 if role != "reader" else 403)
    own = client.get(f"/batches/{other_batch}").status_code
    assert own == (200 if role == "admin" else 404 if role == "editor" else 403)
    audit = client.get("/audit")
    assert audit.status_code == (200 if role == "admin" else 403)
    if role == "admin":
        assert "tuyet-mat" not in audit.text or True  # user names are not secret
        linked = f'href="/documents/{ids["tuyetmat"]}"' in audit.text
        assert linked == ("tuyetmat" in visible)

    # writes: readers are refused by role; editors get 404 for what they may not see
    for key, doc_id in ids.items():
        csrf = csrf_of(client.get("/").text)
        response = client.post(f"/documents/{doc_id}/fields/subject", data={"value": "đổi", "csrf": csrf},
                               follow_redirects=False)  # fmt: skip
        if role == "reader":
            assert response.status_code == 403
        else:
            assert response.status_code == (404 if key not in visible else 303)
            if key in visible:  # put it back as the machine read it
                back = client.post(f"/documents/{doc_id}/restore", data={"target": "field:subject", "csrf": csrf},
                                   follow_redirects=False)  # fmt: skip
                assert back.status_code == 303


def test_anonymous_visitor_gets_the_login_page_and_nothing_else(matrix) -> None:
    app, _, _, tokens, ids, batch = matrix
    anon = TestClient(app)
    home = anon.get("/")
    assert home.status_code == 200 and 'action="/login"' in home.text
    for spec in SPECS:
        assert spec.marker not in home.text
    for url in ["/?q=chungmot", f"/documents/{ids['public']}", f"/documents/{ids['public']}/pages/1.jpg",
                f"/documents/{ids['public']}/download/pdf", "/deadlines", "/upload", f"/batches/{batch}", "/audit",
                "/no/such/page"]:  # fmt: skip
        response = anon.get(url, follow_redirects=False)
        if url == "/?q=chungmot":
            assert response.status_code == 200 and 'action="/login"' in response.text
            assert "congkhai" not in response.text
        else:
            assert response.status_code == 303 and response.headers["location"].startswith("/?next="), url
    assert anon.get("/api/search?q=chungmot").status_code == 401
    assert anon.get("/api/search?q=chungmot", headers={"Authorization": "Bearer nope"}).status_code == 401
    assert anon.get(f"/api/documents/{ids['public']}", headers={"Authorization": "Basic x"}).status_code == 401
    assert anon.get("/static/app.css").status_code == 200


def test_headers_cookies_and_sessions(matrix) -> None:
    app, _, clients, _, ids, _ = matrix
    client = TestClient(app)
    first = client.get("/")
    assert "default-src 'self'" in first.headers["content-security-policy"]
    assert first.headers["x-frame-options"] == "DENY" and first.headers["cache-control"] == "no-store"
    response = login(client, "reader-none")
    cookie = response.headers["set-cookie"]
    assert "vanban_session=" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie
    # a tampered cookie is no session
    value = client.cookies.get("vanban_session")
    forged = TestClient(app, cookies={"vanban_session": value[:-2] + ("AA" if value[-2:] != "AA" else "BB")})
    assert forged.get(f"/documents/{ids['public']}", follow_redirects=False).status_code == 303
    # logging out ends the session on the server, not only in the browser
    csrf = csrf_of(client.get("/").text)
    assert client.post("/logout", data={"csrf": csrf}, follow_redirects=False).status_code == 303
    replay = TestClient(app, cookies={"vanban_session": value})
    assert replay.get(f"/documents/{ids['public']}", follow_redirects=False).status_code == 303
    assert safe_next("//evil.example/x") == "/" and safe_next("https://evil.example") == "/"
    # notices travel signed: a made-up one in a link is not shown
    signed = clients["reader-none"]
    assert "Gọi ngay 0900" not in signed.get("/?msg=G%E1%BB%8Di+ngay+0900").text
    assert safe_next("/documents/3?page=2") == "/documents/3?page=2"


# -- CSRF and login throttling ------------------------------------------------------------------------
@pytest.fixture
def served(tmp_path: Path):
    """A fresh SQLite archive of SPECS, served, with an editor, a reader and an admin (all cleared)."""
    location = str(tmp_path / "archive.sqlite")
    ids = build_archive(location, tmp_path / "scans")
    tokens = add_users(location, [("ed", "editor", "tuyet-mat"), ("rd", "reader", "none"),
                                  ("boss", "admin", "tuyet-mat"), ("low", "editor", "none")])  # fmt: skip
    app = create_app(config_for(location, tmp_path, login_limit=3))
    with TestClient(app):
        yield app, location, ids, tokens


def test_every_form_needs_its_csrf_token(served) -> None:
    app, location, ids, _ = served
    ed = signed_in(app, "ed")
    doc = ids["public"]
    posts = [
        (f"/documents/{doc}/fields/issuer", {"value": "Sở Nội vụ"}),
        (f"/documents/{doc}/words/1/0", {"value": "SỬA"}),
        (f"/documents/{doc}/restore", {"target": "field:issuer"}),
        ("/deadlines/feed", {}),
        ("/logout", {}),
    ]
    for url, data in posts:
        for token in (None, "forged"):
            sent = dict(data) if token is None else {**data, "csrf": token}
            assert ed.post(url, data=sent, follow_redirects=False).status_code == 403, (url, token)
    upload = ed.post("/upload", data={"csrf": "forged"}, files={"files": ("a.png", b"x", "image/png")})
    assert upload.status_code == 403
    with open_archive(location) as archive:
        assert archive.get(doc).fields.issuer == "Ủy ban nhân dân phường Kiến An congkhai"
        assert WebStore(archive).batches() == []
    # the login form has its own token (before any session): without it nobody signs in
    anon = TestClient(app)
    anon.get("/")
    refused = anon.post("/login", data={"name": "ed", "password": PASSWORD, "csrf": "guess"}, follow_redirects=False)
    assert refused.status_code == 403 and "vanban_session" not in anon.cookies
    # another user's token is not this user's
    other = signed_in(app, "boss")
    stolen = csrf_of(other.get("/").text)
    assert ed.post(f"/documents/{doc}/fields/issuer", data={"value": "x", "csrf": stolen}).status_code == 403


def test_login_throttling(served) -> None:
    app, *_ = served
    client = TestClient(app)
    for _ in range(3):
        assert login(client, "ed", "wrong password").status_code == 401
    blocked = login(client, "ed")  # the right password no longer helps
    assert blocked.status_code == 429 and int(blocked.headers["retry-after"]) > 0
    assert "vanban_session" not in client.cookies
    assert login(TestClient(app), "rd").status_code == 303  # another name is not held up
    # the limit is per name and per address; time lets the name in again
    throttle = LoginThrottle(limit=2, window=60, clock=lambda: now[0])
    now = [1000.0]
    throttle.failed("ed", "1.2.3.4")
    throttle.failed("ED ", "5.6.7.8")
    assert throttle.retry_after("ed", "9.9.9.9") == 60
    now[0] += 30
    assert throttle.retry_after("ed", "9.9.9.9") == 30
    now[0] += 31
    assert throttle.retry_after("ed", "9.9.9.9") == 0
    for i in range(8):
        throttle.failed(f"user{i}", "6.6.6.6")
    assert throttle.retry_after("someone", "6.6.6.6") > 0 and throttle.retry_after("someone", "7.7.7.7") == 0


# -- review and correction ----------------------------------------------------------------------------
def test_correct_a_field_search_export_history_restore_and_lexicon(served, tmp_path: Path) -> None:
    app, location, ids, tokens = served
    ed = signed_in(app, "ed")
    doc = ids["public"]
    page = ed.get(f"/documents/{doc}")
    assert 'id="field-issuer"' in page.text
    # a field read with low confidence (a signer's marks guessed from legacy OCR) is shown for review
    signer = page.text.split('id="field-signer"', 1)[1].split('class="field', 1)[0]
    issuer = page.text.split('id="field-issuer"', 1)[1].split('class="field', 1)[0]
    assert "(cần kiểm tra)" in signer and "(cần kiểm tra)" not in issuer
    sent = {"value": "  Sở Nội vụ   Hải Phòng ", "csrf": csrf_of(page.text)}
    response = ed.post(f"/documents/{doc}/fields/issuer", data=sent, follow_redirects=False)
    assert response.status_code == 303
    # search and its facets use the corrected value at once; so do exports
    api = {"Authorization": f"Bearer {tokens['ed']}"}
    found = ed.get("/api/search?q=congkhai", headers=api).json()
    assert found["hits"][0]["fields"]["issuer"] == "Sở Nội vụ Hải Phòng"
    assert {v["value"] for v in found["facets"]["issuer"]} == {"Sở Nội vụ Hải Phòng"}
    assert ed.get("/api/search", params={"issuer": "Sở Nội vụ Hải Phòng"}, headers=api).json()["total"] == 1
    assert "Sở Nội vụ Hải Phòng" in ed.get(f"/documents/{doc}/download/html").text
    shown = ed.get(f"/documents/{doc}").text
    assert "Đã sửa bởi ed" in shown and "máy đọc: “Ủy ban nhân dân phường Kiến An congkhai”" in shown
    with open_archive(location) as archive:  # the corrected name joins the archive's lexicon
        entry = next(e for e in archive.lexicon() if e.phrase == "Sở Nội vụ Hải Phòng")
        assert (entry.source, entry.doc_id) == ("correction", doc)
    # a second correction keeps the machine's value; restoring brings it back and keeps the history
    ed.post(f"/documents/{doc}/fields/issuer", data={"value": "Sở Tư pháp", "csrf": csrf_of(shown)})
    with open_archive(location) as archive:
        store = WebStore(archive)
        rows = [c for c in store.corrections(int(doc)) if c.target == "field:issuer"]
        assert [c.value for c in rows] == ["Sở Nội vụ Hải Phòng", "Sở Tư pháp"]
        assert {c.machine for c in rows} == {"Ủy ban nhân dân phường Kiến An congkhai"}
        assert all(c.user_name == "ed" and c.at for c in rows)
    back = ed.post(f"/documents/{doc}/restore", data={"target": "field:issuer", "csrf": csrf_of(shown)},
                   follow_redirects=False)  # fmt: skip
    assert back.status_code == 303
    with open_archive(location) as archive:
        assert archive.get(doc).fields.issuer == "Ủy ban nhân dân phường Kiến An congkhai"
        assert all(c.reverted_by == "ed" for c in WebStore(archive).corrections(int(doc)))
    assert ed.get("/api/search?q=congkhai", headers=api).json()["hits"][0]["fields"]["issuer"].endswith("congkhai")
    # bad values are refused with a reason, nothing stored
    for name, value in [("date", "11/9/2025"), ("urgency", "Rất khẩn"), ("secrecy", "mật"), ("nonsense", "x")]:
        refused = ed.post(f"/documents/{doc}/fields/{name}", data={"value": value, "csrf": csrf_of(shown)})
        assert "Không lưu được" in refused.text
    dated = ed.post(f"/documents/{doc}/fields/date", data={"value": "2025-09-12", "csrf": csrf_of(shown)})
    assert dated.status_code == 200
    with open_archive(location) as archive:
        fields = archive.get(doc).fields
        assert (fields.date, fields.date_year, fields.urgency) == ("2025-09-12", 2025, None)
        assert archive.search(SearchQuery("", date_from="2025-09-12", date_to="2025-09-12"))[0].doc_id == doc


def test_correct_a_word_changes_text_and_index_and_restores(served, tmp_path: Path) -> None:
    app, location, ids, tokens = served
    ed = signed_in(app, "ed")
    doc = ids["public"]
    with open_archive(location) as archive:
        before = archive.get(doc).pages[0]
    index = before.restored_words.index("chungmot")
    page = ed.get(f"/documents/{doc}?w=0:{index}")
    assert 'id="edit"' in page.text
    response = ed.post(f"/documents/{doc}/words/1/{index}", data={"value": "Đồng-Khởi", "csrf": csrf_of(page.text)},
                       follow_redirects=False)  # fmt: skip
    assert response.status_code == 303
    with open_archive(location) as archive:
        after = archive.get(doc).pages[0]
        assert after.restored_words[index] == "Đồng-Khởi" and after.raw_text == before.raw_text
        assert after.restored_text == before.restored_text.replace("chungmot", "Đồng-Khởi", 1)
        (hit,) = archive.search(SearchQuery("dong khoi"))
        assert hit.doc_id == doc and "**Đồng**-**Khởi**" in hit.snippet
    assert "Đồng-Khởi" in ed.get(f"/documents/{doc}/download/txt").text
    with open_archive(location) as archive:
        assert any("Đồng-Khởi" in e.phrase and e.source == "correction" for e in archive.lexicon())
    # one word at a time; the machine's word comes back
    refused = ed.post(f"/documents/{doc}/words/1/{index}", data={"value": "hai từ", "csrf": csrf_of(page.text)})
    assert "Không lưu được" in refused.text
    ed.post(f"/documents/{doc}/restore", data={"target": f"word:0:{index}", "csrf": csrf_of(page.text)})
    with open_archive(location) as archive:
        assert archive.get(doc).pages[0].restored_text == before.restored_text
    assert ed.post(f"/documents/{doc}/words/1/9999", data={"value": "x", "csrf": csrf_of(page.text)}).status_code == 200


def test_marking_a_document_secret_hides_it_and_is_audited(served) -> None:
    app, location, ids, _ = served
    low = signed_in(app, "low")
    doc = ids["public"]
    page = low.get(f"/documents/{doc}")
    marked = low.post(f"/documents/{doc}/fields/secrecy", data={"value": "Mật", "csrf": csrf_of(page.text)})
    assert "không còn hiển thị với bạn" in marked.text
    assert low.get(f"/documents/{doc}").status_code == 404
    assert "Không tìm thấy văn bản nào" in low.get("/?q=congkhai").text
    assert signed_in(app, "rd").get(f"/documents/{doc}").status_code == 404
    boss = signed_in(app, "boss")
    assert boss.get(f"/documents/{doc}").status_code == 200
    audit = boss.get("/audit").text
    assert "mark-secrecy" in audit and "None -&gt; Mật" in audit and ">view<" in audit


def test_corrections_on_postgres(pg_url: str, tmp_path: Path) -> None:
    ids = build_archive(pg_url, tmp_path / "scans")
    add_users(pg_url, [("ed", "editor", "tuyet-mat")])
    app = create_app(config_for(pg_url, tmp_path))
    with TestClient(app):
        ed = signed_in(app, "ed")
        page = ed.get(f"/documents/{ids['mat']}")
        ed.post(f"/documents/{ids['mat']}/fields/doc_type", data={"value": "Kế hoạch", "csrf": csrf_of(page.text)})
        found = ed.get("/?q=bimatmot&type=K%E1%BA%BF+ho%E1%BA%A1ch")
        assert f'href="/documents/{ids["mat"]}?' in found.text
    with open_archive(pg_url) as archive:
        assert archive.get(ids["mat"]).fields.doc_type == "Kế hoạch"
        assert WebStore(archive).corrections(int(ids["mat"]))[0].machine == "Chỉ thị"


@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
def test_a_correction_its_document_and_its_names_are_one_transaction(kind, tmp_path: Path, request, monkeypatch):
    """Was: the correction row, then the document, the row deleted again when the document failed (and
    the names written to a file outside both)."""
    location = backend_location(kind, tmp_path, request)
    ids = build_archive(location, tmp_path / "scans")
    ed = Viewer("ed", "editor", "tuyet-mat")
    with open_archive(location) as archive:
        migrate(archive)
        store = WebStore(archive)
        doc = archive.get(ids["public"])

        def fail(*args, **kwargs):
            raise RuntimeError("the lexicon cannot be written")

        monkeypatch.setattr(archive, "add_lexicon", fail)  # the last of the three writes fails
        with pytest.raises(RuntimeError, match="lexicon"):
            review.correct_field(archive, store, ed, doc, "signer", "Hoàng Minh Cường")
        assert store.corrections(int(doc.id)) == []
        assert archive.get(doc.id).fields.signer == doc.fields.signer  # the document is as it was
        monkeypatch.undo()
        review.correct_field(archive, store, ed, doc, "signer", "Hoàng Minh Cường")
        assert [c.value for c in store.corrections(int(doc.id))] == ["Hoàng Minh Cường"]
        assert archive.get(doc.id).fields.signer.name == "Hoàng Minh Cường"
        assert ("Hoàng Minh Cường", "correction") in {(e.phrase, e.source) for e in archive.lexicon()}


def test_a_corrected_name_restores_a_later_ingest(tmp_path: Path) -> None:
    from pipeline.run import ingest
    from tests.test_run import CUONG, TEXT, text_scan

    later = text_scan(tmp_path / "later", "b", 211)  # legacy OCR: "Ong Hoang Minh Cuong chu tri ..."
    location = str(tmp_path / "archive.sqlite")
    ids = build_archive(location, tmp_path / "scans")
    with open_archive(location) as archive:
        migrate(archive)
        ed = Viewer("ed", "editor", "tuyet-mat")
        review.correct_field(archive, WebStore(archive), ed, archive.get(ids["public"]), "signer", "Hoàng Minh Cường")
        ingest([later], archive, Settings(workers=1), stages=TEXT)
        (doc_id,) = archive.ids(str(later.resolve()))
        assert archive.get(doc_id).pages[0].restored_text == CUONG


def test_a_correction_on_a_classified_document_teaches_the_lexicon_nothing(tmp_path: Path) -> None:
    location = str(tmp_path / "archive.sqlite")
    ids = build_archive(location, tmp_path / "scans")
    with open_archive(location) as archive:
        migrate(archive)
        ed = Viewer("ed", "editor", "tuyet-mat")
        review.correct_field(archive, WebStore(archive), ed, archive.get(ids["mat"]), "signer", "Hoàng Minh Cường")
        assert archive.get(ids["mat"]).fields.signer.name == "Hoàng Minh Cường"
        assert not any("Cường" in e.phrase for e in archive.lexicon())
        review.correct_field(archive, WebStore(archive), ed, archive.get(ids["public"]), "signer", "Hoàng Minh Cường")
        assert any(e.phrase == "Hoàng Minh Cường" for e in archive.lexicon())


def test_a_forced_reingest_keeps_the_editors_corrections(tmp_path: Path) -> None:
    """Was: ``vanban ingest --force`` wrote the machine's reading over a corrected document while
    web_corrections still said the corrections stood."""
    from pipeline.run import ingest
    from tests.test_run import TEXT, text_scan

    scan = text_scan(tmp_path / "in", "a", 210)
    ed = Viewer("ed", "editor", "tuyet-mat")
    with open_archive(tmp_path / "archive.sqlite") as archive:
        migrate(archive)
        store = WebStore(archive)
        (first,) = ingest([scan], archive, Settings(workers=1), stages=TEXT).outcomes
        doc = archive.get(first.doc_id)
        review.correct_field(archive, store, ed, doc, "place", "Kiến An")
        index = doc.pages[0].restored_words.index("họp.")
        review.correct_word(archive, store, ed, archive.get(first.doc_id), 0, index, "họp!")
        (again,) = ingest([scan], archive, Settings(workers=1, force=True), stages=TEXT).outcomes
        assert again.status == "skipped" and "2 correction(s) by editors stand on it" in again.reason
        kept = archive.get(first.doc_id)
        assert kept.fields.place == "Kiến An" and kept.pages[0].restored_words[index] == "họp!"
        # once the editors' corrections are reverted, --force re-processes it
        for target in ("field:place", f"word:0:{index}"):
            review.restore_machine(archive, store, ed, archive.get(first.doc_id), target)
        (redone,) = ingest([scan], archive, Settings(workers=1, force=True), stages=TEXT).outcomes
        assert redone.status == "ingested" and redone.doc_id == first.doc_id


# -- the document page ----------------------------------------------------------------------------------
def test_document_page_marks_words_and_boxes(served) -> None:
    app, _, ids, _ = served
    ed = signed_in(app, "ed")
    html = ed.get(f"/documents/{ids['public']}?q=kien+an").text
    # search words highlighted in the text and on the image; restored words carry their OCR form
    assert html.count('class="hit"') >= 2  # polygons on the image
    assert re.search(r'class="w hit chg low"[^>]*title="OCR: Kien', html)
    assert 'id="f-issuer"' in html and 'href="#f-issuer"' in html
    assert "<img src=\"/documents/" in html and 'viewBox="0 0 827.0 1169.0"' in html
    image = ed.get(f"/documents/{ids['public']}/pages/1.jpg")
    assert image.headers["content-type"] == "image/jpeg" and Image.open(io.BytesIO(image.content)).size == (1240, 1754)
    assert ed.get(f"/documents/{ids['public']}/pages/1.jpg?dpi=7").status_code == 404
    assert ed.get(f"/documents/{ids['public']}/pages/2.jpg").status_code == 404
    assert ed.get(f"/documents/{ids['public']}/download/exe").status_code == 404
    # a deadline link opens its page with the sentence marked
    deadline = ed.get(f"/documents/{ids['public']}?deadline=0").text
    assert 'id="deadline-0"' in deadline and "w deadline" in deadline


def test_original_moved_or_changed_is_not_shown(served, tmp_path: Path) -> None:
    app, _, ids, _ = served
    ed = signed_in(app, "ed")
    scan = tmp_path / "scans" / "mat.png"
    scan.write_bytes(scan.read_bytes() + b"changed")
    response = ed.get(f"/documents/{ids['mat']}/pages/1.jpg")
    assert response.status_code == 404 and "đã thay đổi" not in response.text and "changed" in response.text


def test_pageview_frame_maps_cleaned_boxes_back_onto_the_original() -> None:
    """The inverse of the cleanup's turn, as the export computes it, for each quarter turn and a skew."""
    for rotation in (0, 90, 180, 270):
        for skew in (0.0, 1.7, -2.3):
            w, h, scale = 1654.0, 2339.0, 1.5
            turn = _turn(w, h, rotation, skew)
            width, height = round(turn.width * scale), round(turn.height * scale)
            rec = PageRecord(0, "", "", (), (), 0.0, "ocr", 0.0, width, height, PageGeometry(rotation, skew, scale))
            frame = pageview.frame(rec)
            # the frame is the original in cleaned pixels (the image is stretched onto it)
            assert abs(frame.width - w * scale) < 2 and abs(frame.height - h * scale) < 2
            forward = _mul(_scale(width / turn.width, height / turn.height), turn.matrix)  # original -> cleaned
            a, b, c, d, e, f = forward
            for x, y in ((100.0, 200.0), (1500.0, 2200.0), (827.0, 1169.0)):
                cx, cy = a * x + c * y + e, b * x + d * y + f
                (bx, by), *_ = frame.corners(Box(round(cx), round(cy), 1, 1))
                assert math.hypot(bx - x * scale, by - y * scale) < 3.0, (rotation, skew, (x, y), (bx, by))


def test_pageview_words_spans_and_fields() -> None:
    page = make_page(0, "ỦY BAN NHÂN DÂN\nSố: 12/KH-UBND về việc bình chọn", stripped={"chọn"})
    assert pageview.word_spans(page.restored_text, page.restored_words)[5] == (20, 30)
    fixed = pageview.replace_word(page, 7, "VIỆC")
    assert fixed.restored_text == "ỦY BAN NHÂN DÂN\nSố: 12/KH-UBND về VIỆC bình chọn"
    views = pageview.word_views(page)
    assert views[-1].changed and views[-1].original == "chon" and views[-1].low
    prov = Provenance(0, "body", 20, 30, 0.9)
    assert pageview.field_words(page, prov, "12/KH-UBND") == [5]
    wanted = pageview.query_words(phrases(parse_query("binh chon*")))
    assert pageview.is_hit("bình", *wanted) and pageview.is_hit("chọn", *wanted) and not pageview.is_hit("về", *wanted)


# -- uploads ------------------------------------------------------------------------------------------
def text_layer_pdf(path: Path, tmp: Path) -> Path:
    """A scan PDF with a good Vietnamese text layer (made by our own export): ingest reads its text
    layer instead of running Tesseract, so the upload test stays quick."""
    from pipeline.export import write_pdf

    lines = ["ỦY BAN NHÂN DÂN PHƯỜNG KIẾN AN", "Số: 45/TB-UBND", "THÔNG BÁO về việc tổ chức hội nghị tổng kết",
             "công tác năm 2025 của phường Kiến An", "Các đơn vị gửi báo cáo trước ngày 10/01/2026."]  # fmt: skip
    image = scan_png(tmp / "scan-for-pdf.png", lines)
    scan = tmp / "scan-for-pdf.pdf"
    Image.open(image).save(scan, resolution=100)
    page = make_page(0, "\n".join(lines))
    rec = DocumentRecord("0" * 64, str(scan), scan.stat().st_size, (page,), Fields())
    write_pdf(rec, path, pdfa=False)
    return path


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def bad_inputs(tmp: Path) -> dict[str, tuple[bytes, str]]:
    """Each bad-input kind: (content, the reason the batch must give)."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import RectangleObject

    good = text_layer_pdf(tmp / "good.pdf", tmp).read_bytes()
    writer = PdfWriter(clone_from=PdfReader(tmp / "good.pdf"))
    writer.encrypt(user_password="secret", owner_password="owner")
    locked = tmp / "locked.pdf"
    with locked.open("wb") as fh:
        writer.write(fh)
    zero = PdfWriter()
    zero.add_blank_page(width=595, height=842).mediabox = RectangleObject([0, 0, 0, 0])
    zero_path = tmp / "zero.pdf"
    with zero_path.open("wb") as fh:
        zero.write(fh)
    header = struct.pack(">IIBBBBB", 40000, 40000, 8, 0, 0, 0, 0)
    bomb = (b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", header) + png_chunk(b"IDAT", zlib.compress(b"\x00" * 40001 * 4))
            + png_chunk(b"IEND", b""))  # fmt: skip
    png = io.BytesIO(b"")
    Image.new("L", (300, 300), 200).save(png, "PNG")
    gif = io.BytesIO(b"")
    Image.new("L", (300, 300), 200).save(gif, "GIF")
    jpeg = io.BytesIO(b"")
    Image.new("L", (300, 300), 200).save(jpeg, "JPEG")
    return {
        "empty.pdf": (b"", "empty file (0 bytes)"),
        "notes.pdf": ("Đây không phải là PDF".encode(), "not a PDF"),
        "truncated.pdf": (good[: len(good) // 3], "corrupt or truncated PDF"),
        "locked.pdf": (locked.read_bytes(), "encrypted PDF"),
        "zero.pdf": (zero_path.read_bytes(), "page 1 has zero size"),
        "bomb.png": (bomb, "decompression bomb"),
        "cut.png": (png.getvalue()[:-40], "PNG without its IEND end chunk"),
        "cut.jpg": (jpeg.getvalue()[:200], "unreadable or truncated image"),
        "picture.png": (gif.getvalue(), "not a PDF, TIFF, PNG or JPEG file"),
        "data.csv": (b"a,b\n1,2\n", "unsupported file type '.csv'"),
        "big.pdf": (b"%PDF-1.4\n" + b"0" * 70_000, "file too large"),
    }


def test_upload_every_bad_input_kind_one_reason_each_nothing_stored(served, tmp_path: Path) -> None:
    app, location, _, _ = served
    app.state.vanban.config = replace(app.state.vanban.config, max_upload_bytes=60_000)
    ed = signed_in(app, "ed")
    cases = bad_inputs(tmp_path)
    good = text_layer_pdf(tmp_path / "ok.pdf", tmp_path).read_bytes()
    files = [("files", (name, data, "application/octet-stream")) for name, (data, _) in cases.items()]
    files += [("files", ("folder/readme.txt", b"hello", "text/plain")),
              ("files", ("thong-bao.pdf", good, "application/pdf")),
              ("files", ("again.pdf", good, "application/pdf"))]  # fmt: skip
    with open_archive(location) as archive:
        before = len(archive.ids())
    response = ed.post("/upload", data={"csrf": csrf_of(ed.get("/upload").text)}, files=files)
    assert response.status_code == 200 and "/batches/" in str(response.url)
    batch_id = int(str(response.url).rsplit("/", 1)[1])
    wait_idle(app)
    with open_archive(location) as archive:
        rows = {f.name: f for f in WebStore(archive).batch_files(batch_id)}
        assert len(archive.ids()) == before + 1  # the good file, once
    for name, (_, reason) in cases.items():
        assert rows[name].status == "failed" and reason in rows[name].reason, (name, rows[name].reason)
        assert rows[name].stored is None and "\n" not in rows[name].reason
    assert rows["folder/readme.txt"].status == "skipped"
    assert rows["thong-bao.pdf"].status == "ingested" and rows["thong-bao.pdf"].doc_id
    assert rows["again.pdf"].status == "skipped" and "same content" in rows["again.pdf"].reason
    uploaded = Path(app.state.vanban.config.uploads)
    kept = [p.name for p in uploaded.rglob("*") if p.is_file() and p.name != ".worker.lock"]
    assert len(kept) == 2 and not [k for k in kept if k.endswith(".part")]  # the two copies of the good file
    page = ed.get(f"/batches/{batch_id}").text
    assert "Đã xử lý xong" in page and "encrypted PDF" in page
    assert f'href="/documents/{rows["thong-bao.pdf"].doc_id}"' in page
    # the uploaded document is searchable at once, as the command line would have stored it
    assert f'href="/documents/{rows["thong-bao.pdf"].doc_id}?' in ed.get("/?q=hoi+nghi+tong+ket").text
    # a file already in the archive is not stored again
    again = ed.post("/upload", data={"csrf": csrf_of(ed.get("/upload").text)},
                    files=[("files", ("copy.pdf", good, "application/pdf"))])  # fmt: skip
    wait_idle(app)
    with open_archive(location) as archive:
        (row,) = WebStore(archive).batch_files(int(str(again.url).rsplit("/", 1)[1]))
    assert (row.status, row.doc_id) == ("skipped", rows["thong-bao.pdf"].doc_id)
    # no files: nothing recorded
    assert "Hãy chọn tệp" in ed.post("/upload", data={"csrf": csrf_of(ed.get("/upload").text)}).text


def test_upload_without_length_or_too_big_is_refused(served) -> None:
    app, *_ = served
    ed = signed_in(app, "ed")
    app.state.vanban.config = replace(app.state.vanban.config, max_request_bytes=1000)
    big = ed.post("/upload", data={"csrf": csrf_of(ed.get("/upload").text)},
                  files={"files": ("a.pdf", b"%PDF-" + b"0" * 5000, "application/pdf")})  # fmt: skip
    assert big.status_code == 413
    assert signed_in(app, "rd").post("/upload", data={"csrf": "x"}).status_code == 403


def test_batch_survives_restart(tmp_path: Path) -> None:
    """A batch queued (or half done) when the server stopped is finished by the next start."""
    from pipeline.web import uploads

    location = str(tmp_path / "archive.sqlite")
    add_users(location, [("ed", "editor", "none")])
    config = config_for(location, tmp_path)
    first = text_layer_pdf(tmp_path / "first.pdf", tmp_path)
    second = tmp_path / "second.pdf"
    second.write_bytes(first.read_bytes() + b"\n% another copy\n")
    with open_archive(location) as archive:
        store = WebStore(archive)
        files = [uploads.Incoming(p.name, p.open("rb")) for p in (first, second)]
        batch_id = uploads.receive(store, archive, "ed", files, config.uploads, config.settings, 10**7)
        stored = [Path(f.stored) for f in store.batch_files(batch_id)]
        store.set_batch_state(batch_id, "running")  # the server died while on it...
        from pipeline.run import ingest

        ingest([stored[0]], archive, config.settings)  # ...after the first file was archived
    app = create_app(config)
    with TestClient(app):
        wait_idle(app)
        ed = signed_in(app, "ed")
        page = ed.get(f"/batches/{batch_id}").text
    assert "Đã xử lý xong" in page and page.count("đã lưu vào kho") == 2
    with open_archive(location) as archive:
        assert len(archive.ids()) == 2
        assert {f.status for f in WebStore(archive).batch_files(batch_id)} == {"ingested"}


# -- web tables on both backends ------------------------------------------------------------------------
@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
def test_web_tables_migration_is_additive_and_versioned(kind: str, tmp_path: Path, request) -> None:
    location = backend_location(kind, tmp_path, request)
    with open_archive(location) as archive:
        first = archive.add(record(SPECS[0], tmp_path))
        schema = archive.schema_version()
        migrate(archive)
        migrate(archive)  # idempotent
        store = WebStore(archive)
        user = store.add_user("an", "reader", "none", auth.hash_password(PASSWORD))
        store.add_correction(int(first), "field:issuer", "a", "b", "an")
        secret = store.secret()
        assert archive.schema_version() == schema  # the archive's own steps are untouched
        assert archive.search(SearchQuery("congkhai"))[0].doc_id == first
    with open_archive(location) as archive:  # reopened: same secret, data kept, still migrated
        migrate(archive)
        store = WebStore(archive)
        assert store.secret() == secret and store.user("an").id == user.id
        archive.delete(first)  # corrections go with their document
        assert store.corrections(int(first)) == []
        archive.conn.execute(f"UPDATE vanban_meta SET value = '{WEB_SCHEMA + 1}' WHERE key = 'web_schema'")
    with open_archive(location) as archive, pytest.raises(ArchiveVersionError, match="web tables"):
        migrate(archive)


def test_web_tables_on_an_archive_of_an_earlier_version(tmp_path: Path) -> None:
    import lzma

    data = Path(__file__).parent / "data" / "archive" / "v3.sqlite.xz"
    path = tmp_path / "old.sqlite"
    path.write_bytes(lzma.decompress(data.read_bytes()))
    with open_archive(path) as archive:
        migrate(archive)
        assert WebStore(archive).users() == []
        assert archive.search(SearchQuery("kien an"))


# -- pieces ---------------------------------------------------------------------------------------------
def test_access_levels_fail_closed() -> None:
    assert [secrecy_level(s) for s in (None, "Mật", "Tối mật", "Tuyệt mật", "MẬT", "")] == [0, 1, 2, 3, 3, 3]
    viewer = Viewer("a", "reader", "toi-mat")
    assert may_see(viewer, "Tối mật") and not may_see(viewer, "Tuyệt mật") and not may_see(viewer, "khác")


def test_ics_feed_format() -> None:
    public = {"doc_type": "Kế hoạch", "number": "12", "symbol": "KH-UBND", "subject": "bình chọn; sản phẩm, " * 5}
    rows = [DeadlineRow(3, 0, "2030-01-10", "báo cáo\ntrước ngày", public),
            DeadlineRow(4, 0, "2030-01-11", "bí mật", {**public, "secrecy": "Mật"})]  # fmt: skip
    text = ics_feed(rows, "http://localhost:8000", "an")
    lines = text.split("\r\n")
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-2] == "END:VCALENDAR" and text.endswith("\r\n")
    assert all(len(line.encode()) <= 75 for line in lines)
    unfolded = text.replace("\r\n ", "")
    assert "SUMMARY:Hạn xử lý: Kế hoạch 12/KH-UBND – bình chọn\\; sản phẩm\\," in unfolded
    assert "DESCRIPTION:báo cáo\\ntrước ngày" in unfolded and "DTSTART;VALUE=DATE:20300110" in unfolded
    assert "bí mật" not in unfolded and "văn bản mật #4" in unfolded


def test_user_accounts_and_passwords(tmp_path: Path) -> None:
    location = str(tmp_path / "a.sqlite")
    with open_archive(location) as archive:
        migrate(archive)
        store = WebStore(archive)
        for bad in [("", "reader", "none", PASSWORD), ("a b", "reader", "none", PASSWORD),
                    ("an", "boss", "none", PASSWORD), ("an", "reader", "secret", PASSWORD),
                    ("an", "reader", "none", "short")]:  # fmt: skip
            with pytest.raises(ValueError):
                auth.add_user(store, *bad)
        user = auth.add_user(store, "an", "reader", "none", PASSWORD)
        assert user.password.startswith("$argon2id$") and PASSWORD not in user.password
        assert auth.check_password(user, PASSWORD) and not auth.check_password(user, PASSWORD + "x")
        assert not auth.check_password(None, PASSWORD)
        token = auth.issue_token(store, user, "api")
        assert store.token_user("api", auth.digest(token)).name == "an"
        assert store.token_user("feed", auth.digest(token)) is None
        raw = archive.conn.execute("SELECT group_concat(digest) FROM web_tokens").fetchone()[0]
        assert token not in raw


# -- the commands -----------------------------------------------------------------------------------------
def vanban(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([*VANBAN, *args], input=stdin, capture_output=True, text=True, timeout=120)


def test_users_commands(tmp_path: Path) -> None:
    location = str(tmp_path / "new" / "archive.sqlite")
    done = vanban("users", "add", "thu", "--role", "editor", "--clearance", "mat", "--archive", location,
                  stdin=PASSWORD + "\n")  # fmt: skip
    assert done.returncode == 0, done.stderr
    listed = vanban("users", "list", "--archive", location)
    assert listed.stdout.strip() == "thu\teditor\tmat"
    token = vanban("users", "token", "thu", "--archive", location)
    assert token.returncode == 0 and len(token.stdout.strip()) >= 40
    with open_archive(location) as archive:
        store = WebStore(archive)
        assert store.token_user("api", auth.digest(token.stdout.strip())).name == "thu"
        assert auth.check_password(store.user("thu"), PASSWORD)
    bad = vanban("users", "add", "x", "--role", "editor", "--clearance", "mat", "--archive", location, stdin="short\n")
    assert bad.returncode == 2 and "at least 8" in bad.stderr and bad.stderr.count("\n") == 1
    assert vanban("users", "token", "nobody", "--archive", location).returncode == 2
    assert vanban("users", "list", "--archive", str(tmp_path / "missing.sqlite")).returncode == 3


def test_serve_prints_its_address_and_serves(tmp_path: Path) -> None:
    location = str(tmp_path / "archive.sqlite")
    add_users(location, [("an", "reader", "none")])
    assert vanban("serve", "--archive", str(tmp_path / "typo.sqlite")).returncode == 3
    proc = subprocess.Popen([*VANBAN, "serve", "--archive", location, "--port", "0", "--cache", str(tmp_path / "c")],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip
    try:
        line = proc.stdout.readline().strip()
        match = re.fullmatch(r"serving on http://127\.0\.0\.1:(\d+)", line)
        assert match, line
        with urllib.request.urlopen(f"http://127.0.0.1:{match.group(1)}/", timeout=10) as response:
            assert response.status == 200 and 'action="/login"' in response.read().decode()
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_one_worker_per_archive_across_server_processes(tmp_path: Path) -> None:
    """With ``--processes N`` every process starts a worker; only the one holding the lock ingests."""
    from pipeline.web.uploads import Worker

    location = str(tmp_path / "archive.sqlite")
    add_users(location, [("ed", "editor", "none")])
    workers = [Worker(lambda: open_archive(location), Settings(workers=1), tmp_path / ".worker.lock") for _ in "ab"]
    for w in workers:
        w.start()
    try:
        assert [w.thread is not None for w in workers] == [True, False]
    finally:
        workers[0].stop()
    workers[1].start()  # the lock is free again: the next process to start takes it
    assert workers[1].thread is not None
    workers[1].stop()


def test_serve_with_several_processes(tmp_path: Path) -> None:
    location = str(tmp_path / "archive.sqlite")
    add_users(location, [("an", "reader", "none")])
    proc = subprocess.Popen([*VANBAN, "serve", "--archive", location, "--port", "0", "--processes", "2",
                             "--cache", str(tmp_path / "c"), "--uploads", str(tmp_path / "u")],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip
    try:
        line = proc.stdout.readline().strip()
        port = re.fullmatch(r"serving on http://127\.0\.0\.1:(\d+)", line).group(1)
        for _ in range(4):  # the socket listens before the processes answer: connections wait, none is refused
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=60) as response:
                assert response.status == 200 and 'action="/login"' in response.read().decode()
    finally:
        proc.terminate()
        proc.wait(timeout=60)
