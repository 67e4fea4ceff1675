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
# Abbreviations of symbols spelt with 'Đ' (document types of Nghị định 30/2020, Appendix III;
# Party bodies; ministries), which accent stripping and Latin-model OCR write with 'D' or 'P'.
D_ABBREVIATIONS = ("HĐND", "ĐU", "BCĐ", "BCĐTW", "BGDĐT", "BKHĐT", "BLĐTBXH", "BĐNTW", "ĐUCP", "ĐUQH", "TĐC",
                   "CĐ", "QĐ", "NĐ", "HĐ", "ĐA", "KTHT&ĐT", "DN&GSĐT", "CCTĐC")  # fmt: skip
# Of those, the ones whose 'D' spelling is an abbreviation too: 'HD' (Hướng dẫn), 'DA' (Dự án).
_D_SPELT_TOO = ("HĐ", "ĐA")


def d_spelling(part: str) -> str | None:
    """The abbreviation a symbol's part stands for when its 'Đ' was written 'D' ('CD' -> 'CĐ',
    'BGDDT' -> 'BGDĐT', 'DU' -> 'ĐU'); None where the part is no such abbreviation or where the
    'D' spelling is one of its own."""
    plain = part.replace("Ð", "D")  # U+00D0, the look-alike OCR and some fonts give for 'Đ'
    for known in D_ABBREVIATIONS:
        if known not in _D_SPELT_TOO and known != part and known.replace("Đ", "D") == plain:
            return known
    return None


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
    # 'Thông tư liên tịch' as its type, after the year ('2017/TTLT-…', run into its first body: 'TTLTVKSNDTC-BCA'),
    # not a body's code that starts so ('KH-TTLTLS', Trung tâm Lưu trữ lịch sử, set 198); 'Nghị quyết liên tịch'
    # (NQLT-UBTVQH14-CP-…), …
    if regex.match(r"(?:\d{4}/)?TTLT", sym) or regex.search(r"(?:^|[/-])(?:NQ|QĐ|QD|QC|CT|HD|KH)LT(?:-|$)", sym):
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
