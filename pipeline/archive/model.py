"""Typed values the archive takes and returns, its errors, and the encodings both backends share."""

from __future__ import annotations

import functools
import json
import operator
import re
import sys
import zlib
from array import array
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from itertools import compress
from typing import Any

import numpy as np
import regex

from pipeline.archive.query import Phrase
from pipeline.citation import reference_key
from pipeline.errors import EXIT_ARCHIVE, VanbanError
from pipeline.types import Box, DocumentRecord, Fields, OcrWord, PageRecord, readable_path
from pipeline.vietnamese import WORD_RE, fold, fold_lower, nfc


class ArchiveError(VanbanError):
    """The archive cannot be opened or used; the message names the archive and the reason."""

    exit_status = EXIT_ARCHIVE


class ArchiveVersionError(ArchiveError):
    """The archive was written by a newer vanban whose schema this one does not know."""


@dataclass(frozen=True)
class SearchQuery:
    """A search: query text (may be empty when filters are given) plus field filters.

    Dates are ISO ``yyyy-mm-dd``; ``date_from``/``date_to`` are inclusive, ``deadline_before`` is
    strict (documents with a deadline earlier than that day).
    """

    text: str = ""
    doc_type: str | None = None
    issuer: str | None = None  # accent-insensitive substring of the issuing body
    symbol: str | None = None  # "KH-UBND" or "225/KH-UBND"
    number: str | None = None  # "225" or "225/KH-UBND"
    date_from: str | None = None
    date_to: str | None = None
    deadline_before: str | None = None
    limit: int = 20

    def __post_init__(self) -> None:
        for name in ("date_from", "date_to", "deadline_before"):
            value = getattr(self, name)
            if value is not None:
                try:
                    date.fromisoformat(value)
                except ValueError:
                    raise ValueError(f"{name} must be a date as yyyy-mm-dd, got {value!r}") from None
        if self.limit < 1:
            raise ValueError(f"limit must be at least 1, got {self.limit}")

    @property
    def has_filters(self) -> bool:
        return any(
            getattr(self, n) is not None
            for n in ("doc_type", "issuer", "symbol", "number", "date_from", "date_to", "deadline_before")
        )


@dataclass(frozen=True)
class Hit:
    """One matching document, at its best page. ``page`` is 1-based as printed on paper."""

    doc_id: str
    sha256: str
    path: str  # as ``DocumentRecord.path``: opens the file, may hold a name that is not UTF-8
    page: int
    snippet: str  # matched words wrapped in ``HIGHLIGHT`` markers
    fields: dict[str, Any]
    score: float  # larger is better; only comparable within one search
    match: str  # "reference" (number/symbol field), "exact" (diacritics as typed), "folded", "filter"

    @property
    def link(self) -> str:
        """A link a PDF viewer opens at the page of the scan (bytes of a name that is not UTF-8 as %XX)."""
        path = "".join(f"%{ord(c) - 0xDC00:02X}" if "\udc80" <= c <= "\udcff" else c for c in self.path)
        return f"file://{path}#page={self.page}"

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.doc_id,
            "sha256": self.sha256,
            "file": readable_path(self.path),
            "page": self.page,
            "link": self.link,
            "snippet": self.snippet,
            "score": round(self.score, 4),
            "match": self.match,
            "fields": self.fields,
        }


@dataclass(frozen=True)
class Stats:
    documents: int
    pages: int
    words: int
    doc_types: dict[str, int] = field(default_factory=dict)
    size_bytes: int = 0
    schema_version: int = 0
    backend: str = ""
    location: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "documents": self.documents,
            "pages": self.pages,
            "words": self.words,
            "doc_types": self.doc_types,
            "size_bytes": self.size_bytes,
            "schema_version": self.schema_version,
            "backend": self.backend,
            "location": self.location,
        }


@dataclass(frozen=True)
class CheckReport:
    """What ``Archive.check`` found: row counts and every problem, one line each (none: the archive is whole)."""

    location: str
    backend: str
    schema_version: int
    counts: dict[str, int]
    problems: tuple[str, ...]
    notes: tuple[str, ...] = ()  # what could not be checked, and why

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_json(self) -> dict[str, Any]:
        return {"location": self.location, "backend": self.backend, "schema_version": self.schema_version,
                "ok": self.ok, "counts": self.counts, "problems": list(self.problems),
                "notes": list(self.notes)}  # fmt: skip


