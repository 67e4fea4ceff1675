"""Tesseract OCR of a cleaned page, block by block, in reading order.

Calling Tesseract once per block would pay its start-up and model load for every block. Instead the
blocks are stacked one under another on a blank canvas and recognised in one call (one column, so
Tesseract cannot interleave lines across the header's two columns); each word is then mapped back to
its block and to page coordinates.
"""

from __future__ import annotations

import time
from collections.abc import Callable
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

Lines = dict[tuple[int, int, int, int], list[OcrWord]]  # (block, Tesseract's block, paragraph, line) -> words


def _lines(data: dict[str, list], place: Callable[[int, int, int, int], tuple[int, Box]]) -> Lines:
    """Tesseract's words by line; ``place`` maps a word's box on the canvas to its block and its box on the page."""
    lines: Lines = {}
    for i, raw in enumerate(data["text"]):
        text = nfc(raw.strip())
        if not text:
            continue
        block, box = place(data["left"][i], data["top"][i], data["width"][i], data["height"][i])
        key = (block, data["block_num"][i], data["par_num"][i], data["line_num"][i])
        lines.setdefault(key, []).append(OcrWord(text, box, float(data["conf"][i]), block, 0))
    return lines


def _alone(page: CleanPage, index: int, block: Block, lang: str, timeout: float, psm: int, out: int) -> Lines:
    """Block ``index`` read by itself, cropped ``out`` pixels beyond its box, on a blank margin."""
    height, width = page.image.shape[:2]
    b = block.box
    top, left = max(0, b.top - out), max(0, b.left - out)
    crop = page.image[top : min(height, b.bottom + out), left : min(width, b.right + out)]
    canvas = np.full((crop.shape[0] + 2 * GAP, crop.shape[1] + 2 * GAP), 255, np.uint8)
    canvas[GAP : GAP + crop.shape[0], GAP : GAP + crop.shape[1]] = crop
    data = _run_tesseract(canvas, lang, psm, timeout)
    return _lines(data, lambda x, y, w, h: (index, Box(x - GAP + left, y - GAP + top, w, h)))


def _letters(lines: Lines) -> int:
    return sum(c.isalpha() for words in lines.values() for w in words for c in w.text)


def _lowest(lines: Lines, block: Block) -> tuple[int, int]:
    """The bottom of the lowest word with two letters or more (the block's top where none) and the words'
    median height (a sixth of the block where none)."""
    worded = [w.box for words in lines.values() for w in words if sum(c.isalpha() for c in w.text) >= 2]
    if not worded:
        return block.box.top, max(1, block.box.height // 6)
    return max(b.bottom for b in worded), int(np.median([b.height for b in worded]))


def _reread(page: CleanPage, index: int, block: Block, stacked: Lines, lang: str, timeout: float) -> Lines | None:
    """The block's lines read again alone where the stack lost them, None where the stack's stand.

    A stamp the stack gave no word of (empty, or specks such as '~' from a red frame) is read as one line.
    Under a signature's scribble and its seal the signer's name can vanish from the stack, Tesseract's
    layout taking it for part of a picture ('A Vương' below 'PHÓ GIÁM ĐỐC', held-out set 106): a signature
    block whose words end more than two lines above its bottom is read alone as one block of text, and that
    reading is taken where it reaches lower.
    """
    if block.kind == "stamp" and _letters(stacked) < 3:
        for out in STAMP_OUTSETS:
            alone = _alone(page, index, block, lang, timeout, 7, out)
            if _letters(alone) >= 3:
                return alone
    elif block.kind == "signature":
        bottom, line = _lowest(stacked, block)
        if block.box.bottom - bottom > 2 * line:
            alone = _alone(page, index, block, lang, timeout, 6, MARGIN)
            if _lowest(alone, block)[0] > bottom + line:
                return alone
    return None


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
    offset_x = GAP if page.blocks else 0

    def place(x: int, y: int, w: int, h: int) -> tuple[int, Box]:
        owner = next((p for p in reversed(placed) if p.y0 <= y + h / 2), placed[0])
        return owner.block, Box(x - offset_x + owner.box.left, y - owner.y0 + owner.box.top, w, h)

    lines = _lines(data, place)
    for i, block in enumerate(blocks):
        stacked = {key: words for key, words in lines.items() if key[0] == i}
        alone = _reread(page, i, block, stacked, lang, timeout)
        if alone is not None:
            lines = {key: words for key, words in lines.items() if key[0] != i} | alone
    seconds = time.perf_counter() - start

    words: list[OcrWord] = []
    block_lines: dict[int, list[str]] = {}
    for line_no, key in enumerate(sorted(lines)):
        line_words = [OcrWord(w.text, w.box, w.confidence, w.block, line_no) for w in lines[key]]
        words.extend(line_words)
        block_lines.setdefault(key[0], []).append(" ".join(w.text for w in line_words))
    text_blocks = tuple(
        TextBlock(kind=b.kind, text="\n".join(block_lines.get(i, [])), box=b.box) for i, b in enumerate(blocks)
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
