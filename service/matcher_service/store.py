"""What every resource route shares: commit, audit, pages, ETags and idempotent creates.

Headers carry ASCII only (HTTP sends them as Latin-1 at most), whatever an id
holds: an ETag and a ``Location`` carry the id percent-encoded as UTF-8, and a
``Content-Disposition`` names the file as RFC 8187 says, beside an ASCII
fallback.

Examples
--------
>>> etag_of("W1", 3), etag_of("Pedido-Ñeʼẽ", 1)
('"W1.3"', '"Pedido-%C3%91e%CA%BC%E1%BA%BD.1"')
>>> version_from_etag('"W1.3"', "W1"), version_from_etag('W/"W1.3"', "W1"), version_from_etag('"x"', "W1")
(3, 3, None)
>>> version_from_etag(etag_of("Ñ, 1", 2), "Ñ, 1")
2
>>> location("/orders", "Pedido-Ñeʼẽ")
'/orders/Pedido-%C3%91e%CA%BC%E1%BA%BD'
>>> content_disposition("cluster.xlsx")
'attachment; filename="cluster.xlsx"'
>>> print(content_disposition("cluster-Itá.zip"))
attachment; filename="cluster-Ita.zip"; filename*=UTF-8''cluster-It%C3%A1.zip
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import time
import unicodedata
from collections.abc import Callable, Hashable, Iterable, Sequence
from typing import Annotated, Any, Generic, TypeVar
from urllib.parse import quote

from fastapi import Depends, Path, Query, Request, Response
from fastapi.encoders import jsonable_encoder
from pydantic import BaseModel
from sqlalchemy import ColumnElement, Select, String, any_, bindparam, cast, func, inspect, select
from sqlalchemy.dialects import postgresql
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from matcher_service.cache import LruCache
from matcher_service.db import bump_data_version
from matcher_service.errors import Conflict, PreconditionFailed, PreconditionRequired, Unprocessable, detail
from matcher_service.models import AuditEntry, IdempotencyRecord
from matcher_service.roles import Principal

__all__ = [
    "MAX_OFFSET",
    "MAX_ROW_ID",
    "MAX_SEED",
    "Page",
    "PageParams",
    "Paging",
    "RowId",
    "audit",
    "check_version",
    "commit",
    "content_disposition",
    "etag_of",
    "idempotent_create",
    "location",
    "one_of",
    "page_of",
    "page_params",
    "text_array",
    "version_from_etag",
]

T = TypeVar("T")

log = logging.getLogger("matcher.service")


def commit(session: Session, *, what: str = "the object") -> None:
    """Commit the request's work; a concurrent change becomes 412, a clash of keys 409.

    ``what`` names the object in the log (the answer says it in the caller's language, without it).
    """
    try:
        session.commit()
    except StaleDataError:
        session.rollback()
        raise PreconditionFailed("version.changed") from None
    except IntegrityError as exc:
        session.rollback()
        reason = str(getattr(exc, "orig", exc)).splitlines()[0][:200]
        log.info("%s clashes with existing data: %s", what, reason)
        raise Conflict("error.clash") from None


def audit(
    session: Session,
    principal: Principal | None,
    action: str,
    entity: str,
    entity_id: str | None,
    detail: dict[str, Any] | None = None,
    *,
    data: bool = True,
) -> None:
    """Record a change (who, when, what) in the caller's transaction.

    ``data`` marks a change of the cluster data, which invalidates cached
    snapshots of it.
    """
    session.add(
        AuditEntry(
            user_id=principal.user_id if principal else None,
            username=principal.username if principal else None,
            action=action,
            entity=entity,
            entity_id=entity_id,
            detail=jsonable_encoder(detail or {}),
        )
    )
    if data:
        bump_data_version(session)


# ---------------------------------------------------------------- pages


#: The largest ``offset`` a page may start at (any more is past every table's end).
MAX_OFFSET = 1_000_000_000
#: The largest seed a query may give (seeds are unsigned 32-bit numbers).
MAX_SEED = 2**32 - 1
#: The largest number a table gives a row (a 32-bit integer key).
MAX_ROW_ID = 2**31 - 1
#: A path parameter naming a numbered row: beyond what any table holds is refused (422), never looked up.
RowId = Annotated[int, Path(ge=1, le=MAX_ROW_ID, description="Number of the row.")]


class PageParams:
    """Where a page starts (``offset``) and how many items it holds (``limit``)."""

    def __init__(self, limit: int, offset: int) -> None:
        self.limit = limit
        self.offset = offset


async def page_params(
    request: Request,
    limit: Annotated[int | None, Query(ge=1, description="Items per page (bounded by the server).")] = None,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Items to skip.")] = 0,
) -> PageParams:
    """``limit`` / ``offset`` query parameters, bounded by the settings (a coroutine: no thread)."""
    settings = request.app.state.settings
    if limit is not None and limit > settings.max_page_size:
        raise Unprocessable(
            "limit.page",
            limit=limit,
            largest=settings.max_page_size,
            details=[detail("limit", "limit.at_most", where="query", largest=settings.max_page_size)],
        )
    return PageParams(limit or settings.default_page_size, offset)


#: A route's page parameters (``page: Paging``).
Paging = Annotated[PageParams, Depends(page_params)]


class Page(BaseModel, Generic[T]):
    """One page of a list, with the total count of matching items."""

    items: list[T]
    total: int
    limit: int
    offset: int


def text_array(values: Iterable[str]) -> ColumnElement[Any]:
    """A PostgreSQL ``varchar[]`` of ``values``, written into the statement when it runs.

    As a literal, not a parameter: a statement the driver prepares is planned
    once for any parameters, yet a scope of one territory and one of eighty
    want different plans (a generic plan sorted 20,000 rows for a page that the
    right one reads off an index). Each scope is then its own statement, planned
    for its values. SQLAlchemy quotes the values.

    Examples
    --------
    >>> from sqlalchemy import select
    >>> from sqlalchemy.dialects import postgresql
    >>> query = select(text_array(["Itá", "it's"]))
    >>> print(query.compile(dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True}))
    SELECT CAST(ARRAY['Itá', 'it''s'] AS VARCHAR[]) AS anon_1
    """
    literal = bindparam(None, [str(v) for v in values], type_=postgresql.ARRAY(String), literal_execute=True)
    return cast(literal, postgresql.ARRAY(String))  # typed, so that an empty array is one too


def one_of(session: Session, column: Any, values: Iterable[str]) -> ColumnElement[bool]:
    """``column IN values`` (text) with one bound parameter, however many the values.

    An ``IN`` list binds each value apart: a coordinator of 80 territories sends
    80 parameters, and the statement is rendered, parsed and planned anew for
    each length. One array (PostgreSQL, ``= ANY``) or one JSON text (SQLite,
    ``json_each``) keeps a single statement that every cache along the way reuses.
    """
    values = [str(v) for v in values]
    if session.get_bind().dialect.name == "postgresql":
        return column == any_(text_array(values))
    each = func.json_each(bindparam(None, json.dumps(values), type_=String)).table_valued("value")
    return column.in_(select(each.c.value))


def _frozen(value: Any) -> Hashable:
    if isinstance(value, list | tuple):
        return tuple(_frozen(v) for v in value)
    if isinstance(value, dict):
        return tuple(sorted((k, _frozen(v)) for k, v in value.items()))
    return value


def _total_key(session: Session, query: Select) -> Hashable | None:
    """What a query's total is cached under: the data version read with the caller's credential
    (``matcher_service.auth``) and the statement with its parameters; None when uncacheable."""
    version = session.info.get("data_version")
    key = query._generate_cache_key()  # SQLAlchemy's own statement key (its compiled cache uses it)
    if version is None or key is None:
        return None
    try:
        return version, key.key, tuple(_frozen(b.effective_value) for b in key.bindparams)
    except TypeError:  # a parameter that cannot be hashed: count it
        return None


#: Pages starting within this many rows are read in one query; deeper ones find their keys first.
SHALLOW = 200


def page_of(
    session: Session,
    query: Select,
    page: PageParams,
    convert: Callable[[Any], T],
    order_by: Sequence[Any],
    *,
    cluster_data: bool = False,
) -> Page[T]:
    """Run ``query`` for one page (stable order) and count every match.

    ``query`` selects one entity (``convert`` gets ORM objects) or columns of
    one entity, its primary key among them (``convert`` gets rows, which cost
    a fraction of an object to read).

    A page near the start is read in one query; a deeper one is found on the
    primary key alone, then its rows are read, so a deep page does not drag
    every skipped row through the sort. A page that ends before ``limit``
    items gives the total itself; otherwise the matches are counted, and when
    ``cluster_data`` says the query reads only cluster data (workshops, ties,
    orders), whose every write bumps the data version, the count is kept for
    that version of the data (in the session's ``info["totals"]``, a
    :class:`matcher_service.cache.LruCache` the service gives every session) instead of
    repeated on every request.
    """
    described = query.column_descriptions
    entity = described[0].get("entity") if described else None
    mapper = inspect(entity) if entity is not None else None
    keys = mapper.primary_key if mapper is not None else ()
    whole = len(described) == 1 and described[0].get("expr") is entity  # rows are ORM objects

    def rows_of(statement: Select) -> list[Any]:
        result = session.execute(statement)
        return list(result.scalars() if whole else result)

    ordered = query.order_by(*order_by).limit(page.limit).offset(page.offset)
    if len(keys) != 1 or page.offset < SHALLOW:
        rows = rows_of(ordered)
        matched = len(rows)
    else:
        key_column = keys[0]
        ids = list(session.scalars(ordered.with_only_columns(key_column)))
        matched = len(ids)
        name = mapper.get_property_by_column(key_column).key
        # The page's rows by key (the query's own filters again: they hold for these keys).
        found = {getattr(r, name): r for r in rows_of(query.where(key_column.in_(ids)))} if ids else {}
        rows = [found[i] for i in ids if i in found]
    if matched < page.limit and (matched or page.offset == 0):
        total = page.offset + matched  # the page holds the last match
    else:

        def count() -> int:
            return session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0

        totals: LruCache | None = session.info.get("totals") if cluster_data else None
        cache_key = _total_key(session, query) if totals is not None else None
        total = totals.get(cache_key, count) if cache_key is not None else count()
    return Page(items=[convert(r) for r in rows], total=total, limit=page.limit, offset=page.offset)


# ---------------------------------------------------------------- versions


#: What an ETag keeps of an id as it is: visible ASCII but the quote, the percent sign (the escape)
#: and the comma (which separates the ETags of an If-Match).
_ETAG_SAFE = "".join(chr(c) for c in range(0x21, 0x7F) if chr(c) not in '"%,')


def etag_of(key: str, version: int) -> str:
    """The strong ETag of version ``version`` of object ``key`` (ASCII: the key percent-encoded)."""
    return f'"{quote(key, safe=_ETAG_SAFE)}.{version}"'


def version_from_etag(value: str, key: str) -> int | None:
    """The version an If-Match value names for ``key`` (None when it names another object)."""
    value = value.strip()
    if value.startswith("W/"):
        value = value[2:]
    value = value.strip('"')
    head, _, tail = value.rpartition(".")
    if head not in (quote(key, safe=_ETAG_SAFE), key) or not tail.isdigit():
        return None
    return int(tail)


def location(collection: str, object_id: str | int) -> str:
    """The address of one object of ``collection``, its id percent-encoded (a ``Location`` header)."""
    return f"{collection}/{quote(str(object_id), safe='')}"


def content_disposition(filename: str) -> str:
    """An attachment's ``Content-Disposition``: an ASCII ``filename`` and, when the name is not
    plain ASCII, its UTF-8 form as ``filename*`` (RFC 6266 and RFC 8187)."""
    # Accents dropped (Itá: Ita), any other character not plain ASCII, a quote or a backslash as "_".
    letters = "".join(c for c in unicodedata.normalize("NFKD", filename) if not unicodedata.combining(c))
    plain = re.sub(r'[^\x20-\x7e]|["\\;]', "_", letters).strip() or "download"
    if plain == filename:
        return f'attachment; filename="{plain}"'
    return f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(filename, safe='')}"


def check_version(request: Request, key: str, current: int, body_version: int | None = None) -> None:
    """Refuse a write made without knowing the current version (428), or against an older one.

    A stale ``If-Match`` gives 412; a stale ``version`` in the body gives 409.
    """
    header = request.headers.get("if-match")
    if header is None and body_version is None:
        raise PreconditionRequired("version.required")
    if header is not None:
        if header.strip() == "*":
            return
        asked = [version_from_etag(v, key) for v in header.split(",")]
        if current not in asked:
            raise PreconditionFailed("version.stale", key=key, current=current)
    elif body_version != current:
        raise Conflict("version.mismatch", key=key, current=current, sent=body_version)


def set_etag(response: Response, key: str, version: int) -> None:
    """Put the object's ETag on the response."""
    response.headers["ETag"] = etag_of(key, version)


