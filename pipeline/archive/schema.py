"""The archive's tables and their migrations, written once for both backends.

The SQL text is the same on SQLite and PostgreSQL but for a few words, which a backend gives as
its ``Dialect``: the parameter placeholder, column types, the substring test, and how its
full-text index is stored (an FTS5 table of its own in SQLite, two tsvector columns of ``pages``
in PostgreSQL). ``Archive._migrate`` (base.py) runs the steps; each step after the first may
name a backfill, a method of the archive run in the same transaction.

Step 3 rebuilds the full-text index from ``pages`` (``index_columns`` leaves the raw column
empty for accent-stripped raw text, and SQLite's contentless index can only forget the values it
was given); any change to ``index_columns`` must come with such a step.
"""

from __future__ import annotations

from dataclasses import dataclass

SCHEMA_VERSION = 7
RANK_WINDOW = 4000  # most matching pages (newest first) ranked per search (SQLite; PostgreSQL: postgres.RANK_PAGES)


@dataclass(frozen=True)
class Dialect:
    """The words in which the two backends' SQL differs."""

    ph: str  # parameter placeholder of the driver
    serial: str  # type of an auto-numbered 64-bit key
    bigint: str
    blob: str
    contains: str  # substring test, formatted with {col} and {ph}
    page_index: str  # columns of ``pages`` holding its index values ("" when the index is a table)
    index: str  # statements creating the full-text index (step 1)
    hash_index: str  # "USING HASH " where a b-tree limits the length of what it indexes


@dataclass(frozen=True)
class Step:
    sql: str  # statements separated by ";", formatted with the dialect's fields
    backfill: str | None = None  # name of the Archive method that fills what the statements added


STEPS = {
    1: Step("""
CREATE TABLE documents (
    id {serial} PRIMARY KEY,
    sha256 TEXT NOT NULL UNIQUE,
    path TEXT NOT NULL,
    size {bigint} NOT NULL,
    page_count INTEGER NOT NULL,
    added_at TEXT NOT NULL,
    fields TEXT NOT NULL,
    doc_type TEXT,
    issuer TEXT,
    date TEXT
);
CREATE TABLE pages (
    id {serial} PRIMARY KEY,
    doc_id {bigint} NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    raw_text TEXT NOT NULL,
    restored_text TEXT NOT NULL,
    words {blob} NOT NULL,
    word_count INTEGER NOT NULL,
    mean_confidence REAL NOT NULL,
    source TEXT NOT NULL,
    seconds REAL NOT NULL,
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,{page_index}
    UNIQUE (doc_id, idx)
);
{index};
CREATE INDEX documents_date ON documents (date)
"""),
    # indexed keys for the field filters and the exact number/symbol lookup
    2: Step("""
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
""", "_backfill_field_columns"),
    3: Step("", "_reindex"),
    # page geometry (PageGeometry; NULL for pages stored before, and for pages without an image);
    # the bytes of a file name that is not UTF-8 (``path`` then shows it readably, see
    # ``model.path_columns``); paths indexed for equality (an export must never write over one)
    4: Step("""
ALTER TABLE pages ADD COLUMN rotation INTEGER;
ALTER TABLE pages ADD COLUMN skew DOUBLE PRECISION;
ALTER TABLE pages ADD COLUMN scale DOUBLE PRECISION;
ALTER TABLE pages ADD COLUMN dpi INTEGER;
ALTER TABLE documents ADD COLUMN path_bytes {blob};
CREATE INDEX documents_path ON documents {hash_index}(path)
"""),
    # the documents each document cites (``Reference.key``), so that a search for a reference finds
    # its citers; the number/symbol keys recomputed, their key function having changed (separators
    # no longer count: 57-NQ/TW and 57/NQ-TW are one reference)
    5: Step("""
CREATE TABLE citations (
    doc_id {bigint} NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    ref_key TEXT NOT NULL,
    family TEXT,
    cited_in TEXT NOT NULL,
    PRIMARY KEY (doc_id, ref_key)
);
CREATE INDEX citations_key ON citations (ref_key)
""", "_backfill_citations"),
    # PostgreSQL: the folded index also holds each two neighbouring words as one lexeme, so a phrase
    # is found through the GIN index (``postgres.tsvector_literal``; SQLite's FTS5 keeps positions),
    # and more lexeme statistics for the search to plan with (``postgres.PostgresArchive._search_indexes``)
    6: Step("", "_search_indexes"),
    # the archive's lexicon: names and phrases restoration prefers in this archive's later documents
    # (``Archive.lexicon``), with where each came from ("staff", "correction", "ingest"), the document
    # it was read in or corrected on, and in how many documents ingest read it
    7: Step("""
CREATE TABLE lexicon (
    phrase TEXT PRIMARY KEY,
    source TEXT NOT NULL,
    doc_id {bigint} REFERENCES documents(id) ON DELETE SET NULL,
    seen INTEGER NOT NULL,
    added_at TEXT NOT NULL
)
"""),
}

# The documents table's values after id and sha256, in ``model.document_row``'s order.
DOCUMENT_COLUMNS = ("path", "size", "page_count", "added_at", "fields", "doc_type", "issuer", "date",
                    "doc_type_key", "issuer_key", "number_key", "symbol_key", "ref_key", "deadline_min",
                    "path_bytes")  # fmt: skip
# The pages table's values after id and doc_id, in ``Archive._prepare``'s order.
PAGE_COLUMNS = ("idx", "raw_text", "restored_text", "words", "word_count", "mean_confidence", "source",
                "seconds", "width", "height", "rotation", "skew", "scale", "dpi")  # fmt: skip
FIELD_KEYS = ("doc_type_key", "issuer_key", "number_key", "symbol_key", "ref_key", "deadline_min")
# The citations table's values, in ``model.citation_rows``' order after doc_id.
CITATION_COLUMNS = ("ref_key", "family", "cited_in")


def statements(step: int, dialect: Dialect) -> list[str]:
    """The statements of one migration step in the dialect's words."""
    text = STEPS[step].sql.format(**{k: getattr(dialect, k) for k in dialect.__dataclass_fields__})
    return [s.strip() for s in text.split(";") if s.strip()]


def assignments(columns: tuple[str, ...], ph: str) -> str:
    """``a=?, b=?`` for an UPDATE."""
    return ", ".join(f"{c}={ph}" for c in columns)


def marks(count: int, ph: str) -> str:
    return ", ".join([ph] * count)
