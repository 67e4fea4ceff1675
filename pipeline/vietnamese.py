"""Vietnamese text primitives shared by every stage (normalisation and accent folding).

Folding is used for accent-insensitive matching: search, and judging whether a token is
Vietnamese. ``đ``/``Đ`` do not decompose under NFD, so they are mapped explicitly.
"""

from __future__ import annotations

import unicodedata

import regex

_D_MAP = str.maketrans({"đ": "d", "Đ": "D", "\u00d0": "D", "\u00f0": "d"})
WORD_RE = regex.compile(r"[^\W_]+")


def nfc(text: str) -> str:
    """NFC-normalise and map the look-alike U+00D0 (Icelandic eth) to U+0110 inside words."""
    text = unicodedata.normalize("NFC", text)
    if "\u00d0" in text:
        text = regex.sub(r"(?<=\p{L})\u00d0|\u00d0(?=\p{L})", "\u0110", text)
    return text


def fold(text: str) -> str:
    """Strip every diacritic, keeping case: 'Kiến Đảng' -> 'Kien Dang'."""
    decomposed = unicodedata.normalize("NFD", text.translate(_D_MAP))
    return "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")


def fold_lower(text: str) -> str:
    """Case- and accent-insensitive key: 'Kiến An' -> 'kien an'."""
    return fold(text).lower()
