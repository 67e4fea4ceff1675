"""Exports: searchable PDF text layer, legacy encodings, structure, txt/md/docx/json, HTML report, CLI."""

from __future__ import annotations

import json
import math
import shutil
import subprocess
import unicodedata
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from pipeline.export import FORMATS, DecodeError, ExportError, decode_text, encode_text, export, write_pdf
from pipeline.export.docx_writer import read_custom_properties
from pipeline.export.structure import parse_structure
from pipeline.export.text import to_markdown, to_txt
from pipeline.types import (
    Alternative,
    Box,
    DocumentRecord,
    Fields,
    OcrWord,
    PageGeometry,
    PageRecord,
    RestoredText,
    RestoredToken,
    Signer,
)
from pipeline.vietnamese import WORD_RE, fold


def from_text(path: Path, *, restore: bool = True) -> tuple[DocumentRecord, RestoredText | None]:
    """A text file as the CLI loads it: one page, restored unless told not to, fields read."""
    from pipeline.run import load_document
    from pipeline.settings import Settings

    loaded = load_document(path, Settings(restore=restore))
    return loaded.record, loaded.restored

FONT = "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf"
TEXTS = Path(__file__).resolve().parent / "data" / "export" / "texts"  # the three real letters (README.md there)
KIEN_AN = TEXTS / "cv-kien-an-binh-chon-san-pham-2025.txt"
SAMPLE = "Ủy ban nhân dân phường Kiến An"
LINES = [
    "ỦY BAN NHÂN DÂN",
    "PHƯỜNG KIẾN AN",
    "Kiến An, ngày 11 tháng 9 năm 2025",
    "Kính gửi: Phòng Văn hoá – Xã hội; Phòng Kinh tế, Hạ tầng và Đô thị;",
    "Thực hiện Kế hoạch số 225/KH-UBND ngày 03/9/2025 của Ủy ban nhân dân thành phố",
    "về tổ chức bình chọn sản phẩm công nghiệp nông thôn tiêu biểu năm 2025.",
    "Nơi nhận:",
    "- Lưu: VT, KTHTĐT.",
    "PHÓ CHỦ TỊCH",
    "Nguyễn Tùng Lâm",
]


def syllables(text: str) -> list[str]:
    return WORD_RE.findall(text)


def render_page(lines: list[str], dpi: int, noise: bool = True) -> tuple[Image.Image, list[tuple[str, Box, int]]]:
    """An A4 page of text and the exact box of every word, as OCR would report them."""
    width, height = int(8.27 * dpi), int(11.69 * dpi)
    img = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(img)
    font = ImageFont.truetype(FONT, int(dpi * 13 / 72))
    words = []
    y = dpi
    for number, line in enumerate(lines):
        x = dpi
        for text in line.split():
            left, top, right, bottom = draw.textbbox((x, y), text, font=font)
            draw.text((x, y), text, font=font, fill=0)
            words.append((text, Box(left, top, right - left, bottom - top), number))
            x = right + int(font.getlength(" "))
        y += int(dpi * 0.32)
    if not noise:
        return img, words
    # Speckle noise makes the JPEG about as large, per page, as a real scan's.
    speckle = Image.effect_noise((width, height), 12).point(lambda v: 255 if v > 140 else 0)
    img = Image.composite(img, speckle.convert("L"), img.point(lambda v: 255 if v < 128 else 0).convert("1"))
    return img, words


def make_record(
    path: Path, words: list[tuple[str, Box, int]], size: tuple[int, int], geometry: PageGeometry | None = None
) -> DocumentRecord:
    """The record ingest would make of a page whose cleaned image is ``size`` with the words on ``words``."""
    ocr = tuple(OcrWord(fold(t), box, 88.0, 0, line) for t, box, line in words)
    restored = tuple(t for t, _, _ in words)
    page = PageRecord(
        index=0,
        raw_text=fold("\n".join(LINES)),
        restored_text="\n".join(LINES),
        words=ocr,
        restored_words=restored,
        mean_confidence=88.0,
        source="ocr",
        seconds=0.5,
        width=size[0],
        height=size[1],
        geometry=geometry,
    )
    fields = Fields(subject="bình chọn sản phẩm công nghiệp nông thôn", issuer="Ủy ban nhân dân phường Kiến An")
    return DocumentRecord("ab" * 32, str(path), path.stat().st_size, (page,), fields)


@pytest.fixture(scope="module")
def scans(tmp_path_factory) -> dict[str, DocumentRecord]:
    folder = tmp_path_factory.mktemp("scans")
    img, words = render_page(LINES, 200)
    img.save(folder / "page.jpg", quality=80, dpi=(200, 200))
    img.save(folder / "page.png", dpi=(200, 200))
    img.save(folder / "page.pdf", resolution=200)
    geometry = PageGeometry(0, 0.0, 1.0, 200)
    return {ext: make_record(folder / f"page.{ext}", words, img.size, geometry) for ext in ("jpg", "png", "pdf")}


def pdftotext(path: Path, *args: str) -> str:
    return subprocess.run(["pdftotext", *args, str(path), "-"], capture_output=True, check=True).stdout.decode()


# --- Searchable PDF ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("ext", ["jpg", "png", "pdf"])
def test_pdf_text_layer_gives_back_restored_words(scans, tmp_path, ext):
    record = scans[ext]
    out = tmp_path / "out.pdf"
    result = write_pdf(record, out)
    text = pdftotext(out, "-raw")
    # Same syllables in the same order, byte-exact (no normalisation of what pdftotext returns).
    assert syllables(text) == syllables(" ".join(record.pages[0].restored_words))
    assert unicodedata.is_normalized("NFC", text)
    assert result.words == len(record.pages[0].words)
    # A viewer's search: the phrase is found across the word boundary, on the right line.
    assert "Kiến An, ngày 11" in pdftotext(out)
    assert fold("Kiến An") not in pdftotext(out)


