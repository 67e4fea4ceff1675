"""End to end in a real headless Chromium (Debian's, driven by Playwright; nothing is downloaded):
``vanban serve`` on an archive of a real scanned sample, then what a staff member does — sign in,
search ``kien an``, open the hit and see the page image with the words highlighted, locate a field
on the scan, correct a field and find it by search, upload a scan and watch its batch finish,
download the searchable PDF. Each page is saved as a screenshot in ``.work/screenshots`` (git
ignores it) for a person to look at.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parents[1]
SHOTS = ROOT / ".work" / "screenshots"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"]  # fmt: skip
VANBAN = [sys.executable, "-m", "pipeline.cli"]
PASSWORD = "mật khẩu thử nghiệm"
FONT = "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf"

pytestmark = pytest.mark.slow


def run(*args: str, stdin: str | None = None) -> None:
    subprocess.run([*VANBAN, *args], input=stdin, check=True, capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (scripts/setup.sh --test installs it)")
    pytest.importorskip("playwright")
    root = tmp_path_factory.mktemp("browser")
    archive = str(root / "archive.sqlite")
    scans = root / "scans"
    scans.mkdir()
    for name in ("01-cv-kien-an-clean.pdf", "03-ttr-ktht-rotate90.pdf", "11-qd-kien-an-fax.tiff"):
        shutil.copy(ROOT / "samples" / name, scans)
    run("ingest", str(scans), "--archive", archive, "--workers", "2")
    run("users", "add", "lan", "--role", "editor", "--clearance", "none", "--archive", archive, stdin=PASSWORD + "\n")
    proc = subprocess.Popen(
        [*VANBAN, "serve", "--archive", archive, "--port", "0", "--workers", "1", "--cache", str(root / "cache")],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        line = proc.stdout.readline().strip()
        assert re.fullmatch(r"serving on http://127\.0\.0\.1:\d+", line), (line, proc.stderr.read())
        yield line.split()[-1]
    finally:
        proc.terminate()
        proc.wait(timeout=30)


@pytest.fixture(scope="module")
def page(server: str):
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        context = browser.new_context(viewport={"width": 1400, "height": 900}, accept_downloads=True, locale="vi-VN")
        tab = context.new_page()
        tab.set_default_timeout(60_000)
        yield tab
        browser.close()


def shot(page, name: str, full: bool = False) -> None:
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=full)


def scan(path: Path) -> Path:
    """A one-page scan with a notice on it, to upload."""
    img = Image.new("L", (1240, 1754), 255)
    draw = ImageDraw.Draw(img)
    font = ImageFont.truetype(FONT, 34)
    lines = ["ỦY BAN NHÂN DÂN PHƯỜNG KIẾN AN", "THÔNG BÁO", "Về việc kiểm tra định kỳ kho lưu trữ năm 2025",
             "Các phòng chuẩn bị hồ sơ lưu trữ trước ngày 15/12/2025."]  # fmt: skip
    for i, line in enumerate(lines):
        draw.text((120, 200 + 70 * i), line, font=font, fill=0)
    img.save(path, dpi=(150, 150))
    return path


def test_staff_member_end_to_end(page, server: str, tmp_path: Path) -> None:
    # a visitor gets the sign-in page, nothing else
    page.goto(server + "/deadlines")
    assert page.locator("form[action='/login']").is_visible()
    shot(page, "01-login")
    page.fill("input[name=name]", "lan")
    page.fill("input[name=password]", PASSWORD)
    page.click("form[action='/login'] button[type=submit]")
    page.wait_for_url(re.compile(r"/deadlines$"))  # back where the visitor was going
    page.goto(server + "/deadlines?from=2025-01-01&to=2025-12-31")
    assert page.locator("table.deadlines tr.overdue").count() >= 1
    shot(page, "02-deadlines", full=True)

    # search without accents; the hit's snippet has the words highlighted
    page.goto(server + "/")
    page.fill("input[name=q]", "kien an")
    page.press("input[name=q]", "Enter")
    page.wait_for_selector(".result")
    assert page.locator(".result mark").count() >= 1
    assert "Kiến An" in page.locator(".result mark").first.inner_text().title()
    shot(page, "03-search", full=True)

    # the hit opens at its page: the scan is shown, the search words are marked on it and in the text
    page.click(".result a.title:has-text('UBND-KTHT')")
    page.wait_for_selector("#page-image")
    page.wait_for_function("document.getElementById('page-image').complete && "
                           "document.getElementById('page-image').naturalWidth > 0")  # fmt: skip
    assert page.locator("svg.overlay polygon.hit").count() >= 2
    assert page.locator(".text .w.hit").count() >= 2
    assert "kiến" in page.locator(".text .w.hit").first.inner_text().lower()
    document_url = page.url
    shot(page, "04-document")
    # a field's provenance: its box on the image
    page.click("a.locate[data-field=issuer]")
    assert page.locator("#f-issuer").is_visible()
    assert page.locator("#f-issuer polygon").count() >= 1
    shot(page, "05-field-box")
    page.locator(".zoom button[data-zoom='1']").click()
    assert "z2" in page.locator("#sheet").get_attribute("class")
    shot(page, "05-zoomed")
    page.locator(".zoom button[data-zoom='0']").click()

    # correct a field; search shows the corrected value at once
    page.goto(document_url)
    row = page.locator("#field-subject")
    row.locator("summary").click()
    row.locator("input[name=value]").fill("triển khai bình chọn sản phẩm tiêu biểu Đồng Khởi")
    row.locator("button[type=submit]").click()
    page.wait_for_selector(".notice")
    assert "Đã sửa bởi lan" in page.locator("#field-subject").inner_text()
    shot(page, "06-corrected", full=True)
    page.goto(server + "/?q=kien+an")
    page.wait_for_selector(".result")
    assert "Đồng Khởi" in page.locator(".result", has_text="UBND-KTHT").locator(".subject").inner_text()

    # upload a scan and watch the batch finish (the page reloads itself until it is done)
    page.goto(server + "/upload")
    page.set_input_files("input[name=files]:not([webkitdirectory])", str(scan(tmp_path / "thong-bao-kiem-tra.png")))
    page.click("form.upload button[type=submit]")
    page.wait_for_url(re.compile(r"/batches/\d+$"))
    shot(page, "07-batch-running")
    page.wait_for_selector(".batch-state[data-state=done]", timeout=300_000)
    assert "đã lưu vào kho" in page.locator("table.files").inner_text()
    shot(page, "08-batch-done")
    page.goto(server + "/?q=kiem+tra+dinh+ky")
    page.wait_for_selector(".result")

    # download the searchable PDF of the first document
    page.goto(document_url)
    with page.expect_download() as info:
        page.click("a[data-format=pdf]")
    pdf = tmp_path / "copy.pdf"
    info.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF-")
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Kiến An" in text
