"""OCR stage: block-by-block reading order, word boxes in page coordinates, time limit."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from pipeline.ocr import OcrError, OcrTimeout, ocr_page
from pipeline.types import Block, Box, CleanPage

DATA = Path(__file__).parent / "data" / "ocr"
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


def _fake_tesseract(readings: dict[int, list[tuple[str, int]]]):
    """A Tesseract that reads, by page segmentation mode, the given words at the given heights (a line each)."""

    def run(image: np.ndarray, lang: str, psm: int, timeout: float) -> dict[str, list]:
        words = readings[psm]
        data: dict[str, list] = {"text": [], "left": [], "top": [], "width": [], "height": [], "conf": [],
                                 "block_num": [], "par_num": [], "line_num": []}  # fmt: skip
        for n, (text, top) in enumerate(words):
            for key, value in zip(data, (text, 50 + 40 * n, top, 30, 30, 90.0, 1, 1, top), strict=True):
                data[key].append(value)
        return data

    return run


def test_stamp_read_as_specks_in_the_stack_is_read_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    """A red 'KHẨN' frame the stacked reading gave as '~' (set 135) is read again alone, its words with it
    (restoration finds every word in its block's text); a stamp the stack read as words keeps them."""
    import pipeline.ocr as ocr
    from pipeline.run.page import _restored_words
    from pipeline.types import RestoredText

    page = CleanPage(index=0, image=np.full((400, 1800), 255, np.uint8), dpi=300,
                     blocks=(Block("stamp", Box(40, 40, 300, 80)), Block("body", Box(40, 200, 1700, 150))))  # fmt: skip
    stacked = [("~", ocr.GAP + 10), ("Kính", 240), ("gửi", 240)]  # the stamp's crop first, the body's below it
    monkeypatch.setattr(ocr, "_run_tesseract", _fake_tesseract({4: stacked, 7: [("KHẨN", 60)]}))
    read = ocr_page(page)
    assert [b.text for b in read.blocks] == ["KHẨN", "Kính gửi"]
    assert [(w.text, w.block) for w in read.words] == [("KHẨN", 0), ("Kính", 1), ("gửi", 1)]
    assert read.words[0].box.left == 40 + 50 - ocr.GAP - ocr.STAMP_OUTSETS[0]  # in page coordinates
    assert _restored_words(read, [RestoredText(b.text, b.text, ()) for b in read.blocks]) == ("KHẨN", "Kính", "gửi")
    monkeypatch.setattr(ocr, "_run_tesseract", _fake_tesseract({4: [("HỎA", 50), ("TỐC", 50)], 7: [("KHẨN", 60)]}))
    assert ocr_page(page).blocks[0].text == "HỎA TỐC"
    monkeypatch.setattr(ocr, "_run_tesseract", _fake_tesseract({4: stacked, 7: [("~", 60)]}))
    assert ocr_page(page).blocks[0].text == "~"  # nothing better read alone: the stack's


def test_signers_name_under_scribble_is_read() -> None:
    """Tesseract's layout takes the name under a signature's scribble for part of a picture and drops it
    (held-out set 106's 'A Vương'); the block, ending far below its last word read, is read again alone."""
    image = np.asarray(Image.open(DATA / "signature-name-under-scribble.png").convert("L"))
    height, width = image.shape
    page = ocr_page(CleanPage(index=0, image=image, dpi=300, blocks=(Block("signature", Box(0, 0, width, height)),)))
    assert page.blocks[0].text.splitlines() == ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "A Vương"]
    assert [w.text for w in page.words][-2:] == ["A", "Vương"] and page.words[-1].box.top > height * 0.8


def test_signature_read_to_its_bottom_is_not_read_again(monkeypatch: pytest.MonkeyPatch) -> None:
    import pipeline.ocr as ocr

    def alone(*args: object) -> ocr.Lines:
        raise AssertionError("read again")

    monkeypatch.setattr(ocr, "_alone", alone)
    page = ocr_page(two_column_page())  # both blocks read to their last line
    assert page.blocks[1].text.splitlines() == RIGHT
    signature = CleanPage(index=0, image=two_column_page().image, dpi=300,
                          blocks=(Block("signature", Box(980, 40, 780, 200)),))  # fmt: skip
    assert ocr_page(signature).blocks[0].text.splitlines() == RIGHT
