"""Layout blocks of a Vietnamese administrative page from its binarised image.

Words are smeared horizontally into text-line boxes at ~100 dpi; lines at the same height form a
row. The first page's header is the run of top rows that never cross one vertical gap (issuing
body + Số on the left, motto + place/date on the right); the last page's ``Nơi nhận`` and
signature are the same pattern found from the bottom up. Centred rows right after the header are
the title, everything else the body. OCR per block then keeps each column's lines together.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from pipeline.types import Block, Box

LAYOUT_DPI = 100


@dataclass
class _Line:
    left: int
    top: int
    right: int
    bottom: int

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2


def _text_lines(ink: np.ndarray) -> tuple[list[_Line], float]:
    """Line boxes (analysis pixels) and the median character height."""
    n, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    heights = stats[1:, cv2.CC_STAT_HEIGHT]
    widths = stats[1:, cv2.CC_STAT_WIDTH]
    chars = heights[(heights >= 3) & (heights < 40) & (widths < 60)]
    char_h = float(np.median(chars)) if len(chars) else 8.0
    gap = max(3, int(round(char_h * 1.0)))  # joins words (space ≈ 0.3 em), not columns
    smear = cv2.dilate(ink, cv2.getStructuringElement(cv2.MORPH_RECT, (gap, max(1, int(char_h * 0.3)))))
    n, _, stats, _ = cv2.connectedComponentsWithStats(smear, connectivity=8)
    lines = []
    for x, y, w, h, _area in stats[1:]:
        if h < max(3, 0.4 * char_h) and w < 3 * char_h:  # specks
            continue
        if h > 8 * char_h and w > 8 * char_h:  # pictures, frames: not text lines
            continue
        lines.append(_Line(int(x), int(y), int(x + w), int(y + h)))
    return lines, char_h


def _rows(lines: list[_Line]) -> list[list[_Line]]:
    """Group lines that share a height band, top to bottom; each row sorted left to right."""
    rows: list[list[_Line]] = []
    for line in sorted(lines, key=lambda ln: ln.cy):
        if rows:
            row = rows[-1]
            top = min(ln.top for ln in row)
            bottom = max(ln.bottom for ln in row)
            overlap = min(bottom, line.bottom) - max(top, line.top)
            if overlap > 0.4 * min(bottom - top, line.bottom - line.top):
                row.append(line)
                continue
        rows.append([line])
    return [sorted(r, key=lambda ln: ln.left) for r in rows]


def _free_gap(rows: list[list[_Line]], x0: int, x1: int, min_gap: float) -> tuple[int, int] | None:
    """Widest x-interval in the middle of [x0, x1] not covered by these rows, with ink both sides."""
    width = x1 - x0
    cover = np.zeros(width + 1, bool)
    for row in rows:
        for ln in row:
            cover[max(0, ln.left - x0) : max(0, ln.right - x0)] = True
    lo, hi = int(0.2 * width), int(0.8 * width)
    free = ~cover[lo:hi]
    edges = np.flatnonzero(np.diff(np.concatenate([[0], free.astype(np.int8), [0]])))
    best = None
    for a, b in zip(edges[::2], edges[1::2], strict=True):
        if b - a >= min_gap and (best is None or b - a > best[1] - best[0]):
            best = (a + lo + x0, b + lo + x0)
    if best is None:
        return None
    left_ink = any(ln.right <= best[0] for row in rows for ln in row)
    right_ink = any(ln.left >= best[1] for row in rows for ln in row)
    return best if left_ink and right_ink else None


def _fits(row: list[_Line], gap: tuple[int, int], min_gap: float) -> tuple[int, int] | None:
    """The gap narrowed so that no line of ``row`` crosses it, or None if it would get too narrow."""
    a, b = gap
    for ln in row:
        if ln.right <= a or ln.left >= b:
            continue
        # The line intrudes: keep the larger remaining side of the gap.
        if ln.left - a >= b - ln.right:
            b = min(b, ln.left)
        else:
            a = max(a, ln.right)
        if b - a < min_gap:
            return None
    return (a, b)


def _columns(rows: list[list[_Line]], x0: int, x1: int, min_gap: float) -> tuple[int, tuple[int, int]] | None:
    """How many leading rows form a two-column zone, and its gap; None when they do not."""
    if not rows:
        return None
    # Seed from the first rows (the two header columns need not start on the same baseline).
    seed = rows[: min(3, len(rows))]
    gap = _free_gap(seed[:2], x0, x1, min_gap) or _free_gap(seed, x0, x1, min_gap)
    if gap is None:
        return None
    count = 0
    mid, width = (x0 + x1) / 2, x1 - x0
    for row in rows:
        u = _union(row)
        if count and len(row) == 1 and abs((u.left + u.right) / 2 - mid) < 0.06 * width:
            break  # a row centred on the page (the title) ends the column zone
        narrowed = _fits(row, gap, min_gap)
        if narrowed is None:
            break
        gap = narrowed
        count += 1
    zone = rows[:count]
    if not any(ln.right <= gap[0] for r in zone for ln in r) or not any(
        ln.left >= gap[1] for r in zone for ln in r
    ):
        return None
    return count, gap


def _union(lines: list[_Line]) -> _Line | None:
    if not lines:
        return None
    return _Line(
        min(ln.left for ln in lines),
        min(ln.top for ln in lines),
        max(ln.right for ln in lines),
        max(ln.bottom for ln in lines),
    )


def find_blocks(binary: np.ndarray, dpi: int) -> tuple[Block, ...]:
    """Blocks of a binarised page (black text on white) in reading order, boxes in its pixels."""
    scale = min(1.0, LAYOUT_DPI / max(dpi, 1))
    h, w = binary.shape[:2]
    small = cv2.resize(
        255 - binary, (max(1, round(w * scale)), max(1, round(h * scale))), interpolation=cv2.INTER_AREA
    )
    ink = (small > 40).astype(np.uint8)
    lines, char_h = _text_lines(ink)
    if not lines:
        return ()
    rows = _rows(lines)
    x0 = min(ln.left for ln in lines)
    x1 = max(ln.right for ln in lines)
    # Header columns can sit close: a wide "V/v" subject line may end a word space from the motto.
    min_gap = max(1.2 * char_h, 0.015 * (x1 - x0))

    parts: list[tuple[str, list[_Line]]] = []
    start, end = 0, len(rows)
    head = _columns(rows, x0, x1, min_gap)
    if head and head[0] < len(rows):
        count, gap = head
        zone = [ln for r in rows[:count] for ln in r]
        parts.append(("header_left", [ln for ln in zone if ln.right <= gap[0]]))
        parts.append(("header_right", [ln for ln in zone if ln.left >= gap[1]]))
        start = count
        # Title: centred rows right below the header.
        width = x1 - x0
        n_title = 0
        while start + n_title < end:
            u = _union(rows[start + n_title])
            margin_l, margin_r = u.left - x0, x1 - u.right
            if abs(margin_l - margin_r) < 0.08 * width and u.right - u.left < 0.85 * width:
                n_title += 1
            else:
                break
        if n_title and start + n_title < end:
            parts.append(("title", [ln for r in rows[start : start + n_title] for ln in r]))
            start += n_title
    tail_parts: list[tuple[str, list[_Line]]] = []
    foot = _columns(rows[start:][::-1], x0, x1, min_gap)
    if foot:
        count, gap = foot
        zone_rows = rows[end - count : end]
        # Rows above the first one with right-hand ink are the body's short last lines.
        first = next(i for i, r in enumerate(zone_rows) if any(ln.left >= gap[1] for ln in r))
        zone_rows = zone_rows[first:]
        if len(zone_rows) <= end - start:
            zone = [ln for r in zone_rows for ln in r]
            tail_parts.append(("recipients", [ln for ln in zone if ln.right <= gap[0]]))
            tail_parts.append(("signature", [ln for ln in zone if ln.left >= gap[1]]))
            end -= len(zone_rows)
    body = [ln for r in rows[start:end] for ln in r]
    if body:
        parts.append(("body", body))
    parts.extend(tail_parts)

    pad = max(2, int(round(0.4 * char_h)))
    blocks = []
    for kind, group in parts:
        u = _union(group)
        if u is None:
            continue
        left = max(0, int((u.left - pad) / scale))
        top = max(0, int((u.top - pad) / scale))
        right = min(w, int(np.ceil((u.right + pad) / scale)))
        bottom = min(h, int(np.ceil((u.bottom + pad) / scale)))
        blocks.append(Block(kind, Box(left, top, right - left, bottom - top)))
    return tuple(blocks)
