"""The behaviour both backends share: search orchestration, ranking tiers, snippets, filters.

A backend only answers small questions (which pages match this rendered expression, which
documents carry this reference, what is stored for these pages); everything a user can observe
about ranking and snippets is decided here once, so SQLite and PostgreSQL behave the same.
"""

from __future__ import annotations

import functools
import json
import zlib
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal, TypeVar

from pipeline.archive import schema
from pipeline.archive.model import (
    LEXICON_SOURCES,
    ArchiveError,
    ArchiveVersionError,
    CheckReport,
    Hit,
    LexiconEntry,
    SearchQuery,
    Stats,
    StoredDocument,
    citation_rows,
    document_row,
    field_columns,
    index_columns,
    index_text,
    lexicon_phrase,
    pack_words,
    path_columns,
    snippet,
    stored_path,
    unpack_words,
)
from pipeline.archive.query import (
    Node,
    has_accents,
    is_reference_only,
    parse_query,
    phrases,
    reference_key,
    references,
)
from pipeline.archive.schema import SCHEMA_VERSION, Dialect
from pipeline.types import DocumentRecord, Fields, PageGeometry, PageRecord
from pipeline.vietnamese import fold_lower, nfc

Notify = Callable[[str], None]
Mode = Literal["create", "write", "read"]  # create when missing / write an existing archive / only read
T = TypeVar("T", bound=Callable[..., Any])
LEXICON_LIMIT = 20_000  # entries restoration reads: every staff and correction entry, then ingest's most seen
# the rank of a lexicon source in SQL (0 = highest), for ordering and for an entry added again
_RANK = "CASE {col} " + " ".join(f"WHEN '{s}' THEN {i}" for i, s in enumerate(LEXICON_SOURCES)) + " END"


