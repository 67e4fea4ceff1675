"""Server archive for many users: PostgreSQL with two tsvector columns per page and GIN indexes.

``tsv_exact`` holds the words as typed (lower case, diacritics kept), ``tsv_fold`` the same words
folded with ``fold_lower``. Both are built in Python as tsvector literals (restored text weight A,
then raw OCR text weight B after a position gap), so tokenisation is exactly the SQLite one and
does not depend on the database's locale or text-search configuration; no extension is needed.
"""

from __future__ import annotations

import re
import shlex
from collections import defaultdict
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from typing import Any

from pipeline.archive.base import Archive, Filter, Mode, Notify, PageHit, Prepared, one_line, where
from pipeline.archive.model import ArchiveError, index_columns
from pipeline.archive.query import Node, Phrase, QueryError, render
from pipeline.archive.schema import DOCUMENT_COLUMNS, PAGE_COLUMNS, RANK_WINDOW, SCHEMA_VERSION, Dialect, marks
from pipeline.types import DocumentRecord

_MIGRATION_LOCK = 0x56424E31

DIALECT = Dialect(
    ph="%s",
    serial="BIGSERIAL",
    bigint="BIGINT",
    blob="BYTEA",
    contains="strpos({col}, {ph}) > 0",
    page_index="\n    tsv_exact TSVECTOR NOT NULL,\n    tsv_fold TSVECTOR NOT NULL,",
    index="CREATE INDEX pages_tsv_exact ON pages USING GIN (tsv_exact);\n"
    "CREATE INDEX pages_tsv_fold ON pages USING GIN (tsv_fold)",
    hash_index="USING HASH ",  # a b-tree entry holds at most ~2.7 kB
)
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


def pg_dump_command(url: str, dest: str) -> str:
    """The pg_dump command that backs the archive at ``url`` up into ``dest`` (its password not shown:
    pg_dump asks for it, or reads PGPASSWORD or ~/.pgpass)."""
    return f"pg_dump --format=custom --file={shlex.quote(dest)} {shlex.quote(_redact(url))}"


def _redact(url: str) -> str:
    return re.sub(r"//([^:/@]+):[^@/]*@", r"//\1:***@", url)


