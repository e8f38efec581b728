"""Mentoring circles: mentor–trainee pairs and circles formed by mixed-integer programming.

A mentor (a workshop able to lead, or one a ``mentor`` column names) takes up
to ``max_trainees`` trainees of lower quality that lack a process or product
it has; a circle is a mentor and its trainees. Who may mentor whom and what a
pair is worth are documented in :mod:`matcher.develop._candidates`; the model
(variables, constraints, objective) in :mod:`matcher.develop._circles`. The
rules AGREM's learning groups taught are hard constraints: never a pair or a
circle across a conflict tie (two trainees of one circle included), one
product sector per circle unless ``same_sector=False``. Existing ``mentoring``
ties are kept with ``keep_existing`` (counted against ``max_trainees``), and
every proposal says whether it is new. Kept pairs are taken as the data gives
them: a kept circle keeps its size and sectors (the circle-size and sector
rules bind the trainees it gains), a trainee with two kept mentors stays in
both circles, and a kept trainee may mentor others; a workshop that mentors
in a kept pair is not offered a mentor.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from matcher.develop._candidates import Pool, Weights, build_pool
from matcher.develop._circles import Plan, circle_sector, plan_circles
from matcher.develop._reasons import circle_reasons, pair_reasons, unpaired_reasons
from matcher.develop.checks import SOLVERS, check_mentoring_options, order_pressures
from matcher.messages import Message
from matcher.model import Cluster
from matcher.optimize._solve import resolve_solver

__all__ = ["SOLVERS", "Circle", "MentoringResult", "Pairing", "Unpaired", "Weights", "mentoring"]


@dataclass(frozen=True)
class Pairing:
    """One mentor–trainee pair of the plan.

    ``status``: ``proposed`` (chosen by the model), ``pinned`` (asked for) or
    ``kept`` (an existing mentoring tie kept); ``new``: no mentoring tie joined
    them before. ``learns``: the processes and products the trainee would learn.
    """

    mentor_id: str
    trainee_id: str
    status: str
    new: bool
    gain: float
    learns: tuple[str, ...]
    reasons: tuple[Message, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "mentor_id": self.mentor_id,
            "trainee_id": self.trainee_id,
            "status": self.status,
            "new": self.new,
            "gain": self.gain,
            "learns": list(self.learns),
            "reasons": [r.text for r in self.reasons],
            "reason_messages": [r.to_dict() for r in self.reasons],
        }


@dataclass(frozen=True)
class Circle:
    """A mentor and its trainees, of one ``sector`` (None when the circle mixes sectors)."""

    mentor_id: str
    sector: str | None
    pairs: tuple[Pairing, ...]
    reasons: tuple[Message, ...] = ()

    @property
    def trainee_ids(self) -> tuple[str, ...]:
        return tuple(p.trainee_id for p in self.pairs)

    @property
    def gain(self) -> float:
        return round(sum(p.gain for p in self.pairs), 6)

    @property
    def new(self) -> bool:
        """Whether the circle proposes at least one new pair."""
        return any(p.new for p in self.pairs)

    def to_dict(self) -> dict[str, Any]:
        return {
            "mentor_id": self.mentor_id,
            "sector": self.sector,
            "trainee_ids": list(self.trainee_ids),
            "gain": self.gain,
            "new": self.new,
            "reasons": [r.text for r in self.reasons],
            "reason_messages": [r.to_dict() for r in self.reasons],
            "pairs": [p.to_dict() for p in self.pairs],
        }


@dataclass(frozen=True)
class Unpaired:
    """A workshop left without a mentor, and why."""

    workshop_id: str
    reasons: tuple[Message, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "workshop_id": self.workshop_id,
            "reasons": [r.text for r in self.reasons],
            "reason_messages": [r.to_dict() for r in self.reasons],
        }


@dataclass(frozen=True)
class MentoringResult:
    """A mentoring plan and the honest state of its solve.

    ``status`` is ``optimal`` (proved best), ``feasible`` (found at the time
    limit; ``gap`` says how far from the ``bound`` it may be), ``infeasible``
    (``reasons`` say why) or ``no solution`` (none found in time).
    """

    status: str
    solver: str
    objective: float | None
    bound: float | None
    gap: float | None
    circles: tuple[Circle, ...]
    unpaired: tuple[Unpaired, ...]
    notes: tuple[Message, ...] = ()
    reasons: tuple[Message, ...] = ()
    options: Mapping[str, Any] = field(default_factory=dict)
    model: Mapping[str, int] = field(default_factory=dict)
    time_seconds: float = 0.0

    @property
    def pairs(self) -> tuple[Pairing, ...]:
        return tuple(p for c in self.circles for p in c.pairs)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (what ``matcher mentor --json`` prints)."""
        pairs = self.pairs
        return {
            "status": self.status,
            "solver": self.solver,
            "objective": self.objective,
            "bound": self.bound,
            "gap": self.gap,
            "time_seconds": round(self.time_seconds, 3),
            "options": dict(self.options),
            "model": dict(self.model),
            "summary": {
                "circles": len(self.circles),
                "pairs": len(pairs),
                "new_pairs": sum(p.new for p in pairs),
                "kept_pairs": sum(p.status == "kept" for p in pairs),
                "unpaired": len(self.unpaired),
            },
            "notes": [n.text for n in self.notes],
            "note_messages": [n.to_dict() for n in self.notes],
            "reasons": [r.text for r in self.reasons],
            "reason_messages": [r.to_dict() for r in self.reasons],
            "circles": [c.to_dict() for c in self.circles],
            "unpaired": [u.to_dict() for u in self.unpaired],
        }


