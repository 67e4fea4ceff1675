"""Tesseract OCR of a cleaned page, block by block, in reading order.

Calling Tesseract once per block would pay its start-up and model load for every block. Instead the
blocks are stacked one under another on a blank canvas and recognised in one call (one column, so
Tesseract cannot interleave lines across the header's two columns); each word is then mapped back to
its block and to page coordinates.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import pytesseract

from pipeline.errors import InputError
from pipeline.types import Block, Box, CleanPage, OcrPage, OcrWord, TextBlock
from pipeline.vietnamese import nfc

GAP = 40  # blank pixels between stacked blocks
MARGIN = 12  # padding around each block crop


class OcrTimeout(InputError):
    """Tesseract ran past the per-page time limit and was stopped."""


class OcrError(InputError):
    """Tesseract failed on a page (crash, missing language data)."""


@dataclass(frozen=True)
class _Placed:
    block: int
    box: Box  # crop in page coordinates
    y0: int  # top of the crop on the stacked canvas


def _stack(image: np.ndarray, blocks: tuple[Block, ...]) -> tuple[np.ndarray, list[_Placed]]:
    height, width = image.shape[:2]
    crops, placed, y = [], [], GAP
    for i, block in enumerate(blocks):
        left = max(0, block.box.left - MARGIN)
        top = max(0, block.box.top - MARGIN)
        right = min(width, block.box.right + MARGIN)
        bottom = min(height, block.box.bottom + MARGIN)
        if right <= left or bottom <= top:
            continue
        crops.append(image[top:bottom, left:right])
        placed.append(_Placed(i, Box(left, top, right - left, bottom - top), y))
        y += bottom - top + GAP
    canvas = np.full((y, max((c.shape[1] for c in crops), default=1) + 2 * GAP), 255, np.uint8)
    for crop, p in zip(crops, placed, strict=True):
        canvas[p.y0 : p.y0 + crop.shape[0], GAP : GAP + crop.shape[1]] = crop
    return canvas, placed


def _run_tesseract(image: np.ndarray, lang: str, psm: int, timeout: float) -> dict[str, list]:
    try:
        return pytesseract.image_to_data(
            image,
            lang=lang,
            config=f"--psm {psm}",
            output_type=pytesseract.Output.DICT,
            timeout=timeout if timeout > 0 else 0,
        )
    except RuntimeError as exc:
        if "timeout" in str(exc).lower():
            raise OcrTimeout(f"OCR timed out after {timeout:g} s") from None
        raise OcrError(f"tesseract failed: {exc}") from None
    except pytesseract.TesseractError as exc:
        raise OcrError(f"tesseract failed: {exc.message or exc.status}".strip()) from None


# A stamp inside its frame read alone as one line, cropped at these outsets from its block (the frame's
# inside first): in the stack a stamp whose letters fill its frame can come out empty, diacritics clipped
# or the frame's ragged inner edge read as specks, and a missed 'MẬT' is a classified page shown to all.
STAMP_OUTSETS = (16, 8, 0)


def _stamp(page: CleanPage, block: Block, lang: str, timeout: float) -> str:
    """The text of a stamp block read alone; '' for other blocks or none read."""
    if block.kind != "stamp":
        return ""
    height, width = page.image.shape[:2]
    b = block.box
    for out in STAMP_OUTSETS:
        top, left = max(0, b.top - out), max(0, b.left - out)
        crop = page.image[top : min(height, b.bottom + out), left : min(width, b.right + out)]
        canvas = np.full((crop.shape[0] + 2 * GAP, crop.shape[1] + 2 * GAP), 255, np.uint8)
        canvas[GAP : GAP + crop.shape[0], GAP : GAP + crop.shape[1]] = crop
        data = _run_tesseract(canvas, lang, 7, timeout)
        text = nfc(" ".join(t.strip() for t in data["text"] if t.strip()))
        if sum(c.isalpha() for c in text) >= 3:
            return text
    return ""


def _stamp_or(page: CleanPage, block: Block, stacked: str, lang: str, timeout: float) -> str:
    """A block's stacked reading; a stamp's read alone where the stack gave no word of it (empty, or specks such
    as '~' from a red frame)."""
    if block.kind == "stamp" and sum(c.isalpha() for c in stacked) < 3:
        return _stamp(page, block, lang, timeout) or stacked
    return stacked


def ocr_page(page: CleanPage, lang: str = "vie", timeout: float = 120.0) -> OcrPage:
    """Recognise ``page``; words and block texts come out in the order of ``page.blocks``."""
    height, width = page.image.shape[:2]
    blocks = page.blocks or (Block("body", Box(0, 0, width, height)),)
    if page.blocks:
        canvas, placed = _stack(page.image, blocks)
        psm = 4  # a single column of text of variable sizes
    else:
        canvas, placed, psm = page.image, [_Placed(0, blocks[0].box, 0)], 3
    start = time.perf_counter()
    data = _run_tesseract(canvas, lang, psm, timeout)
    seconds = time.perf_counter() - start

    offset_x = GAP if page.blocks else 0
    lines: dict[tuple[int, int, int, int], list[OcrWord]] = {}
    for i, raw in enumerate(data["text"]):
        text = nfc(raw.strip())
        if not text:
            continue
        left, top = data["left"][i], data["top"][i]
        w, h = data["width"][i], data["height"][i]
        centre = top + h / 2
        owner = next((p for p in reversed(placed) if p.y0 <= centre), placed[0])
        box = Box(left - offset_x + owner.box.left, top - owner.y0 + owner.box.top, w, h)
        key = (owner.block, data["block_num"][i], data["par_num"][i], data["line_num"][i])
        lines.setdefault(key, []).append(
            OcrWord(text=text, box=box, confidence=float(data["conf"][i]), block=owner.block, line=0)
        )

    words: list[OcrWord] = []
    block_lines: dict[int, list[str]] = {}
    for line_no, key in enumerate(sorted(lines)):
        line_words = [OcrWord(w.text, w.box, w.confidence, w.block, line_no) for w in lines[key]]
        words.extend(line_words)
        block_lines.setdefault(key[0], []).append(" ".join(w.text for w in line_words))
    text_blocks = tuple(
        TextBlock(kind=b.kind, text=_stamp_or(page, b, "\n".join(block_lines.get(i, [])), lang, timeout), box=b.box)
        for i, b in enumerate(blocks)
    )
    return OcrPage(
        index=page.index,
        blocks=text_blocks,
        words=tuple(words),
        source="ocr",
        seconds=seconds,
        timings=dict(page.timings),
        width=width,
        height=height,
        dpi=page.dpi,
        geometry=page.geometry,
    )
