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

from pipeline.image.steps import faded_share, ink_colour
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
        if h > 8 * char_h and w > 8 * char_h:  # pictures, frames: not text lines, unless lines set close
            lines.extend(_close_lines(ink, int(x), int(y), int(w), int(h), char_h))
            continue
        lines.append(_Line(int(x), int(y), int(x + w), int(y + h)))
    return lines, char_h


def _close_lines(ink: np.ndarray, x: int, y: int, w: int, h: int, char_h: float) -> list[_Line]:
    """The text lines of a tall blob the smear joined: a list in small print set close ('Nơi nhận:' and
    its entries) parts where its rows of ink do, every part a line's height; a picture or a frame has
    no such parts and gives none."""
    rows = ink[y : y + h, x : x + w].sum(axis=1) > max(1, 0.02 * w)
    edges = np.flatnonzero(np.diff(np.concatenate([[0], rows.astype(np.int8), [0]])))
    runs = list(zip(edges[::2], edges[1::2], strict=True))
    if len(runs) < 3 or any(b - a > 2.5 * char_h for a, b in runs):
        return []
    out = []
    for a, b in runs:
        if b - a < 0.3 * char_h:
            continue  # a line's marks cut off above it
        cols = np.flatnonzero(ink[y + a : y + b, x : x + w].any(axis=0))
        out.append(_Line(x + int(cols[0]), y + int(a), x + int(cols[-1]) + 1, y + int(b)))
    return out


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


# A boxed stamp (KHẨN, HỎA TỐC, MẬT…): a hollow rectangle about one or two text lines high. Tesseract
# drops a word inside a frame, so the stamp becomes a block of its own, cropped inside the frame.
STAMP_MAX_WIDTH = 25  # in character heights
STAMP_MAX_HEIGHT = 5
# The OCR stage pads each block crop by this many pixels; a stamp block is inset by more, so that the
# padded crop still stays inside the frame.
STAMP_INSET = 16


def _frames(ink: np.ndarray, char_h: float) -> list[_Line]:
    """Interiors of the rectangles of stamp size (analysis pixels): two long rows and two long columns
    of one component with little ink between them (specks touching the frame do not matter)."""
    n, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    out = []
    for i in range(1, n):
        x, y, w, h, area = (int(v) for v in stats[i])
        if not (1.5 * char_h <= w <= STAMP_MAX_WIDTH * char_h and 1.2 * char_h <= h <= STAMP_MAX_HEIGHT * char_h):
            continue
        if area > 0.75 * w * h:
            continue
        comp = labels[y : y + h, x : x + w] == i
        rows = np.flatnonzero(comp.mean(axis=1) >= 0.8)
        if len(rows) < 2 or rows[-1] - rows[0] < 1.0 * char_h:
            continue
        top, bottom = int(rows[0]), int(rows[-1])
        cols = np.flatnonzero(comp[top : bottom + 1].mean(axis=0) >= 0.8)
        if len(cols) < 2 or cols[-1] - cols[0] < 1.5 * char_h:
            continue
        left, right = int(cols[0]), int(cols[-1])
        if comp[top + 3 : bottom - 2, left + 3 : right - 2].mean() <= 0.03 or _lettered(comp, rows, cols):
            out.append(_Line(x + left + 2, y + top + 2, x + right - 2, y + bottom - 2))
    return out


def _lettered(comp: np.ndarray, rows: np.ndarray, cols: np.ndarray) -> bool:
    """A frame whose word ran into it at the analysis scale (a stamp's bold letters after jpeg, 'KHẨN'):
    between its edges (however thick: ``rows`` and ``cols`` are its full ones) ink, but no full row, as
    a filled box or a table's rule has."""
    across, down = _inner_edges(rows), _inner_edges(cols)
    if across is None or down is None:
        return False
    (top, bottom), (left, right) = across, down
    inside = comp[top + 1 : bottom, left + 1 : right]
    return inside.size > 0 and inside.mean() <= 0.6 and not (inside.mean(axis=1) >= 0.8).any()


def _inner_edges(run: np.ndarray) -> tuple[int, int] | None:
    """The last index of a run's first stretch of consecutive values and the first of its last one."""
    gaps = np.flatnonzero(np.diff(run) > 1)
    return (int(run[gaps[0]]), int(run[gaps[-1] + 1])) if gaps.size else None


def keep_red_stamps(gray: np.ndarray, ink: np.ndarray, dpi: int) -> np.ndarray:
    """Put red stamps (HỎA TỐC, MẬT…) that ink suppression lifted out back into the page as print.

    ``ink`` is the removed colour layer (BGR on white). Red ink that forms a short, wide block (a word
    or two, at most 12 mm high) is a stamp; the round seal (about 35 mm across) and blue pen are not.
    """
    red = ink_colour(ink)[0] > 40
    ys, xs = np.nonzero(ink.min(axis=2) < 255)  # what was lifted: a faint stamp's red is 0.4 of its darkness
    if len(ys):
        box = (slice(ys.min(), ys.max() + 1), slice(xs.min(), xs.max() + 1))
        red[box] |= faded_share(ink[box], blue=False) > 102
    if not red.any():
        return gray
    mm = dpi / 25.4
    joined = cv2.dilate(red.astype(np.uint8), cv2.getStructuringElement(cv2.MORPH_RECT, (max(1, int(2 * mm)),) * 2))
    n, labels, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    out = gray
    for i in range(1, n):
        x, y, w, h, _area = (int(v) for v in stats[i])
        if 3 * mm <= h <= 12 * mm and w >= 1.5 * h:
            if out is gray:
                out = gray.copy()
            region = (slice(y, y + h), slice(x, x + w))
            stamp = (red[region] & (labels[region] == i)).astype(np.uint8) * 255
            # smoothed: the specks and holes of faded or jpeg-blurred red ink (a stamp on yellowed paper) leave
            # Tesseract no line to read, a stamp's bold letters survive a median
            stamp = cv2.medianBlur(stamp, 2 * max(1, int(0.2 * mm)) + 1) > 0
            out[region][stamp] = np.minimum(out[region][stamp], 40)
    return out


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
    stamps = _frames(ink, char_h)
    if stamps:  # the frame and the word inside it are read as the stamp block, not as text lines
        lines = [ln for ln in lines if not any(_inside(ln, st) for st in stamps)]
        if not lines:
            lines = [stamps[0]]
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
    for st in stamps:  # in reading order: before the first block that starts below the stamp
        left, top = int(st.left / scale) + STAMP_INSET, int(st.top / scale) + STAMP_INSET
        right, bottom = int(st.right / scale) - STAMP_INSET, int(st.bottom / scale) - STAMP_INSET
        if right <= left or bottom <= top:
            continue
        at = next((i for i, b in enumerate(blocks) if b.box.top > top), len(blocks))
        blocks.insert(at, Block("stamp", Box(left, top, right - left, bottom - top)))
    return tuple(blocks)


def _inside(line: _Line, frame: _Line) -> bool:
    """A text line that is the frame itself or the word within it (its centre inside the frame's box)."""
    cx, cy = (line.left + line.right) / 2, line.cy
    return frame.left - 3 <= cx <= frame.right + 3 and frame.top - 3 <= cy <= frame.bottom + 3
