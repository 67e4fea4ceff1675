"""Render text lines to page images and OCR them with Tesseract.

Shared by training (to learn the OCR error model) and evaluation (to measure restoration on
OCR output), so both see the same kind of damage.
"""

from __future__ import annotations

import io
import os
import random
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

# Tinos is Liberation Serif with full Vietnamese coverage (the installed Liberation lacks
# the precomposed tone letters); both are metric-compatible with Times New Roman.
FONT = Path("/usr/share/fonts/truetype/croscore/Tinos-Regular.ttf")
PAGE_WIDTH = 2480  # A4 at 300 dpi
_FONT_DIRS = {
    "fonts-croscore": Path("/usr/share/fonts/truetype/croscore"),
    "fonts-liberation2": Path("/usr/share/fonts/truetype/liberation2"),
    "fonts-dejavu-core": Path("/usr/share/fonts/truetype/dejavu"),
    "fonts-freefont-ttf": Path("/usr/share/fonts/truetype/freefont"),
}
# Fonts with every Vietnamese letter, by name: (Debian package, file).
FONTS = {
    "tinos": ("fonts-croscore", "Tinos-Regular.ttf"),
    "tinos-bold": ("fonts-croscore", "Tinos-Bold.ttf"),
    "tinos-italic": ("fonts-croscore", "Tinos-Italic.ttf"),
    "arimo": ("fonts-croscore", "Arimo-Regular.ttf"),
    "arimo-bold": ("fonts-croscore", "Arimo-Bold.ttf"),
    "cousine": ("fonts-croscore", "Cousine-Regular.ttf"),
    "liberation-serif": ("fonts-liberation2", "LiberationSerif-Regular.ttf"),
    "liberation-serif-bold": ("fonts-liberation2", "LiberationSerif-Bold.ttf"),
    "liberation-sans": ("fonts-liberation2", "LiberationSans-Regular.ttf"),
    "dejavu-serif": ("fonts-dejavu-core", "DejaVuSerif.ttf"),
    "dejavu-serif-bold": ("fonts-dejavu-core", "DejaVuSerif-Bold.ttf"),
    "dejavu-sans": ("fonts-dejavu-core", "DejaVuSans.ttf"),
    "dejavu-sans-bold": ("fonts-dejavu-core", "DejaVuSans-Bold.ttf"),
    "free-serif": ("fonts-freefont-ttf", "FreeSerif.ttf"),
    "free-serif-bold": ("fonts-freefont-ttf", "FreeSerifBold.ttf"),
    "free-sans": ("fonts-freefont-ttf", "FreeSans.ttf"),
}


def font_path(name: str) -> Path:
    """The file of a font in FONTS; a missing one names its Debian package."""
    package, file = FONTS[name]
    path = _FONT_DIRS[package] / file
    if not path.exists():
        raise FileNotFoundError(f"{path}: font missing; install Debian's {package}")
    return path


@dataclass(frozen=True)
class PrintStyle:
    """How a page was printed and scanned: font, size (px at 300 dpi) and the damage done."""

    font: str = "tinos"
    size: int = 42
    ink: int = 0  # +1: heavy strokes (toner, photocopy), -1: faint thin strokes
    blur: float = 0.0  # Gaussian radius in px
    scale: float = 1.0  # < 1: scanned at a lower resolution, then scaled back up
    noise: float = 0.0  # 0..1 speckle
    threshold: int = 0  # binarised at this grey level (fax), 0: grey kept
    jpeg: int = 0  # JPEG quality, 0: none

    def render(self, lines: list[str]) -> Image.Image:
        """One page, one input line per printed line."""
        page = _draw(lines, ImageFont.truetype(str(font_path(self.font)), self.size), self.size)
        if self.ink > 0:
            page = page.filter(ImageFilter.MinFilter(3))
        elif self.ink < 0:
            page = page.point(lambda v: min(255, v + 90))
        if self.blur:
            page = page.filter(ImageFilter.GaussianBlur(self.blur))
        if self.scale < 1.0:
            w, h = page.size
            small = page.resize((max(1, int(w * self.scale)), max(1, int(h * self.scale))), Image.BILINEAR)
            page = small.resize((w, h), Image.BILINEAR)
        if self.noise:
            page = Image.blend(page, Image.effect_noise(page.size, 60 * self.noise), 0.3 * self.noise)
        if self.threshold:
            page = page.point(lambda v: 255 if v > self.threshold else 0)
        if self.jpeg:
            buf = io.BytesIO()
            page.save(buf, "JPEG", quality=self.jpeg)
            page = Image.open(io.BytesIO(buf.getvalue())).convert("L")
        return page


def _draw(lines: list[str], font: ImageFont.FreeTypeFont, size: int) -> Image.Image:
    step = int(size * 1.6)
    width = max([PAGE_WIDTH] + [int(font.getlength(line)) + 200 for line in lines])
    page = Image.new("L", (width, step * (len(lines) + 2)), 255)
    draw = ImageDraw.Draw(page)
    for i, line in enumerate(lines):
        draw.text((100, step * (i + 1)), line, font=font, fill=0)
    return page


def render_page(lines: list[str], *, size: int = 42, degrade: float = 0.0, seed: int = 0) -> Image.Image:
    """One grayscale page, one input line per printed line (long lines are not wrapped)."""
    if not FONT.exists():
        raise FileNotFoundError(f"{FONT}: font missing; install Debian's fonts-croscore (scripts/setup.sh does)")
    page = _draw(lines, ImageFont.truetype(str(FONT), size), size)
    width, height = page.size
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


def ocr_lines(
    lines: list[str],
    lang: str,
    *,
    size: int = 42,
    degrade: float = 0.0,
    seed: int = 0,
    style: PrintStyle | None = None,
) -> list[str]:
    """OCR rendered ``lines`` (in ``style`` when given); the result is aligned one-to-one with
    the input ('' where lost)."""
    image = style.render(lines) if style else render_page(lines, size=size, degrade=degrade, seed=seed)
    text = ocr_image(image, lang)
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