def guarded(method: T) -> T:
    """Turn the driver's errors inside ``method`` into one ArchiveError naming the archive and what is
    wrong with it (a damaged file, a lost server): they are the archive's state, not vanban's bugs."""

    @functools.wraps(method)
    def call(self: Archive, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except self.driver_error as exc:
            raise self._failure(exc) from None

    return call  # type: ignore[return-value]


def int_id(doc_id: str | int) -> int | None:
    """A document id as the database stores it; None for anything that cannot be one."""
    try:
        value = int(str(doc_id).strip())
    except ValueError:
        return None
    return value if 0 < value < 2**63 else None


@dataclass(frozen=True)
class PageHit:
    doc_id: int
    page: int  # 0-based index
    score: float  # larger is better


@dataclass(frozen=True)
class Match:
    """A matching document at its best page (0-based), before its snippet is made."""

    doc_id: int
    page: int
    score: float  # larger is better
    match: str  # as ``Hit.match``


@dataclass(frozen=True)
class HitRow:
    sha256: str
    path: str
    fields: str  # JSON
    restored_text: str
    raw_text: str


@dataclass(frozen=True)
class Filter:
    """SQL condition on the ``documents`` row aliased ``d``, with its parameters."""

    sql: str
    params: tuple[Any, ...]


def build_filters(q: SearchQuery, ph: str, contains: str) -> list[Filter]:
    """Field filters as SQL; ``ph`` is the placeholder, ``contains`` a format for substring
    tests with ``{col}`` and ``{ph}`` (the dialect's)."""
    out: list[Filter] = []
    if q.doc_type:
        out.append(Filter(f"d.doc_type_key = {ph}", (fold_lower(nfc(q.doc_type)).strip(),)))
    if q.issuer:
        out.append(Filter(contains.format(col="d.issuer_key", ph=ph), (index_text(fold_lower(q.issuer)),)))
    if q.symbol:
        key = reference_key(q.symbol)
        out.append(Filter(f"(d.symbol_key = {ph} OR d.ref_key = {ph})", (key, key)))
    if q.number:
        key = reference_key(q.number)
        out.append(Filter(f"(d.number_key = {ph} OR d.ref_key = {ph})", (key, key)))
    if q.date_from:
        out.append(Filter(f"d.date >= {ph}", (q.date_from,)))
    if q.date_to:
        out.append(Filter(f"d.date <= {ph}", (q.date_to,)))
    if q.deadline_before:
        out.append(Filter(f"d.deadline_min < {ph}", (q.deadline_before,)))
    return out


def where(filters: Sequence[Filter]) -> tuple[str, list[Any]]:
    if not filters:
        return "", []
    return " AND " + " AND ".join(f.sql for f in filters), [p for f in filters for p in f.params]


# What ``Archive.check`` asks of both backends: row counts, pages without a document, documents whose
# page count is not the number of their pages.
_CHECKS = (
    ("documents", "SELECT count(*) FROM documents"),
    ("pages", "SELECT count(*) FROM pages"),
    ("orphans", "SELECT count(*) FROM pages p WHERE NOT EXISTS (SELECT 1 FROM documents d WHERE d.id = p.doc_id)"),
    ("page counts", "SELECT d.id, d.page_count, count(p.id) FROM documents d LEFT JOIN pages p ON p.doc_id = d.id "
                    "GROUP BY d.id, d.page_count HAVING count(p.id) <> d.page_count ORDER BY d.id"),
)  # fmt: skip


def _phrases(texts: Iterable[str]) -> Iterator[str]:
    """The texts that can be lexicon entries, as the lexicon stores them."""
    for text in texts:
        try:
            yield lexicon_phrase(text)
        except ValueError:
            continue


def one_line(exc: BaseException, limit: int = 160) -> str:
    """An error's text on one short line (a damaged file's bytes can be in it)."""
    text = " ".join("".join(c if c.isprintable() else " " for c in str(exc)).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def first(problems: list[str], n: int = 10) -> list[str]:
    """At most ``n`` problems of a kind, then how many more."""
    return problems if len(problems) <= n else [*problems[:n], f"... and {len(problems) - n} more like these"]


@dataclass(frozen=True)
class Prepared:
    """A document's row values and each page's (row values, index values), computed before the
    write transaction: the CPU-bound part of storing it."""

    record: DocumentRecord
    document: tuple
    pages: list[tuple[tuple, tuple]]
    citations: list[tuple]  # ``schema.CITATION_COLUMNS`` of each document it cites


class Archive(ABC):
    """A searchable archive of processed documents (SQLite file or PostgreSQL database).

    Each ``add`` is one transaction; documents are unique by SHA-256, so concurrent writers and
    re-runs after a crash never duplicate or half-store a document. The SQL is written once,
    here and in ``schema``, in the words of the backend's ``dialect``."""

    backend: str = ""
    location: str = ""
    dialect: Dialect
    conn: Any
    driver_error: type[Exception] | tuple[type[Exception], ...] = ()  # what ``guarded`` translates

    @property
    def ph(self) -> str:
        """The driver's parameter placeholder."""
        return self.dialect.ph

    # -- public API ----------------------------------------------------------------------------
    @guarded
    def has(self, sha256: str) -> bool:
        """True when a document with these bytes is already archived (ingest skips it)."""
        row = self.conn.execute(f"SELECT 1 FROM documents WHERE sha256 = {self.ph}", (sha256,)).fetchone()
        return row is not None

    def add(self, record: DocumentRecord, replace: bool = False) -> str:
        """Store a document in one transaction and return its id; an existing SHA-256 is kept
        (and its id returned) unless ``replace``, which swaps it atomically under the same id."""
        return self.add_many([record], replace)[0]

    @guarded
    def add_many(self, records: Sequence[DocumentRecord], replace: bool = False) -> list[str]:
        """``add`` for a batch in one transaction (bulk loading: far fewer index commits); all the
        batch's documents are stored or none. Ids in the order given."""
        return self._add_many(records, replace)

    @guarded
    def delete(self, doc_id: str) -> bool:
        """Remove a document and its index entries; False when there was none."""
        key = int_id(doc_id)
        if key is None:
            return False
        with self._transaction():
            if self.conn.execute(f"SELECT 1 FROM documents WHERE id = {self.ph}", (key,)).fetchone() is None:
                return False
            self._unindex(key)
            self.conn.execute(f"DELETE FROM documents WHERE id = {self.ph}", (key,))
        return True

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Several writes as one transaction (a document and the names it taught the lexicon; a
        correction, its document and its names): ``add`` and the other writes inside it join it."""
        try:
            with self._transaction():
                yield
        except self.driver_error as exc:
            raise self._failure(exc) from None

    # -- the archive's lexicon -------------------------------------------------------------------
    @guarded
    def lexicon(self, limit: int | None = LEXICON_LIMIT) -> list[LexiconEntry]:
        """The names and phrases restoration prefers in this archive: staff's first, then editors'
        corrections, then those ingest read confidently in the most documents (at most ``limit``)."""
        sql = (f"SELECT phrase, source, doc_id, seen, added_at FROM lexicon ORDER BY {_RANK.format(col='source')}, "
               "seen DESC, phrase")  # fmt: skip
        rows = self.conn.execute(sql + (f" LIMIT {int(limit)}" if limit is not None else "")).fetchall()
        return [LexiconEntry(r[0], r[1], None if r[2] is None else str(r[2]), r[3], r[4]) for r in rows]

    @guarded
    def add_lexicon(self, phrases: Iterable[str], source: str, doc_id: str | int | None = None) -> int:
        """Add names or phrases (``model.lexicon_phrase``; others are passed over) from ``source``; an
        entry already there counts one more document and takes the higher of the two sources. Returns
        how many entries are new. Inside a caller's ``transaction`` it is part of it."""
        if source not in LEXICON_SOURCES:
            raise ValueError(f"lexicon source must be one of {', '.join(LEXICON_SOURCES)}, not {source!r}")
        clean = sorted(set(_phrases(phrases)))  # one order for every writer: two never deadlock on rows
        if not clean:
            return 0
        key = None if doc_id is None else int_id(doc_id)
        added = datetime.now(UTC).isoformat(timespec="seconds")
        new = f"CASE WHEN {_RANK.format(col='excluded.source')} < {_RANK.format(col='lexicon.source')}"
        sql = (f"INSERT INTO lexicon (phrase, source, doc_id, seen, added_at) VALUES ({schema.marks(5, self.ph)}) "
               f"ON CONFLICT (phrase) DO UPDATE SET seen = lexicon.seen + 1, "
               f"source = {new} THEN excluded.source ELSE lexicon.source END, "
               f"doc_id = {new} THEN excluded.doc_id ELSE lexicon.doc_id END")  # fmt: skip
        known: set[str] = set()
        with self._transaction():
            for phrase in clean:
                if self.conn.execute(f"SELECT 1 FROM lexicon WHERE phrase = {self.ph}", (phrase,)).fetchone():
                    known.add(phrase)
                self.conn.execute(sql, (phrase, source, key, 1, added))
        return len(set(clean) - known)

    @guarded
    def remove_lexicon(self, phrases: Iterable[str]) -> int:
        """Remove entries (as ``add_lexicon`` stores them); how many there were."""
        clean = list(dict.fromkeys(_phrases(phrases)))
        if not clean:
            return 0
        with self._transaction():
            return sum(self.conn.execute(f"DELETE FROM lexicon WHERE phrase = {self.ph}", (p,)).rowcount for p in clean)

    @guarded
    def standing_corrections(self, sha256: str) -> int:
        """How many editors' corrections stand on the document with these bytes (the web's
        ``web_corrections``; none where the web never ran): a re-ingest must not write over them."""
        if not self._has_table("web_corrections"):
            return 0
        return self.conn.execute(
            "SELECT count(*) FROM web_corrections c JOIN documents d ON d.id = c.doc_id "
            f"WHERE d.sha256 = {self.ph} AND c.reverted_at IS NULL",
            (sha256,),
        ).fetchone()[0]

    @guarded
    def ids(self, path: str | None = None) -> list[str]:
        """Every archived document's id, oldest first; with ``path``, those of the file stored at it."""
        if path is None:
            return [str(r[0]) for r in self.conn.execute("SELECT id FROM documents ORDER BY id").fetchall()]
        text, _ = path_columns(path)
        rows = self.conn.execute(
            f"SELECT id, path, path_bytes FROM documents WHERE path = {self.ph} ORDER BY id", (text,)
        ).fetchall()
        return [str(r[0]) for r in rows if stored_path(r[1], r[2]) == path]

    @guarded
    def get(self, doc_id: str) -> StoredDocument:
        """The stored document; KeyError when the id is unknown."""
        key = int_id(doc_id)
        row = None
        if key is not None:
            row = self.conn.execute(
                f"SELECT id, sha256, path, size, added_at, fields, path_bytes FROM documents WHERE id = {self.ph}",
                (key,),
            ).fetchone()
        if row is None:
            raise KeyError(f"no document with id {doc_id!r} in {self.location}")
        pages = []
        for r in self.conn.execute(
            "SELECT idx, raw_text, restored_text, words, mean_confidence, source, seconds, width, height, "
            f"rotation, skew, scale, dpi FROM pages WHERE doc_id = {self.ph} ORDER BY idx",
            (key,),
        ).fetchall():
            words, restored_words = unpack_words(r[3], r[1], r[2])
            geometry = None if r[9] is None else PageGeometry(r[9], r[10], r[11], r[12])
            pages.append(PageRecord(r[0], r[1], r[2], words, restored_words, r[4], r[5], r[6], r[7], r[8], geometry))
        return StoredDocument(
            sha256=row[1],
            path=stored_path(row[2], row[6]),
            size=row[3],
            pages=tuple(pages),
            fields=Fields.from_json(json.loads(row[5])),
            id=str(row[0]),
            added_at=row[4],
        )

    @guarded
    def resolve(self, ref: str) -> str:
        """Document id for an id or a SHA-256 prefix (at least 4 hex digits); KeyError with the
        reason when none or several match."""
        ref = ref.strip()
        key = int_id(ref)
        if key is not None and self.conn.execute(f"SELECT 1 FROM documents WHERE id = {self.ph}", (key,)).fetchone():
            return str(key)
        if len(ref) >= 4 and all(c in "0123456789abcdefABCDEF" for c in ref):
            rows = self._sha256_prefix(ref.lower())
            if len(rows) == 1:
                return str(rows[0][0])
            if len(rows) > 1:
                raise KeyError(f"sha256 prefix {ref!r} matches several documents; give more digits")
        raise KeyError(f"no document with id or sha256 prefix {ref!r} in {self.location}")

    @guarded
    def stats(self) -> Stats:
        """Counts for ``vanban stats``."""
        docs = self.conn.execute("SELECT count(*) FROM documents").fetchone()[0]
        pages, words = self.conn.execute(
            "SELECT count(*), coalesce(sum(word_count), 0) FROM pages"
        ).fetchone()
        types = dict(
            self.conn.execute(
                "SELECT coalesce(doc_type, ''), count(*) FROM documents GROUP BY 1 ORDER BY 2 DESC, 1"
            ).fetchall()
        )
        return Stats(docs, pages, int(words), types, self._size_bytes(), self.schema_version(), self.backend,
                     self.location)  # fmt: skip

    @guarded
    def check(self) -> CheckReport:
        """Whether the archive is whole: the database's own checks (the backend's ``_integrity``) and
        vanban's invariants (each page belongs to a document, each document has the pages it counts,
        every stored value reads back). Problems are listed, never raised: a damaged archive is what
        this is run on."""
        problems, notes = self._integrity()
        version = self.schema_version()
        if version != SCHEMA_VERSION:
            problems.append(f"schema version {version}, this vanban's is {SCHEMA_VERSION}")
        counts: dict[str, int] = {}
        for name, sql in _CHECKS:
            try:
                rows = self.conn.execute(sql).fetchall()
            except self.driver_error as exc:
                problems.append(f"{name}: cannot be read ({one_line(exc)})")
                continue
            if name in ("documents", "pages"):
                counts[name] = rows[0][0]
            elif name == "orphans" and rows[0][0]:
                problems.append(f"{rows[0][0]} pages belong to no document")
            elif name == "page counts":
                problems += first([f"document {i}: counts {n} pages, has {m}" for i, n, m in rows])
        problems += first(self._unreadable())
        return CheckReport(self.location, self.backend, version, counts, tuple(problems), tuple(notes))

    def _unreadable(self) -> list[str]:
        """Rows whose stored values do not read back: a document's fields, a page's word boxes."""
        out: list[str] = []
        try:
            for doc_id, data in self.conn.execute("SELECT id, fields FROM documents ORDER BY id"):
                try:
                    Fields.from_json(json.loads(data))
                except (ValueError, TypeError, KeyError) as exc:
                    out.append(f"document {doc_id}: its fields do not read back ({exc})")
            for page_id, blob, raw, restored in self.conn.execute(
                "SELECT id, words, raw_text, restored_text FROM pages ORDER BY id"
            ):
                try:
                    unpack_words(blob, raw, restored)
                except (ValueError, TypeError, KeyError, zlib.error) as exc:
                    out.append(f"page row {page_id}: its word boxes do not read back ({exc})")
        except self.driver_error as exc:
            out.append(f"reading every row stops: {one_line(exc)}")
        return out

    @abstractmethod
    def _has_table(self, name: str) -> bool: ...

    @abstractmethod
    def _integrity(self) -> tuple[list[str], list[str]]:
        """The database's own verdict on its files and indexes: problems, and notes on what could not be
        checked, one a line."""

    @abstractmethod
    def close(self) -> None:
        """Release the connection."""

    @abstractmethod
    def schema_version(self) -> int: ...

    @abstractmethod
    def _failure(self, exc: Exception) -> ArchiveError:
        """The one-line ArchiveError for a driver error."""

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- schema --------------------------------------------------------------------------------
    def _open_schema(self, mode: Mode, target: int, notify: Notify | None) -> None:
        """Check the schema an opened archive has and bring it to version ``target``: in this
        connection, or with ``mode`` "read" in a writing one opened for the upgrade alone (a read
        never creates an archive, nor writes but for that one-time upgrade)."""
        version = self.schema_version()
        if version > SCHEMA_VERSION:
            raise ArchiveVersionError(
                f"{self.location}: archive schema version {version} is newer than this vanban supports "
                f"({SCHEMA_VERSION}); upgrade vanban"
            )
        if version == 0 and mode != "create":
            raise ArchiveError(f"{self.location}: {self._empty} (vanban ingest creates an archive)")
        if version >= target:
            return
        if mode == "read":
            try:
                self._reopen("write", notify).close()  # upgrades
            except ArchiveError as exc:
                raise ArchiveError(
                    f"{self.location}: archive schema version {version} must be upgraded to {target} "
                    f"first, which needs write access ({exc})"
                ) from None
            return
        self._migrate(target, notify)

    _empty = "not an archive: it holds nothing"

    @abstractmethod
    def _reopen(self, mode: Mode, notify: Notify | None) -> Archive:
        """The same archive opened again in another mode."""

    def _migrate(self, target: int, notify: Notify | None) -> None:
        """Bring the schema to version ``target`` (``schema.STEPS``) in one transaction."""
        with self._migration():
            version = start = self.schema_version()  # another process may have migrated meanwhile
            if version >= target:
                return
            for step in range(version + 1, target + 1):
                for stmt in schema.statements(step, self.dialect):
                    self.conn.execute(stmt)
                backfill = schema.STEPS[step].backfill
                if backfill:
                    getattr(self, backfill)()
            self._set_schema_version(target)
        if start and notify and target > start:
            notify(f"{self.location}: upgraded archive schema from version {start} to {target}")

    def _backfill_field_columns(self) -> None:
        """Step 2: the indexed field keys of documents stored before they existed."""
        sql = f"UPDATE documents SET {schema.assignments(schema.FIELD_KEYS, self.ph)} WHERE id = {self.ph}"
        for doc_id, data in self.conn.execute("SELECT id, fields FROM documents").fetchall():
            c = field_columns(Fields.from_json(json.loads(data)))
            self.conn.execute(sql, (*(getattr(c, k) for k in schema.FIELD_KEYS), doc_id))

    def _backfill_citations(self) -> None:
        """Step 5: the citations of documents stored before, and their keys under the new key function."""
        self._backfill_field_columns()
        columns = ", ".join(schema.CITATION_COLUMNS)
        sql = f"INSERT INTO citations (doc_id, {columns}) VALUES ({schema.marks(4, self.ph)})"
        for doc_id, data in self.conn.execute("SELECT id, fields FROM documents").fetchall():
            for row in citation_rows(Fields.from_json(json.loads(data))):
                self.conn.execute(sql, (doc_id, *row))

    @abstractmethod
    def _migration(self) -> AbstractContextManager[None]:
        """A transaction that no other process migrates in at the same time."""

    @abstractmethod
    def _set_schema_version(self, version: int) -> None: ...

    @abstractmethod
    def _reindex(self) -> None:
        """Step 3: rebuild the full-text index from the stored page texts."""

    def _search_indexes(self) -> None:  # noqa: B027 (a step only PostgreSQL has work in)
        """Step 5: what PostgreSQL's search reads (``postgres.PostgresArchive._search_indexes``)."""

    # -- writing -------------------------------------------------------------------------------
    @abstractmethod
    def _transaction(self) -> AbstractContextManager[None]:
        """A write transaction: committed when the block ends, rolled back when it raises."""

    def _prepare(self, record: DocumentRecord) -> Prepared:
        """The document row's values and each page's stored and indexed forms (no database access)."""
        if not record.sha256:
            raise ValueError(f"{record.path}: document has no sha256")
        pages = []
        for p in record.pages:
            raw, restored = nfc(p.raw_text), nfc(p.restored_text)
            g = p.geometry
            geometry = (g.rotation, g.skew, g.scale, g.dpi) if g else (None, None, None, None)
            values = (p.index, raw, restored, pack_words(p, raw, restored), len(p.words), p.mean_confidence,
                      p.source, p.seconds, p.width, p.height, *geometry)  # fmt: skip
            pages.append((values, self._index_values(index_columns(raw, restored))))
        return Prepared(record, document_row(record), pages, citation_rows(record.fields))

    @abstractmethod
    def _add_many(self, records: Sequence[DocumentRecord], replace: bool) -> list[str]: ...

    @abstractmethod
    def _index_values(self, columns: tuple[str, str, str, str]) -> tuple:
        """What the backend's full-text index stores for a page's ``index_columns``."""

    def _update_document(self, doc_id: int, values: tuple) -> None:
        """Overwrite a document's row (a replacement keeps its id and sha256)."""
        self.conn.execute(
            f"UPDATE documents SET {schema.assignments(schema.DOCUMENT_COLUMNS, self.ph)} WHERE id = {self.ph}",
            (*values, doc_id),
        )

    @abstractmethod
    def _unindex(self, doc_id: int) -> None:
        """Remove a document's pages and their index entries (inside the caller's transaction)."""

    # -- reading -------------------------------------------------------------------------------
    @abstractmethod
    def _size_bytes(self) -> int:
        """Space the archive takes on disk."""

    @abstractmethod
    def _sha256_prefix(self, prefix: str) -> list[tuple]:
        """Up to two (id,) rows whose SHA-256 starts with the lower-case hex ``prefix``."""

    @guarded
    def search(self, query: SearchQuery, conditions: Sequence[Filter] = ()) -> list[Hit]:
        """Ranked hits, one per document: documents whose number/symbol fields equal a reference
        typed in the query first, then documents citing it (as legal basis first), then pages matching
        accented words as typed, then pages matching accent-insensitively; bm25/ts_rank within each
        tier (SQLite: the words standing together, then the newest pages, when a query phrase is too
        common for bm25). ``conditions`` are further SQL conditions on the document row ``d`` (the
        web's access rules, facet choices). Raises QueryError on bad syntax."""
        return self.hits(query, self.matches(query, conditions))

    @guarded
    def matches(self, query: SearchQuery, conditions: Sequence[Filter] = ()) -> list[Match]:
        """``search``'s ranking without the snippets: the best page of up to ``query.limit`` documents,
        best first. A longer limit extends a shorter one's list, so a caller pages through it."""
        node = parse_query(query.text)
        refs = references(query.text)
        filters = [*self._filters(query), *conditions]
        picked: dict[int, Match] = {}
        if node is None:
            if not query.has_filters and not conditions:
                return []
            for doc_id in self._filter_docs(filters, query.limit):
                picked[doc_id] = Match(doc_id, 0, 0.0, "filter")
        else:
            k = query.limit
            tiers: list[tuple[str, list[PageHit]]] = []
            if has_accents(node):
                tiers.append(("exact", self._text_search(node, True, filters, k)))
            if not tiers or len(tiers[0][1]) < k or refs:
                # accent-insensitive matches rank after exact ones: with k exact documents (and no
                # reference to place) they cannot reach the results, so that search is skipped
                tiers.append(("folded", self._text_search(node, False, filters, k)))
            text_pages: dict[int, PageHit] = {}
            for _, rows in tiers:
                for row in rows:
                    text_pages.setdefault(row.doc_id, row)
            if refs:
                # the document that is the reference, then those citing it, then text matches
                ref_only = is_reference_only(query.text)
                for match, docs in (("reference", self._reference_docs(refs, filters)),
                                    ("citation", self._citing_docs(refs, filters))):  # fmt: skip
                    for doc_id in docs:
                        if doc_id in picked:
                            continue
                        if doc_id in text_pages:
                            picked[doc_id] = Match(doc_id, text_pages[doc_id].page, text_pages[doc_id].score, match)
                        elif ref_only:
                            picked[doc_id] = Match(doc_id, 0, 0.0, match)
            for match, rows in tiers:
                for row in rows:
                    if row.doc_id not in picked:
                        picked[row.doc_id] = Match(row.doc_id, row.page, row.score, match)
        return list(picked.values())[: query.limit]

    @guarded
    def hits(self, query: SearchQuery, matches: Sequence[Match]) -> list[Hit]:
        """The hits of ``matches`` (from ``matches``), each with its snippet of the query's words."""
        rows = self._hit_rows([(m.doc_id, m.page) for m in matches])
        wanted = phrases(parse_query(query.text))
        hits = []
        for m in matches:
            row = rows.get((m.doc_id, m.page))
            if row is None:  # deleted between the two reads
                continue
            text, count = snippet(row.restored_text, wanted)
            if wanted and count == 0 and row.raw_text:
                raw_snip, raw_count = snippet(row.raw_text, wanted)
                if raw_count:
                    text = raw_snip
            hits.append(
                Hit(
                    doc_id=str(m.doc_id),
                    sha256=row.sha256,
                    path=row.path,
                    page=m.page + 1,
                    snippet=text,
                    fields=json.loads(row.fields),
                    score=m.score,
                    match=m.match,
                )
            )
        return hits

    # -- search primitives -----------------------------------------------------------------------
    def _filters(self, query: SearchQuery) -> list[Filter]:
        return build_filters(query, self.ph, self.dialect.contains)

    @abstractmethod
    def _text_search(self, node: Node, exact: bool, filters: list[Filter], k: int) -> list[PageHit]:
        """Best page of each of the best ``k`` documents, best first; ``exact`` hits accented
        words as typed."""

    def _reference_docs(self, keys: list[str], filters: list[Filter]) -> list[int]:
        """Documents whose number/symbol fields equal one of the reference keys."""
        cond, params = where(filters)
        rows = self.conn.execute(
            f"SELECT d.id FROM documents d WHERE d.ref_key IN ({schema.marks(len(keys), self.ph)}){cond} "
            "ORDER BY d.date DESC NULLS LAST, d.id",
            (*keys, *params),
        ).fetchall()
        return [r[0] for r in rows]

    def _citing_docs(self, keys: list[str], filters: list[Filter]) -> list[int]:
        """Documents that cite one of the references: those citing it as legal basis first, newest first."""
        cond, params = where(filters)
        rows = self.conn.execute(
            "SELECT d.id FROM documents d JOIN citations c ON c.doc_id = d.id "
            f"WHERE c.ref_key IN ({schema.marks(len(keys), self.ph)}){cond} "
            "GROUP BY d.id, d.date ORDER BY max(CASE WHEN c.cited_in = 'basis' THEN 1 ELSE 0 END) DESC, "
            "d.date DESC NULLS LAST, d.id",
            (*keys, *params),
        ).fetchall()
        return [r[0] for r in rows]

    def _filter_docs(self, filters: list[Filter], limit: int) -> list[int]:
        """Documents passing the filters, newest document date first."""
        cond, params = where(filters)
        rows = self.conn.execute(
            f"SELECT d.id FROM documents d WHERE TRUE{cond} ORDER BY d.date DESC NULLS LAST, d.id DESC "
            f"LIMIT {self.ph}",
            (*params, limit),
        ).fetchall()
        return [r[0] for r in rows]

    def _hit_rows(self, pages: list[tuple[int, int]]) -> dict[tuple[int, int], HitRow]:
        out = {}
        for doc_id, idx in pages:
            row = self.conn.execute(
                "SELECT d.sha256, d.path, d.fields, p.restored_text, p.raw_text, d.path_bytes FROM documents d "
                f"LEFT JOIN pages p ON p.doc_id = d.id AND p.idx = {self.ph} WHERE d.id = {self.ph}",
                (idx, doc_id),
            ).fetchone()
            if row is not None:
                out[(doc_id, idx)] = HitRow(row[0], stored_path(row[1], row[5]), row[2], row[3] or "", row[4] or "")
        return out
