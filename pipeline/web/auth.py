"""Passwords, tokens, signed session cookies, CSRF tokens and login throttling.

Passwords are hashed with argon2id (argon2-cffi's RFC 9106 low-memory profile: 64 MiB, 3 passes),
and a login for an unknown name still verifies against a dummy hash so both take as long. A
session is a random 256-bit id: the browser holds it signed (itsdangerous, with the archive's
secret) in an HttpOnly, SameSite cookie; the archive holds its SHA-256, the user and the
session's CSRF token, which every form posts back. Before login a signed random cookie stands in
for the session's token (double submit), so the login form is protected too.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import secrets
import threading
import time
from collections import deque
from collections.abc import Callable

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from itsdangerous import BadSignature, TimestampSigner

from pipeline.web.access import CLEARANCES, ROLES
from pipeline.web.store import User, WebStore

SESSION_COOKIE = "vanban_session"
LOGIN_COOKIE = "vanban_login"  # pre-login CSRF token
SESSION_HOURS = 12

_hasher = PasswordHasher()
_DUMMY = _hasher.hash(secrets.token_hex(16))


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def check_password(user: User | None, password: str) -> bool:
    """Constant work whether or not the user exists."""
    try:
        return _hasher.verify(user.password if user else _DUMMY, password) and user is not None
    except (VerificationError, InvalidHashError):
        return False


def new_token() -> str:
    return secrets.token_urlsafe(32)


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def same(a: str | None, b: str | None) -> bool:
    return a is not None and b is not None and hmac.compare_digest(a.encode(), b.encode())


def add_user(store: WebStore, name: str, role: str, clearance: str, password: str) -> User:
    """Create or update an account; ValueError with the reason for a bad name, role, clearance or password."""
    name = name.strip()
    if not name or len(name) > 64 or any(c.isspace() or not c.isprintable() for c in name):
        raise ValueError("a user name is 1 to 64 printable characters without spaces")
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    if clearance not in CLEARANCES:
        raise ValueError(f"clearance must be one of {', '.join(CLEARANCES)}")
    if len(password) < 8:
        raise ValueError("the password must have at least 8 characters")
    return store.add_user(name, role, clearance, hash_password(password))


def issue_token(store: WebStore, user: User, kind: str, replace: bool = False) -> str:
    """A new token of ``kind`` ("api" or "feed") for the user; only its digest is stored."""
    token = new_token()
    store.add_token(user.id, kind, digest(token), replace=replace)
    return token


class Sessions:
    """Session and pre-login cookies signed with the archive's secret."""

    def __init__(self, secret: str) -> None:
        self.signer = TimestampSigner(secret, salt="vanban-session")
        self.max_age = SESSION_HOURS * 3600

    def sign(self, value: str) -> str:
        return self.signer.sign(value).decode()

    def unsign(self, cookie: str | None) -> str | None:
        """The value of a cookie this server signed within the session lifetime, else None."""
        if not cookie:
            return None
        try:
            return self.signer.unsign(cookie, max_age=self.max_age).decode()
        except (BadSignature, UnicodeDecodeError):
            return None


class LoginThrottle:
    """At most ``limit`` failed logins per ``window`` seconds for one user name, and ``limit * 4``
    from one client address; past that, logins answer "try again in N s" without checking the
    password. Kept in memory: a restart forgets it, which only gives an attacker one more round."""

    def __init__(self, limit: int = 5, window: float = 900.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = limit
        self.window = window
        self.clock = clock
        self.failures: dict[str, deque[float]] = {}
        self.lock = threading.Lock()

    def _keys(self, name: str, client: str) -> list[tuple[str, int]]:
        return [(f"user:{name.strip().lower()}", self.limit), (f"addr:{client}", self.limit * 4)]

    def retry_after(self, name: str, client: str) -> int:
        """Seconds until a login for ``name`` from ``client`` is checked again (0: now)."""
        now = self.clock()
        wait = 0.0
        with self.lock:
            for key, limit in self._keys(name, client):
                times = self.failures.get(key)
                if not times:
                    continue
                while times and times[0] <= now - self.window:
                    times.popleft()
                if len(times) >= limit:
                    wait = max(wait, times[0] + self.window - now)
        return math.ceil(wait)

    def failed(self, name: str, client: str) -> None:
        now = self.clock()
        with self.lock:
            for key, _ in self._keys(name, client):
                self.failures.setdefault(key, deque()).append(now)

    def succeeded(self, name: str) -> None:
        with self.lock:
            self.failures.pop(f"user:{name.strip().lower()}", None)
