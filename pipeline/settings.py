"""One frozen settings object, built once from CLI flags / environment / defaults and passed down."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.types import TextLayerMode

# Training and evaluation data beside the checkout (``../shared``); never needed at run time.
SHARED_DIR = Path(os.environ.get("VANBAN_SHARED", Path(__file__).resolve().parents[2] / "shared"))


def default_archive() -> Path:
    """Per-user archive location: $VANBAN_ARCHIVE, else $XDG_DATA_HOME/vanban/archive.sqlite."""
    if env := os.environ.get("VANBAN_ARCHIVE"):
        return Path(env)
    base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "vanban" / "archive.sqlite"


@dataclass(frozen=True)
class CleanupSettings:
    """Image cleanup steps; each can be switched off from the command line."""

    orientation: bool = True
    deskew: bool = True
    border: bool = True
    background: bool = True
    denoise: bool = True
    ink: bool = True  # suppress red seals / blue signatures
    binarize: bool = True
    layout: bool = True
    min_dpi: int = 250  # pages below this are upscaled to target_dpi
    target_dpi: int = 300


@dataclass(frozen=True)
class Settings:
    workers: int = field(default_factory=lambda: os.cpu_count() or 1)
    mode: TextLayerMode = "auto"  # text-layer handling for PDFs: auto | force (always OCR) | skip (never OCR)
    lang: str = "vie"
    dpi: int = 300  # PDF rasterisation resolution
    ocr_timeout: float = 120.0  # seconds per page before Tesseract is stopped
    max_pixels: int = 200_000_000  # larger images are refused as decompression bombs
    force: bool = False  # re-process documents already in the archive
    restore: bool = True
    cleanup: CleanupSettings = field(default_factory=CleanupSettings)
    # names and phrases restoration prefers to the corpus: the archive's lexicon, which a batch reads
    # once and grows with each stored document's confident names (data, so a job carries it anywhere)
    lexicon: tuple[str, ...] = ()
