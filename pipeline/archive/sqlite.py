"""Embedded archive: one SQLite file, FTS5 full-text index, WAL so searches run during ingest.

The FTS5 table is contentless (the text lives once, in ``pages``) with four columns: restored
text and raw OCR text as typed (lower case, diacritics kept) and the same two accent-folded with
``fold_lower`` (``đ`` -> ``d``). Raw columns are left empty when they would repeat the restored
ones. Deleting from a contentless table needs the indexed values again; they are recomputed from
``pages`` with the same ``index_columns`` function, and any change to that function must come
with a schema migration that rebuilds the index.

Ranking: bm25 weighs each query phrase by the number of pages holding it, which FTS5 counts by
walking the phrase's posting lists on every search, a cost that grows with the archive unless
one word of the phrase is rare (the walk then skips along that word's short list). Queries
with a phrase made only of common words (each word probed with an OFFSET look-up that stops
after BM25_PHRASE_PAGES matches) list the pages holding the words together first, then the
rest, newest first, reading only as many matches as the results need.

Bulk loading (``add_many``): preparing a page for the index is Python work that holds the GIL,
storing it is SQLite work that does not. A writer thread stores each chunk of WRITE_CHUNK
prepared documents, with one multi-row INSERT per table, while this thread prepares the next;
a statement per row would make the writer wait for the GIL after every row.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sqlite3
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path

from pipeline.archive.base import (
    Archive,
    Filter,
    Mode,
    Notify,
    PageHit,
    Prepared,
    first,
    guarded,
    one_line,
    where,
)
from pipeline.archive.model import ArchiveError, index_columns
from pipeline.archive.query import And, Node, Phrase, QueryError, render, together
from pipeline.archive.schema import (
    CITATION_COLUMNS,
    DOCUMENT_COLUMNS,
    PAGE_COLUMNS,
    RANK_WINDOW,
    SCHEMA_VERSION,
    Dialect,
)
from pipeline.types import DocumentRecord

APPLICATION_ID = 0x56424E31  # "VBN1": tells a vanban archive from any other SQLite file
MMAP_BYTES = 2**30  # address space only; pages are read on demand
PAGE_BYTES = 8192  # SQLite's default 4096 splits a page's text and word boxes over more overflow pages
WAL_CHECKPOINT_PAGES = 16384  # 128 MiB of WAL between automatic checkpoints (SQLite's default: 1000)
WAL_KEEP_BYTES = 64 * 2**20  # the WAL file is cut back to this after a checkpoint
BM25_PHRASE_PAGES = 3000  # bm25 only when each phrase has a word on fewer pages (see _rare)
WRITE_CHUNK = 100  # documents per write while the next ones are prepared (add_many)
_URI_MODES = {"create": "rwc", "write": "rw", "read": "ro"}

DIALECT = Dialect(
    ph="?",
    serial="INTEGER",  # INTEGER PRIMARY KEY is the rowid
    bigint="INTEGER",
    blob="BLOB",
    contains="instr({col}, {ph}) > 0",
    page_index="",
    index="CREATE VIRTUAL TABLE pages_fts USING fts5("
    "body, raw, body_f, raw_f, content='', tokenize='unicode61 remove_diacritics 0')",
    hash_index="",  # a b-tree indexes any length
)


def _fts_phrase(p: Phrase, exact: bool) -> str:
    words = p.words if exact else p.folded
    cols = "{body raw}" if exact else "{body_f raw_f}"
    return f'{cols} : "{" ".join(words)}"' + (" *" if p.prefix else "")


def _fts_words(p: Phrase, exact: bool) -> list[str]:
    """Each word of the phrase as a phrase of its own (the last keeps the prefix star)."""
    last = len(p.words) - 1
    return [_fts_phrase(Phrase((w,), p.prefix and i == last), exact) for i, w in enumerate(p.words)]


class SQLiteArchive(Archive):
    backend = "sqlite"
    dialect = DIALECT
    driver_error = sqlite3.Error

    def __init__(
        self, path: str | os.PathLike[str], notify: Notify | None = None, *, mode: Mode = "create", _target: int = 0
    ) -> None:
        self.path = Path(path)
        self.location = str(self.path)
        self.mode = mode
        try:
            if mode == "create":
                self.path.parent.mkdir(parents=True, exist_ok=True)
            self.conn = sqlite3.connect(
                self._uri(mode), uri=True, timeout=60.0, isolation_level=None, check_same_thread=False
            )
        except (OSError, sqlite3.Error) as exc:
            raise ArchiveError(f"{self.path}: cannot open archive ({exc})") from None
        try:
            self.conn.execute("PRAGMA busy_timeout = 60000")
            if self._check_identity() and mode != "create":  # before a pragma below writes the header
                raise ArchiveError(f"{self.path}: {self._empty} (vanban ingest creates an archive)")
            if mode != "read":
                self.conn.execute(f"PRAGMA page_size = {PAGE_BYTES}")  # takes effect only in a new file
                self.conn.execute("PRAGMA journal_mode = WAL")
            # Checkpoints copy every page changed since the last one; an FTS index rewrites the same
            # pages again and again, so checkpointing rarely copies far less (writes ~1.5x faster).
            self.conn.execute(f"PRAGMA wal_autocheckpoint = {WAL_CHECKPOINT_PAGES}")
            self.conn.execute(f"PRAGMA journal_size_limit = {WAL_KEEP_BYTES}")
            self.conn.execute("PRAGMA synchronous = NORMAL")
            self.conn.execute("PRAGMA foreign_keys = ON")
            # searches read long posting lists: map the file and keep a bigger page cache than 2 MB
            self.conn.execute(f"PRAGMA mmap_size = {MMAP_BYTES}")
            self.conn.execute("PRAGMA cache_size = -65536")
            self._open_schema(mode, _target or SCHEMA_VERSION, notify)
        except sqlite3.DatabaseError as exc:
            self.conn.close()
            raise ArchiveError(f"{self.path}: not a usable vanban archive ({exc})") from None
        except ArchiveError:
            self.conn.close()
            raise

    def _uri(self, mode: Mode) -> str:
        """The file as an SQLite URI: created when missing only with "create"; opened read-only with
        "read", and then as immutable (no -wal/-shm files needed) when nothing can write its folder."""
        uri = f"{self.path.absolute().as_uri()}?mode={_URI_MODES[mode]}"
        folder = self.path.absolute().parent
        if mode == "read" and not os.access(folder, os.W_OK) and not Path(f"{self.path}-wal").exists():
            uri += "&immutable=1"  # a read-only folder: no writer can change the file under us
        return uri

    def _reopen(self, mode: Mode, notify: Notify | None) -> SQLiteArchive:
        return SQLiteArchive(self.path, notify, mode=mode)

    _empty = "not an archive: an empty file"

    # -- schema --------------------------------------------------------------------------------
    def _check_identity(self) -> bool:
        """Refuse another application's SQLite file; True for an empty one (no tables yet)."""
        app = self.conn.execute("PRAGMA application_id").fetchone()[0]
        if app == APPLICATION_ID:
            return False
        tables = self.conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        if app != 0 or tables:
            raise ArchiveError(f"{self.path}: not a vanban archive (an SQLite file of another application)")
        return True

    def schema_version(self) -> int:
        return int(self.conn.execute("PRAGMA user_version").fetchone()[0])

    def _has_table(self, name: str) -> bool:
        sql = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?"
        return self.conn.execute(sql, (name,)).fetchone() is not None

    def _failure(self, exc: Exception) -> ArchiveError:
        name = getattr(exc, "sqlite_errorname", "") or ""
        reason = one_line(exc)
        if "Could not decode" in reason:  # the sqlite3 module's own words for bytes that are not text
            reason = "a text column holds bytes that are not UTF-8"
        if name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")) or "Could not decode" in str(exc):
            return ArchiveError(f"{self.path}: the archive is damaged ({reason}); `vanban check` lists the damage")
        if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
            return ArchiveError(f"{self.path}: the archive is locked by another process ({reason})")
        if name.startswith(("SQLITE_READONLY", "SQLITE_CANTOPEN", "SQLITE_PERM")):
            return ArchiveError(f"{self.path}: the archive cannot be written ({reason})")
        return ArchiveError(f"{self.path}: the archive cannot be read or written ({reason})")

    def _migration(self) -> AbstractContextManager[None]:
        return self._transaction()  # BEGIN IMMEDIATE: one writer at a time

    def _set_schema_version(self, version: int) -> None:
        self.conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        self.conn.execute(f"PRAGMA user_version = {version}")

    def _reindex(self) -> None:
        self.conn.execute("INSERT INTO pages_fts (pages_fts) VALUES ('delete-all')")
        rows = self.conn.execute("SELECT id, raw_text, restored_text FROM pages")
        self.conn.executemany(
            "INSERT INTO pages_fts (rowid, body, raw, body_f, raw_f) VALUES (?, ?, ?, ?, ?)",
            ((page_id, *index_columns(raw, restored)) for page_id, raw, restored in rows),
        )

    # -- maintenance ---------------------------------------------------------------------------
    def _integrity(self) -> tuple[list[str], list[str]]:
        problems, notes = [], []
        try:
            lines = _check_lines(self.conn.execute("PRAGMA integrity_check(100)").fetchall())
            problems += first([f"SQLite integrity check: {line}" for line in lines])
        except sqlite3.DatabaseError as exc:
            problems.append(f"SQLite integrity check cannot run: {one_line(exc)}")
        # the full-text index checks its own structure (a statement of the INSERT form that writes nothing)
        if self.mode == "read":
            notes.append("the full-text index's own check needs write access to the archive's file and folder")
        else:
            try:
                self.conn.execute("INSERT INTO pages_fts (pages_fts) VALUES ('integrity-check')")
            except sqlite3.DatabaseError as exc:
                problems.append(f"full-text index: {one_line(exc)}")
        try:
            indexed, pages = self.conn.execute(
                "SELECT (SELECT count(*) FROM pages_fts), (SELECT count(*) FROM pages)"
            ).fetchone()
            if indexed != pages:
                problems.append(f"full-text index holds {indexed} pages, the archive {pages}")
        except sqlite3.DatabaseError as exc:
            problems.append(f"full-text index cannot be counted: {one_line(exc)}")
        return problems, notes

    @guarded
    def quick_check(self) -> list[str]:
        """SQLite's quick check (the structure of every page, not the indexes' contents): its problems."""
        return _check_lines(self.conn.execute("PRAGMA quick_check(10)").fetchall())

    @guarded
    def backup(self, dest: Path) -> None:
        """Copy the archive to the new file ``dest`` with SQLite's online backup (a consistent copy while
        ingest writes), as one file; ``dest`` appears complete or not at all, and is never replaced."""
        if dest.exists():
            raise FileExistsError(errno.EEXIST, "exists already", str(dest))
        tmp = dest.parent / f".vanban-backup-{os.getpid()}.part"
        try:
            with contextlib.closing(sqlite3.connect(tmp)) as target:
                self.conn.backup(target)
                target.execute("PRAGMA journal_mode = DELETE")  # one file, whatever the archive's journal
            os.link(tmp, dest)  # fails, and replaces nothing, when dest appeared meanwhile
        finally:
            tmp.unlink(missing_ok=True)

    # -- writing -------------------------------------------------------------------------------
    @contextmanager
    def _transaction(self) -> Iterator[None]:
        if self.conn.in_transaction:  # inside a caller's transaction (``Archive.transaction``): part of it
            self.conn.execute("SAVEPOINT vanban_part")
            try:
                yield
                self.conn.execute("RELEASE vanban_part")
            except BaseException:
                self.conn.execute("ROLLBACK TO vanban_part")
                self.conn.execute("RELEASE vanban_part")
                raise
            return
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield
            self.conn.execute("COMMIT")
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise

    def _index_values(self, columns: tuple[str, str, str, str]) -> tuple:
        return columns

    def _add_many(self, records: Sequence[DocumentRecord], replace: bool) -> list[str]:
        bulk = len(records) > WRITE_CHUNK
        # everything CPU-bound happens before the write lock is taken, but in bulk (see below)
        prepared = None if bulk else [self._prepare(r) for r in records]
        with self._transaction():
            ids = self._ids(records)
            if prepared is not None:
                return self._write(prepared, replace, ids)
            # one thread writes a chunk (SQLite runs without the GIL) while this one prepares
            # the next, so the two cores share the work
            chunks = [records[i : i + WRITE_CHUNK] for i in range(0, len(records), WRITE_CHUNK)]
            with ThreadPoolExecutor(1, thread_name_prefix="vanban-sqlite") as writer:
                futures = [writer.submit(self._write, [self._prepare(r) for r in c], replace, ids) for c in chunks]
            return [i for f in futures for i in f.result()]

    def _ids(self, records: Sequence[DocumentRecord]) -> _Ids:
        """The ids a write transaction starts from (inside it, so no other writer changes them)."""
        shas = list(dict.fromkeys(r.sha256 for r in records))
        per = self.conn.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
        known: dict[str, int] = {}
        for i in range(0, len(shas), per):
            part = shas[i : i + per]
            sql = f"SELECT sha256, id FROM documents WHERE sha256 IN ({', '.join('?' * len(part))})"
            known.update(self.conn.execute(sql, part))
        doc, page = self.conn.execute(
            "SELECT (SELECT coalesce(max(id), 0) FROM documents), (SELECT coalesce(max(id), 0) FROM pages)"
        ).fetchone()
        return _Ids(known, doc, page)

    def _write(self, prepared: list[Prepared], replace: bool, ids: _Ids) -> list[str]:
        """Store prepared documents inside the caller's transaction, with three multi-row
        INSERTs: each statement runs without the GIL from start to end, where a statement per
        row would wait for the GIL after every row while the other thread prepares."""
        docs: list[tuple] = []
        pages: list[tuple] = []
        fts: list[tuple] = []
        cites: list[tuple] = []
        out = []
        for item in prepared:
            sha = item.record.sha256
            doc_id = ids.known.get(sha)
            if doc_id is not None and not replace:
                out.append(str(doc_id))
                continue
            if doc_id is not None:
                self._insert_rows(docs, pages, fts, cites)  # the document may be among them
                docs, pages, fts, cites = [], [], [], []
                self._unindex(doc_id)
                self._update_document(doc_id, item.document)
            else:
                ids.doc += 1
                doc_id = ids.known[sha] = ids.doc
                docs.append((doc_id, sha, *item.document))
            for values, index in item.pages:
                ids.page += 1
                pages.append((ids.page, doc_id, *values))
                fts.append((ids.page, *index))
            cites.extend((doc_id, *c) for c in item.citations)
            out.append(str(doc_id))
        self._insert_rows(docs, pages, fts, cites)
        return out

    def _insert_rows(self, docs: list[tuple], pages: list[tuple], fts: list[tuple], cites: list[tuple]) -> None:
        _insert(self.conn, f"documents (id, sha256, {', '.join(DOCUMENT_COLUMNS)})", docs)
        _insert(self.conn, f"pages (id, doc_id, {', '.join(PAGE_COLUMNS)})", pages)
        _insert(self.conn, "pages_fts (rowid, body, raw, body_f, raw_f)", fts)
        _insert(self.conn, f"citations (doc_id, {', '.join(CITATION_COLUMNS)})", cites)

    def _unindex(self, doc_id: int) -> None:
        rows = self.conn.execute(
            "SELECT id, raw_text, restored_text FROM pages WHERE doc_id = ?", (doc_id,)
        ).fetchall()
        for page_id, raw, restored in rows:
            self.conn.execute(
                "INSERT INTO pages_fts (pages_fts, rowid, body, raw, body_f, raw_f) "
                "VALUES ('delete', ?, ?, ?, ?, ?)",
                (page_id, *index_columns(raw, restored)),
            )
        self.conn.execute("DELETE FROM pages WHERE doc_id = ?", (doc_id,))
        self.conn.execute("DELETE FROM citations WHERE doc_id = ?", (doc_id,))

    # -- reading -------------------------------------------------------------------------------
    def close(self) -> None:
        self.conn.close()

    def _size_bytes(self) -> int:
        return sum(
            Path(f"{self.path}{suffix}").stat().st_size
            for suffix in ("", "-wal")
            if Path(f"{self.path}{suffix}").exists()
        )

    def _sha256_prefix(self, prefix: str) -> list[tuple]:
        # a range, not LIKE: SQLite's LIKE ignores case and cannot use the sha256 index
        return self.conn.execute(
            "SELECT id FROM documents WHERE sha256 >= ? AND sha256 < ? LIMIT 2", (prefix, prefix + "g")
        ).fetchall()

    # -- search primitives -----------------------------------------------------------------------
    def _text_search(self, node: Node, exact: bool, filters: list[Filter], k: int) -> list[PageHit]:
        used: list[tuple[Phrase, bool]] = []

        def phrase(p: Phrase, ex: bool) -> str:
            used.append((p, ex))
            return _fts_phrase(p, ex)

        expr = render(node, phrase, exact, "AND", "OR", "NOT")
        try:
            if all(any(self._rare(w) for w in _fts_words(p, ex)) for p, ex in dict.fromkeys(used)):
                return self._ranked(expr, filters, k)
            # Newest first, tier by tier; without the ranking-only term, which would read every
            # word's posting list twice more.
            tiers = [render(node, _fts_phrase, exact, "AND", "OR", "NOT", boost=False)]
            joined = together(node)
            if joined is not None:  # the words standing together as typed come first
                others = tuple(i for i in node.items if not isinstance(i, Phrase))
                first = And((joined, *others), node.negated)
                tiers.insert(0, render(first, _fts_phrase, exact, "AND", "OR", "NOT", boost=False))
            return self._newest(tiers, filters, k)
        except sqlite3.OperationalError as exc:
            if exc.sqlite_errorname != "SQLITE_ERROR":  # not the query's fault: a locked or damaged archive
                raise
            raise QueryError(f"cannot search for this query ({exc})") from None

    def _rare(self, word: str) -> bool:
        """Whether a word is on few enough pages for bm25. bm25 weighs each phrase by the number
        of pages matching it, a full pass over its words' posting lists, cheap only when one of
        them is short; a phrase of common words goes newest first instead."""
        sql = "SELECT 1 FROM pages_fts WHERE pages_fts MATCH ? LIMIT 1 OFFSET ?"
        return self.conn.execute(sql, (word, BM25_PHRASE_PAGES)).fetchone() is None

    def _ranked(self, expr: str, filters: list[Filter], k: int) -> list[PageHit]:
        cond, params = where(filters)
        join = " JOIN documents d ON d.id = p.doc_id" if filters else ""
        # bm25 over at most RANK_WINDOW pages, newest first; below the window it is exact
        sql = (
            "SELECT doc_id, idx, min(r) FROM ("
            "SELECT p.doc_id AS doc_id, p.idx AS idx, bm25(pages_fts, 1.0, 0.6, 1.0, 0.6) AS r "
            f"FROM pages_fts JOIN pages p ON p.id = pages_fts.rowid{join} "
            f"WHERE pages_fts MATCH ?{cond} ORDER BY pages_fts.rowid DESC LIMIT ?"
            ") GROUP BY doc_id ORDER BY min(r) LIMIT ?"
        )
        rows = self.conn.execute(sql, (expr, *params, RANK_WINDOW, k)).fetchall()
        return [PageHit(r[0], r[1], -r[2]) for r in rows]

    def _newest(self, tiers: list[str], filters: list[Filter], k: int) -> list[PageHit]:
        """Most recently archived matching pages, tier by tier (words standing together as typed
        first): a query made of common words has too many matches to rank them all."""
        cond, params = where(filters)
        join = " JOIN documents d ON d.id = p.doc_id" if filters else ""
        sql = (
            f"SELECT pages_fts.rowid, p.doc_id, p.idx FROM pages_fts JOIN pages p ON p.id = pages_fts.rowid{join} "
            f"WHERE pages_fts MATCH ? AND pages_fts.rowid < ?{cond} ORDER BY pages_fts.rowid DESC LIMIT ?"
        )
        picked: dict[int, PageHit] = {}
        for score, expr in zip(range(len(tiers), 0, -1), tiers, strict=True):
            last, chunk = 2**63 - 1, 4 * k
            while len(picked) < k:
                rows = self.conn.execute(sql, (expr, last, *params, chunk)).fetchall()
                for _, doc_id, idx in rows:
                    if doc_id not in picked:
                        picked[doc_id] = PageHit(doc_id, idx, float(score))
                if len(rows) < chunk:
                    break
                last, chunk = rows[-1][0], min(2 * chunk, 8192)  # few hits per page read: read more
        return list(picked.values())[:k]


@dataclass
class _Ids:
    """A write transaction's archived documents by SHA-256 and the last document and page ids
    used (new ones count on from there, as SQLite would); only the writing thread changes it."""

    known: dict[str, int]
    doc: int
    page: int


def _check_lines(rows: list[tuple]) -> list[str]:
    """The problems an integrity_check or quick_check pragma reports, one a line ("ok": none)."""
    lines = [line.strip() for (text,) in rows for line in text.splitlines()]
    return [line for line in lines if line and line != "ok" and not line.startswith("***")]


def _insert(conn: sqlite3.Connection, table: str, rows: list[tuple]) -> None:
    """``rows`` in as few INSERT statements as SQLite's limit on parameters allows."""
    if not rows:
        return
    width = len(rows[0])
    per = conn.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER) // width
    row = f"({', '.join('?' * width)})"
    for i in range(0, len(rows), per):
        part = rows[i : i + per]
        conn.execute(f"INSERT INTO {table} VALUES {', '.join([row] * len(part))}", [v for r in part for v in r])
