"""The web application's tables, kept in the archive itself (SQLite file or PostgreSQL database).

Accounts, API and calendar tokens, sessions, the audit log, corrections and upload batches live
beside the documents so one backup holds everything. They have their own migration key,
``web_schema`` in the archive's ``vanban_meta`` table, so their versions never collide with the
archive's own schema steps; steps are additive, written once in the backend's dialect words
(``pipeline.archive.schema.Dialect``) and run inside the archive's migration transaction.

Secrets are never stored: passwords as argon2 hashes (``auth``), tokens and session ids as their
SHA-256 (they are 256-bit random values, so a fast hash is enough).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, NamedTuple

from pipeline.archive import Archive, ArchiveVersionError

WEB_SCHEMA = 1
META_KEY = "web_schema"

STEPS = {
    1: """
CREATE TABLE web_users (
    id {serial} PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL,
    clearance TEXT NOT NULL,
    password TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE web_tokens (
    digest TEXT PRIMARY KEY,
    user_id {bigint} NOT NULL REFERENCES web_users(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE web_sessions (
    digest TEXT PRIMARY KEY,
    user_id {bigint} NOT NULL REFERENCES web_users(id) ON DELETE CASCADE,
    csrf TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE TABLE web_audit (
    id {serial} PRIMARY KEY,
    at TEXT NOT NULL,
    user_name TEXT NOT NULL,
    action TEXT NOT NULL,
    doc_id {bigint} NOT NULL,
    secrecy TEXT NOT NULL,
    detail TEXT NOT NULL
);
CREATE TABLE web_corrections (
    id {serial} PRIMARY KEY,
    doc_id {bigint} NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    target TEXT NOT NULL,
    machine TEXT,
    value TEXT,
    user_name TEXT NOT NULL,
    at TEXT NOT NULL,
    reverted_by TEXT,
    reverted_at TEXT
);
CREATE INDEX web_corrections_doc ON web_corrections (doc_id);
CREATE TABLE web_batches (
    id {serial} PRIMARY KEY,
    user_name TEXT NOT NULL,
    folder TEXT NOT NULL,
    state TEXT NOT NULL,
    created_at TEXT NOT NULL,
    finished_at TEXT,
    pages_done INTEGER NOT NULL DEFAULT 0,
    pages_total INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE web_batch_files (
    id {serial} PRIMARY KEY,
    batch_id {bigint} NOT NULL REFERENCES web_batches(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    stored TEXT,
    size {bigint} NOT NULL,
    sha256 TEXT,
    status TEXT NOT NULL,
    reason TEXT NOT NULL,
    doc_id {bigint},
    pages INTEGER NOT NULL
);
CREATE INDEX web_batch_files_batch ON web_batch_files (batch_id)
""",
}


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def migrate(archive: Archive) -> None:
    """Create or upgrade the web tables (idempotent; concurrent starts migrate once)."""
    if _version(archive) == WEB_SCHEMA:
        return
    with archive._migration():
        archive.conn.execute("CREATE TABLE IF NOT EXISTS vanban_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        version = _version(archive)
        if version > WEB_SCHEMA:
            raise ArchiveVersionError(
                f"{archive.location}: web tables version {version} are newer than this vanban supports "
                f"({WEB_SCHEMA}); upgrade vanban"
            )
        words = {k: getattr(archive.dialect, k) for k in archive.dialect.__dataclass_fields__}
        for step in range(version + 1, WEB_SCHEMA + 1):
            for stmt in STEPS[step].format(**words).split(";"):
                if stmt.strip():
                    archive.conn.execute(stmt)
        _set_meta(archive, META_KEY, str(WEB_SCHEMA))
        if _meta(archive, "web_secret") is None:
            _set_meta(archive, "web_secret", secrets.token_hex(32))


def _version(archive: Archive) -> int:
    value = _meta(archive, META_KEY)
    return int(value) if value else 0


def _meta(archive: Archive, key: str) -> str | None:
    """A value of ``vanban_meta``; None when the key or the table is missing."""
    if not archive._has_table("vanban_meta"):
        return None
    row = archive.conn.execute(f"SELECT value FROM vanban_meta WHERE key = {archive.ph}", (key,)).fetchone()
    return row[0] if row else None


def _set_meta(archive: Archive, key: str, value: str) -> None:
    archive.conn.execute(
        f"INSERT INTO vanban_meta (key, value) VALUES ({archive.ph}, {archive.ph}) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (key, value),
    )


@dataclass(frozen=True)
class User:
    id: int
    name: str
    role: str
    clearance: str
    password: str  # argon2 hash


@dataclass(frozen=True)
class Correction:
    id: int
    doc_id: int
    target: str  # "field:NAME" or "word:PAGE:INDEX" (0-based)
    machine: str | None  # the value before any correction: what restoring brings back
    value: str | None
    user_name: str
    at: str
    reverted_by: str | None
    reverted_at: str | None


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: str
    user_name: str
    action: str
    doc_id: int
    secrecy: str
    detail: str


@dataclass(frozen=True)
class Batch:
    id: int
    user_name: str
    folder: str
    state: str  # "queued" | "running" | "done"
    created_at: str
    finished_at: str | None
    pages_done: int = 0
    pages_total: int = 0


class NewFile(NamedTuple):
    """A file of a new batch, as the upload left it."""

    name: str
    stored: str | None
    size: int
    sha256: str | None
    status: str
    reason: str
    doc_id: int | None = None


@dataclass(frozen=True)
class BatchFile:
    id: int
    batch_id: int
    name: str  # as the browser sent it, for display only
    stored: str | None  # where the server keeps it; None when it was refused at upload
    size: int
    sha256: str | None
    status: str  # "queued" | "ingested" | "skipped" | "failed"
    reason: str
    doc_id: int | None
    pages: int


class WebStore:
    """The web tables of one archive connection; ``migrate`` must have run on the archive."""

    def __init__(self, archive: Archive) -> None:
        self.archive = archive
        self.ph = archive.ph

    def _q(self, sql: str, params: tuple[Any, ...] = ()) -> Any:
        return self.archive.conn.execute(sql.replace("?", self.ph), params)

    def _insert(self, sql: str, params: tuple[Any, ...]) -> int:
        return int(self._q(sql + " RETURNING id", params).fetchone()[0])

    def secret(self) -> str:
        value = _meta(self.archive, "web_secret")
        if value is None:
            raise RuntimeError("web tables not migrated")
        return value

    # -- accounts ----------------------------------------------------------------------------------
    def add_user(self, name: str, role: str, clearance: str, password_hash: str) -> User:
        """Create, or update the role, clearance and password of, the user ``name``."""
        self._q(
            "INSERT INTO web_users (name, role, clearance, password, created_at) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT (name) DO UPDATE SET role = excluded.role, clearance = excluded.clearance, "
            "password = excluded.password",
            (name, role, clearance, password_hash, now()),
        )
        user = self.user(name)
        assert user is not None
        self._q("DELETE FROM web_sessions WHERE user_id = ?", (user.id,))  # old sessions had the old rights
        return user

    def user(self, name: str) -> User | None:
        row = self._q("SELECT id, name, role, clearance, password FROM web_users WHERE name = ?", (name,)).fetchone()
        return User(*row) if row else None

    def user_by_id(self, user_id: int) -> User | None:
        row = self._q("SELECT id, name, role, clearance, password FROM web_users WHERE id = ?", (user_id,)).fetchone()
        return User(*row) if row else None

    def users(self) -> list[User]:
        rows = self._q("SELECT id, name, role, clearance, password FROM web_users ORDER BY name").fetchall()
        return [User(*r) for r in rows]

    def set_password(self, user_id: int, password_hash: str) -> None:
        self._q("UPDATE web_users SET password = ? WHERE id = ?", (password_hash, user_id))

    # -- tokens (API bearer tokens, calendar feed keys) ----------------------------------------------
    def add_token(self, user_id: int, kind: str, digest: str, replace: bool = False) -> None:
        """Store a token's digest; ``replace`` drops the user's earlier tokens of this kind."""
        with self.archive.transaction():
            if replace:
                self._q("DELETE FROM web_tokens WHERE user_id = ? AND kind = ?", (user_id, kind))
            self._q(
                "INSERT INTO web_tokens (digest, user_id, kind, created_at) VALUES (?, ?, ?, ?)",
                (digest, user_id, kind, now()),
            )

    def token_user(self, kind: str, digest: str) -> User | None:
        row = self._q(
            "SELECT u.id, u.name, u.role, u.clearance, u.password FROM web_tokens t "
            "JOIN web_users u ON u.id = t.user_id WHERE t.digest = ? AND t.kind = ?",
            (digest, kind),
        ).fetchone()
        return User(*row) if row else None

    # -- sessions ------------------------------------------------------------------------------------
    def add_session(self, digest: str, user_id: int, csrf: str, lifetime: timedelta) -> None:
        expires = (datetime.now(UTC) + lifetime).isoformat(timespec="seconds")
        self._q("DELETE FROM web_sessions WHERE expires_at < ?", (now(),))
        self._q(
            "INSERT INTO web_sessions (digest, user_id, csrf, expires_at) VALUES (?, ?, ?, ?)",
            (digest, user_id, csrf, expires),
        )

    def session(self, digest: str) -> tuple[User, str] | None:
        """The session's user and CSRF token, when it exists and has not expired."""
        row = self._q(
            "SELECT u.id, u.name, u.role, u.clearance, u.password, s.csrf FROM web_sessions s "
            "JOIN web_users u ON u.id = s.user_id WHERE s.digest = ? AND s.expires_at >= ?",
            (digest, now()),
        ).fetchone()
        return (User(*row[:5]), row[5]) if row else None

    def drop_session(self, digest: str) -> None:
        self._q("DELETE FROM web_sessions WHERE digest = ?", (digest,))

    # -- audit ---------------------------------------------------------------------------------------
    def audit(self, user_name: str, action: str, doc_id: int, secrecy: str, detail: str = "") -> None:
        self._q(
            "INSERT INTO web_audit (at, user_name, action, doc_id, secrecy, detail) VALUES (?, ?, ?, ?, ?, ?)",
            (now(), user_name, action, doc_id, secrecy, detail),
        )

    def audit_entries(self, limit: int = 200, offset: int = 0) -> tuple[list[AuditEntry], int]:
        """Newest first, with the total count."""
        total = int(self._q("SELECT count(*) FROM web_audit").fetchone()[0])
        rows = self._q(
            "SELECT id, at, user_name, action, doc_id, secrecy, detail FROM web_audit ORDER BY id DESC "
            "LIMIT ? OFFSET ?",
            (limit, offset),
        ).fetchall()
        return [AuditEntry(*r) for r in rows], total

    # -- corrections ---------------------------------------------------------------------------------
    def add_correction(self, doc_id: int, target: str, machine: str | None, value: str | None, user: str) -> int:
        return self._insert(
            "INSERT INTO web_corrections (doc_id, target, machine, value, user_name, at) VALUES (?, ?, ?, ?, ?, ?)",
            (doc_id, target, machine, value, user, now()),
        )

    def corrections(self, doc_id: int) -> list[Correction]:
        """Every correction of a document, oldest first (reverted ones too: the history)."""
        rows = self._q(
            "SELECT id, doc_id, target, machine, value, user_name, at, reverted_by, reverted_at "
            "FROM web_corrections WHERE doc_id = ? ORDER BY id",
            (doc_id,),
        ).fetchall()
        return [Correction(*r) for r in rows]

    def revert(self, doc_id: int, target: str, user: str) -> None:
        """Mark the target's standing corrections as reverted (the history keeps them)."""
        self._q(
            "UPDATE web_corrections SET reverted_by = ?, reverted_at = ? "
            "WHERE doc_id = ? AND target = ? AND reverted_at IS NULL",
            (user, now(), doc_id, target),
        )

    # -- upload batches ------------------------------------------------------------------------------
    def add_batch(self, user_name: str, folder: str, files: list[NewFile]) -> int:
        """A batch and its files in one transaction."""
        with self.archive.transaction():
            batch_id = self._insert(
                "INSERT INTO web_batches (user_name, folder, state, created_at) VALUES (?, ?, 'queued', ?)",
                (user_name, folder, now()),
            )
            for f in files:
                self._q(
                    "INSERT INTO web_batch_files (batch_id, name, stored, size, sha256, status, reason, doc_id, pages) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0)",
                    (batch_id, *f),
                )
        return batch_id

    def batch(self, batch_id: int) -> Batch | None:
        row = self._q(
            "SELECT id, user_name, folder, state, created_at, finished_at, pages_done, pages_total FROM web_batches "
            "WHERE id = ?",
            (batch_id,),
        ).fetchone()
        return Batch(*row) if row else None

    def batches(self, user_name: str | None = None, limit: int = 50) -> list[Batch]:
        """Newest first; ``user_name`` limits them to one uploader's."""
        cond, params = ("WHERE user_name = ? ", (user_name,)) if user_name is not None else ("", ())
        rows = self._q(
            "SELECT id, user_name, folder, state, created_at, finished_at, pages_done, pages_total FROM web_batches "
            f"{cond}ORDER BY id DESC LIMIT ?",
            (*params, limit),
        ).fetchall()
        return [Batch(*r) for r in rows]

    def unfinished_batches(self) -> list[int]:
        rows = self._q("SELECT id FROM web_batches WHERE state <> 'done' ORDER BY id").fetchall()
        return [int(r[0]) for r in rows]

    def batch_files(self, batch_id: int) -> list[BatchFile]:
        rows = self._q(
            "SELECT id, batch_id, name, stored, size, sha256, status, reason, doc_id, pages FROM web_batch_files "
            "WHERE batch_id = ? ORDER BY id",
            (batch_id,),
        ).fetchall()
        return [BatchFile(*r) for r in rows]

    def set_batch_state(self, batch_id: int, state: str) -> None:
        finished = now() if state == "done" else None
        self._q("UPDATE web_batches SET state = ?, finished_at = ? WHERE id = ?", (state, finished, batch_id))

    def set_progress(self, batch_id: int, done: int, total: int) -> None:
        self._q("UPDATE web_batches SET pages_done = ?, pages_total = ? WHERE id = ?", (done, total, batch_id))

    def set_file_outcome(self, file_id: int, status: str, reason: str, doc_id: int | None, pages: int) -> None:
        self._q(
            "UPDATE web_batch_files SET status = ?, reason = ?, doc_id = ?, pages = ? WHERE id = ?",
            (status, reason, doc_id, pages, file_id),
        )