@dataclass(frozen=True)
class StoredDocument(DocumentRecord):
    """A ``DocumentRecord`` read back from the archive, with its archive id and time of adding."""

    id: str = ""
    added_at: str = ""

    def to_json(self) -> dict[str, Any]:
        """``vanban show --json``'s object; the web API answers the same."""
        return {
            "id": self.id,
            "sha256": self.sha256,
            "file": self.shown_path,
            "size": self.size,
            "added_at": self.added_at,
            "fields": self.fields.to_json(with_provenance=True),
            "pages": [
                {
                    "page": p.index + 1,
                    "source": p.source,
                    "mean_confidence": round(p.mean_confidence, 2),
                    "words": len(p.words),
                    "raw_text": p.raw_text,
                    "restored_text": p.restored_text,
                }
                for p in self.pages
            ],
        }


LEXICON_SOURCES = ("staff", "correction", "ingest")  # where a lexicon entry came from, highest first
MAX_PHRASE = 200  # characters in a lexicon entry


@dataclass(frozen=True)
class LexiconEntry:
    """A name or phrase of the archive's lexicon (``Archive.lexicon``)."""

    phrase: str  # NFC, one space between words
    source: str  # one of LEXICON_SOURCES
    doc_id: str | None  # the document it was read in or corrected on
    seen: int  # documents it was added for (ingest counts each document that read it)
    added_at: str


def lexicon_phrase(text: str) -> str:
    """An entry as the lexicon stores it (NFC, one line, one space between words); ValueError with
    the reason when it cannot be one."""
    phrase = " ".join(nfc(text).split())
    if not WORD_RE.search(phrase):
        raise ValueError("no word in it")
    if len(phrase) > MAX_PHRASE:
        raise ValueError(f"longer than {MAX_PHRASE} characters")
    if any(not c.isprintable() for c in phrase):
        raise ValueError("it has control characters")
    return phrase


# ---------------------------------------------------------------------------------------------
# Encodings shared by both backends

HIGHLIGHT = ("**", "**")


_FOLDED: dict[str, str] = {}  # every non-ASCII character seen so far -> fold(character)


def fold_key(text: str) -> str:
    """``fold_lower`` at C speed: ``str.translate`` with a table of the characters in ``text``.

    Folding is character-local (NFD decomposes each character on its own and all marks are
    dropped), so translating character by character gives exactly ``fold_lower``; the test
    compares the two on the corpus and on every BMP character."""
    if text.isascii():
        return text.lower()
    table = {}
    for ch in set(text):
        if ch > "\x7f":
            folded = _FOLDED.get(ch)
            if folded is None:
                folded = _FOLDED[ch] = fold(ch)
            if folded != ch:
                table[ord(ch)] = folded
    return text.translate(table).lower()


_WORDS_FORMAT = 2  # 1: word texts always in the blob; 2: None where they are the page text's words


def pack_words(page: PageRecord, raw_text: str | None = None, restored_text: str | None = None) -> bytes:
    """Words as one compressed blob per page: a few hundred bytes instead of a row per word.

    ``raw_text``/``restored_text`` are the page texts as stored; when the word texts are just
    their whitespace-separated words (as OCR builds them) the blob says so instead of repeating
    them, and ``unpack_words`` takes them from the same stored texts. The numbers are packed with
    ``array`` from one flat list (no per-column numpy conversion); bytes are the same as before."""
    words = page.words
    n = len(words)
    geo = array("i", [v for w in words for v in (*_box_values(w.box), w.block, w.line)])  # n x 6 int32
    conf = array("f", [w.confidence for w in words])
    if _SWAP:
        geo.byteswap()
        conf.byteswap()
    texts = [w.text for w in words]
    restored = list(page.restored_words)
    t = None if raw_text is not None and texts == raw_text.split() else "\x1f".join(texts)
    if restored == texts:
        r: str | None = ""
    elif restored_text is not None and restored == restored_text.split():
        r = None
    else:
        r = "\x1f".join(restored)
    head = json.dumps({"v": _WORDS_FORMAT, "n": n, "t": t, "r": r}, ensure_ascii=False).encode()
    body = len(head).to_bytes(4, "little") + head + geo.tobytes() + conf.tobytes()
    return zlib.compress(body, 1)


