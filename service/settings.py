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

from functools import lru_cache

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

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
        At most this many failed logins per user name (and per client address)
        in the window; more get 429.
    default_page_size, max_page_size : int
        Page sizes of every list.
    max_request_bytes : int
        Largest request body accepted (uploads included); larger gets 413.
    job_workers : int
        Background matching jobs that run at once.
    max_concurrent_requests : int
        Requests served at once; more wait in line (without holding a
        database connection or a thread).
    shortlist_seconds : float
        Time a shortlist may take to search for groups (singles are always complete).
    k_anonymity : int
        ``MATCHER_K_ANONYMITY``; every workshop profile a lead firm sees fits at
        least this many workshops of the cluster (:mod:`matcher.privacy`). The
        data-governance rule asks for 5 at least, so a smaller value is refused.
    """

    model_config = SettingsConfigDict(env_prefix="MATCHER_", env_file=".env", extra="ignore")

    database_url: str = "sqlite:///matcher.db"
    secret_key: str | None = None
    demo: bool = False
    token_minutes: int = Field(60, ge=1)
    login_attempts: int = Field(5, ge=1)
    login_window_seconds: int = Field(300, ge=1)
    default_page_size: int = Field(50, ge=1)
    max_page_size: int = Field(200, ge=1)
    max_request_bytes: int = Field(20 * 1024 * 1024, ge=1024)
    job_workers: int = Field(1, ge=1)
    max_concurrent_requests: int = Field(8, ge=1, le=200)
    shortlist_seconds: float = Field(0.15, gt=0)
    k_anonymity: int = Field(DEFAULT_K, ge=DEFAULT_K)

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
