"""Small, pure image steps (OpenCV/numpy) that ``clean_page`` chains; each takes and returns arrays.

Analysis (skew, orientation) runs on a ~100 dpi copy so a whole page costs a few tens of
milliseconds; pixel operations run at full resolution with vectorised OpenCV calls.
"""

from __future__ import annotations

import math

import cv2
import numpy as np

ANALYSIS_DPI = 100  # resolution of the copy used for skew/orientation/layout analysis
MAX_SKEW = 10.0  # degrees searched either side of each axis


# --------------------------------------------------------------------------- colour ink


def ink_colour(bgr: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Red and blue ink at each pixel: the colour's excess over the other channels (uint8, 0-255), black print
    and yellowed paper (r ≈ g > b) none."""
    b, g, r = cv2.split(bgr)
    # Saturating uint8 arithmetic: only a positive excess counts.
    red = cv2.min(cv2.subtract(r, g), cv2.subtract(r, b))  # red excess over both other channels
    blue = cv2.min(cv2.subtract(b, r), cv2.subtract(b, cv2.add(g >> 1, r >> 1)))  # blue > green > red pen
    return red, blue


def faded_share(bgr: np.ndarray, blue: bool = True) -> np.ndarray:
    """Red (and ``blue``) ink at each pixel as the share of the pixel's darkness its colour makes (uint8, 255 =
    all of it).

    Worn toner or a faded stamp is its ink blended with paper white: the colour's excess and the darkness shrink
    by the same factor, so their ratio stays what full ink gives (a seal's red about 0.7, black print 0). The
    excess alone falls under any threshold on a faint page ('faint' in samples/: a seal at a third of its
    strength, then JPEG, kept its ring, and layout dropped the name it touched). Red counts less half its lean to
    yellow or purple (green and blue apart): yellowed paper's small red excess over its blue-less darkness would
    pass whole (sample 02 read 'II.' for 'III.'), a seal's red, green and blue alike, keeps most of it under
    JPEG's smear. Near-white pixels (darkness under 20) carry none.
    """
    b, g, r = (c.astype(np.float32) for c in cv2.split(bgr))
    excess = np.minimum(r - g, r - b) - np.abs(g - b) / 2
    if blue:
        excess = np.maximum(excess, np.minimum(b - r, b - (g + r) / 2))
    dark = 255.0 - np.minimum(np.minimum(g, b), r)
    share = np.where(dark >= 20, excess * 255.0 / np.maximum(dark, 1.0), 0.0)
    return np.clip(share, 0, 255).astype(np.uint8)


def suppress_ink(bgr: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
    """Grayscale in which red seals and blue pen ink are lifted to paper white.

    Coloured ink is bright in its own channel while black print is dark in every channel, so
    taking the brightest channel where a pixel is clearly red or blue drops the ink and keeps the
    black text printed under it. Returns the grayscale page and the removed ink (BGR on white), or
    ``None`` when the page carries no noticeable colour ink.
    """
    gray = cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY)
    chroma = cv2.max(*ink_colour(bgr))  # yellowed paper has no red/blue excess
    # ink: an excess over 20, or over 0.3 of the pixel's darkness (77) on a faint page
    ys, xs = np.nonzero((chroma[::4, ::4] > 20) | (faded_share(bgr[::4, ::4]) > 77))
    if len(ys) == 0:
        return gray, None
    # Blend only inside the box holding the ink (seal, signature): most of a page has none.
    y0, y1 = max(0, int(ys.min()) * 4 - 8), min(bgr.shape[0], int(ys.max()) * 4 + 12)
    x0, x1 = max(0, int(xs.min()) * 4 - 8), min(bgr.shape[1], int(xs.max()) * 4 + 12)
    box = (slice(y0, y1), slice(x0, x1))
    ramp = lambda v, lo, width: np.clip((v.astype(np.float32) - lo) / width, 0.0, 1.0)  # noqa: E731
    weight = np.maximum(ramp(chroma[box], 20.0, 30.0), ramp(faded_share(bgr[box]), 77.0, 51.0))  # soft: anti-aliasing
    if float(weight.sum()) < 1e-4 * chroma.size:
        return gray, None
    weight = cv2.dilate(weight, np.ones((3, 3), np.uint8))  # anti-aliased ink edges
    sub = bgr[box]
    brightest = cv2.max(cv2.max(sub[:, :, 0], sub[:, :, 1]), sub[:, :, 2]).astype(np.float32)
    out = gray.copy()
    out[box] = np.clip(gray[box].astype(np.float32) * (1.0 - weight) + brightest * weight, 0, 255).astype(np.uint8)
    layer = np.full_like(bgr, 255)
    mask = weight > 0.5
    layer[box][mask] = sub[mask]
    return out, layer


# --------------------------------------------------------------------------- border and holes


def paper_level(gray: np.ndarray) -> float:
    """Brightness of the paper: a high percentile, robust to text and dark borders."""
    small = gray[:: max(1, gray.shape[0] // 400), :: max(1, gray.shape[1] // 300)]
    return float(np.percentile(small, 90))


def remove_border(gray: np.ndarray, dpi: int) -> np.ndarray:
    """Paint dark scanner edges and punch holes with the paper colour.

    Edges are large dark regions connected to the image frame; holes are round dark blobs 4–9 mm
    across near a page edge. Text never touches the frame, so it is left alone.
    """
    paper = paper_level(gray)
    dark = (gray < paper * 0.55).astype(np.uint8)
    f = max(1, int(round(dpi / 75)))  # analyse at ~75 dpi
    small = cv2.resize(dark, (gray.shape[1] // f, gray.shape[0] // f), interpolation=cv2.INTER_AREA)
    small = (small > 0).astype(np.uint8)
    h, w = small.shape
    n, labels, stats, _ = cv2.connectedComponentsWithStats(small, connectivity=8)
    if n <= 1:
        return gray
    left, top, width, height, area = (stats[:, i] for i in range(5))
    touches = (left == 0) | (top == 0) | (left + width >= w) | (top + height >= h)
    big = (width > 0.08 * w) | (height > 0.08 * h) | (area > 0.004 * w * h)
    frame = touches & big
    # Punch holes: filled round blobs of 4–9 mm near an edge.
    mm = dpi / f / 25.4
    diam = np.sqrt(width * height)
    round_ = (
        (diam > 4 * mm)
        & (diam < 9.5 * mm)
        & (np.abs(width - height) < 0.3 * np.maximum(width, height))
        & (area > 0.6 * width * height)
    )
    cx, cy = left + width / 2, top + height / 2
    near_edge = (cx < 0.15 * w) | (cx > 0.85 * w) | (cy < 0.12 * h) | (cy > 0.88 * h)
    remove = (frame | (round_ & near_edge)).astype(np.uint8)
    remove[0] = 0
    if not remove.any():
        return gray
    mask_small = remove[labels]
    mask_small = cv2.dilate(mask_small, np.ones((3, 3), np.uint8))
    mask = cv2.resize(mask_small, (gray.shape[1], gray.shape[0]), interpolation=cv2.INTER_NEAREST)
    out = gray.copy()
    out[mask > 0] = int(paper)
    return out


# --------------------------------------------------------------------------- background


def flatten_background(gray: np.ndarray, dpi: int) -> np.ndarray:
    """Divide by a smooth estimate of the paper so yellowing, shadows and fading become white.

    The estimate is a max-filter (erases text) then a median at ~1/8 scale, which is far cheaper
    than filtering at full size and smooth enough for lighting gradients.
    """
    f = max(1, int(round(dpi / 25)))  # ~25 dpi: strokes vanish under the max filter
    small = cv2.resize(
        gray, (max(1, gray.shape[1] // f), max(1, gray.shape[0] // f)), interpolation=cv2.INTER_AREA
    )
    bg = cv2.dilate(small, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (5, 5)))
    bg = cv2.medianBlur(bg, 5)
    bg = cv2.resize(bg, (gray.shape[1], gray.shape[0]), interpolation=cv2.INTER_LINEAR)
    bg = np.maximum(bg, 1)
    out = cv2.divide(gray, bg, scale=255)
    return stretch_contrast(out)


def stretch_contrast(gray: np.ndarray) -> np.ndarray:
    """Map the darkest ink to black so faint print keeps a usable contrast; paper stays white."""
    ink = gray[gray < 200]
    if ink.size < 100:
        return gray
    lo = float(np.percentile(ink, 5))
    if lo < 40:
        return gray
    scale = 255.0 / max(1.0, 255.0 - lo)
    lut = np.clip((np.arange(256, dtype=np.float32) - lo) * scale, 0, 255).astype(np.uint8)
    return cv2.LUT(gray, lut)


# --------------------------------------------------------------------------- orientation, skew


def analysis_binary(gray: np.ndarray, dpi: int) -> tuple[np.ndarray, float]:
    """Ink mask at ~ANALYSIS_DPI and the scale factor (analysis pixels per page pixel)."""
    scale = min(1.0, ANALYSIS_DPI / max(dpi, 1))
    small = cv2.resize(
        gray,
        (max(1, round(gray.shape[1] * scale)), max(1, round(gray.shape[0] * scale))),
        interpolation=cv2.INTER_AREA,
    )
    _, binary = cv2.threshold(small, 0, 1, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    # Drop huge blobs (residual borders, pictures) that would dominate the profiles, and anything far
    # taller than a letter (seal rings, signature strokes): on a short last page they outweigh the
    # few text lines that carry the angle.
    n, labels, stats, _ = cv2.connectedComponentsWithStats(binary, connectivity=8)
    if n > 1:
        h, w = binary.shape
        hgt = stats[:, cv2.CC_STAT_HEIGHT]
        huge = (stats[:, 2] > 0.25 * w) | (hgt > 0.1 * h)
        letters = hgt[1:][(hgt[1:] >= 4) & (hgt[1:] <= 0.05 * h)]
        if len(letters) >= 20:
            huge |= hgt > 3.0 * float(np.median(letters))
        huge[0] = False
        if huge.any():
            binary[huge[labels]] = 0
    return binary, scale


def _profile_score(xs: np.ndarray, ys: np.ndarray, angle: float) -> float:
    """Sharpness of the row profile at ``angle``, summed over the left and right half of the page.

    Halves are scored apart so that two side-by-side blocks (header columns, Nơi nhận beside the
    signature) do not reward an angle that merely lines up one column's rows with the other's.
    """
    a = math.radians(angle)
    proj = ys * math.cos(a) - xs * math.sin(a)
    rows = (proj - proj.min()).astype(np.int64)
    span = int(rows.max()) + 1
    along = xs * math.cos(a) + ys * math.sin(a)  # position along the text lines
    hist = np.bincount(rows + span * (along > 0), minlength=2 * span)
    return float(np.dot(hist, hist))


def find_text_angle(binary: np.ndarray, max_skew: float = MAX_SKEW) -> float:
    """Angle (degrees, OpenCV counter-clockwise) that makes text lines horizontal, in [-10, 100).

    Projection-profile search: text lines give the sharpest row histogram when they are level.
    Both axes are searched, so a page turned by 90° is found as ~90°. Ink coordinates are rotated
    instead of the image, which makes each candidate angle one ``bincount``.
    """
    ys, xs = np.nonzero(binary)
    if len(xs) < 50:
        return 0.0
    if len(xs) > 150_000:
        pick = np.random.default_rng(0).choice(len(xs), 150_000, replace=False)
        xs, ys = xs[pick], ys[pick]
    xs = xs.astype(np.float32) - binary.shape[1] / 2
    ys = ys.astype(np.float32) - binary.shape[0] / 2
    coarse = np.concatenate(
        [np.arange(-max_skew, max_skew + 0.01, 0.5), np.arange(90 - max_skew, 90 + max_skew + 0.01, 0.5)]
    )
    scores = [_profile_score(xs, ys, a) for a in coarse]
    best = float(coarse[int(np.argmax(scores))])
    fine = np.arange(best - 0.6, best + 0.61, 0.05)
    fscores = np.array([_profile_score(xs, ys, a) for a in fine])
    i = int(np.argmax(fscores))
    angle = float(fine[i])
    if 0 < i < len(fine) - 1:  # parabolic refinement between the grid points
        s0, s1, s2 = fscores[i - 1], fscores[i], fscores[i + 1]
        denom = s0 - 2 * s1 + s2
        if denom < 0:
            angle += 0.05 * 0.5 * (s0 - s2) / denom
    return angle


def rotate(
    image: np.ndarray, angle: float, fill: int | tuple[int, ...] = 255, interpolation: int = cv2.INTER_LINEAR
) -> np.ndarray:
    """Rotate counter-clockwise by ``angle`` degrees, growing the canvas so nothing is cut off."""
    a = angle % 360
    if abs(a) < 1e-6:
        return image
    for k, code in (
        (90, cv2.ROTATE_90_COUNTERCLOCKWISE),
        (180, cv2.ROTATE_180),
        (270, cv2.ROTATE_90_CLOCKWISE),
    ):
        if abs(a - k) < 1e-6:
            return cv2.rotate(image, code)
    h, w = image.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    cos, sin = abs(m[0, 0]), abs(m[0, 1])
    nw, nh = int(math.ceil(h * sin + w * cos)), int(math.ceil(h * cos + w * sin))
    m[0, 2] += nw / 2 - w / 2
    m[1, 2] += nh / 2 - h / 2
    return cv2.warpAffine(
        image, m, (nw, nh), flags=interpolation, borderMode=cv2.BORDER_CONSTANT, borderValue=fill
    )


def _text_lines(prof: np.ndarray) -> list[tuple[int, int]]:
    """Row runs of a horizontal ink profile that look like text lines (tone marks closed in)."""
    if prof.max() <= 0:
        return []
    ref = float(np.percentile(prof[prof > 0], 95))
    on = prof > 0.05 * ref
    # Close gaps of <= 3 rows so detached tone marks stay with their line.
    on = cv2.morphologyEx(on.astype(np.uint8)[:, None], cv2.MORPH_CLOSE, np.ones((7, 1), np.uint8))[:, 0] > 0
    edges = np.flatnonzero(np.diff(np.concatenate([[0], on.astype(np.int8), [0]])))
    return [(int(y0), int(y1)) for y0, y1 in zip(edges[::2], edges[1::2], strict=True) if y1 - y0 >= 6]


def is_upside_down(gray: np.ndarray, dpi: int) -> bool:
    """True when a level page reads upside down.

    Two cues, measured at 150 dpi. Glyphs: upright Latin script, and Vietnamese even more with its
    stacked tone marks, has ascenders, capitals and diacritics above the x-height band but few
    descenders below it. Lines are found in four vertical strips, so side-by-side blocks and a seal
    spanning several lines do not merge them, and runs much taller than the typical line are ignored.
    Page: administrative pages start at the top margin and a short last page leaves its blank space
    at the bottom, which decides pages with too little text for the glyphs.
    """
    scale = min(1.0, 150 / max(dpi, 1))
    small = cv2.resize(gray, (max(1, round(gray.shape[1] * scale)), max(1, round(gray.shape[0] * scale))),
                       interpolation=cv2.INTER_AREA)
    _, binary = cv2.threshold(small, 0, 1, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    h, w = binary.shape
    strips = 4
    runs: list[np.ndarray] = []
    for k in range(strips):
        prof = binary[:, k * w // strips : (k + 1) * w // strips].sum(axis=1).astype(np.float32)
        runs += [prof[y0:y1] for y0, y1 in _text_lines(prof)]
    above = below = 1.0
    if runs:
        med = float(np.median([len(p) for p in runs]))
        for p in runs:
            if not 0.6 * med <= len(p) <= 1.8 * med:
                continue
            core = np.flatnonzero(p >= 0.45 * p.max())
            above += float(p[: core[0]].sum())
            below += float(p[core[-1] + 1 :].sum())
    glyphs = math.log(above / below)
    lines = _text_lines(binary.sum(axis=1).astype(np.float32))
    page = 0.0
    if lines:
        page = (h - lines[-1][1]) / h - lines[0][0] / h  # blank at bottom minus blank at top
    return glyphs + 2.0 * page < 0


def noise_sigma(gray: np.ndarray) -> float:
    """Grain of the paper (grey levels): mean deviation from a 5x5 median where the page is blank."""
    step = max(1, int(math.sqrt(gray.size / 1_000_000)))  # ~1 Mpx sample is plenty
    sample = np.ascontiguousarray(gray[::step, ::step])
    med = cv2.medianBlur(sample, 5)
    paper = cv2.erode((med > 0.75 * float(np.percentile(med, 90))).astype(np.uint8), np.ones((5, 5), np.uint8)) > 0
    if paper.sum() < 1000:
        return 0.0
    resid = sample[paper].astype(np.float32) - med[paper].astype(np.float32)
    return float(np.sqrt(np.pi / 2) * np.mean(np.abs(resid)))


def smooth_noise(gray: np.ndarray, sigma: float, threshold: float = 4.5) -> np.ndarray:
    """Median-filter grainy scans before upscaling and binarising; clean pages are left untouched.

    On a noisy page Otsu turns grain next to letters into bumps and bridges that Tesseract reads as
    marks; a 3x3 median at the scan's own resolution removes the grain and keeps strokes.
    """
    if sigma < threshold:
        return gray
    return cv2.medianBlur(gray, 3)


# --------------------------------------------------------------------------- resolution, ink


def upscale(gray: np.ndarray, dpi: int, min_dpi: int, target_dpi: int) -> tuple[np.ndarray, int]:
    """Resample low-resolution scans so Tesseract sees an x-height in its comfortable 20–30 px."""
    if dpi >= min_dpi or dpi <= 0:
        return gray, dpi
    f = target_dpi / dpi
    out = cv2.resize(
        gray, (round(gray.shape[1] * f), round(gray.shape[0] * f)), interpolation=cv2.INTER_CUBIC
    )
    return out, target_dpi


def binarize(gray: np.ndarray) -> np.ndarray:
    """Black text on white via Otsu on the flattened page (its background is already uniform)."""
    smooth = cv2.GaussianBlur(gray, (3, 3), 0)
    _, out = cv2.threshold(smooth, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    return out


def despeckle(binary: np.ndarray, dpi: int) -> np.ndarray:
    """Remove isolated specks while keeping dots and tone marks, which always sit next to a letter.

    A component is a speck when it is small *and* nothing letter-sized lies within about half an
    x-height of it; diacritics of 3–6 px therefore survive even though specks are the same size.
    """
    ink = (binary < 128).astype(np.uint8)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    if n <= 1:
        return binary
    s = dpi / 300.0
    area = stats[:, cv2.CC_STAT_AREA]
    hgt = stats[:, cv2.CC_STAT_HEIGHT]
    wid = stats[:, cv2.CC_STAT_WIDTH]
    small = area < 120 * s * s
    small[0] = False
    if not small.any():
        return binary
    # Anchors: anything big, and anything letter-tall however thin (t, i, l have little area but are
    # taller than any speck), so a short word like "tỉ" keeps both its letters and its marks.
    letters = ((~small) & (np.maximum(hgt, wid) >= 8 * s)) | (np.maximum(hgt, wid) >= 16 * s)
    letters[0] = False
    big_mask = letters[labels].astype(np.uint8)
    reach = max(3, int(round(18 * s)))
    near = cv2.dilate(big_mask, cv2.getStructuringElement(cv2.MORPH_RECT, (2 * reach + 1, 2 * reach + 1)))
    # For every small component: does any of its pixels touch the neighbourhood of a letter?
    hit = np.bincount(labels[(near > 0) & (labels > 0)], minlength=n) > 0
    # Dashes and hyphens stand a word space away from letters: keep thin horizontal strokes.
    dash = (wid >= 8 * s) & (wid >= 2.5 * hgt)
    drop = small & ~hit & ~dash
    if not drop.any():
        return binary
    out = binary.copy()
    out[drop[labels]] = 255
    return out