def mentoring(
    cluster: Cluster,
    *,
    max_trainees: int = 3,
    circle_size: tuple[int, int] | None = None,
    same_sector: bool = True,
    sectors: Mapping[str, str] | None = None,
    keep_existing: bool = True,
    pinned: Iterable[tuple[str, str]] = (),
    solver: str | None = None,
    time_limit: float = 10.0,
    demand_seconds: float = 5.0,
    seed: int = 0,
    weights: Weights | None = None,
) -> MentoringResult:
    """Form mentor–trainee pairs and mentoring circles that teach what the cluster's orders need.

    Parameters
    ----------
    cluster : Cluster
    max_trainees : int
        Most trainees a mentor takes (kept existing ones counted).
    circle_size : (int, int), optional
        Members of every new circle, mentor included (``(3, 5)``: a mentor with
        2–4 trainees; an AGREM learning group asks for larger circles and a
        ``max_trainees`` to match). None: any size up to ``max_trainees + 1``,
        a single pair included.
    same_sector : bool
        One product sector per circle (mentor and trainees share it).
    sectors : mapping of product to sector, optional
        Broader sectors (``{"polo_shirt": "knitwear", "tshirt": "knitwear"}``);
        by default each product is its own sector.
    keep_existing : bool
        Keep the pairs of existing ``mentoring`` ties (source mentors target)
        as they are; otherwise they only count as trust.
    pinned : iterable of (mentor id, trainee id)
        Pairs a coordinator wants formed, whatever the inferred rules say
        (never across a conflict).
    solver : {"auto", "highs", "cbc"}, optional
        ``auto`` (the default) uses HiGHS when installed, else CBC.
    time_limit : float
        Seconds the mentoring model may use.
    demand_seconds : float
        Seconds for solving the orders first, to know which are unfilled or
        in few hands (0: count every order as unfilled).
    seed : int
    weights : Weights, optional
        Weights of the gain of a pair (:class:`Weights`).

    Returns
    -------
    MentoringResult

    Raises
    ------
    UnknownIdError
        A pinned pair names a workshop the cluster does not have.
    InvalidOptionError
        An option is out of range, or pinned pairs break a rule (all problems at once).

    Examples
    --------
    >>> from matcher.model import Cluster, Tie, Workshop
    >>> ws = (Workshop("M", "T", 12, ("jeans",), ("cutting", "sewing", "washing"), quality=5, can_lead=True),
    ...       Workshop("A", "T", 2, ("jeans",), ("sewing",), quality=2),
    ...       Workshop("B", "T", 2, ("jeans",), ("sewing",), quality=2))
    >>> r = mentoring(Cluster(ws, ties=(Tie("M", "A", "kinship"), Tie("A", "B", "conflict"))), time_limit=5)
    >>> r.status, [(c.mentor_id, c.trainee_ids, c.sector) for c in r.circles]
    ('optimal', [('M', ('A',), 'jeans')])
    >>> r.unpaired[0].workshop_id, r.unpaired[0].reasons[0].text
    ('B', 'The circles of its possible mentors (M) hold a workshop it is in conflict with.')
    """
    started = time.perf_counter()
    solver = solver or "auto"
    pinned = tuple(dict.fromkeys((str(m), str(t)) for m, t in pinned))
    existing = sorted(
        {(t.source, t.target) for t in cluster.ties if t.kind == "mentoring" and t.source != t.target}
    )
    conflicts = {t.pair for t in cluster.ties if t.kind == "conflict"}
    kept_pairs = existing if keep_existing else []
    check_mentoring_options(
        cluster,
        max_trainees=max_trainees,
        circle_size=tuple(circle_size) if isinstance(circle_size, list) else circle_size,
        solver=solver,
        time_limit=time_limit,
        demand_seconds=demand_seconds,
        seed=seed,
        pinned=pinned,
        kept=kept_pairs,
        conflicts=conflicts,
    )
    name = resolve_solver(solver)
    weights = weights or Weights()
    pressure, demand_note = order_pressures(cluster, name, demand_seconds, seed)
    pinned = tuple(p for p in pinned if p not in set(kept_pairs))
    pool = build_pool(
        cluster,
        same_sector=same_sector,
        sectors=sectors or {},
        pressure=pressure,
        weights=weights,
        exclude_trainees={t for _, t in kept_pairs},
        forced=[*kept_pairs, *pinned],
    )
    kept: dict[str, tuple[str, ...]] = {}
    for m, t in kept_pairs:
        kept[m] = (*kept.get(m, ()), t)
    plan = Plan(pool, kept, pinned, max_trainees, (circle_size[0] - 1) if circle_size else 1, same_sector)
    solved = plan_circles(plan, solver=name, time_limit=time_limit, seed=seed)
    notes = [demand_note]
    if pool.declared:
        notes.append(Message("mentor.note.declared", {"count": pool.declared}))
    if not pool.mentors and not pinned:
        notes.append(Message("mentor.note.no_mentors"))
    if not same_sector:
        notes.append(Message("mentor.note.any_sector"))
    options = {
        "max_trainees": max_trainees,
        "circle_size": list(circle_size) if circle_size else None,
        "same_sector": same_sector,
        "sectors": dict(sorted((sectors or {}).items())),
        "keep_existing": keep_existing,
        "pinned": [list(p) for p in pinned],
        "solver": solver,
        "time_limit": time_limit,
        "demand_seconds": demand_seconds,
        "seed": seed,
        "weights": weights.to_dict(),
    }
    outcome = solved.outcome
    status = outcome.status if outcome.status in {"optimal", "feasible", "infeasible"} else "no solution"
    model = {
        "variables": solved.variables,
        "constraints": solved.constraints,
        "candidate_pairs": len(pool.pairs),
    }
    if status in {"infeasible", "no solution"}:
        reasons = _why_no_plan(plan) if status == "infeasible" else (Message("mentor.unpaired.no_solution"),)
        return MentoringResult(
            status,
            name,
            None,
            outcome.bound,
            None,
            (),
            (),
            tuple(notes),
            reasons,
            options,
            model,
            time.perf_counter() - started,
        )
    circles, unpaired = _read(cluster, plan, solved.chosen, solved.sector, set(existing))
    return MentoringResult(
        status=status,
        solver=name,
        objective=None if outcome.value is None else round(outcome.value, 6),
        bound=None if outcome.bound is None else round(outcome.bound, 6),
        gap=None if outcome.gap is None else round(outcome.gap, 6),
        circles=circles,
        unpaired=unpaired,
        notes=tuple(notes),
        options=options,
        model=model,
        time_seconds=time.perf_counter() - started,
    )


