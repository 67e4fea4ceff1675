"""The references component: every document the text cites, with its date and issuer."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import regex
from spacy.language import Language
from spacy.tokens import Doc

from pipeline.extract.doc import cues, put
from pipeline.extract.text import ANY_DATE_RE, DIGITISH, H, find_by_initials, fix_digits, parse_date_match, squash
from pipeline.extract.vocab import (
    GENERIC_TYPES,
    clean_symbol,
    doc_type_names,
    doc_type_rows,
    issuer_abbreviation,
    symbol_type,
    typed_symbol,
)
from pipeline.types import Reference
from pipeline.vietnamese import fold_lower

REF_TAIL_RE = regex.compile(
    rf"\s*(?:s[ốôóoồổ]{H}*:?\s*)?(?P<num>{DIGITISH}{{1,6}})\s*/\s*"
    rf"(?P<sym>(?:(?:19|20)\d\d\s*/\s*)?[\p{{Lu}}0-9][\p{{L}}0-9&]*(?:{H}*[-–]{H}*[\p{{L}}0-9&]+)*)"
)
REF_ISSUER_RE = regex.compile(r"\s*,?\s*(?:của|do)\s+")
ISSUER_STOP = {
    "ve", "v/v", "ban", "quy", "huong", "thong", "trien", "da", "de", "tai", "ngay", "gui", "nam", "theo",
    "kem", "cho", "ket", "phe", "giao", "len", "tu", "co", "va",
}  # fmt: skip


def _ref_issuer(text: str, pos: int) -> tuple[str, int, int] | None:
    """'… của Ủy ban nhân dân thành phố về …' -> 'Ủy ban nhân dân thành phố' (wrapped lines joined)."""
    m = REF_ISSUER_RE.match(text, pos)
    if not m:
        return None
    raw = list(regex.finditer(r"\S+", text[m.end() : m.end() + 240]))
    words: list[tuple[str, int, int]] = []
    for n, w in enumerate(raw):
        core = w.group().rstrip(",;.():")
        f = fold_lower(core)
        if not words and not core[:1].isupper():
            return None
        if not core or not regex.fullmatch(r"[\p{L}\p{M}]+", core):
            break
        nxt = raw[n + 1].group() if n + 1 < len(raw) else ""
        # "Ủy ban", "Sở Khoa học và Công nghệ": ban / và belong to the name before a capital
        keep = (f == "ban" and words and fold_lower(words[-1][0]) == "uy") or (
            f == "va" and words and nxt[:1].isupper() and core == w.group()
        )
        if words and f in ISSUER_STOP and not keep:
            break
        words.append((core, m.end() + w.start(), m.end() + w.start() + len(core)))
        if core != w.group() or len(words) >= 12:
            break
    if not words:
        return None
    return squash(" ".join(w[0] for w in words)), words[0][1], words[-1][2]


NAMED_REF_RE = regex.compile(
    r"(?P<name>(?:\s+[\p{L}\p{M}]+){1,12}?)\s*,?\s+(?:được\s+\S+\s+)?(?:ban hành\s+|thông qua\s+)?"
    r"(?=ngày\s*\d)"
)


class References:
    """references: every '<type> số N/KH-… ngày … của …' cited in the body."""

    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        text = doc.text
        names = doc_type_names()
        rows = doc_type_rows()
        own = doc._.vb_so_line
        refs: dict[tuple[Any, ...], Reference] = {}
        spans: list[tuple[int, int]] = []
        for cue in cues(doc, "DOC_TYPE"):
            if m := REF_TAIL_RE.match(text, cue.end_char):
                if own and own[0] <= m.start() < own[1]:
                    continue
                num = fix_digits(m.group("num"))
                sym = typed_symbol(clean_symbol(m.group("sym"))[0], cue.id_)
                if cue.id_ in GENERIC_TYPES:
                    abbr = symbol_type(sym)
                    doc_type = names[abbr] if abbr else "Công văn"
                else:
                    doc_type = names[cue.id_]
                key: tuple[Any, ...] = (num, sym)
                default_issuer = None
            elif rows[cue.id_].get("named") and cue.text[:1].isupper():
                m = NAMED_REF_RE.match(text, cue.end_char)
                if not m or not m.group("name").strip()[:1].isupper():
                    continue
                num = sym = None
                doc_type = names[cue.id_]
                key = (doc_type, fold_lower(squash(m.group("name"))))
                default_issuer = rows[cue.id_].get("issuer")
            else:
                continue
            date, pos = _date_after(text, m.end())
            iss = _ref_issuer(text, pos)
            issuer = iss[0] if iss else default_issuer
            entry = refs.get(key)
            if entry is None:
                refs[key] = Reference(doc_type, num, sym, date, issuer)
            else:
                refs[key] = replace(entry, date=entry.date or date, issuer=entry.issuer or issuer)
            spans.append((cue.start_char, iss[2] if iss else pos))
        for key, entry in refs.items():
            if entry.issuer is None and entry.symbol:
                if found := find_by_initials(text, issuer_abbreviation(entry.symbol)):
                    refs[key] = replace(entry, issuer=found[0])
        if refs:
            put(doc, "references", tuple(refs.values()), spans[0][0], spans[-1][1], 0.85)
        return doc


def _date_after(text: str, pos: int) -> tuple[str | None, int]:
    """The date right after a cited number: ', ngày 03/9/2025', 'ngày 12 tháng 4 năm 2024'."""
    lead = regex.match(r"\s*,?\s*(?:ban hành\s+|được\s+\S+\s+)?", text[pos:])
    at = pos + (lead.end() if lead else 0)
    if d := ANY_DATE_RE.match(text, at):
        return parse_date_match(d), d.end()
    if (w := regex.match(r"ngày\s*", text[at:])) and (d := ANY_DATE_RE.match(text, at + w.end())):
        return parse_date_match(d), d.end()
    return None, pos
