"""How a route runs: its synchronous handler and the end of its session in one worker thread,
and, for reads of cluster data, answers kept per version of the data.

FastAPI runs a synchronous handler in a worker thread, then validates its
answer in another, and :func:`matcher_service.auth.get_session` closes the session in
a third: each hand-over between the event loop and a thread costs a wake-up of
both. Every router of the service uses :class:`Route`, which wraps a
synchronous handler in a coroutine that runs it, and closes its session, in
one hand-over; FastAPI then validates the answer (a model already built) on
the loop.

A read whose answer depends only on the cluster data, the caller's scope and
the request's address is declared with :func:`kept_per_data_version`: its
answers (body and headers) are kept in the process, keyed by the data version
read with the caller's credential (``matcher_service.auth``), the caller's scope and the
address, and given again until a write bumps the version. Every process reads
the version on each request, so a change made through any of them is seen by
all at once.

Examples
--------
>>> from fastapi import APIRouter
>>> router = APIRouter(route_class=Route)
>>> @router.get("/two")
... def two() -> int:
...     return 2
>>> import inspect
>>> inspect.iscoroutinefunction(router.routes[0].endpoint), router.routes[0].endpoint.__wrapped__ is two
(True, True)
"""

from __future__ import annotations

import functools
import inspect
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

from fastapi import Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.routing import APIRoute, serialize_response
from sqlalchemy.orm import Session

__all__ = ["Answers", "Route", "in_thread", "kept_per_data_version"]

#: Marks a handler whose answers may be kept per data version.
_KEPT = "__kept_per_data_version__"


def kept_per_data_version(handler: Callable[..., Any]) -> Callable[..., Any]:
    """Declare that ``handler``'s successful answers depend only on the cluster data (whose every
    write bumps the data version), the caller's scope and the request's path and query."""
    setattr(handler, _KEPT, True)
    return handler


class Answers:
    """Answers kept per data version: an LRU bounded in bytes (``limit``), one per process and database.

    Examples
    --------
    >>> answers = Answers(limit=64)  # answers of up to 8 bytes are kept, 64 bytes in all
    >>> for name in "abcdefgh":
    ...     answers.put(name, (200, [], b"12345678"))
    >>> answers.get("a") is not None  # "a" is now the most recently used
    True
    >>> answers.put("i", (200, [], b"12345678"))  # over 64 bytes: the least recently used goes
    >>> answers.get("b") is None, answers.get("a") is not None
    (True, True)
    >>> answers.put("big", (200, [], b"123456789"))  # above an eighth of the limit: not kept
    >>> answers.get("big") is None
    True
    """

    def __init__(self, limit: int = 32 * 2**20) -> None:
        self.limit = limit
        self._items: OrderedDict[Hashable, tuple[int, list, bytes]] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> tuple[int, list, bytes] | None:
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
            return found

    def put(self, key: Hashable, answer: tuple[int, list, bytes]) -> None:
        size = len(answer[2])
        if size > self.limit // 8:  # too large to keep
            return
        with self._lock:
            if key in self._items:
                self._size -= len(self._items.pop(key)[2])
            self._items[key] = answer
            self._size += size
            while self._size > self.limit:
                self._size -= len(self._items.popitem(last=False)[1][2])


def _run_and_close(handler: Callable[..., Any], arguments: dict[str, Any]) -> Any:
    try:
        return handler(**arguments)
    finally:
        # The answer is built (models, not rows): the session's transaction ends here, in this thread.
        for value in arguments.values():
            if isinstance(value, Session):
                value.close()


def in_thread(handler: Callable[..., Any]) -> Callable[..., Any]:
    """A coroutine that runs the synchronous ``handler`` in a worker thread and then closes the
    sessions it was given; FastAPI reads the handler's signature through ``__wrapped__``."""

    @functools.wraps(handler)
    async def run(**arguments: Any) -> Any:
        return await run_in_threadpool(_run_and_close, handler, arguments)

    return run


#: The name under which a kept route's wrapper receives the request.
_REQUEST = "_kept_request"


def _answer_key(request: Request, session: Session) -> Hashable | None:
    """What an answer is kept under; None when the data version was not read (no credential)."""
    version = session.info.get("data_version")
    principal = getattr(request.state, "principal", None)
    if version is None or principal is None:
        return None
    scope = (
        principal.user_id,
        principal.role,
        principal.territories,
        principal.organization_id,
        principal.firm_id,
    )
    return version, scope, request.url.path, request.url.query, request.headers.get("accept-language")


def _kept(handler: Callable[..., Any], route: APIRoute) -> Callable[..., Any]:
    """:func:`in_thread`, with the answers kept in ``request.app.state.answers``."""
    signature = inspect.signature(handler)
    extra = inspect.Parameter(_REQUEST, inspect.Parameter.KEYWORD_ONLY, annotation=Request)

    @functools.wraps(handler)
    async def run(**arguments: Any) -> Any:
        request: Request = arguments.pop(_REQUEST)
        session = next((v for v in arguments.values() if isinstance(v, Session)), None)
        answers: Answers | None = getattr(request.app.state, "answers", None)
        key = _answer_key(request, session) if session is not None and answers is not None else None
        found = answers.get(key) if key is not None else None
        if found is not None:  # the session ends in get_session, as for any other route
            status, headers, body = found
            response = Response(content=body, status_code=status, media_type="application/json")
            response.headers.raw.extend(headers)
            return response
        result = await run_in_threadpool(_run_and_close, handler, arguments)
        sub = next((v for v in arguments.values() if isinstance(v, Response)), None)
        body = await serialize_response(
            field=route.response_field, response_content=result, is_coroutine=True, dump_json=True
        )
        status = (sub.status_code if sub is not None else None) or route.status_code or 200
        headers = [(k, v) for k, v in (sub.headers.raw if sub is not None else []) if k != b"content-length"]
        if key is not None:
            answers.put(key, (status, headers, body))
        response = Response(content=body, status_code=status, media_type="application/json")
        response.headers.raw.extend(headers)
        return response

    run.__signature__ = signature.replace(parameters=[*signature.parameters.values(), extra])  # type: ignore[attr-defined]
    return run


class Route(APIRoute):
    """An API route whose synchronous handler runs through :func:`in_thread` (or keeps its answers
    per data version when declared with :func:`kept_per_data_version`)."""

    #: Whether the route only reads (its answers are kept per data version).
    reads_only: bool = False

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        if getattr(endpoint, _KEPT, False):
            self.reads_only = True
            endpoint = _kept(endpoint, self)
        elif not inspect.iscoroutinefunction(endpoint):
            endpoint = in_thread(endpoint)
        super().__init__(path, endpoint, **kwargs)