_SWAP = sys.byteorder != "little"  # the blob is little-endian whatever the machine
_box_values = operator.attrgetter("left", "top", "width", "height")


def unpack_words(
    blob: bytes, raw_text: str = "", restored_text: str = ""
) -> tuple[tuple[OcrWord, ...], tuple[str, ...]]:
    """The page's words back from ``pack_words``; the texts are the page's stored ones."""
    body = zlib.decompress(bytes(blob))
    hlen = int.from_bytes(body[:4], "little")
    head = json.loads(body[4 : 4 + hlen])
    n = head["n"]
    if n == 0:
        return (), ()
    geo = np.frombuffer(body, dtype="<i4", count=n * 6, offset=4 + hlen).reshape(n, 6)
    conf = np.frombuffer(body, dtype="<f4", count=n, offset=4 + hlen + n * 24)
    texts = raw_text.split() if head["t"] is None else head["t"].split("\x1f")
    words = tuple(
        OcrWord(t, Box(int(g[0]), int(g[1]), int(g[2]), int(g[3])), float(c), int(g[4]), int(g[5]))
        for t, g, c in zip(texts, geo, conf, strict=True)
    )
    if head["r"] is None:
        restored = tuple(restored_text.split())
    else:
        restored = tuple(head["r"].split("\x1f")) if head["r"] else tuple(texts)
    return words, restored


def index_text(text: str) -> str:
    """Text as the index sees it: NFC, lower case, words joined by single spaces.

    Both backends index this form, so tokenisation (and phrase positions) is identical. Words are
    the ``WORD_RE`` matches, found per whitespace-separated token through ``_TOKENS`` (a token
    seen before costs one dict lookup)."""
    tokens = nfc(text).lower().split()
    return " ".join(filter(None, map(_TOKENS.__getitem__, tokens)))


class _TokenForms(dict):
    """Lower-cased token -> its ``WORD_RE`` words joined by spaces ("" for none); ``folded`` holds
    ``fold_key`` of the same and ``bare`` ``fold_key`` of the token itself (None where that folding
    does not fold the words one to one). Tokens repeat heavily (a page is mostly words seen before),
    so the regex and the folds run once per distinct token; ``map(d.__getitem__, ...)`` stays in C
    for hits. Emptied (between texts, never within one) past ``limit`` so a long ingest cannot grow
    it without bound."""

    limit = 500_000

    def __init__(self) -> None:
        super().__init__()
        self.folded: dict[str, str] = {}
        self.bare: dict[str, str | None] = {}

    def __missing__(self, token: str) -> str:
        form = token if token.isalpha() or token.isdecimal() else " ".join(WORD_RE.findall(token))
        folded = fold_key(form)
        bare: str | None = fold_key(token)
        if " ".join(WORD_RE.findall(bare)) != folded or len(folded.split()) != len(form.split()):
            bare = None  # folding drops or joins words (lone marks): no token-level shortcut
        self[token] = form
        self.folded[token] = folded
        self.bare[token] = bare
        return form


_TOKENS = _TokenForms()


def _index_forms(tokens: list[str]) -> tuple[str, str, list[str], list[str]]:
    """(index_text, its fold_key, per-token forms, per-token folded forms) of the lower-cased
    whitespace tokens of an NFC text.

    Joining the per-token folds equals folding the joined text: folding and lower-casing an
    already lower-cased text are character-local (the test checks this on the corpus)."""
    if len(_TOKENS) >= _TOKENS.limit:
        _TOKENS.clear()
        _TOKENS.folded.clear()
        _TOKENS.bare.clear()
    forms = list(map(_TOKENS.__getitem__, tokens))  # fills _TOKENS.folded for every token first
    folded = list(map(_TOKENS.folded.__getitem__, tokens))
    return " ".join(filter(None, forms)), " ".join(compress(folded, forms)), forms, folded


