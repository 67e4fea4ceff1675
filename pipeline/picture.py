"""Image files read the one way the pipeline reads them: ingest OCRs the page read here and export
copies that same page into a searchable PDF, so the text layer lands on what was read."""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageOps, TiffImagePlugin


def open_image(path: str | Path) -> Image.Image:
    """``Image.open``, TIFFs through libtiff: Pillow turns TIFF pages by their orientation tag as it
    decodes them, and its own decoder for uncompressed TIFF gets orientations 5-8 wrong (Pillow 13)."""
    TiffImagePlugin.READ_LIBTIFF = True
    return Image.open(path)


def upright(frame: Image.Image) -> Image.Image:
    """The current frame decoded and turned by its EXIF orientation (JPEG, PNG; a TIFF's is applied
    on load), the mirrored ones too (2, 4, 5, 7), which no rotation found by the cleanup could undo."""
    frame.load()
    return ImageOps.exif_transpose(frame)
