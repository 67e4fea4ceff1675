"""Review and correction: an editor fixes a field or a word of an archived document.

A correction is stored twice: as a row of ``web_corrections`` (who, when, the machine's value and
the new one; never deleted, a restore marks it reverted) and in the document itself, which is
written back with ``Archive.add(replace=True)`` under the same id, so search, facets and exports
use the corrected text at once. Corrected names (issuer, place, signer, a capitalised run of
words around a corrected word) go into the archive's lexicon (``Archive.add_lexicon``, source
"correction"), which restoration of later documents uses. The row, the document and the names
are one transaction: all of them are stored or none. A re-ingest (``vanban ingest --force``)
keeps a document with standing corrections as it is (``pipeline.run.batch``).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import replace
from datetime import date

from pipeline.archive import Archive, StoredDocument
from pipeline.run import shareable_names
from pipeline.types import SECRECIES, URGENCIES, DocumentRecord, Fields, Signer
from pipeline.vietnamese import nfc
from pipeline.web.access import Viewer
from pipeline.web.pageview import replace_word
from pipeline.web.store import Correction, WebStore

# Fields an editor may correct, with their Vietnamese labels, in the order the page lists them.
EDITABLE = {
    "doc_type": "Loại văn bản",
    "number": "Số",
    "symbol": "Ký hiệu",
    "date": "Ngày ban hành",
    "issuer": "Cơ quan ban hành",
    "parent_issuer": "Cơ quan chủ quản",
    "place": "Địa danh",
    "subject": "Trích yếu",
    "signer": "Người ký",
    "urgency": "Độ khẩn",
    "secrecy": "Độ mật",
}
LEXICON_FIELDS = ("issuer", "parent_issuer", "place", "signer")
MAX_VALUE = 1000


class CorrectionError(ValueError):
    """A correction that cannot be made; the message says why (shown to the editor)."""


def field_value(fields: Fields, name: str) -> str | None:
    if name == "signer":
        return fields.signer.name if fields.signer else None
    value = getattr(fields, name)
    return value if isinstance(value, str) else None


def clean_value(name: str, value: str) -> str | None:
    """The value as stored: NFC, one line, trimmed; None for empty. CorrectionError when invalid."""
    value = " ".join(nfc(value).split())
    if any(unicodedata.category(c) in ("Cc", "Cf", "Cs", "Co") for c in value):
        raise CorrectionError("the value has control characters")
    if len(value) > MAX_VALUE:
        raise CorrectionError(f"the value is longer than {MAX_VALUE} characters")
    if not value:
        return None
    if name == "date":
        try:
            value = date.fromisoformat(value).isoformat()
        except ValueError:
            raise CorrectionError("the date must be yyyy-mm-dd") from None
    if name == "urgency" and value not in URGENCIES:
        raise CorrectionError(f"độ khẩn must be one of {', '.join(URGENCIES)} or empty")
    if name == "secrecy" and value not in SECRECIES:
        raise CorrectionError(f"độ mật must be one of {', '.join(SECRECIES)} or empty")
    return value


def with_field(fields: Fields, name: str, value: str | None) -> Fields:
    if name == "signer":
        return replace(fields, signer=replace(fields.signer or Signer(), name=value))
    if name == "date":
        return replace(fields, date=value, date_year=int(value[:4]) if value else None)
    return replace(fields, **{name: value})


def _store(archive: Archive, doc: StoredDocument, fields: Fields, pages=None) -> None:
    record = DocumentRecord(doc.sha256, doc.path, doc.size, doc.pages if pages is None else pages, fields)
    archive.add(record, replace=True)


def _machine(store: WebStore, doc_id: int, target: str, current: str | None) -> str | None:
    """The machine's value of a target: kept by its first standing correction, else the current one."""
    standing = [c for c in store.corrections(doc_id) if c.target == target and c.reverted_at is None]
    return standing[0].machine if standing else current


def _record(
    store: WebStore,
    archive: Archive,
    doc: StoredDocument,
    target: str,
    machine: str | None,
    value: str | None,
    user: str,
    write: Callable[[], None],
    names: list[str],
) -> None:
    """The correction row, the document (``write``) and the corrected names, in one transaction."""
    with archive.transaction():
        store.add_correction(int(doc.id), target, machine, value, user)
        write()
        archive.add_lexicon(shareable_names(doc.fields, names), "correction", doc.id)


