"""Open to anyone: aggregate counts of the cluster (small cells suppressed) and a health check.

Suppression (the data-governance rule: no public cell with fewer than
:data:`THRESHOLD` workshops):

1. *Primary*: every cell with fewer than 5 workshops is suppressed (its
   workshops and workers are ``null``, ``"suppressed": true``).
2. *Complementary*: the grand totals are published, so within each breakdown
   the suppressed cells together could be recovered by subtraction (total
   minus the shown cells). So whenever a breakdown has a suppressed cell, the
   smallest shown cells are suppressed too until at least two cells are
   suppressed and they hold at least 5 workshops together: subtraction then
   gives only the sum of several cells, itself not a small cell.
3. The totals themselves are suppressed when the whole cluster has fewer than
   5 workshops.

A workshop that makes several products counts once in each of them, so the
product cells may add up to more than the total; they are protected the same way.

Differencing (two summaries taken around a change) is blunted twice:

4. *Refresh granularity*: the summary is computed anew at most once per
   ``public_summary_seconds`` (an hour by default, a setting) and only when
   the data changed in between; every reader gets the same answer until then.
   All the changes of that time are published together, so the difference of
   two summaries is theirs, not one workshop's.
5. *Rounding*: every published count (workshops and workers, cells and
   totals) is rounded to a multiple of :data:`ROUND_TO` (5; halves up), after
   suppression is decided on the exact counts. One workshop added moves a
   count only when it crosses a boundary, so the cells that move are not a
   profile of it.

What is left, by design: a change alone in its refresh window that moves
several counts across their boundaries at once narrows down its attributes;
the rounding makes that the exception, not the rule. Suppressed cells stay
suppressed whatever the rounding.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from matcher_service.auth import allow
from matcher_service.crud.health import database_answers, takes_changes
from matcher_service.deps import Language, SessionDep
from matcher_service.errors import RETRY_SECONDS
from matcher_service.messages import ApiMessage
from matcher_service.roles import ANYONE
from matcher_service.route import Route
from matcher_service.schemas.public import Cell, HealthOut, SummaryOut, Totals

__all__ = ["ROUND_TO", "THRESHOLD", "rounded", "router", "suppress"]

router = APIRouter(route_class=Route, tags=["public"])


#: Smallest number of workshops a published cell may count.
THRESHOLD = 5

#: Published counts are rounded to a multiple of this.
ROUND_TO = 5


def suppress(counts: Mapping[str, tuple[int, int]], threshold: int = THRESHOLD) -> list[Cell]:
    """The cells of one breakdown, ``key -> (workshops, workers)``, small ones suppressed (by key).

    Examples
    --------
    One small cell alone would be the total minus the others, so the next
    smallest is suppressed with it:

    >>> cells = suppress({"T1": (8, 30), "T2": (3, 9), "T3": (6, 20)})
    >>> [(c.key, c.workshops, c.suppressed) for c in cells]
    [('T1', 8, False), ('T2', None, True), ('T3', None, True)]

    Two small cells holding 5 or more together need no more:

    >>> [c.workshops for c in suppress({"a": (2, 4), "b": (3, 5), "c": (7, 9)})]
    [None, None, 7]

    Two holding fewer than 5 together take the smallest other cell with them:

    >>> [c.workshops for c in suppress({"a": (1, 1), "b": (2, 5), "c": (7, 9), "d": (9, 9)})]
    [None, None, None, 9]
    """
    hidden = {key for key, (n, _) in counts.items() if n < threshold}
    if hidden:
        shown = sorted((n, key) for key, (n, _) in counts.items() if key not in hidden)
        while shown and (len(hidden) < 2 or sum(counts[k][0] for k in hidden) < threshold):
            hidden.add(shown.pop(0)[1])
    return [
        Cell(key=key, workshops=None, workers=None, suppressed=True)
        if key in hidden
        else Cell(key=key, workshops=n, workers=workers, suppressed=False)
        for key, (n, workers) in sorted(counts.items())
    ]


def rounded(n: int | None) -> int | None:
    """A published count: ``n`` to the nearest multiple of :data:`ROUND_TO`, halves up.

    Examples
    --------
    >>> [rounded(n) for n in (5, 7, 8, 12, 13, 377, None)]
    [5, 5, 10, 10, 15, 375, None]
    """
    return None if n is None else ROUND_TO * ((2 * n + ROUND_TO) // (2 * ROUND_TO))


def _breakdown(items: Iterable[tuple[Iterable[str], int]]) -> list[Cell]:
    counts: dict[str, tuple[int, int]] = {}
    for keys, workers in items:
        for key in keys:
            n, w = counts.get(key, (0, 0))
            counts[key] = (n + 1, w + workers)
    return [
        c.model_copy(update={"workshops": rounded(c.workshops), "workers": rounded(c.workers)})
        for c in suppress(counts)
    ]


def _summary(cluster) -> SummaryOut:
    """The summary of a cluster, small cells suppressed and counts rounded (``method`` left blank)."""
    workshops = cluster.workshops
    n = len(workshops)
    small = n < THRESHOLD
    return SummaryOut(
        threshold=THRESHOLD,
        method="",
        totals=Totals(
            workshops=None if small else rounded(n),
            workers=None if small else rounded(sum(w.workers for w in workshops)),
            suppressed=small,
        ),
        by_territory=_breakdown(((w.territory,), w.workers) for w in workshops),
        by_product=_breakdown((set(w.products), w.workers) for w in workshops),
        by_size_band=_breakdown(((w.size_band,), w.workers) for w in workshops),
        by_formality=_breakdown((("formal" if w.formal else "informal",), w.workers) for w in workshops),
    )


@router.get("/public/summary", response_model=SummaryOut, **allow(ANYONE))
def summary(request: Request, lang: Language, session: SessionDep) -> SummaryOut:
    """Workshops and workers by territory, product, size band and formality, small cells suppressed.

    No cell counts fewer than 5 workshops, and none can be recovered from the
    totals by subtraction; counts are rounded to a multiple of 5 and the
    summary is refreshed at most once an hour (see ``method`` in the answer).
    """
    state = request.app.state
    seconds = state.settings.public_summary_seconds
    found = state.public_summary.get(lambda: state.snapshots.get(session), seconds, _summary)
    # How cells are suppressed, said in the request's language.
    said = {"threshold": THRESHOLD, "rounding": ROUND_TO, "minutes": seconds / 60}
    method = ApiMessage("public.method", said)
    return found.model_copy(update={"method": method.say(lang)})


@router.get("/health", response_model=HealthOut, responses={503: {"model": HealthOut}}, **allow(ANYONE))
def health(session: SessionDep):
    """Whether the service answers and its database can be read and written (503 when not).

    The write is a probe: one row written and rolled back, so a database that is
    full or read-only shows here before a client's change fails.
    """
    try:
        database_answers(session)
        writable = takes_changes(session)
    except Exception:  # any other database failure means unhealthy; the cause is logged by the driver
        writable = None
    if writable:
        return HealthOut(status="ok", database="ok", writable=True)
    database = "unavailable" if writable is None else "not_writable"
    body = HealthOut(status="unavailable", database=database, writable=False)
    return JSONResponse(body.model_dump(), status_code=503, headers={"Retry-After": str(RETRY_SECONDS)})
