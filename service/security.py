"""Passwords, bearer tokens, API keys and login throttling.

Passwords are hashed with Argon2id (``argon2-cffi``); tokens and API keys are
random and stored only as an HMAC-SHA256 digest keyed by the service's secret,
so a copy of the database gives no usable credential.

Examples
--------
>>> digest = hash_password("correct horse")
>>> verify_password(digest, "correct horse"), verify_password(digest, "wrong")
(True, False)
>>> len(token_digest("abc", "secret"))
64
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from collections import deque

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

__all__ = [
    "API_KEY_PREFIX",
    "LoginThrottle",
    "hash_password",
    "new_api_key",
    "new_token",
    "token_digest",
    "verify_password",
]

API_KEY_PREFIX = "mk_"
_HASHER = PasswordHasher()
# A valid hash to verify against when the user does not exist, so both cases take as long.
_DUMMY = _HASHER.hash("not-a-password")


def hash_password(password: str) -> str:
    """The Argon2id hash of ``password``."""
    return _HASHER.hash(password)


def verify_password(stored: str | None, password: str) -> bool:
    """Whether ``password`` matches ``stored`` (constant work when ``stored`` is None)."""
    try:
        return _HASHER.verify(stored or _DUMMY, password) and stored is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def token_digest(token: str, secret: str) -> str:
    """The keyed digest under which a token or API key is stored."""
    return hmac.new(secret.encode(), token.encode(), hashlib.sha256).hexdigest()


def new_token() -> str:
    """A new random bearer token."""
    return secrets.token_urlsafe(32)


def new_api_key() -> str:
    """A new random API key (recognisable by its ``mk_`` prefix)."""
    return API_KEY_PREFIX + secrets.token_urlsafe(32)


class LoginThrottle:
    """Counts failed logins per key within a sliding window.

    Examples
    --------
    >>> t = LoginThrottle(attempts=2, window=60)
    >>> t.blocked("ana"), t.fail("ana"), t.fail("ana"), t.blocked("ana") > 0
    (0.0, None, None, True)
    >>> t.reset("ana"); t.blocked("ana")
    0.0
    """

    def __init__(self, attempts: int, window: float) -> None:
        self.attempts = attempts
        self.window = window
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque[float]:
        failures = self._failures.setdefault(key, deque())
        while failures and failures[0] <= now - self.window:
            failures.popleft()
        return failures

    def blocked(self, key: str) -> float:
        """Seconds until ``key`` may try again (0 when it may now)."""
        now = time.monotonic()
        with self._lock:
            failures = self._recent(key, now)
            if len(failures) < self.attempts:
                return 0.0
            return max(failures[0] + self.window - now, 0.0)

    def fail(self, key: str) -> None:
        """Record a failed attempt."""
        now = time.monotonic()
        with self._lock:
            self._recent(key, now).append(now)

    def reset(self, key: str) -> None:
        """Forget the failures of ``key`` (after a successful login)."""
        with self._lock:
            self._failures.pop(key, None)
