"""Passwords, bearer tokens, API keys, the client's address and sign-in throttling.

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
import ipaddress
import secrets
import time
from collections.abc import Sequence
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import case, delete, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from matcher_service.models import LoginFailures

__all__ = [
    "API_KEY_PREFIX",
    "SignInKeys",
    "SignInThrottle",
    "client_address",
    "hash_password",
    "new_api_key",
    "new_token",
    "token_digest",
    "trusted_networks",
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


Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def client_address(peer: str | None, forwarded_for: str | None, trusted: Sequence[Network]) -> str:
    """The client's address: the connection's peer, or, when the peer is a trusted proxy, the
    last address of ``X-Forwarded-For`` that is not one (each proxy appends the address it saw).

    Examples
    --------
    >>> proxies = trusted_networks(["10.0.0.0/8"])
    >>> client_address("203.0.113.7", "198.51.100.1", proxies)  # not a proxy: the header is ignored
    '203.0.113.7'
    >>> client_address("10.0.0.2", "198.51.100.1, 203.0.113.9, 10.0.0.5", proxies)
    '203.0.113.9'
    >>> client_address("127.0.0.1", "198.51.100.1", trusted_networks([]))
    '127.0.0.1'
    """
    address = peer or "unknown"
    if not forwarded_for or not _is_trusted(address, trusted):
        return address
    for hop in reversed([h.strip() for h in forwarded_for.split(",") if h.strip()]):
        address = hop[:64]
        if not _is_trusted(address, trusted):
            return address
    return address


def trusted_networks(proxies: Sequence[str]) -> tuple[Network, ...]:
    """The networks of the trusted proxies' addresses (a single address is a network of one)."""
    return tuple(ipaddress.ip_network(p, strict=False) for p in proxies)


def _is_trusted(address: str, trusted: Sequence[Network]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in trusted)


def _counted_address(address: str) -> str:
    """The address failures are counted under.

    Examples
    --------
    >>> _counted_address("2001:db8:1:2:3:4:5:6"), _counted_address("::ffff:192.0.2.1")
    ('2001:db8:1:2::/64', '192.0.2.1')
    >>> _counted_address("192.0.2.1"), _counted_address("testclient")
    ('192.0.2.1', 'testclient')
    """
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


@dataclass(frozen=True)
class SignInKeys:
    """The digests failed sign-ins are counted under: the user name at the address, the
    address, the user name."""

    pair: str
    address: str
    user: str


class SignInThrottle:
    """Failed sign-ins, counted in the database (table ``login_failures``) so that every
    process of the service sees the same counts.

    Three counts, each over a window of ``window`` seconds from its first failure:

    - one user name from one address: ``attempts`` failures lock that pair out (429) for the
      rest of the window; the same user name from another address is not held back;
    - one address, all user names: ``address_attempts`` failures lock the address out;
    - one user name, all addresses: past ``user_attempts`` failures an address that failed
      for the user name waits ``slowdown`` seconds after its last failure; an address that
      never failed is never held back, so no one can lock a user out from elsewhere.

    An attempt is counted before the password is checked and given back when it was right, so
    attempts sent at once cannot pass the limit together. Keys are digests keyed by the
    service's secret (a user name of any length takes 64 characters; no name typed is stored),
    and rows are dropped when their window is over.
    """

    def __init__(
        self,
        secret: str,
        *,
        attempts: int,
        window: float,
        address_attempts: int,
        user_attempts: int,
        slowdown: float,
    ) -> None:
        self.secret = secret
        self.attempts = attempts
        self.window = window
        self.address_attempts = address_attempts
        self.user_attempts = user_attempts
        self.slowdown = slowdown

    def keys(self, username: str, address: str) -> SignInKeys:
        """The keys of a sign-in (a user name is cut at 256 characters: none is that long).

        An IPv6 address counts as its /64 network, which one client gets whole.
        """
        name = username[:256]
        address = _counted_address(address)
        return SignInKeys(
            pair=token_digest(f"pair\0{name}\0{address}", self.secret),
            address=token_digest(f"address\0{address}", self.secret),
            user=token_digest(f"user\0{name}", self.secret),
        )

    def wait(self, session: Session, keys: SignInKeys, now: float | None = None) -> float:
        """Seconds until this sign-in may be tried (0 when it may be now)."""
        now = time.time() if now is None else now
        t = LoginFailures
        rows = session.execute(
            select(t.key, t.failures, t.first_at, t.last_at).where(
                t.key.in_((keys.pair, keys.address, keys.user)), t.first_at > now - self.window
            )
        ).all()
        found = {key: (failures, first, last) for key, failures, first, last in rows}
        waits = [0.0]
        pair, address, user = (found.get(k) for k in (keys.pair, keys.address, keys.user))
        if pair is not None and pair[0] >= self.attempts:
            waits.append(pair[1] + self.window - now)
        if address is not None and address[0] >= self.address_attempts:
            waits.append(address[1] + self.window - now)
        if user is not None and user[0] >= self.user_attempts and pair is not None and pair[0] > 0:
            waits.append(pair[2] + self.slowdown - now)
        return max(waits)

    def charge(self, session: Session, keys: SignInKeys, now: float | None = None) -> bool:
        """Count an attempt under every key (in the caller's transaction); whether it stays
        within the limits of the pair and the address (attempts sent at once may overrun them)."""
        now = time.time() if now is None else now
        session.execute(delete(LoginFailures).where(LoginFailures.first_at <= now - self.window))
        dialect = session.get_bind().dialect.name
        insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
        counts = {}
        for key in (keys.pair, keys.address, keys.user):
            stmt = insert(LoginFailures).values(key=key, failures=1, first_at=now, last_at=now)
            expired = stmt.excluded.first_at - self.window >= LoginFailures.first_at
            stmt = stmt.on_conflict_do_update(
                index_elements=[LoginFailures.key],
                set_={
                    "failures": case((expired, 1), else_=LoginFailures.failures + 1),
                    "first_at": case((expired, stmt.excluded.first_at), else_=LoginFailures.first_at),
                    "last_at": stmt.excluded.last_at,
                },
            )
            counts[key] = session.execute(stmt.returning(LoginFailures.failures)).scalar_one()
        return counts[keys.pair] <= self.attempts and counts[keys.address] <= self.address_attempts

    def succeeded(self, session: Session, keys: SignInKeys) -> None:
        """Give back the attempt of a sign-in that was right, and forget the pair's failures."""
        session.execute(delete(LoginFailures).where(LoginFailures.key == keys.pair))
        for key in (keys.address, keys.user):  # rows taken in the order charge() takes them
            session.execute(
                update(LoginFailures)
                .where(LoginFailures.key == key, LoginFailures.failures > 0)
                .values(failures=LoginFailures.failures - 1)
            )
