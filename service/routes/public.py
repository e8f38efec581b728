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
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy import text
from sqlalchemy.orm import Session

from service.auth import allow, get_session
from service.language import Language
from service.messages import ApiMessage
from service.roles import ANYONE

__all__ = ["THRESHOLD", "Cell", "SummaryOut", "router", "suppress"]

router = APIRouter(tags=["public"])

#: Smallest number of workshops a published cell may count.
THRESHOLD = 5

#: How cells are suppressed, said in the request's language.
METHOD = ApiMessage("public.method", {"threshold": THRESHOLD})


class Cell(BaseModel):
    """One cell of a breakdown: workshops and their workers, or nulls when suppressed."""

    key: str
    workshops: int | None
    workers: int | None
    suppressed: bool


class Totals(BaseModel):
    workshops: int | None
    workers: int | None
    suppressed: bool


class SummaryOut(BaseModel):
    """Counts of workshops and workers by territory, product, size band and formality."""

    threshold: int = Field(description="Smallest number of workshops a published cell counts.")
    method: str = Field(description="How small cells are suppressed.")
    totals: Totals
    by_territory: list[Cell]
    by_product: list[Cell]
    by_size_band: list[Cell]
    by_formality: list[Cell]


class HealthOut(BaseModel):
    status: str
    database: str


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


def _breakdown(items: Iterable[tuple[Iterable[str], int]]) -> list[Cell]:
    counts: dict[str, tuple[int, int]] = {}
    for keys, workers in items:
        for key in keys:
            n, w = counts.get(key, (0, 0))
            counts[key] = (n + 1, w + workers)
    return suppress(counts)


@router.get("/public/summary", response_model=SummaryOut, **allow(ANYONE))
def summary(request: Request, lang: Language, session: Session = Depends(get_session)) -> SummaryOut:
    """Workshops and workers by territory, product, size band and formality, small cells suppressed.

    No cell counts fewer than 5 workshops, and none can be recovered from the
    totals by subtraction (see ``method`` in the answer).
    """
    # Imported here: the network module brings networkx and pandas, needed for this alone.
    from matcher.graph.network import size_class

    _, cluster = request.app.state.snapshots.get(session)
    workshops = cluster.workshops
    n = len(workshops)
    small = n < THRESHOLD
    return SummaryOut(
        threshold=THRESHOLD,
        method=METHOD.say(lang),
        totals=Totals(
            workshops=None if small else n,
            workers=None if small else sum(w.workers for w in workshops),
            suppressed=small,
        ),
        by_territory=_breakdown(((w.territory,), w.workers) for w in workshops),
        by_product=_breakdown((set(w.products), w.workers) for w in workshops),
        by_size_band=_breakdown(((size_class(w.workers),), w.workers) for w in workshops),
        by_formality=_breakdown((("formal" if w.formal else "informal",), w.workers) for w in workshops),
    )


@router.get("/health", response_model=HealthOut, responses={503: {"model": HealthOut}}, **allow(ANYONE))
def health(session: Session = Depends(get_session)):
    """Whether the service and its database answer (503 when the database does not)."""
    try:
        session.execute(text("SELECT 1"))
    except Exception:  # any database failure means unhealthy; the cause is logged by the driver
        return JSONResponse({"status": "unavailable", "database": "unavailable"}, status_code=503)
    return HealthOut(status="ok", database="ok")