def test_pdf_words_sit_on_their_ocr_boxes(scans, tmp_path):
    record = scans["jpg"]
    out = tmp_path / "out.pdf"
    write_pdf(record, out)
    bbox = pdftotext(out, "-bbox")
    scale = 72 / 200
    import re

    found = re.findall(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">KIẾN<', bbox)
    assert len(found) == 1
    page = record.pages[0]
    box = next(w.box for t, w in zip(page.restored_words, page.words, strict=True) if t == "KIẾN")
    x0, y0, x1, y1 = (float(v) for v in found[0])
    assert abs(x0 - box.left * scale) < 1.0
    assert abs(x1 - box.right * scale) < 1.5
    assert y0 < box.bottom * scale and y1 > box.top * scale  # vertical overlap with the ink


def test_pdf_splits_words_whose_boxes_overlap(scans, tmp_path):
    """Garbled OCR gives neighbours touching or overlapping boxes; every word must still come back apart."""
    record = scans["png"]
    page = record.pages[0]
    words = list(page.words)
    for k in range(1, len(words)):  # pull every word's box left over its neighbour's
        w, prev = words[k], words[k - 1]
        if w.line == prev.line:
            box = Box(prev.box.right - prev.box.width // 3, w.box.top, w.box.width, w.box.height)
            words[k] = OcrWord(w.text, box, w.confidence, w.block, w.line)
    squeezed = replace(page, words=tuple(words))
    out = tmp_path / "out.pdf"
    write_pdf(replace(record, pages=(squeezed,)), out)
    assert syllables(pdftotext(out, "-raw")) == syllables(" ".join(page.restored_words))


def word_bbox(pdf: Path, word: str) -> tuple[float, float, float, float]:
    """The box pdftotext gives the one occurrence of ``word`` (points, y down)."""
    import re

    pattern = rf'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">{word}<'
    found = re.findall(pattern, pdftotext(pdf, "-bbox"))
    assert len(found) == 1
    x0, y0, x1, y1 = (float(v) for v in found[0])
    return x0, y0, x1, y1


def test_pdf_follows_a_scan_that_the_cleanup_turned(tmp_path):
    """An upside-down scan: the archive's boxes are on the cleaned (upright) page; the layer must land on
    the original's ink, turned back by the stored rotation."""
    upright, words = render_page(LINES, 300, noise=False)
    scan = tmp_path / "upside-down.png"
    upright.rotate(180).save(scan, dpi=(300, 300))
    record = make_record(scan, words, upright.size, PageGeometry(180, 0.0, 1.0, 300))
    out = tmp_path / "out.pdf"
    result = write_pdf(record, out)
    assert result.notes == []
    assert syllables(pdftotext(out, "-raw")) == syllables("\n".join(LINES))
    box = next(b for t, b, _ in words if t == "KIẾN")
    scale, (width, height) = 72 / 300, upright.size
    x0, y0, x1, y1 = word_bbox(out, "KIẾN")
    # Turned 180°: the word's right edge is now its left, measured from the page's other side.
    assert abs(x0 - (width - box.right) * scale) < 2 and abs(x1 - (width - box.left) * scale) < 2
    assert y0 < (height - box.top) * scale and y1 > (height - box.bottom) * scale


@pytest.mark.parametrize("fmt", ["png", "tiff"])
@pytest.mark.parametrize("orientation", [2, 4, 5, 7])
def test_pdf_of_an_exif_mirrored_scan_shows_it_as_ingest_read_it(tmp_path, orientation, fmt):
    """A scan whose EXIF orientation mirrors it (2, 4, 5, 7): ingest OCRs the upright page, so the copy
    must show that page, with the words on their ink (img2pdf ignores mirrored orientations: the copy
    showed the stored, mirrored pixels under a layer of words on the upright page)."""
    upright, words = render_page(LINES, 150, noise=False)
    undo = {2: Image.Transpose.FLIP_LEFT_RIGHT, 4: Image.Transpose.FLIP_TOP_BOTTOM,
            5: Image.Transpose.TRANSPOSE, 7: Image.Transpose.TRANSVERSE}  # fmt: skip
    scan = tmp_path / f"mirrored.{fmt}"
    exif = Image.Exif()
    exif[274] = orientation
    tags = {"tiffinfo": {274: orientation}, "compression": "raw"} if fmt == "tiff" else {"exif": exif}
    upright.transpose(undo[orientation]).save(scan, dpi=(150, 150), **tags)
    record = make_record(scan, words, upright.size, PageGeometry(0, 0.0, 1.0, 150))
    out = tmp_path / "out.pdf"
    assert write_pdf(record, out).notes == []
    shown_png = tmp_path / "shown"
    subprocess.run(["pdftoppm", "-r", "150", "-gray", "-png", "-singlefile", str(out), str(shown_png)], check=True)
    shown = np.asarray(Image.open(tmp_path / "shown.png").convert("L").resize(upright.size), dtype=float)
    assert np.abs(shown - np.asarray(upright, dtype=float)).mean() < 1  # 3.8 when shown mirrored
    box = next(b for t, b, _ in words if t == "KIẾN")
    x0, y0, x1, y1 = word_bbox(out, "KIẾN")
    assert abs(x0 - box.left * 72 / 150) < 2 and abs(y0 - box.top * 72 / 150) < 4


def skewed_scan(tmp_path: Path, angle: float, dpi: int = 300) -> tuple[DocumentRecord, Image.Image]:
    """A scan turned ``angle``° counter-clockwise and its record as ingest makes it: the boxes are on the
    cleaned page, the scan turned back clockwise on a canvas grown to hold it (the upright page centred)."""
    upright, words = render_page(LINES, dpi, noise=False)
    scan = upright.rotate(angle, resample=Image.BICUBIC, expand=True, fillcolor=255)
    path = tmp_path / "skewed.png"
    scan.save(path, dpi=(dpi, dpi))
    a = math.radians(angle)
    width = math.ceil(scan.height * abs(math.sin(a)) + scan.width * math.cos(a))
    height = math.ceil(scan.height * math.cos(a) + scan.width * abs(math.sin(a)))
    dx, dy = (width - upright.width) // 2, (height - upright.height) // 2
    moved = [(t, Box(b.left + dx, b.top + dy, b.width, b.height), line) for t, b, line in words]
    return make_record(path, moved, (width, height), PageGeometry(0, angle, 1.0, dpi)), upright


def test_pdf_words_follow_the_stored_skew_and_deskewed_pages_read_in_order(tmp_path):
    record, upright = skewed_scan(tmp_path, 2.0)
    text = " ".join(record.pages[0].restored_words)
    out = tmp_path / "original.pdf"
    assert write_pdf(record, out).notes == []
    # On the original, each word sits on its tilted ink: "Nguyễn", low on the page, is further right
    # than its box on the level page (a counter-clockwise turn moves the bottom of the page right).
    box = next(b for t, b, _ in make_words(record) if t == "Nguyễn")
    scan_w = Image.open(record.path).width
    cx = (word_bbox(out, "Nguyễn")[0] + word_bbox(out, "Nguyễn")[2]) / 2
    x_level = (box.left + box.width / 2 - (record.pages[0].width - scan_w) / 2) * 72 / 300
    a = math.radians(2.0)
    expected = x_level + (box.top - record.pages[0].height / 2) * math.sin(a) * 72 / 300
    assert abs(cx - expected) < 3
    assert syllables(pdftotext(out, "-raw")) == syllables(text)  # content order is right either way
    flat = tmp_path / "deskewed.pdf"
    result = write_pdf(record, flat, page_image="deskewed")
    assert result.notes == [] and result.pdfa, result.findings
    # A reader by position (pdftotext without -raw) reads the level page line by line.
    assert syllables(pdftotext(flat)) == syllables(text)
    import pikepdf

    with pikepdf.open(flat) as pdf:
        page = pdf.pages[0]
        assert [round(float(v)) for v in page.mediabox] == [0, 0, round(record.pages[0].width * 72 / 300),
                                                          round(record.pages[0].height * 72 / 300)]  # fmt: skip
        assert "/Rotate" not in page.obj
    x0, y0, x1, y1 = word_bbox(flat, "Nguyễn")
    assert abs(x0 - box.left * 72 / 300) < 1.5 and abs(y1 - box.bottom * 72 / 300) < 3  # on the level page


def make_words(record: DocumentRecord) -> list[tuple[str, Box, int]]:
    page = record.pages[0]
    return [(r, w.box, w.line) for w, r in zip(page.words, page.restored_words, strict=True)]


def test_pdf_without_stored_geometry_or_with_another_original_scales_the_layer_with_a_note(tmp_path):
    record, _ = skewed_scan(tmp_path, 2.0)
    old = replace(record, pages=(replace(record.pages[0], geometry=None),))  # archived before schema 4
    result = write_pdf(old, tmp_path / "old.pdf")
    assert len(result.notes) == 1 and "no page geometry" in result.notes[0]
    assert syllables(pdftotext(tmp_path / "old.pdf", "-raw")) == syllables(" ".join(record.pages[0].restored_words))
    other = tmp_path / "other.png"  # an original of another size than the one processed
    Image.new("L", (1000, 1000), 255).save(other, dpi=(300, 300))
    result = write_pdf(replace(record, path=str(other)), tmp_path / "other.pdf", page_image="deskewed")
    assert len(result.notes) == 1 and "not the archived" in result.notes[0]
    with pytest.raises(ExportError, match="unknown page image 'tilted'"):
        write_pdf(record, tmp_path / "x.pdf", page_image="tilted")


def test_pdf_keeps_jpeg_bytes_and_size(scans, tmp_path):
    import pikepdf

    record = scans["jpg"]
    out = tmp_path / "out.pdf"
    write_pdf(record, out)
    original = Path(record.path).read_bytes()
    with pikepdf.open(out) as pdf:
        images = list(pdf.pages[0].get_images().values())
        assert len(images) == 1
        assert images[0].Filter == "/DCTDecode"
        assert images[0].read_raw_bytes() == original  # embedded unchanged, not re-encoded
    assert out.stat().st_size <= 1.3 * len(original)


def test_pdf_from_pdf_keeps_page_content_and_size(scans, tmp_path):
    import pikepdf

    record = scans["pdf"]
    out = tmp_path / "out.pdf"
    write_pdf(record, out)
    with pikepdf.open(record.path) as src, pikepdf.open(out) as dst:
        before = [im.read_raw_bytes() for im in src.pages[0].get_images().values()]
        after = [im.read_raw_bytes() for im in dst.pages[0].get_images().values()]
        assert before == after
        assert list(dst.pages[0].mediabox) == list(src.pages[0].mediabox)
    assert out.stat().st_size <= 1.3 * record.size


def test_pdf_is_pdfa_2b_by_the_validator(scans, tmp_path):
    from pikepdf.pdfa import validate_written

    out = tmp_path / "out.pdf"
    result = write_pdf(scans["png"], out)
    assert result.pdfa, result.findings
    report = validate_written(out, "2b")
    assert report.passed, report.summary()
    fonts = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True, check=True).stdout
    assert "LiberationSerif" in fonts and " yes yes yes " in fonts  # embedded, subset, ToUnicode


def test_pdf_without_pdfa_is_not_declared(scans, tmp_path):
    from pikepdf.pdfa import validate_written

    out = tmp_path / "out.pdf"
    result = write_pdf(scans["png"], out, pdfa=False)
    assert not result.pdfa
    assert not validate_written(out, "2b").passed


def test_pdf_errors_name_the_file(scans, tmp_path):
    record = scans["jpg"]
    moved = DocumentRecord(record.sha256, str(tmp_path / "gone.jpg"), record.size, record.pages, record.fields)
    with pytest.raises(ExportError, match="gone.jpg: original file not found"):
        write_pdf(moved, tmp_path / "out.pdf")
    other = tmp_path / "other.pdf"
    Image.new("L", (100, 100), 255).save(other)
    two = DocumentRecord(record.sha256, str(other), 1, record.pages * 2, record.fields)
    with pytest.raises(ExportError, match="other.pdf: has 1 pages but the record has 2"):
        write_pdf(two, tmp_path / "out.pdf")


def test_pdf_needs_word_boxes(tmp_path):
    src = tmp_path / "a.txt"
    src.write_text(SAMPLE, encoding="utf-8")
    record, _ = from_text(src, restore=False)
    with pytest.raises(ExportError, match="a.txt: no OCR word boxes"):
        export(record, "pdf", tmp_path / "a.pdf")


# --- Legacy encodings -------------------------------------------------------------------------------------
MOTTO = "Độc lập - Tự do - Hạnh phúc\nKính gửi: Phòng Văn hoá – Xã hội;"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-be", "cp1258", "tcvn3", "vni"])
@pytest.mark.parametrize("text", [SAMPLE, SAMPLE.upper(), MOTTO])
def test_each_encoding_converts(encoding, text):
    data = encode_text(text, encoding)
    assert data != text.encode("utf-8") or encoding == "utf-8"
    decoded, name = decode_text(data)
    assert decoded == text
    assert unicodedata.is_normalized("NFC", decoded)
    assert name == {"utf-16": "utf-16-le"}.get(encoding, encoding)


def test_legacy_bytes_are_what_the_tables_say():
    # Spot checks from the published tables, independent of our encoder.
    assert decode_text(b"Ki\xd5n An, ph\xad\xeang")[0] == "Kiến An, phường"  # TCVN3: ế=D5, ư=AD, ờ=EA
    assert decode_text("Kieán An, phöôøng".encode("cp1252")) == ("Kiến An, phường", "vni")
    # Windows-1258 keeps the tone as a combining mark after the letter; the result is NFC.
    assert decode_text(b"Ki\xea\xecn") == ("Kiến", "cp1258")


def test_tcvn3_table_agrees_with_glibc():
    if shutil.which("iconv") is None:
        pytest.skip("iconv not installed")
    from pipeline.encodings import _TCVN3_HIGH

    data = bytes(range(0xA1, 0x100))
    got = subprocess.run(["iconv", "-f", "TCVN5712-1", "-t", "UTF-8"], input=data, capture_output=True)
    if got.returncode:
        pytest.skip("glibc iconv has no TCVN5712-1")
    assert unicodedata.normalize("NFD", got.stdout.decode()) == unicodedata.normalize("NFD", _TCVN3_HIGH[1:])


@pytest.mark.parametrize("encoding", ["cp1258", "tcvn3", "vni", "utf-16"])
def test_real_document_converts(encoding):
    text = KIEN_AN.read_text(encoding="utf-8")
    decoded, name = decode_text(encode_text(text, encoding))
    assert name == {"utf-16": "utf-16-le"}.get(encoding, encoding)
    if encoding == "tcvn3":
        # TCVN3 has no toned capitals: "Ủy" was typed as "ủy". Letters are right; case is restored only
        # where it can be told (all-capital words, line starts).
        assert decoded.lower() == text.lower()
        assert "ỦY BAN NHÂN DÂN" in decoded and "PHƯỜNG KIẾN AN" in decoded and "Kiến An" in decoded
    else:
        assert decoded == text


def test_binary_is_refused():
    with pytest.raises(DecodeError, match="binary"):
        decode_text(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")


# --- Structure and text formats -----------------------------------------------------------------------------
def test_structure_of_a_real_letter():
    doc = parse_structure(KIEN_AN.read_text(encoding="utf-8"))
    assert doc.header_left[:2] == ["ỦY BAN NHÂN DÂN", "PHƯỜNG KIẾN AN"]
    assert doc.header_left[-1].startswith("V/v triển khai Kế hoạch") and doc.header_left[-1].endswith("năm 2025")
    assert doc.header_right == ["CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                                "Kiến An, ngày 11 tháng 9 năm 2025"]  # fmt: skip
    assert doc.addressees[0] == "- Phòng Văn hoá – Xã hội;" and len(doc.addressees) == 5
    assert [p.text[:2] for p in doc.body if p.kind == "heading"] == ["1.", "2.", "3."]
    assert sum(p.kind == "item" for p in doc.body) == 5
    # Hard-wrapped lines are joined: "của Ủy" / "ban nhân dân" is one paragraph.
    assert "của Ủy ban nhân dân thành phố" in doc.body[0].text
    assert doc.recipients == ["- Như kính gửi;", "- Lưu: VT, KTHTĐT."]
    assert doc.signature == ["TM. UỶ BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Nguyễn Tùng Lâm"]


def with_fields(record: DocumentRecord, **changes) -> DocumentRecord:
    """The record with some fields changed (records and fields are frozen)."""
    return replace(record, fields=replace(record.fields, **changes))


def text_record(tmp_path: Path, text: str) -> DocumentRecord:
    src = tmp_path / "letter.txt"
    src.write_text(text, encoding="utf-8")
    record, _ = from_text(src, restore=False)
    return record


@pytest.mark.parametrize("name", sorted(p.name for p in TEXTS.glob("*.txt")))
def test_txt_keeps_every_syllable_in_order(tmp_path, name):
    text = (TEXTS / name).read_text(encoding="utf-8")
    record = text_record(tmp_path, text)
    assert syllables(to_txt(record)) == syllables(text)


def test_markdown_front_matter_and_structure(tmp_path):
    record = text_record(tmp_path, KIEN_AN.read_text(encoding="utf-8"))
    record = with_fields(record, number="225", symbol="UBND-KTHT&ĐT", recipients=("Phòng Văn hoá – Xã hội",))
    md = to_markdown(record)
    head, body = md.split("\n---\n", 1)
    front = {}
    for line in head.splitlines()[1:]:
        key, _, value = line.partition(": ")
        front[key] = json.loads(value)  # JSON values are YAML flow scalars
    assert front["number"] == "225" and front["symbol"] == "UBND-KTHT&ĐT"
    assert front["recipients"] == ["Phòng Văn hoá – Xã hội"]
    assert "**ỦY BAN NHÂN DÂN**" in body
    assert "### 1\\. Phòng Văn hoá – Xã hội, Trung tâm sự nghiệp công:" in body
    assert "- Như kính gửi;" in body and "**Nơi nhận:**" in body
    assert body.rstrip().endswith("**Nguyễn Tùng Lâm**")


def test_docx_has_text_and_properties(tmp_path):
    import docx

    record = text_record(tmp_path, KIEN_AN.read_text(encoding="utf-8"))
    record = with_fields(record, subject="triển khai Kế hoạch bình chọn", issuer="Ủy ban nhân dân phường Kiến An")
    out = export(record, "docx", tmp_path / "out.docx")
    document = docx.Document(str(out))
    props = document.core_properties
    assert props.title == "triển khai Kế hoạch bình chọn"
    assert props.author == "Ủy ban nhân dân phường Kiến An"
    custom = read_custom_properties(out)
    assert custom["vanban.issuer"] == "Ủy ban nhân dân phường Kiến An"
    assert custom["vanban.subject"] == "triển khai Kế hoạch bình chọn"
    assert json.loads(custom["vanban.fields_json"]) == record.fields.to_json()
    assert "Ủy ban nhân dân phường Kiến An" in props.comments  # a readable summary, within Word's limit
    parts = []
    for table_or_para in document.element.body.iter():
        if table_or_para.tag.endswith("}t"):
            parts.append(table_or_para.text or "")
    assert syllables(" ".join(parts)) == syllables(KIEN_AN.read_text(encoding="utf-8"))
    assert any(p.style.name == "List Bullet" for p in document.paragraphs)


def test_docx_keeps_long_fields_whole(tmp_path):
    """Core properties stop at 255 characters; long fields are shortened there but whole in the custom ones."""
    import docx

    record = with_fields(
        text_record(tmp_path, KIEN_AN.read_text(encoding="utf-8")),
        subject="triển khai Kế hoạch bình chọn sản phẩm công nghiệp nông thôn tiêu biểu " * 6,
        recipients=tuple(f"Phòng số {i} – Ủy ban nhân dân phường Kiến An" for i in range(12)),
        signer=Signer("Nguyễn Tùng Lâm", "PHÓ CHỦ TỊCH"),
    )
    out = export(record, "docx", tmp_path / "long.docx")
    props = docx.Document(str(out)).core_properties
    assert len(props.title) == 255 and props.title.endswith("…")
    custom = read_custom_properties(out)
    assert custom["vanban.subject"] == record.fields.subject
    assert custom["vanban.recipients"].splitlines() == list(record.fields.recipients)
    assert custom["vanban.signer"] == "name: Nguyễn Tùng Lâm, title: PHÓ CHỦ TỊCH"
    assert json.loads(custom["vanban.fields_json"])["recipients"] == list(record.fields.recipients)


def test_json_carries_fields_pages_and_words(scans, tmp_path):
    record = scans["jpg"]
    data = json.loads(export(record, "json", tmp_path / "out.json").read_text(encoding="utf-8"))
    assert data["fields"]["issuer"] == "Ủy ban nhân dân phường Kiến An"
    words = data["pages"][0]["words"]
    assert [w["restored"] for w in words] == list(record.pages[0].restored_words)
    assert words[0]["box"] == [record.pages[0].words[0].box.left, record.pages[0].words[0].box.top,
                               record.pages[0].words[0].box.width, record.pages[0].words[0].box.height]  # fmt: skip
    assert data["text"] == "\n".join(LINES)
    assert data["pages"][0]["geometry"] == {"rotation": 0, "skew": 0.0, "scale": 1.0, "dpi": 200}


# --- HTML review report -----------------------------------------------------------------------------------
def restored_sample() -> RestoredText:
    original = "Uy ban nhan dan phuong Kien An"
    out_words = SAMPLE.split()
    tokens, pos = [], 0
    for i, (o, r) in enumerate(zip(original.split(), out_words, strict=True)):
        start = original.index(o, pos)
        pos = start + len(o)
        low = i == 4
        alts = (Alternative("phượng", 0.31),) if low else ()
        tokens.append(RestoredToken(o, r, start, pos, 0.55 if low else 0.97, alts, flagged=low))
    return RestoredText(original, SAMPLE, tuple(tokens))


def side_by_side(html: str) -> str:
    """The report's text table only (the legend above it shows one sample of each mark)."""
    return html.split('<table class="side">', 1)[1].split("</table>", 1)[0]


def test_html_marks_every_change_and_doubt(tmp_path):
    import re

    src = tmp_path / "a.txt"
    src.write_text("Uy ban nhan dan phuong Kien An", encoding="utf-8")
    record, _ = from_text(src, restore=False)
    restored = restored_sample()
    html = export(record, "html", tmp_path / "r.html", restored=restored).read_text(encoding="utf-8")
    table = side_by_side(html)
    changed = [t for t in restored.tokens if t.changed]
    assert [t.original for t in changed] == ["Uy", "nhan", "dan", "phuong", "Kien"]  # "ban", "An" stay
    # Each change: struck through on the left, highlighted on the right, in order.
    assert re.findall(r'<span class="chg-o">([^<]*)</span>', table) == [t.original for t in changed]
    assert re.findall(r'<span class="chg[ "][^>]*>([^<]*)</span>', table) == [t.restored for t in changed]
    assert "ban" in table and ">ban<" not in table  # unchanged words are not wrapped
    assert re.search(r'class="chg low" title="phuong → phường; xác suất 0.55; phương án khác: phượng \(0.31\)"', table)
    assert f'id="n-changed">{len(changed)}<' in html
    assert f'id="n-flagged">{sum(t.flagged for t in restored.tokens)}<' in html
    assert "<script" not in html and "http" not in html.replace("http-equiv", "")  # self-contained


def test_html_lists_fields(tmp_path):
    src = tmp_path / "a.txt"
    src.write_text("Uy ban nhan dan phuong Kien An", encoding="utf-8")
    record, _ = from_text(src, restore=False)
    record = with_fields(
        record, number="225", symbol="KH-UBND", recipients=("Phòng Văn hoá – Xã hội", "Phòng Kinh tế <Hạ tầng>")
    )
    html = export(record, "html", tmp_path / "r.html", restored=restored_sample()).read_text(encoding="utf-8")
    fields = html.split('<table class="fields">', 1)[1].split("</table>", 1)[0]
    assert "<th>number</th><td>225</td>" in fields and "<th>symbol</th><td>KH-UBND</td>" in fields
    assert "Phòng Văn hoá – Xã hội<br>Phòng Kinh tế &lt;Hạ tầng&gt;" in fields  # escaped, one per line


def test_html_with_the_restorer_marks_what_it_changed(tmp_path):
    """Whatever the restorer returns, the report highlights exactly the tokens it changed."""
    import re

    src = tmp_path / "a.txt"
    src.write_text("Uy ban nhan dan phuong Kien An\nKinh gui: Phong Van hoa - Xa hoi", encoding="utf-8")
    record, restored = from_text(src)
    if not restored.tokens:
        pytest.skip("restoration is not installed")
    html = export(record, "html", tmp_path / "r.html", restored=restored).read_text(encoding="utf-8")
    table = side_by_side(html)
    changed = [t for t in restored.tokens if t.changed]
    assert changed, "the restorer changed nothing in plainly unaccented text"
    assert re.findall(r'<span class="chg[ "][^>]*>([^<]*)</span>', table) == [t.restored for t in changed]
    assert len(re.findall(r'class="[^"]*\blow\b', table)) == sum(t.flagged for t in restored.tokens)
    assert f'id="n-changed">{len(changed)}<' in html


def test_html_from_archived_words_marks_changes(scans, tmp_path):
    import re

    record = scans["png"]
    page = record.pages[0]
    html = export(record, "html", tmp_path / "r.html").read_text(encoding="utf-8")
    table = side_by_side(html)
    expected = [r for w, r in zip(page.words, page.restored_words, strict=True) if w.text != r]
    assert expected  # the fixture's OCR words are the folded text
    assert re.findall(r'<span class="chg"[^>]*>([^<]*)</span>', table) == expected
    # One row per OCR line: the damaged line and the restored line side by side, text intact.
    rows = [
        tuple(re.sub(r"<[^>]+>", "", cell) for cell in row)
        for row in re.findall(r"<tr><td>(.*?)</td><td>(.*?)</td></tr>", table)
    ]
    assert rows == [(fold(line), line) for line in LINES]


def test_html_renders_in_headless_chromium(tmp_path):
    browser = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if browser is None:
        pytest.skip("headless Chromium is not installed (apt-get install chromium): cannot check the report renders")
    src = tmp_path / "a.txt"
    src.write_text("Uy ban nhan dan phuong Kien An", encoding="utf-8")
    record, _ = from_text(src, restore=False)
    page = export(record, "html", tmp_path / "r.html", restored=restored_sample())
    shot = tmp_path / "shot.png"
    subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", f"--screenshot={shot}",
         "--window-size=1000,700", page.as_uri()],
        capture_output=True, timeout=120, check=False,
    )  # fmt: skip
    assert shot.exists(), "Chromium wrote no screenshot"
    img = Image.open(shot).convert("RGB")
    assert img.size == (1000, 700)
    colours = img.getcolors(1_000_000)
    # Rendered, not blank: dark text plus the green/red change highlights.
    assert any(c[:3] == (0xD4, 0xF5, 0xDD) for _, c in colours)
    assert any(c[:3] == (0xFD, 0xE2, 0xE1) for _, c in colours)
    assert sum(n for n, c in colours if sum(c) < 200) > 500


# --- CLI --------------------------------------------------------------------------------------------------
def cli(*argv: str) -> int:
    from pipeline.cli import main

    return main(["export", *argv])


@pytest.mark.parametrize("encoding", ["tcvn3", "vni", "cp1258"])
def test_cli_exports_a_legacy_text_file(tmp_path, encoding, capsys):
    src = tmp_path / "cong-van.txt"
    src.write_bytes(encode_text(KIEN_AN.read_text(encoding="utf-8"), encoding))
    out = tmp_path / "out.md"
    assert cli(str(src), "--format", "md", "-o", str(out)) == 0
    md = out.read_text(encoding="utf-8")
    assert "PHƯỜNG KIẾN AN" in md and "Nguyễn Tùng Lâm" in md
    assert str(out) in capsys.readouterr().out


def test_cli_reports_bad_input(tmp_path, capsys):
    src = tmp_path / "blob.txt"
    src.write_bytes(b"\x00\x01\x02\x00binary")
    assert cli(str(src), "--format", "txt", "-o", str(tmp_path / "o.txt")) == 1
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "blob.txt" in err and "binary" in err
    assert cli(str(src), "--format", "pdf", "--all") == 2


def test_cli_all_over_an_archive(scans, tmp_path, capsys):
    archive_mod = pytest.importorskip("pipeline.archive")
    location = tmp_path / "a.sqlite"
    with archive_mod.open_archive(location) as archive:
        for ext in ("jpg", "png"):
            rec = scans[ext]
            archive.add(DocumentRecord(ext * 32, rec.path, rec.size, rec.pages, rec.fields))
    out = tmp_path / "out"
    assert cli("--all", "--format", "pdf", "-o", str(out), "--archive", str(location)) == 0
    files = sorted(out.glob("*.pdf"))
    assert [f.name[:4] for f in files] == ["page", "page"]
    for f in files:
        assert syllables(pdftotext(f, "-raw")) == syllables("\n".join(LINES))
    assert "2 exported" in capsys.readouterr().out


def test_cli_all_reports_a_bad_document_and_goes_on(scans, tmp_path, capsys):
    archive_mod = pytest.importorskip("pipeline.archive")
    location = tmp_path / "a.sqlite"
    rec = scans["png"]
    with archive_mod.open_archive(location) as archive:
        first = archive.add(DocumentRecord("1" * 64, rec.path, rec.size, rec.pages, rec.fields))
        gone = archive.add(DocumentRecord("2" * 64, rec.path, rec.size, rec.pages, rec.fields))
        archive.add(DocumentRecord("3" * 64, str(tmp_path / "moved.png"), rec.size, rec.pages, rec.fields))
        archive.add(DocumentRecord("4" * 64, rec.path, rec.size, rec.pages, rec.fields))
        archive.delete(gone)  # a gap in the ids
    out = tmp_path / "out"
    # Text needs only the archive: all three remaining documents, across the gap the deletion left.
    assert cli("--all", "--format", "txt", "-o", str(out), "--archive", str(location)) == 0
    assert sorted(f.name[-12:] for f in out.glob("*.txt")) == ["11111111.txt", "33333333.txt", "44444444.txt"]
    assert "3 exported" in capsys.readouterr().out and first == "1"
    # A PDF needs the original scan: the moved one fails with its reason, the others are still written.
    assert cli("--all", "--format", "pdf", "-o", str(out), "--archive", str(location)) == 1
    captured = capsys.readouterr()
    assert sorted(f.name[-12:] for f in out.glob("*.pdf")) == ["11111111.pdf", "44444444.pdf"]
    assert "2 exported" in captured.out and "1 failed" in captured.out
    err = [line for line in captured.err.splitlines() if "moved.png" in line]
    assert len(err) == 1 and "original file not found" in err[0]


# --- Output: never over an original, written at once ---------------------------------------------------------
def one_line_err(capsys) -> str:
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0, err
    return err


def test_cli_never_writes_over_the_input_file(tmp_path, capsys, monkeypatch):
    scan = tmp_path / "scan.png"
    Image.new("L", (400, 300), 255).save(scan)
    letter = tmp_path / "scan.pdf"
    letter.write_text("Kính gửi: Phòng Văn hoá – Xã hội", encoding="utf-8")  # a text file named .pdf
    (tmp_path / "sub").mkdir()
    (tmp_path / "link.png").symlink_to(scan)
    (tmp_path / "hard.png").hardlink_to(scan)
    before = scan.read_bytes(), letter.read_bytes()
    for target, fmt, out in [(scan, "pdf", scan), (letter, "txt", letter), (scan, "pdf", tmp_path / "link.png"),
                             (scan, "txt", tmp_path / "hard.png"), (letter, "md", tmp_path / "sub" / ".." / "scan.pdf"),
                             (tmp_path / "link.png", "pdf", scan)]:  # fmt: skip
        assert cli(str(target), "--format", fmt, "-o", str(out)) == 2, (target, out)
        err = one_line_err(capsys)
        assert "an export never replaces it" in err and str(out) in err
    assert (scan.read_bytes(), letter.read_bytes()) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["hard.png", "link.png", "scan.pdf", "scan.png", "sub"]
    monkeypatch.chdir(tmp_path)  # a folder as -o: the default name in it
    (tmp_path / "cv.txt").write_text("Kính gửi: Phòng Văn hoá – Xã hội", encoding="utf-8")
    assert cli("cv.txt", "--format", "md", "-o", "sub") == 0 and (tmp_path / "sub" / "cv.clean.md").exists()


def test_cli_never_writes_over_an_archived_original(scans, tmp_path, capsys, monkeypatch):
    import shutil as sh

    archive_mod = pytest.importorskip("pipeline.archive")
    folder = tmp_path / "scans"
    folder.mkdir()
    originals = {}
    for ext in ("pdf", "png"):
        originals[ext] = folder / f"page.{ext}"
        sh.copy(scans[ext].path, originals[ext])
    location = tmp_path / "a.sqlite"
    with archive_mod.open_archive(location) as archive:
        ids = {ext: archive.add(replace(scans[ext], sha256=ext * 32, path=str(originals[ext].resolve())))
               for ext in originals}  # fmt: skip
    before = {ext: p.read_bytes() for ext, p in originals.items()}
    (tmp_path / "link.pdf").symlink_to(originals["pdf"])
    cases = [(ids["pdf"], "pdf", originals["pdf"]), (ids["pdf"], "txt", tmp_path / "link.pdf"),
             (ids["png"], "pdf", folder / ".." / "scans" / "page.pdf"),  # another document's original
             (ids["png"], "json", originals["png"])]  # fmt: skip
    for doc_id, fmt, out in cases:
        assert cli(doc_id, "--format", fmt, "-o", str(out), "--archive", str(location)) == 2, out
        assert "an export never replaces it" in one_line_err(capsys)
    monkeypatch.chdir(folder)  # the default output, page.pdf in the current folder, is the original
    assert cli(ids["pdf"], "--format", "pdf", "--archive", str(location)) == 2
    assert "page.pdf: is the original file" in one_line_err(capsys)
    assert {ext: p.read_bytes() for ext, p in originals.items()} == before
    assert sorted(p.name for p in folder.iterdir()) == ["page.pdf", "page.png"]
    # --all into the originals' folder: an output named like another document's original is refused too
    with archive_mod.open_archive(location) as archive:
        other = folder / f"page-{('png' * 32)[:8]}.txt"  # what --all names the png document's text
        other.write_text("bản gốc", encoding="utf-8")
        archive.add(replace(scans["png"], sha256="9" * 64, path=str(other)))
    assert cli("--all", "--format", "txt", "-o", str(folder), "--archive", str(location)) == 1
    captured = capsys.readouterr()
    assert "2 exported" in captured.out and "1 failed" in captured.out and "is the original file" in captured.err
    assert other.read_text(encoding="utf-8") == "bản gốc"


def test_library_refuses_to_write_over_the_original(scans, tmp_path):
    record = scans["png"]
    for fmt in ("pdf", "txt"):
        with pytest.raises(ExportError, match="an export never replaces it"):
            export(record, fmt, Path(record.path))
    moved = tmp_path / "moved.png"  # the original elsewhere, given as the source
    moved.write_bytes(Path(record.path).read_bytes())
    with pytest.raises(ExportError, match="an export never replaces it"):
        write_pdf(record, moved, source=moved)
    assert moved.read_bytes() == Path(record.path).read_bytes()


def test_an_export_replaces_its_output_only_when_complete(scans, tmp_path, monkeypatch):
    import pipeline.export.docx_writer as docx_writer

    out = tmp_path / "out" / "copy.docx"
    out.parent.mkdir()
    out.write_bytes(b"the previous export")

    def crash(record, path, restored=None):
        Path(path).write_bytes(b"half a docx")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(docx_writer, "write_docx", crash)
    with pytest.raises(OSError, match="No space"):
        export(scans["png"], "docx", out)
    assert out.read_bytes() == b"the previous export" and [p.name for p in out.parent.iterdir()] == ["copy.docx"]
    monkeypatch.undo()
    assert export(scans["png"], "docx", out) == out
    assert out.read_bytes().startswith(b"PK") and [p.name for p in out.parent.iterdir()] == ["copy.docx"]
    assert oct(out.stat().st_mode & 0o777) == oct(0o666 & ~_umask())  # as a file written in place
    result = write_pdf(scans["png"], tmp_path / "out" / "copy.pdf")
    assert result.path == tmp_path / "out" / "copy.pdf" and sorted(p.name for p in out.parent.iterdir()) == [
        "copy.docx", "copy.pdf"]  # fmt: skip


def _umask() -> int:
    import os

    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_cli_all_into_an_existing_file_is_one_line(tmp_path, capsys):
    archive_mod = pytest.importorskip("pipeline.archive")
    location = tmp_path / "a.sqlite"
    archive_mod.open_archive(location).close()
    existing = tmp_path / "notes.txt"
    existing.write_text("keep me", encoding="utf-8")
    assert cli("--all", "--format", "txt", "-o", str(existing), "--archive", str(location)) == 2
    assert "notes.txt: is a file" in one_line_err(capsys)
    assert existing.read_text(encoding="utf-8") == "keep me"


def test_unknown_format_is_refused(scans, tmp_path):
    with pytest.raises(ExportError, match="unknown format 'rtf'"):
        export(scans["jpg"], "rtf", tmp_path / "x.rtf")
    assert set(FORMATS) == {"pdf", "txt", "md", "docx", "json", "html"}


def test_export_imports_nothing_from_image_ingest_or_settings():
    """Everything export needs of a page travels in the record (issue 15): no module of pipeline/export
    imports the stages before it, at the top or inside a function, nor does importing them pull them in."""
    import ast
    import sys

    package = Path(__file__).resolve().parents[1] / "pipeline" / "export"
    banned = ("pipeline.image", "pipeline.ingest", "pipeline.settings")
    for path in sorted(package.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            names += [a.name for a in node.names] if isinstance(node, ast.Import) else []
            assert not [n for n in names if n.startswith(banned)], (path.name, names)
    modules = "pipeline.export, pipeline.export.pdf, pipeline.export.html, pipeline.export.docx_writer"
    code = f"import sys, {modules}; print(sorted(m for m in sys.modules if m.startswith({banned!r})))"
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "[]"


def test_cli_exports_a_deskewed_pdf(tmp_path, capsys):
    record, _ = skewed_scan(tmp_path, -1.5)
    archive_mod = pytest.importorskip("pipeline.archive")
    location = tmp_path / "a.sqlite"
    with archive_mod.open_archive(location) as archive:
        doc_id = archive.add(record)
    out = tmp_path / "flat.pdf"
    assert cli(doc_id, "--format", "pdf", "--page-image", "deskewed", "-o", str(out), "--archive", str(location)) == 0
    assert "PDF/A-2b: pass" in capsys.readouterr().out
    assert syllables(pdftotext(out)) == syllables(" ".join(record.pages[0].restored_words))


# --- End to end with Tesseract ------------------------------------------------------------------------------
@pytest.mark.slow
def test_pdf_from_real_tesseract_boxes(tmp_path):
    pytesseract = pytest.importorskip("pytesseract")
    img, _ = render_page(LINES[:5], 300, noise=False)  # speckles would cost Tesseract minutes
    src = tmp_path / "scan.jpg"
    img.save(src, quality=80, dpi=(300, 300))
    data = pytesseract.image_to_data(img, lang="vie", output_type=pytesseract.Output.DICT)
    words, restored = [], []
    for i, text in enumerate(data["text"]):
        if not text.strip():
            continue
        box = Box(data["left"][i], data["top"][i], data["width"][i], data["height"][i])
        line = data["block_num"][i] * 1000 + data["par_num"][i] * 100 + data["line_num"][i]
        words.append(OcrWord(fold(text), box, float(data["conf"][i]), data["block_num"][i], line))
        restored.append(unicodedata.normalize("NFC", text))
    page = PageRecord(0, "", "\n".join(restored), tuple(words), tuple(restored), 90.0, "ocr", 1.0, *img.size)
    record = DocumentRecord("cd" * 32, str(src), src.stat().st_size, (page,), Fields())
    out = tmp_path / "scan.pdf"
    result = write_pdf(record, out)
    assert result.pdfa
    assert syllables(pdftotext(out, "-raw")) == syllables(" ".join(restored))
    assert "Kiến An" in pdftotext(out)
    assert out.stat().st_size <= 1.3 * src.stat().st_size


def cer(truth: str, got: str) -> float:
    from rapidfuzz.distance import Levenshtein

    truth, got = " ".join(truth.split()), " ".join(got.split())
    return Levenshtein.distance(truth, got) / max(1, len(truth))


@pytest.mark.slow
def test_a_skewed_scan_ingested_stores_its_geometry_and_exports_level(tmp_path):
    """Real cleanup and OCR: the skew found at ingest reaches the record, and the deskewed PDF of a scan
    turned 1.5° reads back in order with plain pdftotext, where the page as scanned does not."""
    from pipeline.run import process_file
    from pipeline.settings import Settings

    upright, _ = render_page(LINES, 300, noise=False)
    scan = tmp_path / "scan.png"
    upright.rotate(1.5, resample=Image.BICUBIC, expand=True, fillcolor=255).save(scan, dpi=(300, 300))
    record = process_file(scan, Settings(workers=1))
    page = record.pages[0]
    assert page.geometry is not None and page.geometry.rotation == 0 and page.geometry.scale == 1.0
    assert abs(page.geometry.skew - 1.5) < 0.1 and page.geometry.dpi == 300
    text = " ".join(page.restored_words)
    write_pdf(record, tmp_path / "original.pdf")
    write_pdf(record, tmp_path / "deskewed.pdf", page_image="deskewed")
    assert cer(text, pdftotext(tmp_path / "deskewed.pdf")) < 0.01
    assert cer(text, pdftotext(tmp_path / "original.pdf", "-raw")) < 0.01
