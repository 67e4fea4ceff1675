"""Image cleanup and page layout: ``PageImage`` -> ``CleanPage`` ready for Tesseract.

Steps, in order (each switchable by its ``CleanupSettings`` flag and timed in ``CleanPage.timings``):
ink (red seal / blue pen lifted out, kept as ``ink_layer``), border (scanner edges, punch holes),
background (divide out yellowing and uneven light), deskew and orientation (one projection-profile
search over both axes, then an ascender/descender test for 180°), upscale (low-dpi scans to
``target_dpi``), binarize (Otsu on the flattened page), denoise (a median on grainy scans before
resampling, specks away from letters after binarising) and
layout (header columns, title, body, recipients, signature).

Rotation is done before upscaling and binarisation so each pixel is resampled once, from the
smooth grayscale. The function is pure and picklable-in/picklable-out for worker processes.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

import cv2
import numpy as np

from pipeline.errors import InputError
from pipeline.image import steps
from pipeline.image.layout import find_blocks, keep_red_stamps
from pipeline.settings import CleanupSettings
from pipeline.types import CleanPage, PageImage

__all__ = ["clean_page", "find_blocks", "CleanupError"]

T = TypeVar("T")


class CleanupError(InputError):
    """The page image cannot be cleaned (wrong type, shape or resolution)."""


def _checked(page: PageImage) -> np.ndarray:
    where = f"{page.source}: page {page.index + 1}"
    image = page.image
    if not isinstance(image, np.ndarray):
        raise CleanupError(f"{where}: image is {type(image).__name__}, not a numpy array")
    if image.ndim not in (2, 3) or (image.ndim == 3 and image.shape[2] not in (1, 3, 4)):
        raise CleanupError(f"{where}: unsupported image shape {image.shape}")
    if min(image.shape[:2]) < 16:
        raise CleanupError(f"{where}: image of {image.shape[1]}x{image.shape[0]} px is too small")
    if page.dpi <= 0:
        raise CleanupError(f"{where}: resolution {page.dpi} dpi is not positive")
    if image.dtype == np.uint16:
        image = (image >> 8).astype(np.uint8)
    elif image.dtype == bool:
        image = np.where(image, 255, 0).astype(np.uint8)  # PIL mode "1": True is white
    elif image.dtype != np.uint8:
        raise CleanupError(f"{where}: unsupported pixel type {image.dtype}")
    if image.ndim == 3:
        if image.shape[2] == 1:
            image = image[:, :, 0]
        elif image.shape[2] == 4:
            image = cv2.cvtColor(image, cv2.COLOR_BGRA2BGR)
    return image


def clean_page(page: PageImage, settings: CleanupSettings) -> CleanPage:
    """Clean one page and find its layout blocks; pure function of (image, settings)."""
    image = _checked(page)
    dpi = page.dpi
    timings: dict[str, float] = {}

    def timed(name: str, fn: Callable[[], T]) -> T:
        t0 = time.perf_counter()
        result = fn()
        timings[name] = timings.get(name, 0.0) + time.perf_counter() - t0
        return result

    ink: np.ndarray | None = None
    if image.ndim == 3:
        if settings.ink:
            gray, ink = timed("ink", lambda: steps.suppress_ink(image))
            if ink is not None:  # a red KHẨN / MẬT stamp is text to read, not a seal to lift out
                gray = timed("ink", lambda: keep_red_stamps(gray, ink, page.dpi))
        else:
            gray = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    else:
        gray = image
    if settings.border:
        gray = timed("border", lambda: steps.remove_border(gray, dpi))
    if settings.denoise:  # grain is smoothed at the scan's own resolution, before it is resampled
        gray = timed("denoise", lambda: steps.smooth_noise(gray, steps.noise_sigma(gray)))
    if settings.background:
        gray = timed("background", lambda: steps.flatten_background(gray, dpi))

    quarter, skew, flip = 0, 0.0, False
    if settings.orientation or settings.deskew:
        small, _ = timed("deskew", lambda: steps.analysis_binary(gray, dpi))
        angle = timed("deskew", lambda: steps.find_text_angle(small))
        if angle > 45 and settings.orientation:
            quarter = 90
        elif angle > 45:  # sideways page but orientation is off: only the level axis is searched
            angle = 0.0
        if settings.deskew and abs(angle - quarter) >= 0.05:
            skew = angle - quarter
        if quarter or skew:
            fill = 255 if settings.background else int(steps.paper_level(gray))
            turn = quarter + skew
            gray = timed("deskew", lambda: steps.rotate(gray, turn, fill=fill))
            if ink is not None:
                ink = steps.rotate(ink, turn, fill=(255, 255, 255))
        if settings.orientation:
            flip = timed("orientation", lambda: steps.is_upside_down(gray, dpi))
            if flip:
                gray = cv2.rotate(gray, cv2.ROTATE_180)
                if ink is not None:
                    ink = cv2.rotate(ink, cv2.ROTATE_180)

    if dpi < settings.min_dpi:
        old = dpi
        gray, dpi = timed("upscale", lambda: steps.upscale(gray, old, settings.min_dpi, settings.target_dpi))
        if ink is not None and dpi != old:
            ink = cv2.resize(ink, (gray.shape[1], gray.shape[0]), interpolation=cv2.INTER_LINEAR)

    if settings.binarize:
        out = timed("binarize", lambda: steps.binarize(gray))
        if settings.denoise:
            out = timed("denoise", lambda: steps.despeckle(out, dpi))
    else:
        out = gray
        if settings.denoise:
            out = timed("denoise", lambda: cv2.medianBlur(gray, 3))

    blocks: tuple = ()
    if settings.layout:

        def layout() -> tuple:
            binary = out if settings.binarize else steps.binarize(out)
            return find_blocks(binary, dpi)

        blocks = timed("layout", layout)

    return CleanPage(
        index=page.index,
        image=np.ascontiguousarray(out),
        dpi=dpi,
        blocks=blocks,
        rotation=(-(quarter + (180 if flip else 0))) % 360,
        skew=round(-skew, 3),
        timings=timings,
        ink_layer=ink,
        scale=dpi / page.dpi,
    )
