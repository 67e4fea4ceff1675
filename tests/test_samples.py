"""Sample generator (scripts/samplegen.py, scripts/make_samples.py) and the committed samples/."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import unicodedata
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from fontTools.ttLib import TTFont
from PIL import Image, ImageFilter
from pypdf import PdfReader
from rapidfuzz.distance import Levenshtein

from pipeline.settings import SHARED_DIR
from pipeline.types import Fields
from scripts import make_samples
from scripts.samplegen import (
    DEGRADATIONS,
    FONT_DIR,
    FONT_FILES,
    SOURCE_DIR,
    degrade,
    document_fields,
    load_document,
    load_sources,
    page_blocks,
    page_texts,
    render_document,
)

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
TRUTHS = sorted(p for p in SAMPLES.glob("*.json"))
LOW_DPI = 100  # renders used only for geometry checks: fast and still legible to the checks


@pytest.fixture(scope="module")
def sources():
    return load_sources()


@pytest.fixture(scope="module")
def gm():
    """The one-page Giấy mời: small enough to render many times."""
    return load_document(SOURCE_DIR / "gm-sct-tap-huan-cnnt-2025.json")


@pytest.fixture(scope="module")
def gm_page(gm):
    return render_document(gm, dpi=LOW_DPI)[0]


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)


def _body(doc) -> str:
    """Body text of all pages joined, as one paragraph stream (page numbers and headers left out)."""
    blocks = [b.text for page in page_blocks(doc) for b in page if b.kind == "body"]
    return re.sub(r"\s+", " ", " ".join(blocks))


def _gray(img: Image.Image) -> np.ndarray:
    return np.asarray(img.convert("L"), np.float32)


# --------------------------------------------------------------------------- sources and text


def test_every_character_has_a_glyph_in_every_style(sources):
    chars = set()
    for doc in sources:
        for text in [*page_texts(doc), *_strings(doc.data)]:
            chars.update(ch for ch in text if not ch.isspace())
    assert len(chars) > 100  # the check really covers Vietnamese letters, not just ASCII
    assert {"Đ", "ự", "ỷ", "ễ", "“", "–"} <= chars
    for style, name in FONT_FILES.items():
        cmap = TTFont(FONT_DIR / name).getBestCmap()
        missing = sorted(ch for ch in chars if ord(ch) not in cmap)
        assert not missing, f"{name} ({style}) lacks glyphs for {missing}"


def test_source_text_is_nfc_and_uses_real_dj(sources):
    for doc in sources:
        for text in [*page_texts(doc), *_strings(doc.data)]:
            assert unicodedata.normalize("NFC", text) == text, doc.name
            assert "\u00d0" not in text, doc.name


REAL_TEXTS = Path(__file__).resolve().parent / "data" / "samples" / "texts"  # copies of ../shared/texts


def test_real_text_copies_match_the_shared_ones():
    copies = sorted(p.name for p in REAL_TEXTS.glob("*.txt"))
    assert len(copies) == 3
    shared = SHARED_DIR / "texts"
    if not shared.is_dir():
        pytest.skip("../shared not beside this checkout: the copies cannot be compared")
    assert copies == sorted(p.name for p in shared.glob("*.txt"))
    for name in copies:
        assert (REAL_TEXTS / name).read_bytes() == (shared / name).read_bytes(), name


def test_real_texts_are_kept_word_for_word(sources):
    """The three real documents: every body paragraph of the real text appears in the page text."""
    by_name = {d.name: d for d in sources}
    for path in sorted(REAL_TEXTS.glob("*.txt")):
        raw = unicodedata.normalize("NFC", path.read_text(encoding="utf-8"))
        pages = " ".join(page_texts(by_name[path.stem]))
        flat = re.sub(r"\s+", " ", pages)
        raw_flat = re.sub(r"\s+", " ", raw.replace("**", ""))
        for sentence in ("Thực hiện Thực hiện Kế hoạch số 225/KH-UBND", "Hướng ứng Chương trình nhận diện",
                         "Thời hạn tiếp nhận hồ sơ: trước ngày 01/7/2025.", "Lưu: VT, KTHTĐT."):
            if sentence in raw_flat:
                assert sentence in flat
        words_raw = re.findall(r"[^\W_]+", raw_flat)
        words_page = set(re.findall(r"[^\W_]+", flat))
        missing = [w for w in words_raw if w not in words_page]
        assert not missing, f"{path.name}: words lost: {missing[:10]}"


def test_blank_number_and_date_stay_blank(sources):
    doc = {d.name: d for d in sources}["cv-bql-hang-viet-nam-2024"]
    first = page_blocks(doc)[0]
    left = next(b for b in first if b.kind == "header_left").text
    right = next(b for b in first if b.kind == "header_right").text
    assert "Số: /BQL-DN&GSĐT" in left
    assert "Hải Phòng, ngày tháng năm 2024" in right
    fields = document_fields(doc)
    assert fields["number"] is None and fields["date"] is None and fields["date_year"] == 2024


def test_blocks_come_in_reading_order(sources):
    order = ["header_left", "header_right", "title", "recipients", "body", "other", "signature"]
    multi = 0
    for doc in sources:
        pages = page_blocks(doc)
        multi += len(pages) > 1
        for n, blocks in enumerate(pages):
            kinds = [b.kind for b in blocks]
            if n > 0:  # continuation pages open with their page number
                assert kinds[0] == "other" and blocks[0].text == str(n + 1)
                kinds = kinds[1:]
            ranks = [order.index(k) for k in kinds]
            assert ranks == sorted(ranks), (doc.name, n, kinds)
        assert pages[0][0].kind == "header_left" and pages[-1][-1].kind == "signature"
        assert pages[-1][-1].text.endswith(doc.get("signature")["name"])
        assert pages[-1][-2].text.startswith("Nơi nhận:")
    assert multi >= 3


def test_fields_follow_the_contract_and_the_text(sources):
    keys = set(Fields().to_json())
    for doc in sources:
        fields = document_fields(doc)
        assert set(fields) == keys
        assert Fields.from_json(fields).to_json() == fields
        body = _body(doc)
        for ref in fields["references"]:
            if ref["number"]:
                assert f"{ref['number']}/{ref['symbol']}" in body, (doc.name, ref)
        for deadline in fields["deadlines"]:
            assert deadline["text"] in body, (doc.name, deadline)
            y, m, d = deadline["date"].split("-")
            assert re.search(rf"\b0?{int(d)}/0?{int(m)}/{y}\b", deadline["text"]), deadline
        everything = re.sub(r"\s+", " ", " ".join(page_texts(doc)))
        for recipient in fields["recipients"]:
            assert recipient in everything
        assert fields["signer"]["name"] in everything
        if fields["number"]:
            assert f"Số: {fields['number']}/{fields['symbol']}" in everything


def test_bad_source_is_reported_with_its_name(tmp_path):
    bad = tmp_path / "broken.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(ValueError, match="broken.json"):
        load_document(bad)
    (tmp_path / "other.json").write_text('{"a": 1}', encoding="utf-8")
    with pytest.raises(ValueError, match="other.json: not a document source"):
        load_document(tmp_path / "other.json")


# --------------------------------------------------------------------------- rendering


def test_pages_are_a4_at_the_requested_dpi(gm):
    for dpi in (100, 300):
        page = render_document(gm, dpi=dpi)[0]
        assert abs(page.width / dpi * 25.4 - 210) < 0.5 and abs(page.height / dpi * 25.4 - 297) < 0.5


def test_seal_is_red_and_overlaps_the_signature_block(gm, gm_page):
    arr = np.asarray(gm_page).astype(int)
    r, g, b = arr[..., 0], arr[..., 1], arr[..., 2]
    red = (r > 150) & (g < 120) & (b < 120)
    blue = (b > 100) & (r < 100) & (b - r > 40)
    assert red.sum() > 500 and blue.sum() > 50
    ys, xs = np.nonzero(red)
    sig = next(blk for blk in page_blocks(gm, dpi=LOW_DPI)[-1] if blk.kind == "signature").box
    # the seal's extent overlaps the signature block's box, and its centre sits left of the block's
    assert xs.min() < sig.right and xs.max() > sig.left and ys.min() < sig.bottom and ys.max() > sig.top
    assert xs.mean() < sig.left + sig.width / 2
    by, bx = np.nonzero(blue)
    assert sig.left <= bx.mean() <= sig.right and sig.top <= by.mean() <= sig.bottom
    # no red anywhere else: the rest of the page is black print
    assert not red[:, : sig.left - sig.width // 2].any()


def test_render_is_deterministic(gm):
    a = render_document(gm, dpi=LOW_DPI)[0]
    b = render_document(gm, dpi=LOW_DPI)[0]
    assert a.tobytes() == b.tobytes()


# --------------------------------------------------------------------------- degradations


def test_unknown_degradation_is_refused(gm_page):
    with pytest.raises(ValueError, match="unknown degradation"):
        degrade(gm_page, ["smudge"], seed=0, dpi=LOW_DPI)


def test_degradations_are_deterministic_by_seed(gm_page):
    everything = [d for d in DEGRADATIONS if d not in ("rotate180",)]
    a, ia = degrade(gm_page, everything, seed=7, dpi=LOW_DPI)
    b, ib = degrade(gm_page, list(reversed(everything)), seed=7, dpi=LOW_DPI)
    c, _ = degrade(gm_page, everything, seed=8, dpi=LOW_DPI)
    assert a.tobytes() == b.tobytes() and ia == ib
    assert a.tobytes() != c.tobytes()


def _estimate_skew(img: Image.Image) -> float:
    """Angle (counter-clockwise) that best lines the text rows up: maximal row-profile variance."""
    gray = Image.fromarray(255 - _gray(img).astype(np.uint8))

    def score(angle: float) -> float:
        return float(np.var(np.asarray(gray.rotate(-angle, resample=Image.BILINEAR), np.float32).sum(axis=1)))

    best = max(np.arange(-5, 5.01, 0.25), key=score)
    return max(np.arange(best - 0.25, best + 0.26, 0.05), key=score)


def test_skew_is_within_4_degrees_and_recoverable(gm_page):
    assert abs(_estimate_skew(gm_page)) < 0.1
    seen = []
    for seed in range(3):
        img, info = degrade(gm_page, ["skew"], seed=seed, dpi=LOW_DPI)
        assert 1.0 <= abs(info["skew"]) <= 4.0 and img.size == gm_page.size
        assert abs(_estimate_skew(img) - info["skew"]) < 0.2, info
        seen.append(info["skew"])
    assert len(set(seen)) == 3


@pytest.mark.parametrize("name,turn", [("rotate90", 90), ("rotate180", 180)])
def test_rotation_is_undone_by_the_recorded_clockwise_turn(gm_page, name, turn):
    img, info = degrade(gm_page, [name], seed=0, dpi=LOW_DPI)
    assert info["rotation"] == turn
    upright = img.rotate(-info["rotation"], expand=True)  # PIL turns counter-clockwise; minus = clockwise
    assert upright.tobytes() == gm_page.tobytes()
    if turn == 90:
        assert img.size == (gm_page.height, gm_page.width)


@pytest.mark.parametrize("name,dpi", [("dpi150", 150), ("dpi200", 200)])
def test_low_resolution_scans_keep_a4_size(name, dpi):
    page = render_document(load_document(SOURCE_DIR / "ttr-ktht-kinh-phi-binh-chon-2025.json"), dpi=300)[0]
    img, info = degrade(page, [name], seed=0)
    assert info["dpi"] == dpi
    assert abs(img.width / dpi * 25.4 - 210) < 0.5 and abs(img.height / dpi * 25.4 - 297) < 0.5


def _sharpness(img: Image.Image) -> float:
    return float(np.var(np.asarray(img.convert("L").filter(ImageFilter.FIND_EDGES), np.float32)))


def test_blur_softens_edges(gm):
    page = render_document(gm, dpi=300)[0].crop((300, 900, 1300, 1500))  # a patch of body text
    img, info = degrade(page, ["blur"], seed=0, dpi=300)
    assert info["blur"] > 1 and _sharpness(img) < 0.5 * _sharpness(page)


def test_noise_speckles_blank_paper(gm_page):
    img, _ = degrade(gm_page, ["noise"], seed=0, dpi=LOW_DPI)
    margin = (slice(10, 60), slice(5, 60))  # top-left margin: blank paper on the clean page
    assert _gray(gm_page)[margin].std() == 0
    assert _gray(img)[margin].std() > 5


def test_jpeg_leaves_block_artefacts(gm_page):
    img, info = degrade(gm_page, ["jpeg"], seed=0, dpi=LOW_DPI)
    diff = np.abs(_gray(img) - _gray(gm_page))
    assert 15 <= info["jpeg_quality"] <= 25
    assert diff.mean() > 0.5 and diff.max() > 30  # ringing around glyphs
    assert np.abs(_gray(img).mean() - _gray(gm_page).mean()) < 3  # but the page is still the page


def test_yellow_background_is_yellow_and_uneven(gm_page):
    img, _ = degrade(gm_page, ["yellow"], seed=0, dpi=LOW_DPI)
    arr = np.asarray(img).astype(float)
    corners = [arr[5:40, 5:40], arr[5:40, -40:-5], arr[-40:-5, 5:40], arr[-40:-5, -40:-5]]
    means = [c.reshape(-1, 3).mean(axis=0) for c in corners]
    for m in means:
        assert m[0] - m[2] > 25  # red above blue: yellowed paper
    lum = [m.mean() for m in means]
    assert max(lum) - min(lum) > 8  # the light falls off across the page


def test_borders_are_dark_and_holes_are_punched(gm_page):
    img, info = degrade(gm_page, ["borders"], seed=0, dpi=LOW_DPI)
    g = _gray(img)
    edge = {"left": g[:, :3], "right": g[:, -3:], "top": g[:3], "bottom": g[-3:]}
    assert info["borders"]
    for side in info["borders"]:
        assert edge[side].mean() < 100
    holes, _ = degrade(gm_page, ["punch_holes"], seed=0, dpi=LOW_DPI)
    left_margin = _gray(holes)[:, : int(17 / 25.4 * LOW_DPI)]
    dark = left_margin < 80
    assert dark.sum() > 2 * 0.8 * np.pi * (3 / 25.4 * LOW_DPI) ** 2  # two holes of about 6 mm
    assert not (_gray(gm_page)[:, : int(17 / 25.4 * LOW_DPI)] < 80).any()


def test_faint_print_lightens_the_ink(gm_page):
    img, info = degrade(gm_page, ["faint"], seed=0, dpi=LOW_DPI)
    ink = _gray(gm_page) < 100
    assert _gray(img)[ink].mean() > _gray(gm_page)[ink].mean() + 60
    assert _gray(img)[~ink].mean() >= _gray(gm_page)[~ink].mean() - 1


# --------------------------------------------------------------------------- make_samples


def test_one_sample_regenerates_byte_for_byte(tmp_path):
    sample = make_samples.Sample("t-gm", "gm-sct-tap-huan-cnnt-2025", ("dpi150", "skew", "noise", "jpeg"))
    outs = []
    for run in ("a", "b"):
        out = tmp_path / run
        out.mkdir()
        make_samples.make_sample(sample, 3, out, seed=5)
        outs.append(out)
    for name in ("t-gm.pdf", "t-gm.json"):
        assert (outs[0] / name).read_bytes() == (outs[1] / name).read_bytes()
    other = tmp_path / "c"
    other.mkdir()
    make_samples.make_sample(sample, 3, other, seed=6)
    assert (other / "t-gm.pdf").read_bytes() != (outs[0] / "t-gm.pdf").read_bytes()
    pdf = PdfReader(outs[0] / "t-gm.pdf")
    box = pdf.pages[0].mediabox
    assert abs(float(box.width) - 595.28) < 1 and abs(float(box.height) - 841.89) < 1


def test_committed_sample_set():
    assert len(TRUTHS) >= 10, "run: python scripts/make_samples.py --out samples"
    # the scans the main job reads stay small; the field evaluation sets (text) have a budget of their own
    fields = SAMPLES / "fields"
    sizes = [(fields in p.parents, p.stat().st_size) for p in SAMPLES.rglob("*") if p.is_file()]
    assert sum(size for in_fields, size in sizes if not in_fields) < 15 * 1024 * 1024
    assert sum(size for in_fields, size in sizes if in_fields) < 16 * 1024 * 1024
    seen: set[str] = set()
    formats, dpis, rotations, multi = set(), set(), set(), 0
    keys = set(Fields().to_json())
    for path in TRUTHS:
        truth = json.loads(path.read_text(encoding="utf-8"))
        assert {"source", "seed", "degradations", "pages", "fields"} <= set(truth)
        scan = SAMPLES / truth["file"]
        assert scan.is_file() and scan.stem == path.stem
        doc = load_document(ROOT / truth["source"])
        assert [p["text"] for p in truth["pages"]] == page_texts(doc)
        assert truth["fields"] == document_fields(doc)
        assert set(truth["fields"]) == keys
        for page in truth["pages"]:
            assert set(page) == {"text", "skew", "rotation", "dpi"}
            assert abs(page["skew"]) <= 4 and page["rotation"] in (0, 90, 180, 270)
            assert unicodedata.normalize("NFC", page["text"]) == page["text"]
            dpis.add(page["dpi"])
            rotations.add(page["rotation"])
            if "skew" not in truth["degradations"]:
                assert page["skew"] == 0
        seen.update(truth["degradations"])
        formats.add(scan.suffix)
        multi += len(truth["pages"]) > 1
        if scan.suffix == ".pdf":
            pdf = PdfReader(scan)
            assert len(pdf.pages) == len(truth["pages"])
            for page in pdf.pages:
                w, h = sorted((float(page.mediabox.width), float(page.mediabox.height)))
                assert abs(w - 595.28) < 1 and abs(h - 841.89) < 1
        else:
            with Image.open(scan) as img:
                assert getattr(img, "n_frames", 1) == len(truth["pages"])
                assert round(img.info["dpi"][0]) == truth["pages"][0]["dpi"]
    assert seen == set(DEGRADATIONS)
    assert {".pdf", ".tiff", ".png"} <= formats
    assert {150, 200, 300} <= dpis and 90 in rotations
    assert multi >= 3
    assert "clean" in (SAMPLES / "README.md").read_text(encoding="utf-8")


@pytest.mark.slow
def test_clean_page_reads_back_with_tesseract(tmp_path, gm):
    if not shutil.which("tesseract"):
        pytest.skip("tesseract not installed")
    page = render_document(gm, dpi=300)[0]
    png = tmp_path / "page.png"
    page.convert("L").save(png)
    out = subprocess.run(["tesseract", str(png), "-", "-l", "vie"], capture_output=True, text=True, check=True)
    ocr = unicodedata.normalize("NFC", out.stdout)
    # Tesseract reads the two header columns line by line across, so compare words, not order
    truth_words = Counter(re.findall(r"[^\W_]+", page_texts(gm)[0]))
    found = truth_words & Counter(re.findall(r"[^\W_]+", ocr))
    recall = sum(found.values()) / sum(truth_words.values())
    assert recall > 0.97, recall
    body = next(b for b in page_blocks(gm)[0] if b.kind == "body").text
    start = ocr.find("Thực hiện")
    body_ocr = re.sub(r"\s+", " ", ocr[start: start + len(body) + 40])
    body = re.sub(r"\s+", " ", body)
    cer = Levenshtein.distance(body_ocr[: len(body)], body) / len(body)
    assert cer < 0.03, cer
