"""OCR stage: block-by-block reading order, word boxes in page coordinates, time limit."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from pipeline.ocr import OcrError, OcrTimeout, ocr_page
from pipeline.types import Block, Box, CleanPage

FONT = ImageFont.truetype("/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf", 40)
LEFT = ["ỦY BAN NHÂN DÂN", "PHƯỜNG KIẾN AN"]
RIGHT = ["CỘNG HÒA XÃ HỘI", "Độc lập Tự do"]


def two_column_page() -> CleanPage:
    """Two columns whose lines sit at the same heights, the case Tesseract interleaves."""
    img = Image.new("L", (1800, 400), 255)
    draw = ImageDraw.Draw(img)
    for i, (left, right) in enumerate(zip(LEFT, RIGHT, strict=True)):
        draw.text((60, 60 + 80 * i), left, font=FONT, fill=0)
        draw.text((1000, 60 + 80 * i), right, font=FONT, fill=0)
    blocks = (Block("header_left", Box(40, 40, 800, 200)), Block("header_right", Box(980, 40, 780, 200)))
    return CleanPage(index=0, image=np.asarray(img), dpi=300, blocks=blocks, timings={"deskew": 0.01})


def test_blocks_come_out_in_reading_order() -> None:
    page = ocr_page(two_column_page())
    assert [b.kind for b in page.blocks] == ["header_left", "header_right"]
    assert page.blocks[0].text.splitlines() == LEFT
    assert page.blocks[1].text.splitlines() == RIGHT
    assert page.text == "\n".join(LEFT) + "\n\n" + "\n".join(RIGHT)
    assert page.timings == {"deskew": 0.01} and page.source == "ocr"


def test_word_boxes_are_in_page_coordinates() -> None:
    page = ocr_page(two_column_page())
    kien = next(w for w in page.words if w.text == "KIẾN")
    assert kien.block == 0 and 60 < kien.box.left < 700 and 130 < kien.box.top < 200
    doc = next(w for w in page.words if w.text == "Độc")
    assert doc.block == 1 and doc.box.left >= 990 and doc.confidence > 50
    assert [w.line for w in page.words] == sorted(w.line for w in page.words)


def test_page_without_blocks_is_read_whole() -> None:
    page = two_column_page()
    whole = ocr_page(CleanPage(index=3, image=page.image, dpi=300))
    assert whole.index == 3 and len(whole.blocks) == 1
    assert "KIẾN" in whole.text and "Độc" in whole.text


def test_time_limit_stops_tesseract() -> None:
    noisy = np.random.default_rng(1).integers(0, 256, (3000, 2400), dtype=np.uint8)
    with pytest.raises(OcrTimeout, match="timed out after 0.2 s"):
        ocr_page(CleanPage(index=0, image=noisy, dpi=300), timeout=0.2)


def test_missing_language_is_a_clear_error() -> None:
    with pytest.raises(OcrError, match="tesseract failed"):
        ocr_page(two_column_page(), lang="xyz")


def test_stamp_read_as_specks_in_the_stack_is_read_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    """A red 'KHẨN' frame the stacked reading gave as '~' (set 135) is read again alone; a stamp the stack read
    as words keeps them, and other blocks never are."""
    import pipeline.ocr as ocr

    monkeypatch.setattr(ocr, "_stamp", lambda page, block, lang, timeout: "KHẨN")
    page, stamp, body = two_column_page(), Block("stamp", Box(0, 0, 10, 10)), Block("body", Box(0, 0, 10, 10))
    assert ocr._stamp_or(page, stamp, "~", "vie", 1.0) == "KHẨN"
    assert ocr._stamp_or(page, stamp, "", "vie", 1.0) == "KHẨN"
    assert ocr._stamp_or(page, stamp, "HỎA TỐC", "vie", 1.0) == "HỎA TỐC"
    assert ocr._stamp_or(page, body, "~", "vie", 1.0) == "~"
    monkeypatch.setattr(ocr, "_stamp", lambda page, block, lang, timeout: "")
    assert ocr._stamp_or(page, stamp, "~", "vie", 1.0) == "~"  # nothing better read alone: the stack's