def index_columns(raw_text: str, restored_text: str) -> tuple[str, str, str, str]:
    """(restored, raw, restored folded, raw folded) for the full-text index.

    A raw column is empty when it would only repeat the restored one. That includes raw text
    which is the restored text with some words' diacritics stripped (OCR without accents that
    restoration repaired): accent-insensitive search finds those words through the folded
    column, and an unaccented raw word cannot be what an accented query means. Skipping it
    keeps the index about a third smaller and faster to build."""
    raw_text, restored_text = nfc(raw_text), nfc(restored_text)
    s_tokens = restored_text.lower().split()
    restored, restored_f, s_forms, s_folded = _index_forms(s_tokens)
    if raw_text == restored_text:
        return restored, "", restored_f, ""
    r_tokens = raw_text.lower().split()
    if _tokens_stripped(r_tokens, s_tokens):
        return restored, "", restored_f, ""
    raw, raw_f, r_forms, _ = _index_forms(r_tokens)
    if raw == restored:
        return restored, "", restored_f, ""
    if raw_f == restored_f and _accents_stripped(raw, restored, restored_f, r_forms, s_forms, s_folded):
        return restored, "", restored_f, ""
    return restored, raw, restored_f, "" if raw_f == restored_f else raw_f


def _tokens_stripped(raw_tokens: list[str], tokens: list[str]) -> bool:
    """Whether each raw token is the token or the token without its diacritics: the common case
    of ``_accents_stripped``, decided from the tokens alone (in C), without the raw text's words."""
    return len(raw_tokens) == len(tokens) and all(
        map(operator.or_, map(operator.eq, raw_tokens, tokens),
            map(operator.eq, raw_tokens, map(_TOKENS.bare.__getitem__, tokens)))
    )  # fmt: skip


def _accents_stripped(
    raw: str, restored: str, restored_f: str, r_forms: list[str], s_forms: list[str], s_folded: list[str]
) -> bool:
    """Whether each raw word is the restored word or that word without its diacritics.

    Checked first token by token in C (``map``); a token holds whole words, so a pass there is
    a pass word by word. Only when the tokens do not line up are the words compared."""
    if (
        len(r_forms) == len(s_forms)
        and list(map(bool, r_forms)) == list(map(bool, s_forms))  # the same tokens hold words
        and all(map(operator.or_, map(operator.eq, r_forms, s_forms), map(operator.eq, r_forms, s_folded)))
    ):
        return True
    r, s, f = raw.split(" "), restored.split(" "), restored_f.split(" ")
    return len(r) == len(s) == len(f) and not [a for a, b, c in zip(r, s, f, strict=True) if a != b and a != c]


_ISO_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _iso(value: Any) -> str | None:
    return value if isinstance(value, str) and _ISO_RE.match(value) else None


@dataclass(frozen=True)
class FieldColumns:
    """The indexed columns derived from ``Fields`` (the JSON keeps everything else)."""

    doc_type: str | None
    doc_type_key: str | None
    issuer: str | None
    issuer_key: str | None
    number_key: str | None
    symbol_key: str | None
    ref_key: str | None
    date: str | None
    deadline_min: str | None


def field_columns(fields: Fields) -> FieldColumns:
    number = (fields.number or "").strip()
    symbol = (fields.symbol or "").strip()
    deadlines = sorted(d for d in (_iso(x.date) for x in fields.deadlines) if d)
    return FieldColumns(
        doc_type=fields.doc_type,
        doc_type_key=fold_lower(nfc(fields.doc_type)).strip() if fields.doc_type else None,
        issuer=fields.issuer,
        issuer_key=_issuer_key(fields),
        number_key=reference_key(number) if number else None,
        symbol_key=reference_key(symbol) if symbol else None,
        ref_key=reference_key(f"{number}/{symbol}") if number and symbol else None,
        date=_iso(fields.date),
        deadline_min=deadlines[0] if deadlines else None,
    )


def fields_json(fields: Fields) -> str:
    return json.dumps(fields.to_json(with_provenance=True), ensure_ascii=False)


def path_columns(path: str) -> tuple[str, bytes | None]:
    """A file path as stored: its text (the path itself, or for a name that is not UTF-8, which Python
    holds surrogate-escaped, the name with its odd bytes as ``\\xNN``) and, only in that case, its exact
    bytes, which ``stored_path`` turns back into the path that opens the file."""
    shown = readable_path(path)
    if shown == path:
        return path, None
    try:
        return shown, path.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # not a name from a file system: nothing to give back but the text
        return shown, None


