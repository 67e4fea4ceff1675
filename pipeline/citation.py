"""Document numbers and symbols (số, ký hiệu) as people and OCR write them, and their one key.

A document is cited by its number and symbol in one of a few families:

- state documents: ``2159/QĐ-UBND``, with a year for legal documents ``30/2020/NĐ-CP``;
- laws and resolutions of the legislature: ``72/2025/QH15``, ``1669/NQ-UBTVQH15``;
- Party documents: number, dash, type, slash, issuing body: ``57-NQ/TW``, ``46-CT/TU``;
- joint documents: ``01/2025/TTLT-BNV-BTC``.

OCR and typists vary the spacing and the separators (``57- NQ/TW``, ``57/NQ-TW``, ``QĐ`` read as
``QD``), so every part of the pipeline that compares references (extraction, the archive's index
and the search query) uses ``reference_key``: accents folded, upper case, the parts joined by one
separator whatever separated them, leading zeros of the number dropped.
"""

from __future__ import annotations

from typing import Literal

import regex

from pipeline.vietnamese import fold, nfc

Family = Literal["state", "law", "party", "joint"]
FAMILIES: tuple[Family, ...] = ("state", "law", "party", "joint")

_PART_RE = regex.compile(r"[A-Z0-9&]+")
_LEGISLATURE_RE = regex.compile(r"(?:^|[-/])(?:UBTV)?QH\d+$")
# Party bodies end their symbol: TW (Trung ương), TU (tỉnh/thành ủy), ĐU (đảng ủy), HU, QU, ĐU…
_PARTY_BODY_RE = regex.compile(r"(?:TW|TU|ĐU|DU|HU|QU|TƯ)$")


def reference_key(text: str) -> str:
    """The key under which numbers, symbols and number/symbol pairs are compared:
    ``57-NQ/TW``, ``57- NQ/TW`` and ``57/NQ-TW`` -> ``57-NQ-TW``; ``01/2025/TTLT-BNV-BTC`` ->
    ``1-2025-TTLT-BNV-BTC``; ``QĐ-UBND`` -> ``QD-UBND``."""
    parts = _PART_RE.findall(fold(nfc(text)).upper())
    if parts and parts[0].isdigit():
        parts[0] = parts[0].lstrip("0") or "0"
    return "-".join(parts)


def reference_family(number: str | None, symbol: str | None) -> Family | None:
    """Which family a cited number/symbol belongs to; None without a symbol."""
    if not symbol:
        return None
    sym = nfc(symbol).upper().replace(" ", "")
    if "TTLT" in sym:
        return "joint"
    if _LEGISLATURE_RE.search(sym):
        return "law"
    if regex.fullmatch(r"\p{L}+/\p{L}+", sym) or (not regex.match(r"\d", sym) and _PARTY_BODY_RE.search(sym)):
        return "party"
    return "state"


def reference_text(number: str | None, symbol: str | None) -> str | None:
    """How the family writes the pair: '57-NQ/TW' for the Party, '2159/QĐ-UBND' otherwise."""
    if not symbol:
        return None
    if not number:
        return symbol
    sep = "-" if reference_family(number, symbol) == "party" else "/"
    return f"{number}{sep}{symbol}"