# ---------------------------------------------------------------- idempotency


def _fingerprint(request: Request, payload: Any) -> str:
    blob = json.dumps(
        [request.method, request.url.path, jsonable_encoder(payload)], sort_keys=True, separators=(",", ":")
    )
    return hashlib.sha256(blob.encode()).hexdigest()


def idempotent_create(
    request: Request,
    response: Response,
    session: Session,
    principal: Principal,
    payload: Any,
    create: Callable[[], tuple[Any, dict[str, str]]],
    *,
    what: str,
) -> Any:
    """Run ``create`` once per ``Idempotency-Key``: a repeat returns the first answer.

    ``create`` adds its rows to ``session`` and returns the response body and
    headers; the body is stored beside the key in the same transaction, so a
    repeat after a crash either sees both or neither. The same key with a
    different request is refused (422).

    Requests sent at once race to the database's unique constraints (the key's,
    and those of the one-per rules). The loser reads the winner's stored reply
    when it sent the same key; otherwise ``create`` runs once more, so its own
    check now sees the winner's row and answers the rule's documented 409.
    """
    key = request.headers.get("idempotency-key")
    if key is not None and not 1 <= len(key) <= 128:
        raise Unprocessable("idempotency.length")
    fingerprint = _fingerprint(request, payload) if key is not None else ""
    for last in (False, True):
        if key is not None:
            found = session.get(IdempotencyRecord, (principal.user_id, key))
            if found is not None:
                return _replay(response, found, fingerprint)
        try:
            body, headers = create()
            if key is not None:
                body = jsonable_encoder(body)
                session.add(
                    IdempotencyRecord(
                        user_id=principal.user_id,
                        key=key,
                        fingerprint=fingerprint,
                        status_code=response.status_code or 201,
                        body=body,
                        headers=headers,
                    )
                )
            session.flush()
        except IntegrityError as exc:
            session.rollback()
            if last:
                reason = str(getattr(exc, "orig", exc)).splitlines()[0][:200]
                log.info("%s clashes with existing data: %s", what, reason)
                raise Conflict("error.clash") from None
            continue
        except Conflict:
            # The rule's check saw a row committed since the key was looked up: the same request's?
            if key is None:
                raise
            session.rollback()
            found = _stored_reply(session, principal.user_id, key)
            if found is None:
                raise
            return _replay(response, found, fingerprint)
        commit(session, what=what)
        response.headers.update(headers)
        return body
    raise AssertionError("unreachable")  # pragma: no cover - the loop returns or raises


def _stored_reply(
    session: Session, user_id: int, key: str, *, seconds: float = 1.0
) -> IdempotencyRecord | None:
    """The reply stored under a key, waiting a little for a request committing it."""
    deadline = time.monotonic() + seconds
    while True:
        found = session.get(IdempotencyRecord, (user_id, key), populate_existing=True)
        if found is not None or time.monotonic() >= deadline:
            return found
        session.rollback()
        time.sleep(0.02)


def _replay(response: Response, found: IdempotencyRecord, fingerprint: str) -> Any:
    """The stored reply of a key (422 when the key was used for another request)."""
    if found.fingerprint != fingerprint:
        raise Unprocessable("idempotency.reused")
    response.status_code = found.status_code
    response.headers.update(found.headers or {})
    response.headers["Idempotent-Replayed"] = "true"
    return found.body
