"""Server archive for many users: PostgreSQL with two tsvector columns per page and GIN indexes.

``tsv_exact`` holds the words as typed (lower case, diacritics kept), ``tsv_fold`` the same words
folded with ``fold_lower``. Both are built in Python as tsvector literals (restored text weight A,
then raw OCR text weight B after a position gap), so tokenisation is exactly the SQLite one and
does not depend on the database's locale or text-search configuration; no extension is needed.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from pipeline.archive.base import Archive, Filter, Notify, PageHit, build_filters, int_id, where
from pipeline.archive.model import (
    ArchiveError,
    ArchiveVersionError,
    SearchQuery,
    document_row,
    field_columns,
    index_columns,
    pack_words,
)
from pipeline.archive.query import Node, Phrase, QueryError, render
from pipeline.types import DocumentRecord, Fields
from pipeline.vietnamese import nfc

SCHEMA_VERSION = 2
RANK_WINDOW = 4000  # as in SQLite: most matching pages ranked per search
_MIGRATION_LOCK = 0x56424E31

_V1 = """
CREATE TABLE documents (
    id BIGSERIAL PRIMARY KEY,
    sha256 TEXT NOT NULL UNIQUE,
    path TEXT NOT NULL,
    size BIGINT NOT NULL,
    page_count INTEGER NOT NULL,
    added_at TEXT NOT NULL,
    fields TEXT NOT NULL,
    doc_type TEXT,
    issuer TEXT,
    date TEXT
);
CREATE TABLE pages (
    id BIGSERIAL PRIMARY KEY,
    doc_id BIGINT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    raw_text TEXT NOT NULL,
    restored_text TEXT NOT NULL,
    words BYTEA NOT NULL,
    word_count INTEGER NOT NULL,
    mean_confidence REAL NOT NULL,
    source TEXT NOT NULL,
    seconds REAL NOT NULL,
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    tsv_exact TSVECTOR NOT NULL,
    tsv_fold TSVECTOR NOT NULL,
    UNIQUE (doc_id, idx)
);
CREATE INDEX pages_tsv_exact ON pages USING GIN (tsv_exact);
CREATE INDEX pages_tsv_fold ON pages USING GIN (tsv_fold);
CREATE INDEX documents_date ON documents (date)
"""

_V2 = """
ALTER TABLE documents ADD COLUMN doc_type_key TEXT;
ALTER TABLE documents ADD COLUMN issuer_key TEXT;
ALTER TABLE documents ADD COLUMN number_key TEXT;
ALTER TABLE documents ADD COLUMN symbol_key TEXT;
ALTER TABLE documents ADD COLUMN ref_key TEXT;
ALTER TABLE documents ADD COLUMN deadline_min TEXT;
CREATE INDEX documents_doc_type ON documents (doc_type_key);
CREATE INDEX documents_number ON documents (number_key);
CREATE INDEX documents_symbol ON documents (symbol_key);
CREATE INDEX documents_ref ON documents (ref_key);
CREATE INDEX documents_deadline ON documents (deadline_min)
"""


def _backfill_v2(conn: Any) -> None:
    for doc_id, data in conn.execute("SELECT id, fields FROM documents").fetchall():
        c = field_columns(Fields.from_json(json.loads(data)))
        conn.execute(
            "UPDATE documents SET doc_type_key=%s, issuer_key=%s, number_key=%s, symbol_key=%s, "
            "ref_key=%s, deadline_min=%s WHERE id=%s",
            (c.doc_type_key, c.issuer_key, c.number_key, c.symbol_key, c.ref_key, c.deadline_min, doc_id),
        )


MIGRATIONS = {1: (_V1, None), 2: (_V2, _backfill_v2)}
_MAX_POS = 16383  # PostgreSQL's largest tsvector position


def tsvector_literal(main: str, extra: str) -> str:
    """tsvector text for space-separated words: ``main`` weight A, ``extra`` weight B after a gap
    (so no phrase spans the two)."""
    positions: dict[str, list[str]] = defaultdict(list)
    pos = 0
    for weight, text in (("A", main), ("B", extra)):
        for word in text.split():
            pos += 1
            if pos <= _MAX_POS and len(positions[word[:500]]) < 255:
                positions[word[:500]].append(f"{pos}{weight}")
        pos += 1
    return " ".join(f"'{w}':{','.join(p)}" for w, p in positions.items())


def _tsquery(p: Phrase, exact: bool) -> str:
    words = p.words if exact else p.folded
    parts = [f"'{w}'" for w in words]
    if p.prefix:
        parts[-1] += ":*"
    return "(" + " <-> ".join(parts) + ")"


def _redact(url: str) -> str:
    return re.sub(r"//([^:/@]+):[^@/]*@", r"//\1:***@", url)


class PostgresArchive(Archive):
    backend = "postgresql"
    ph = "%s"

    def __init__(self, url: str, notify: Notify | None = None, *, _target: int = 0) -> None:
        import psycopg

        self.location = _redact(url)
        try:
            self.conn = psycopg.connect(url, autocommit=True, connect_timeout=10)
        except psycopg.Error as exc:
            reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise ArchiveError(f"{self.location}: cannot connect to PostgreSQL ({reason})") from None
        try:
            self._migrate(_target or SCHEMA_VERSION, notify)
        except BaseException:
            self.conn.close()
            raise

    # -- schema --------------------------------------------------------------------------------
    def schema_version(self) -> int:
        exists = self.conn.execute("SELECT to_regclass('vanban_meta')").fetchone()[0]
        if exists is None:
            return 0
        row = self.conn.execute("SELECT value FROM vanban_meta WHERE key = 'schema_version'").fetchone()
        return int(row[0]) if row else 0

    def _migrate(self, target: int, notify: Notify | None) -> None:
        version = self.schema_version()
        if version > SCHEMA_VERSION:
            raise ArchiveVersionError(
                f"{self.location}: archive schema version {version} is newer than this vanban supports "
                f"({SCHEMA_VERSION}); upgrade vanban"
            )
        if version >= target:
            return
        with self.conn.transaction():
            self.conn.execute("SELECT pg_advisory_xact_lock(%s)", (_MIGRATION_LOCK,))
            version = start = self.schema_version()
            if version == 0 and self.conn.execute("SELECT to_regclass('documents')").fetchone()[0]:
                raise ArchiveError(
                    f"{self.location}: not a vanban archive (has tables of another application)"
                )
            self.conn.execute(
                "CREATE TABLE IF NOT EXISTS vanban_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)"
            )
            for step in range(version + 1, target + 1):
                script, backfill = MIGRATIONS[step]
                for stmt in script.split(";"):
                    if stmt.strip():
                        self.conn.execute(stmt)
                if backfill:
                    backfill(self.conn)
            self.conn.execute(
                "INSERT INTO vanban_meta VALUES ('schema_version', %s) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (str(target),),
            )
        if start and notify and target > start:
            notify(f"{self.location}: upgraded archive schema from version {start} to {target}")

    # -- writing -------------------------------------------------------------------------------
    def add_many(self, records: Sequence[DocumentRecord], replace: bool = False) -> list[str]:
        prepared = [_prepare(r) for r in records]
        ids = []
        with self.conn.transaction():
            for record, doc_values, pages in prepared:
                ids.append(self._write(record, doc_values, pages, replace))
        return ids

    def _write(self, record: DocumentRecord, doc_values: tuple, pages: list, replace: bool) -> str:
        """Store one prepared document inside the caller's transaction."""
        conn = self.conn
        # one writer per sha256 at a time: concurrent ingests of the same file never race
        conn.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", (record.sha256,))
        row = conn.execute("SELECT id FROM documents WHERE sha256 = %s", (record.sha256,)).fetchone()
        if row is not None and not replace:
            return str(row[0])
        if row is not None:
            doc_id = row[0]
            conn.execute("DELETE FROM pages WHERE doc_id = %s", (doc_id,))
            conn.execute(
                "UPDATE documents SET path=%s, size=%s, page_count=%s, added_at=%s, fields=%s, "
                "doc_type=%s, issuer=%s, date=%s, doc_type_key=%s, issuer_key=%s, number_key=%s, "
                "symbol_key=%s, ref_key=%s, deadline_min=%s WHERE id=%s",
                (*doc_values, doc_id),
            )
        else:
            doc_id = conn.execute(
                "INSERT INTO documents (sha256, path, size, page_count, added_at, fields, doc_type, "
                "issuer, date, doc_type_key, issuer_key, number_key, symbol_key, ref_key, deadline_min) "
                "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s) RETURNING id",
                (record.sha256, *doc_values),
            ).fetchone()[0]
        with conn.cursor() as cur:
            cur.executemany(
                "INSERT INTO pages (doc_id, idx, raw_text, restored_text, words, word_count, "
                "mean_confidence, source, seconds, width, height, tsv_exact, tsv_fold) VALUES "
                "(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s::tsvector, %s::tsvector)",
                [(doc_id, *p) for p in pages],
            )
        return str(doc_id)

    def delete(self, doc_id: str) -> bool:
        key = int_id(doc_id)
        if key is None:
            return False
        with self.conn.transaction():
            cur = self.conn.execute("DELETE FROM documents WHERE id = %s", (key,))
            return cur.rowcount > 0

    # -- reading -------------------------------------------------------------------------------
    def close(self) -> None:
        self.conn.close()

    def _size_bytes(self) -> int:
        return self.conn.execute("SELECT pg_database_size(current_database())").fetchone()[0]

    def _sha256_prefix(self, prefix: str) -> list[tuple]:
        return self.conn.execute("SELECT id FROM documents WHERE sha256 LIKE %s LIMIT 2", (prefix + "%",)).fetchall()

    # -- search primitives -----------------------------------------------------------------------
    def _filters(self, query: SearchQuery) -> list[Filter]:
        return build_filters(query, "%s", "strpos({col}, {ph}) > 0")

    def _text_search(self, node: Node, exact: bool, filters: list[Filter], k: int) -> list[PageHit]:
        rank_q = render(node, _tsquery, False, "&", "|", "& !")
        params: list[Any] = []
        if exact:
            # inlined: a phrase can occur twice in the rendering (proximity boost); words are
            # letters and digits only, so dollar quoting is safe
            def phrase_sql(p: Phrase, ex: bool) -> str:
                return f"(p.tsv_{'exact' if ex else 'fold'} @@ $q${_tsquery(p, ex)}$q$::tsquery)"

            match = render(node, phrase_sql, True, "AND", "OR", "AND NOT")
        else:
            params = [rank_q]
            match = "p.tsv_fold @@ %s::tsquery"
        cond, fparams = where(filters)
        join = " JOIN documents d ON d.id = p.doc_id" if filters else ""
        sql = (
            "SELECT doc_id, idx, r FROM ("
            "SELECT DISTINCT ON (doc_id) doc_id, idx, r FROM ("
            "SELECT p.doc_id, p.idx, ts_rank(p.tsv_fold, %s::tsquery) AS r "
            f"FROM pages p{join} WHERE {match}{cond} ORDER BY p.id DESC LIMIT %s"
            ") w ORDER BY doc_id, r DESC) best ORDER BY r DESC, doc_id LIMIT %s"
        )
        try:
            rows = self.conn.execute(sql, (rank_q, *params, *fparams, RANK_WINDOW, k)).fetchall()
        except Exception as exc:  # psycopg raises its own error classes for bad tsquery syntax
            import psycopg

            if isinstance(exc, psycopg.errors.SyntaxError | psycopg.errors.DataError):
                raise QueryError(f"cannot search for this query ({exc})") from None
            raise
        return [PageHit(r[0], r[1], float(r[2])) for r in rows]

    def _reference_docs(self, keys: list[str], filters: list[Filter]) -> list[int]:
        cond, params = where(filters)
        rows = self.conn.execute(
            f"SELECT d.id FROM documents d WHERE d.ref_key = ANY(%s){cond} "
            "ORDER BY d.date DESC NULLS LAST, d.id",
            (keys, *params),
        ).fetchall()
        return [r[0] for r in rows]

    def _filter_docs(self, filters: list[Filter], limit: int) -> list[int]:
        cond, params = where(filters)
        rows = self.conn.execute(
            f"SELECT d.id FROM documents d WHERE TRUE{cond} "
            "ORDER BY d.date DESC NULLS LAST, d.id DESC LIMIT %s",
            (*params, limit),
        ).fetchall()
        return [r[0] for r in rows]




def _prepare(record: DocumentRecord) -> tuple[DocumentRecord, tuple, list]:
    """The document row's values and each page's stored and indexed forms (no database access)."""
    if not record.sha256:
        raise ValueError(f"{record.path}: document has no sha256")
    pages = []
    for p in record.pages:
        raw, restored = nfc(p.raw_text), nfc(p.restored_text)
        body, raw_i, body_f, raw_f = index_columns(raw, restored)
        tsv = (tsvector_literal(body, raw_i), tsvector_literal(body_f, raw_f))
        pages.append((p.index, raw, restored, pack_words(p, raw, restored), len(p.words), p.mean_confidence, p.source,
                      p.seconds, p.width, p.height, *tsv))  # fmt: skip
    return record, document_row(record), pages

