"""Server archive for many users: PostgreSQL with two tsvector columns per page and GIN indexes.

``tsv_exact`` holds the words as typed (lower case, diacritics kept), ``tsv_fold`` the same words
folded with ``fold_lower`` and each two neighbouring folded words as one lexeme (``kien_an``). Both
are built in Python as tsvector literals (restored text weight A, then raw OCR text weight B after
a position gap), so tokenisation is exactly the SQLite one and does not depend on the database's
locale or text-search configuration; no extension is needed.

Search (``_text_search``; the plans are in docs/scaling.md): a page's tsvectors are kilobytes
stored out of line, so every page whose tsvector is read (to check a phrase's word positions, to
rank) costs 3-20 microseconds, and PostgreSQL's planner does not count that cost. So pages are
read through GIN bitmaps only: a phrase through its pairs (two words: one lexeme, nothing to
check; more: only pages holding every pair are checked), every match ranked with ts_rank when the
lexeme statistics say there can be at most RANK_PAGES of them, else the newest matches, id range by
id range from the newest, as SQLite reads phrases of common words.

Bulk writes (``add_many``): documents and pages go in with COPY, a writer thread storing one chunk
while this thread prepares the next (tsvector literals are Python work). Every writer locks the
SHA-256s it stores (advisory locks, taken in one order), so two clients ingesting the same file
store it once and never deadlock.
"""

from __future__ import annotations

import itertools
import re
import shlex
import time
from collections import defaultdict
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager, contextmanager
from typing import Any

from pipeline.archive.base import Archive, Filter, Mode, Notify, PageHit, Prepared, one_line, where
from pipeline.archive.model import ArchiveError, index_columns
from pipeline.archive.query import And, Node, Or, Phrase, QueryError, render, together
from pipeline.archive.schema import (
    CITATION_COLUMNS,
    DOCUMENT_COLUMNS,
    PAGE_COLUMNS,
    SCHEMA_VERSION,
    Dialect,
    marks,
)
from pipeline.types import DocumentRecord

_MIGRATION_LOCK = 0x56424E31
WRITE_CHUNK = 200  # documents per COPY while the next ones are prepared (add_many)
RANK_PAGES = 500  # matching pages ranked with ts_rank; beyond, the newest first (see _text_search)
STATISTICS_TARGET = 1000  # the tsvector columns' statistics keep 10x as many lexeme frequencies
STATS_SECONDS = 300  # how long a connection trusts the lexeme statistics it read

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


def tsvector_literal(main: str, extra: str, pairs: bool = False) -> str:
    """tsvector text for space-separated words: ``main`` weight A, ``extra`` weight B after a gap
    (so no phrase spans the two); with ``pairs``, each two neighbouring words also as one lexeme
    (``pair``) at the first one's position."""
    positions: dict[str, list[str]] = defaultdict(list)
    pos = 0
    for weight, text in (("A", main), ("B", extra)):
        words = text.split()
        for i, word in enumerate(words):
            pos += 1
            if pos > _MAX_POS:
                break
            at = f"{pos}{weight}"
            for lexeme in (word[:500], pair(word, words[i + 1]) if pairs and i + 1 < len(words) else None):
                if lexeme is not None and len(positions[lexeme]) < 255:
                    positions[lexeme].append(at)
        pos += 1
    return " ".join(f"'{w}':{','.join(p)}" for w, p in positions.items())


def pair(first: str, second: str) -> str:
    """The lexeme of two neighbouring words (``_`` is in no word: ``vietnamese.WORD_RE``)."""
    return f"{first}_{second}"[:500]


def _tsquery(p: Phrase, exact: bool) -> str:
    """A phrase as a tsquery: on ``tsv_exact`` its words one after another; on ``tsv_fold`` its
    neighbouring pairs (one lexeme for two words, found by the GIN index without reading the page)."""
    parts = [f"'{w}'" for w in _tsquery_lexemes(p, exact)]
    if p.prefix:
        parts[-1] += ":*"
    return "(" + " <-> ".join(parts) + ")"


def _tsquery_lexemes(p: Phrase, exact: bool) -> list[str]:
    """The lexemes ``_tsquery`` looks up for a phrase, in order."""
    words = p.words if exact else p.folded
    if exact or len(words) == 1:
        return [w[:500] for w in words]
    return [pair(a, b) for a, b in itertools.pairwise(words)]


