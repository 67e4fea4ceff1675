"""Render text lines to page images and OCR them with Tesseract.

Shared by training (to learn the OCR error model) and evaluation (to measure restoration on
OCR output), so both see the same kind of damage.
"""

from __future__ import annotations

import os
import random
import subprocess
import tempfile
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

# Tinos is Liberation Serif with full Vietnamese coverage (the installed Liberation lacks
# the precomposed tone letters); both are metric-compatible with Times New Roman.
FONT = Path("/usr/share/fonts/truetype/croscore/Tinos-Regular.ttf")
PAGE_WIDTH = 2480  # A4 at 300 dpi


def render_page(lines: list[str], *, size: int = 42, degrade: float = 0.0, seed: int = 0) -> Image.Image:
    """One grayscale page, one input line per printed line (long lines are not wrapped)."""
    if not FONT.exists():
        raise FileNotFoundError(f"{FONT}: font missing; install Debian's fonts-croscore (scripts/setup.sh does)")
    font = ImageFont.truetype(str(FONT), size)
    step = int(size * 1.6)
    height = step * (len(lines) + 2)
    width = max([PAGE_WIDTH] + [int(font.getlength(line)) + 200 for line in lines])
    page = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(page)
    for i, line in enumerate(lines):
        draw.text((100, step * (i + 1)), line, font=font, fill=0)
    if degrade > 0:  # a cheap scan: lose resolution, blur, speckle (0 < degrade <= 1)
        rng = random.Random(seed)
        factor = 1.0 - degrade * rng.uniform(0.5, 0.75)
        small = page.resize((int(width * factor), int(height * factor)), Image.BILINEAR)
        page = small.resize((width, height), Image.BILINEAR).filter(ImageFilter.GaussianBlur(0.4 + degrade))
        noise = Image.effect_noise((width, height), 40 * degrade)
        page = Image.blend(page, noise, 0.25 * degrade).point(lambda v: 255 if v > 150 else 0)
    return page


def ocr_image(image: Image.Image, lang: str, *, psm: int = 6, timeout: float = 300.0) -> str:
    """Tesseract's plain-text output for one page image (one thread, so it shares the machine)."""
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    with tempfile.TemporaryDirectory(prefix="vanban-render-") as tmp:
        path = Path(tmp) / "page.png"
        image.save(path)
        out = subprocess.run(
            ["tesseract", str(path), "stdout", "-l", lang, "--psm", str(psm)],
            capture_output=True,
            env=env,
            timeout=timeout,
            check=True,
        )
    return out.stdout.decode("utf-8", errors="replace")


def ocr_image_words(
    image: Image.Image, lang: str, *, psm: int = 6, timeout: float = 300.0
) -> list[list[tuple[str, float]]]:
    """Tesseract's words with confidences (0..100), grouped by printed line in reading order."""
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    with tempfile.TemporaryDirectory(prefix="vanban-render-") as tmp:
        path = Path(tmp) / "page.png"
        image.save(path)
        out = subprocess.run(
            ["tesseract", str(path), "stdout", "-l", lang, "--psm", str(psm), "tsv"],
            capture_output=True,
            env=env,
            timeout=timeout,
            check=True,
        )
    lines: dict[tuple[str, str, str], list[tuple[str, float]]] = {}
    for row in out.stdout.decode("utf-8", errors="replace").splitlines()[1:]:
        f = row.split("\t")
        if len(f) == 12 and f[0] == "5" and f[11].strip():
            lines.setdefault((f[2], f[3], f[4]), []).append((f[11].strip(), float(f[10])))
    return list(lines.values())


def ocr_lines_words(
    lines: list[str], lang: str, *, size: int = 42, degrade: float = 0.0, seed: int = 0
) -> list[list[tuple[str, float]]]:
    """Like ``ocr_lines`` but each line as (word, confidence) pairs ([] where lost)."""
    got = ocr_image_words(render_page(lines, size=size, degrade=degrade, seed=seed), lang)
    if len(got) == len(lines):
        return got
    by_text = {" ".join(w for w, _ in g): g for g in got}
    return [by_text.get(t, []) for t in align_lines(lines, list(by_text))]


def ocr_lines(lines: list[str], lang: str, *, size: int = 42, degrade: float = 0.0, seed: int = 0) -> list[str]:
    """OCR rendered ``lines``; the result is aligned one-to-one with the input ('' where lost)."""
    text = ocr_image(render_page(lines, size=size, degrade=degrade, seed=seed), lang)
    got = [line.strip() for line in text.splitlines() if line.strip()]
    if len(got) == len(lines):
        return got
    return align_lines(lines, got)


def align_lines(truth: list[str], got: list[str]) -> list[str]:
    """Match OCR lines to truth lines by similarity when Tesseract merged or dropped some."""
    from rapidfuzz import fuzz

    out = [""] * len(truth)
    j = 0
    for i, line in enumerate(truth):
        best, best_k = 0.0, -1
        for k in range(j, min(j + 3, len(got))):
            score = fuzz.ratio(line, got[k])
            if score > best:
                best, best_k = score, k
        if best_k >= 0 and best >= 50:
            out[i] = got[best_k]
            j = best_k + 1
    return out