class PostgresArchive(Archive):
    backend = "postgresql"
    dialect = DIALECT

    def __init__(self, url: str, notify: Notify | None = None, *, mode: Mode = "create", _target: int = 0) -> None:
        import psycopg

        self.url = url
        self.location = _redact(url)
        self.mode = mode
        self.driver_error = psycopg.Error
        try:
            self.conn = psycopg.connect(url, autocommit=True, connect_timeout=10)
        except psycopg.Error as exc:
            reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise ArchiveError(f"{self.location}: cannot connect to PostgreSQL ({reason})") from None
        try:
            self._open_schema(mode, _target or SCHEMA_VERSION, notify)
            if mode == "read":  # every statement of this session then runs in a read-only transaction
                self.conn.execute("SET default_transaction_read_only = on")
        except psycopg.Error as exc:
            self.conn.close()
            raise self._failure(exc) from None
        except BaseException:
            self.conn.close()
            raise

    def _reopen(self, mode: Mode, notify: Notify | None) -> PostgresArchive:
        return PostgresArchive(self.url, notify, mode=mode)

    _empty = "not an archive: the database holds no vanban tables"

    # -- schema --------------------------------------------------------------------------------
    def schema_version(self) -> int:
        exists = self.conn.execute("SELECT to_regclass('vanban_meta')").fetchone()[0]
        if exists is None:
            return 0
        row = self.conn.execute("SELECT value FROM vanban_meta WHERE key = 'schema_version'").fetchone()
        return int(row[0]) if row else 0

    def _failure(self, exc: Exception) -> ArchiveError:
        import psycopg

        reason = one_line(exc) or type(exc).__name__
        if isinstance(exc, psycopg.errors.DataCorrupted | psycopg.errors.IndexCorrupted):
            return ArchiveError(f"{self.location}: the archive is damaged ({reason}); `vanban check` lists the damage")
        if isinstance(exc, psycopg.OperationalError):
            return ArchiveError(f"{self.location}: lost the connection to PostgreSQL ({reason})")
        return ArchiveError(f"{self.location}: the archive cannot be read or written ({reason})")

    def _integrity(self) -> tuple[list[str], list[str]]:
        # PostgreSQL checks its pages itself as it reads them (checksums, when the cluster has them);
        # what can go wrong unseen is an index left unusable (a CREATE INDEX that was interrupted)
        rows = self.conn.execute(
            "SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
            "JOIN pg_class t ON t.oid = i.indrelid WHERE t.relname IN ('documents', 'pages') "
            "AND t.relnamespace = to_regnamespace(current_schema()) AND NOT (i.indisvalid AND i.indisready)"
        ).fetchall()
        notes = ["PostgreSQL's page checksums and `amcheck` (run by a superuser) check the files themselves"]
        return [f"index {name} is not usable (rebuild it with REINDEX)" for (name,) in rows], notes

    @contextmanager
    def _migration(self) -> Iterator[None]:
        with self.conn.transaction():
            self.conn.execute("SELECT pg_advisory_xact_lock(%s)", (_MIGRATION_LOCK,))
            if self.schema_version() == 0 and self.conn.execute("SELECT to_regclass('documents')").fetchone()[0]:
                raise ArchiveError(f"{self.location}: not a vanban archive (has tables of another application)")
            self.conn.execute("CREATE TABLE IF NOT EXISTS vanban_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
            yield

    def _set_schema_version(self, version: int) -> None:
        self.conn.execute(
            "INSERT INTO vanban_meta VALUES ('schema_version', %s) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (str(version),),
        )

    def _reindex(self) -> None:
        # a server-side cursor: the pages are read a thousand at a time, not all at once
        with self.conn.cursor(name="vanban_reindex") as pages, self.conn.cursor() as cur:
            pages.execute("SELECT id, raw_text, restored_text FROM pages")
            while rows := pages.fetchmany(1000):
                cur.executemany(
                    "UPDATE pages SET tsv_exact = %s::tsvector, tsv_fold = %s::tsvector WHERE id = %s",
                    [(*self._index_values(index_columns(raw, restored)), page_id) for page_id, raw, restored in rows],
                )

    # -- writing -------------------------------------------------------------------------------
    def _transaction(self) -> AbstractContextManager[Any]:
        return self.conn.transaction()

    def _index_values(self, columns: tuple[str, str, str, str]) -> tuple:
        body, raw, body_f, raw_f = columns
        return tsvector_literal(body, raw), tsvector_literal(body_f, raw_f)

    def _add_many(self, records: Sequence[DocumentRecord], replace: bool) -> list[str]:
        prepared = [self._prepare(r) for r in records]
        with self._transaction():
            return [self._write(item, replace) for item in prepared]

    def _write(self, item: Prepared, replace: bool) -> str:
        """Store one prepared document inside the caller's transaction."""
        conn = self.conn
        sha = item.record.sha256
        # one writer per sha256 at a time: concurrent ingests of the same file never race
        conn.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", (sha,))
        row = conn.execute("SELECT id FROM documents WHERE sha256 = %s", (sha,)).fetchone()
        if row is not None and not replace:
            return str(row[0])
        if row is not None:
            doc_id = row[0]
            self._unindex(doc_id)
            self._update_document(doc_id, item.document)
        else:
            doc_id = conn.execute(
                f"INSERT INTO documents (sha256, {', '.join(DOCUMENT_COLUMNS)}) "
                f"VALUES ({marks(len(DOCUMENT_COLUMNS) + 1, '%s')}) RETURNING id",
                (sha, *item.document),
            ).fetchone()[0]
        with conn.cursor() as cur:
            cur.executemany(
                f"INSERT INTO pages (doc_id, {', '.join(PAGE_COLUMNS)}, tsv_exact, tsv_fold) "
                f"VALUES ({marks(len(PAGE_COLUMNS) + 1, '%s')}, %s::tsvector, %s::tsvector)",
                [(doc_id, *values, *index) for values, index in item.pages],
            )
        return str(doc_id)

    def _unindex(self, doc_id: int) -> None:
        self.conn.execute("DELETE FROM pages WHERE doc_id = %s", (doc_id,))

    # -- reading -------------------------------------------------------------------------------
    def close(self) -> None:
        self.conn.close()

    def _size_bytes(self) -> int:
        return self.conn.execute("SELECT pg_database_size(current_database())").fetchone()[0]

    def _sha256_prefix(self, prefix: str) -> list[tuple]:
        return self.conn.execute("SELECT id FROM documents WHERE sha256 LIKE %s LIMIT 2", (prefix + "%",)).fetchall()

    # -- search primitives -----------------------------------------------------------------------
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