def _phrase_sql(p: Phrase, exact: bool) -> str:
    """A phrase as a condition on the page ``p``; an exact phrase of several words also asks for its
    folded pairs, which the GIN index answers, so that few pages are read to check word positions.
    Words are letters and digits only, so dollar quoting is safe."""
    sql = f"p.tsv_{'exact' if exact else 'fold'} @@ $q${_tsquery(p, exact)}$q$::tsquery"
    if exact and len(p.words) > 1:
        sql += f" AND p.tsv_fold @@ $q${_tsquery(p, False)}$q$::tsquery"
    return f"({sql})"


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
        self._stats: tuple | None = None  # (read at, pages, lexeme shares): _pages_at_most
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
        if not self._has_table("vanban_meta"):
            return 0
        row = self.conn.execute("SELECT value FROM vanban_meta WHERE key = 'schema_version'").fetchone()
        return int(row[0]) if row else 0

    def _has_table(self, name: str) -> bool:
        # pg_class read by a query, not to_regclass: its cache may still say "no such table" right after
        # another process's migration committed (two clients creating one archive at once)
        sql = ("SELECT 1 FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
               "WHERE c.relname = %s AND n.nspname = current_schema()")  # fmt: skip
        return self.conn.execute(sql, (name,)).fetchone() is not None

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
            if self.schema_version() == 0 and self._has_table("documents"):
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

    def _search_indexes(self) -> None:
        # the search reads how many pages hold a lexeme from the columns' statistics (_pages_at_most):
        # 10,000 lexemes each instead of 1,000, pairs being many
        for column in ("tsv_exact", "tsv_fold"):
            self.conn.execute(f"ALTER TABLE pages ALTER COLUMN {column} SET STATISTICS {STATISTICS_TARGET}")
        self._reindex()  # the folded index with its pairs

    # -- writing -------------------------------------------------------------------------------
    def _transaction(self) -> AbstractContextManager[Any]:
        return self.conn.transaction()

    def _index_values(self, columns: tuple[str, str, str, str]) -> tuple:
        body, raw, body_f, raw_f = columns
        return tsvector_literal(body, raw), tsvector_literal(body_f, raw_f, pairs=True)

    def _add_many(self, records: Sequence[DocumentRecord], replace: bool) -> list[str]:
        if len(records) <= WRITE_CHUNK:
            prepared = [self._prepare(r) for r in records]  # before the transaction: it holds locks
            with self._transaction():
                return self._copy(prepared, replace, self._lock([r.sha256 for r in records]))
        # one thread stores a chunk (the server parses and indexes it meanwhile) while this one prepares
        # the next, so the Python work and the server's overlap
        chunks = [records[i : i + WRITE_CHUNK] for i in range(0, len(records), WRITE_CHUNK)]
        with self._transaction(), ThreadPoolExecutor(1, thread_name_prefix="vanban-pg") as writer:
            known = self._lock([r.sha256 for r in records])
            futures = [writer.submit(self._copy, [self._prepare(r) for r in c], replace, known) for c in chunks]
            return [i for f in futures for i in f.result()]

    def _lock(self, shas: list[str]) -> dict[str, int]:
        """Take the write lock of each SHA-256 (in one order for every writer: two batches that share
        documents never deadlock) and return the ids of those already stored."""
        unique = sorted(set(shas))
        self.conn.execute(
            "SELECT pg_advisory_xact_lock(k) FROM "
            "(SELECT DISTINCT hashtextextended(s, 0) AS k FROM unnest(%s::text[]) AS s ORDER BY k) AS keys",
            (unique,),
        ).fetchall()
        rows = self.conn.execute("SELECT sha256, id FROM documents WHERE sha256 = ANY(%s)", (unique,)).fetchall()
        return dict(rows)

    def _copy(self, prepared: list[Prepared], replace: bool, known: dict[str, int]) -> list[str]:
        """Store prepared documents inside the caller's transaction (which holds their locks): new ones
        with two COPY statements, replacements one by one. ``known`` (SHA-256 -> id) is updated."""
        conn = self.conn
        first: dict[str, Prepared] = {}
        for item in prepared:
            first.setdefault(item.record.sha256, item)
        fresh = [item for sha, item in first.items() if sha not in known]
        ids = [r[0] for r in conn.execute(
            "SELECT nextval(pg_get_serial_sequence('documents', 'id')) FROM generate_series(1, %s)", (len(fresh),)
        ).fetchall()] if fresh else []  # fmt: skip
        with conn.cursor() as cur:
            with cur.copy(f"COPY documents (id, sha256, {', '.join(DOCUMENT_COLUMNS)}) FROM STDIN") as copy:
                for doc_id, item in zip(ids, fresh, strict=True):
                    copy.write_row((doc_id, item.record.sha256, *item.document))
            with cur.copy(f"COPY pages (doc_id, {', '.join(PAGE_COLUMNS)}, tsv_exact, tsv_fold) FROM STDIN") as copy:
                for doc_id, item in zip(ids, fresh, strict=True):
                    for values, index in item.pages:
                        copy.write_row((doc_id, *values, *index))
            with cur.copy(f"COPY citations (doc_id, {', '.join(CITATION_COLUMNS)}) FROM STDIN") as copy:
                for doc_id, item in zip(ids, fresh, strict=True):
                    for citation in item.citations:
                        copy.write_row((doc_id, *citation))
        stored = {item.record.sha256 for item in fresh}
        known.update((item.record.sha256, doc_id) for doc_id, item in zip(ids, fresh, strict=True))
        out = []
        for item in prepared:
            sha = item.record.sha256
            if replace and sha not in stored:
                self._replace(known[sha], item)
            stored.discard(sha)  # a second copy of a document in the batch replaces the first one
            out.append(str(known[sha]))
        return out

    def _replace(self, doc_id: int, item: Prepared) -> None:
        self._unindex(doc_id)
        self._update_document(doc_id, item.document)
        self._insert_pages(doc_id, item)

    def _insert_pages(self, doc_id: int, item: Prepared) -> None:
        """The pages and citations of a replaced document."""
        with self.conn.cursor() as cur:
            cur.executemany(
                f"INSERT INTO pages (doc_id, {', '.join(PAGE_COLUMNS)}, tsv_exact, tsv_fold) "
                f"VALUES ({marks(len(PAGE_COLUMNS) + 1, '%s')}, %s::tsvector, %s::tsvector)",
                [(doc_id, *values, *index) for values, index in item.pages],
            )
            if item.citations:
                cur.executemany(
                    f"INSERT INTO citations (doc_id, {', '.join(CITATION_COLUMNS)}) VALUES (%s, %s, %s, %s)",
                    [(doc_id, *c) for c in item.citations],
                )

    def _unindex(self, doc_id: int) -> None:
        self.conn.execute("DELETE FROM pages WHERE doc_id = %s", (doc_id,))
        self.conn.execute("DELETE FROM citations WHERE doc_id = %s", (doc_id,))

    # -- reading -------------------------------------------------------------------------------
    def close(self) -> None:
        self.conn.close()

    def _size_bytes(self) -> int:
        return self.conn.execute("SELECT pg_database_size(current_database())").fetchone()[0]

    def _sha256_prefix(self, prefix: str) -> list[tuple]:
        return self.conn.execute("SELECT id FROM documents WHERE sha256 LIKE %s LIMIT 2", (prefix + "%",)).fetchall()

    # -- search primitives -----------------------------------------------------------------------
    def _text_search(self, node: Node, exact: bool, filters: list[Filter], k: int) -> list[PageHit]:
        """Every matching page ranked when there are at most RANK_PAGES, else the newest ones, the words
        standing together as typed first (SQLite's order). Pages are read only through the GIN indexes'
        bitmaps (reading a page's tsvector costs more than the planner believes), newest id ranges first."""
        match = render(node, _phrase_sql, exact, "AND", "OR", "AND NOT", boost=False)
        cond, params = where(filters)
        join = " JOIN documents d ON d.id = p.doc_id" if filters else ""
        try:
            at_most = self._pages_at_most(node, exact)
            top = self.conn.execute("SELECT coalesce(max(id), 0) FROM pages").fetchone()[0]  # now, not cached
            with self._bitmaps():
                span = int(2 * k * top / max(at_most, 1))
                if at_most <= RANK_PAGES:
                    rows = self.conn.execute(
                        f"SELECT p.id FROM pages p{join} WHERE {match}{cond} LIMIT %s", (*params, RANK_PAGES + 1)
                    ).fetchall()
                    if len(rows) <= RANK_PAGES:
                        return self._ranked(node, [r[0] for r in rows], k)
                    # the statistics were wrong; the matches just read are the oldest (a bitmap is read in
                    # table order): their density tells how many ids to read for k documents
                    span = 2 * k * max(r[0] for r in rows) // len(rows)
                tiers = [match]
                joined = together(node)
                if joined is not None:
                    others = tuple(i for i in node.items if not isinstance(i, Phrase))
                    first = And((joined, *others), node.negated)
                    tiers.insert(0, render(first, _phrase_sql, exact, "AND", "OR", "AND NOT", boost=False))
                return self._newest(tiers, join, cond, params, k, top, max(256, span))
        except Exception as exc:  # psycopg raises its own error classes for bad tsquery syntax
            import psycopg

            if isinstance(exc, psycopg.errors.SyntaxError | psycopg.errors.DataError):
                raise QueryError(f"cannot search for this query ({exc})") from None
            raise

    @contextmanager
    def _bitmaps(self) -> Iterator[None]:
        """A transaction whose statements read tables through index bitmaps only."""
        with self.conn.transaction():
            self.conn.execute("SET LOCAL enable_seqscan = off")
            self.conn.execute("SET LOCAL enable_indexscan = off")
            yield
            # inside a caller's transaction SET LOCAL would outlast this block (after a failure, the
            # block's savepoint is rolled back, and the settings with it)
            self.conn.execute("RESET enable_seqscan")
            self.conn.execute("RESET enable_indexscan")

    def _pages_at_most(self, node: Node, exact: bool) -> float:
        """About the most pages that can match ``node``: from the frequency of
        each lexeme the statistics of the two tsvector columns keep (STATISTICS_TARGET x 10 of each),
        a phrase as frequent as its rarest lexeme, an AND as its rarest part, an OR as its parts
        together. Statistics are read once every STATS_SECONDS."""
        if self._stats is None or time.monotonic() - self._stats[0] > STATS_SECONDS:
            self._stats = (time.monotonic(), *self._read_stats())
        _, pages, columns = self._stats

        def share(n: Node) -> float:
            if isinstance(n, Or):
                return min(1.0, sum(share(i) for i in n.items))
            if isinstance(n, And):
                return min(share(i) for i in n.items)
            lexemes = [("tsv_fold", w) for w in _tsquery_lexemes(n, False)]
            if exact and n.accented:
                lexemes += [("tsv_exact", w) for w in _tsquery_lexemes(n, True)]
            out = 1.0
            for i, (column, lexeme) in enumerate(lexemes):
                freqs, floor = columns.get(column, ({}, 1.0))
                prefix = n.prefix and (i == len(lexemes) - 1 or lexemes[i + 1][0] != column)
                out = min(out, 1.0 if prefix else freqs.get(lexeme, floor))
            return out

        return share(node) * pages

    def _read_stats(self) -> tuple[float, dict[str, tuple[dict[str, float], float]]]:
        """(pages, {column: ({lexeme: share of pages}, share of the least frequent)})."""
        pages = self.conn.execute("SELECT reltuples FROM pg_class WHERE oid = 'pages'::regclass").fetchone()[0]
        columns = {}
        for column, elems, freqs in self.conn.execute(
            "SELECT attname, most_common_elems::text::text[], most_common_elem_freqs FROM pg_stats "
            "WHERE schemaname = current_schema() AND tablename = 'pages' AND attname IN ('tsv_exact', 'tsv_fold')"
        ).fetchall():
            if elems and freqs:
                columns[column] = (dict(zip(elems, freqs, strict=False)), freqs[len(elems)])  # then min, max
        # never analysed (a new archive): as many pages as it holds, read by the bounded first look
        return pages if pages > 0 and columns else 0.0, columns

    def _ranked(self, node: Node, pages: list[int], k: int) -> list[PageHit]:
        """ts_rank over the matching ``pages`` (ids): the best page of the best ``k`` documents."""
        rank_q = render(node, _tsquery, False, "&", "|", "& !")
        rows = self.conn.execute(
            "SELECT doc_id, idx, r FROM (SELECT DISTINCT ON (doc_id) doc_id, idx, r FROM ("
            "SELECT doc_id, idx, ts_rank(tsv_fold, %s::tsquery) AS r FROM pages WHERE id = ANY(%s)"
            ") w ORDER BY doc_id, r DESC) best ORDER BY r DESC, doc_id LIMIT %s",
            (rank_q, pages, k),
        ).fetchall()
        return [PageHit(r[0], r[1], float(r[2])) for r in rows]

    def _newest(
        self, tiers: list[str], join: str, cond: str, params: list[Any], k: int, top: int, span: int
    ) -> list[PageHit]:
        """Most recently archived matching pages, tier by tier, as SQLite's ``_newest``: ids read newest
        first from ``top``, ``span`` of them at a time (doubling), each range through the index bitmaps."""
        picked: dict[int, PageHit] = {}
        for score, match in zip(range(len(tiers), 0, -1), tiers, strict=True):
            high, width = top, span
            while len(picked) < k and high > 0:
                rows = self.conn.execute(
                    f"SELECT p.id, p.doc_id, p.idx FROM pages p{join} WHERE {match} AND p.id > %s AND p.id <= %s{cond}",
                    (high - width, high, *params),
                ).fetchall()
                for _, doc_id, idx in sorted(rows, reverse=True):
                    if doc_id not in picked:
                        picked[doc_id] = PageHit(doc_id, idx, float(score))
                high, width = high - width, 2 * width
        return list(picked.values())[:k]