def correct_field(
    archive: Archive, store: WebStore, viewer: Viewer, doc: StoredDocument, name: str, raw: str
) -> str | None:
    """Set field ``name`` of the document (already checked visible to ``viewer``); returns the
    stored value. The audit log notes a change of secrecy on a classified document."""
    if not viewer.can_edit:
        raise PermissionError("only editors correct documents")
    if name not in EDITABLE:
        raise CorrectionError(f"field {name!r} cannot be corrected here")
    value = clean_value(name, raw)
    current = field_value(doc.fields, name)
    if value == current:
        return value
    target = f"field:{name}"
    machine = _machine(store, int(doc.id), target, current)
    fields = with_field(doc.fields, name, value)

    def write() -> None:
        _store(archive, doc, fields)
        if name == "secrecy":
            store.audit(viewer.name, "mark-secrecy", int(doc.id), value or current or "", f"{current} -> {value}")

    names = [value] if name in LEXICON_FIELDS and value else []
    _record(store, archive, doc, target, machine, value, viewer.name, write, names)
    return value


def correct_word(
    archive: Archive,
    store: WebStore,
    viewer: Viewer,
    doc: StoredDocument,
    page: int,
    index: int,
    raw: str,
) -> str:
    """Replace word ``index`` (0-based) of page ``page`` (0-based) with one word ``raw``."""
    if not viewer.can_edit:
        raise PermissionError("only editors correct documents")
    if not 0 <= page < len(doc.pages) or not 0 <= index < len(doc.pages[page].words):
        raise CorrectionError("no such word")
    value = clean_value("word", raw)
    if value is None or " " in value:
        raise CorrectionError("a word correction is one word (no spaces); fix its neighbours one by one")
    rec = doc.pages[page]
    current = rec.restored_words[index]
    if value == current:
        return value
    target = f"word:{page}:{index}"
    machine = _machine(store, int(doc.id), target, current)
    try:
        fixed = replace_word(rec, index, value)
    except ValueError as exc:
        raise CorrectionError(str(exc)) from None
    pages = (*doc.pages[:page], fixed, *doc.pages[page + 1 :])
    names = [_name_around(fixed, index)] if value[:1].isupper() else []
    _record(store, archive, doc, target, machine, value, viewer.name,
            lambda: _store(archive, doc, doc.fields, pages), names)  # fmt: skip
    return value


def restore_machine(archive: Archive, store: WebStore, viewer: Viewer, doc: StoredDocument, target: str) -> None:
    """Bring back the machine's value of a corrected field or word (the history is kept)."""
    if not viewer.can_edit:
        raise PermissionError("only editors correct documents")
    standing = [c for c in store.corrections(int(doc.id)) if c.target == target and c.reverted_at is None]
    if not standing:
        raise CorrectionError("nothing to restore: no standing correction")
    machine = standing[0].machine
    kind, _, rest = target.partition(":")
    with archive.transaction():  # the document and its history change together
        if kind == "field":
            _store(archive, doc, with_field(doc.fields, rest, machine))
        else:
            page, index = (int(x) for x in rest.split(":"))
            fixed = replace_word(doc.pages[page], index, machine or doc.pages[page].words[index].text)
            _store(archive, doc, doc.fields, (*doc.pages[:page], fixed, *doc.pages[page + 1 :]))
        store.revert(int(doc.id), target, viewer.name)
        if kind == "field" and rest == "secrecy":
            old = doc.fields.secrecy
            store.audit(viewer.name, "mark-secrecy", int(doc.id), old or machine or "", f"{old} -> {machine}")


def standing(corrections: list[Correction]) -> dict[str, Correction]:
    """The latest standing correction of each target."""
    return {c.target: c for c in corrections if c.reverted_at is None}


def _name_around(page, index: int) -> str:
    """The run of capitalised words on the word's line around it: a name as the lexicon wants it."""
    words, line = page.restored_words, page.words[index].line
    start = end = index
    while start > 0 and page.words[start - 1].line == line and words[start - 1][:1].isupper():
        start -= 1
    while end + 1 < len(words) and page.words[end + 1].line == line and words[end + 1][:1].isupper():
        end += 1
    return " ".join(words[start : end + 1]).strip(" ,.;:")
