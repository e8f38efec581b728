"""Settings of the service, read from ``MATCHER_*`` environment variables (or a ``.env`` file).

Examples
--------
>>> s = Settings(demo=True)
>>> s.database_url
'sqlite:///matcher.db'
>>> s.max_page_size
200
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache
from typing import Annotated

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from matcher.privacy import DEFAULT_K

__all__ = ["DEMO_SECRET", "Settings", "get_settings"]

#: The secret used in demo mode only; a real deployment must set its own.
DEMO_SECRET = "demo-secret-not-for-production"


class Settings(BaseSettings):
    """Every setting of the service, with its environment variable.

    Parameters
    ----------
    database_url : str
        ``MATCHER_DATABASE_URL``; SQLAlchemy URL. Default: an SQLite file
        ``matcher.db`` in the working directory. PostgreSQL:
        ``postgresql+psycopg://user@127.0.0.1:5432/db``.
    secret_key : str
        ``MATCHER_SECRET_KEY``; keys the digests of tokens and API keys. Required
        unless ``demo`` is on.
    demo : bool
        ``MATCHER_DEMO``; demo mode (a built-in secret, sample data offered).
    token_minutes : int
        Lifetime of a bearer token.
    login_attempts, login_window_seconds : int
        At most this many failed sign-ins for one user name from one client
        address in the window; more get 429 at that address only.
    login_address_attempts : int
        At most this many failed sign-ins from one client address, whatever the
        user names, in the window; more get 429 at that address.
    login_user_attempts, login_slowdown_seconds : int
        Past this many failed sign-ins for one user name from all addresses in
        the window, an address that failed for it waits this many seconds after
        its last failure before it may try again; an address that did not fail
        is never held back.
    trusted_proxies : tuple of str
        ``MATCHER_TRUSTED_PROXIES``; addresses or networks (comma-separated) of
        the reverse proxies whose ``X-Forwarded-For`` names the client. Default:
        none, the client is the address the connection comes from.
    default_page_size, max_page_size : int
        Page sizes of every list.
    max_request_bytes : int
        Largest request body accepted (uploads included); larger gets 413.
    job_workers : int
        ``MATCHER_JOB_WORKERS``; background jobs (matching, mentoring, plans)
        this service process runs at once, each in a worker process of its own
        (or, with ``scheduler``, on the Dask cluster).
    scheduler : str or None
        ``MATCHER_SCHEDULER``; address of a Dask scheduler (``tcp://host:8786``):
        the jobs run on its workers instead of processes of this machine.
        Default: none.
    job_stale_seconds : float
        ``MATCHER_JOB_STALE_SECONDS``; a running job whose service process has
        not been heard from for this long is failed (``job.service_stopped``) by
        another service process.
    job_cancel_seconds : float
        ``MATCHER_JOB_CANCEL_SECONDS``; time a cancelled running job has to stop
        by itself before its worker is stopped.
    max_concurrent_requests : int
        Requests served at once; more wait in line (without holding a
        database connection or a thread).
    shortlist_seconds : float
        Time a shortlist may take to search for groups (singles are always complete).
    k_anonymity : int
        ``MATCHER_K_ANONYMITY``; every workshop profile a lead firm sees fits at
        least this many workshops of the cluster (:mod:`matcher.privacy`). The
        data-governance rule asks for 5 at least, so a smaller value is refused.
    public_summary_seconds : float
        ``MATCHER_PUBLIC_SUMMARY_SECONDS``; the public summary is computed anew
        at most this often (and only when the data changed): the changes of
        that time are published together, so two summaries do not tell one
        change apart (:mod:`matcher_service.routes.public`). 0 recomputes on every change.
    """

    model_config = SettingsConfigDict(env_prefix="MATCHER_", env_file=".env", extra="ignore")

    database_url: str = "sqlite:///matcher.db"
    secret_key: str | None = None
    demo: bool = False
    token_minutes: int = Field(60, ge=1)
    login_attempts: int = Field(5, ge=1)
    login_window_seconds: int = Field(300, ge=1)
    login_address_attempts: int = Field(50, ge=1)
    login_user_attempts: int = Field(100, ge=1)
    login_slowdown_seconds: int = Field(30, ge=1)
    trusted_proxies: Annotated[tuple[str, ...], NoDecode] = ()
    default_page_size: int = Field(50, ge=1)
    max_page_size: int = Field(200, ge=1)
    max_request_bytes: int = Field(20 * 1024 * 1024, ge=1024)
    job_workers: int = Field(1, ge=1)
    scheduler: str | None = None
    job_stale_seconds: float = Field(60.0, ge=5)
    job_cancel_seconds: float = Field(5.0, ge=0)
    max_concurrent_requests: int = Field(8, ge=1, le=200)
    shortlist_seconds: float = Field(0.15, gt=0)
    k_anonymity: int = Field(DEFAULT_K, ge=DEFAULT_K)
    public_summary_seconds: float = Field(3600.0, ge=0)

    @field_validator("trusted_proxies", mode="before")
    @classmethod
    def _proxies(cls, value: object) -> object:
        if isinstance(value, str):
            value = [part for part in value.replace(" ", ",").split(",") if part]
        if isinstance(value, list | tuple):
            for part in value:
                try:
                    ipaddress.ip_network(str(part), strict=False)
                except ValueError:
                    raise ValueError(
                        f"MATCHER_TRUSTED_PROXIES: {part!r} is not an address or a network"
                    ) from None
        return value

    @model_validator(mode="after")
    def _secret(self) -> Settings:
        if not self.secret_key:
            if not self.demo:
                raise ValueError(
                    "MATCHER_SECRET_KEY is not set: set it to a long random string "
                    "(python -c 'import secrets; print(secrets.token_urlsafe(32))'), "
                    "or start in demo mode (matcher serve --demo)"
                )
            self.secret_key = DEMO_SECRET
        if self.default_page_size > self.max_page_size:
            raise ValueError("MATCHER_DEFAULT_PAGE_SIZE must not exceed MATCHER_MAX_PAGE_SIZE")
        return self


@lru_cache
def get_settings() -> Settings:
    """The settings of this process (read once)."""
    return Settings()