def _why_no_plan(plan: Plan) -> tuple[Message, ...]:
    """Mentors whose pinned circle cannot reach the minimum size; else the general reason."""
    said = []
    pinned_mentors = sorted({m for m, _ in plan.pinned})
    for m in pinned_mentors:
        if plan.kept.get(m):
            continue
        available = len({t for (mm, t) in plan.pool.pairs if mm == m})
        if available < plan.circle_min:
            said.append(
                Message(
                    "mentor.infeasible_circle",
                    {"mentor": m, "available": available, "needed": plan.circle_min},
                )
            )
    return tuple(said) or (Message("mentor.infeasible"),)


def _read(
    cluster: Cluster,
    plan: Plan,
    chosen: tuple[tuple[str, str], ...],
    model_sector: Mapping[str, str | None],
    existing: set[tuple[str, str]],
) -> tuple[tuple[Circle, ...], tuple[Unpaired, ...]]:
    """The circles of the chosen pairs (with the kept ones) and the unpaired trainees, with reasons."""
    pool: Pool = plan.pool
    pinned = set(plan.pinned)
    members: dict[str, list[tuple[str, str]]] = {}  # mentor -> (trainee, status)
    for m, ts in plan.kept.items():
        members.setdefault(m, []).extend((t, "kept") for t in ts)
    for m, t in chosen:
        members.setdefault(m, []).append((t, "pinned" if (m, t) in pinned else "proposed"))
    circles = []
    sectors: dict[str, str | None] = {}
    for m in sorted(members):
        trainees = [t for t, _ in members[m]]
        sector = circle_sector(pool, m, trainees, model_sector.get(m))
        sectors[m] = sector
        pairings = []
        for t, status in sorted(members[m]):
            pair = pool.fixed[m, t] if status == "kept" else pool.pairs[m, t]
            was = (m, t) in existing
            pairings.append(
                Pairing(
                    m,
                    t,
                    status,
                    not was,
                    pair.gain,
                    (*pair.processes, *pair.products),
                    pair_reasons(cluster, pair, status, was),
                )
            )
        new = sum(p.new for p in pairings)
        reasons = circle_reasons(pool, m, trainees, sector, new, len(pairings) - new)
        circles.append(Circle(m, sector, tuple(pairings), reasons))
    learning = {t for ts in members.values() for t, _ in ts}
    circle_members = {m: [t for t, _ in ts] for m, ts in members.items()}
    unpaired = tuple(
        Unpaired(
            t,
            unpaired_reasons(
                cluster,
                pool,
                t,
                circles=circle_members,
                sectors=sectors,
                learning=learning,
                max_trainees=plan.max_trainees,
                same_sector=plan.same_sector,
            ),
        )
        for t in pool.trainees
        if t not in learning and t not in members
    )
    return tuple(circles), unpaired