def stored_path(text: str, raw: bytes | None) -> str:
    """The path ``path_columns`` stored."""
    return text if raw is None else bytes(raw).decode("utf-8", "surrogateescape")


def _issuer_key(fields: Fields) -> str | None:
    """What the issuer filter matches: the issuer as printed and, once normalised, its canonical name
    and province, so that ``--issuer "Hải Phòng"`` finds a 'Sở Nội vụ' under the city's UBND."""
    unit = fields.issuer_unit
    names = [fields.issuer, unit.name if unit else None, unit.province if unit else None]
    text = " | ".join(n for n in names if n)
    return index_text(fold_lower(text)) if text else None


def citation_rows(fields: Fields) -> list[tuple[str, str | None, str]]:
    """(key, family, cited_in) of each document the fields cite, once per key; a reference stored
    before keys existed gets the key of its number and symbol, a law cited by name alone none."""
    out: dict[str, tuple[str, str | None, str]] = {}
    for ref in fields.references:
        key = ref.key or (reference_key(f"{ref.number}/{ref.symbol}") if ref.number and ref.symbol else None)
        if key and (key not in out or ref.cited_in == "basis"):
            out[key] = (key, ref.family, ref.cited_in or "body")
    return list(out.values())


def document_row(record: DocumentRecord) -> tuple:
    """The documents table's values for a record, in both backends' column order."""
    c = field_columns(record.fields)
    added = datetime.now(UTC).isoformat(timespec="seconds")
    path, raw = path_columns(record.path)
    return (path, record.size, len(record.pages), added, fields_json(record.fields), c.doc_type, c.issuer,
            c.date, c.doc_type_key, c.issuer_key, c.number_key, c.symbol_key, c.ref_key, c.deadline_min,
            raw)  # fmt: skip


# ---------------------------------------------------------------------------------------------
# Snippets, computed from the stored page text so both backends show the same thing

def _phrase_pattern(ph: Phrase) -> str:
    words = [regex.escape(w) for w in ph.folded]
    if ph.prefix:
        words[-1] += r"[^\W_]*"
    return r"(?<![^\W_])" + r"[\W_]+".join(words) + r"(?![^\W_])"


@functools.lru_cache(maxsize=64)
def _snippet_pattern(wanted: tuple[Phrase, ...]) -> regex.Pattern:
    return regex.compile("|".join(_phrase_pattern(p) for p in wanted))


def snippet(text: str, wanted: list[Phrase], width: int = 220) -> tuple[str, int]:
    """About ``width`` characters around the densest cluster of query matches (accent-insensitive,
    as search matched them), each match wrapped in ``HIGHLIGHT``; returns (snippet, matches)."""
    text = " ".join(text.split())
    if not text:
        return "", 0
    spans: list[tuple[int, int]] = []
    if wanted:
        folded = fold_key(text)
        if len(folded) == len(text):  # always for NFC Vietnamese: offsets carry over
            pattern = _snippet_pattern(tuple(wanted))
            for m in pattern.finditer(folded):
                a, b = m.span()
                if spans and not text[spans[-1][1] : a].strip():  # "Kiến An": one highlight
                    spans[-1] = (spans[-1][0], b)
                elif b > a:
                    spans.append((a, b))
                if len(spans) >= 200:
                    break
    start = 0
    if spans and len(text) > width:
        best, most, j = spans[0], 0, 0
        for i, span in enumerate(spans):  # densest window of ``width`` characters (spans are sorted)
            j = max(j, i)
            while j < len(spans) and spans[j][0] < span[0] + width:
                j += 1
            if j - i > most:
                best, most = span, j - i
        start = max(0, best[0] - 40)
        cut = text.rfind(" ", 0, start)
        start = 0 if cut < 0 else cut + 1
    end = min(len(text), start + width)
    if end < len(text):
        cut = text.rfind(" ", start, end)
        end = cut if cut > start else end
    inside = [(a, b) for a, b in spans if a >= start and b <= end]
    out, pos = [], start
    for a, b in inside:
        out += [text[pos:a], HIGHLIGHT[0], text[a:b], HIGHLIGHT[1]]
        pos = b
    out.append(text[pos:end])
    return ("… " if start > 0 else "") + "".join(out) + (" …" if end < len(text) else ""), len(spans)
