"""The mentoring model: circles as a mixed-integer program, built, solved and read.

Variables (all binary)
    ``pair[m, t]``   mentor ``m`` takes trainee ``t`` (one per eligible pair of the pool);
    ``mentors[m]``   ``m`` leads a circle in this plan;
    ``sector[m, s]`` ``m``'s circle is of sector ``s`` (only for a mentor whose
    candidate trainees share no one sector, with ``same_sector``).
Constraints
    ``one_mentor_<t>``: a trainee has at most one mentor;
    ``capacity_<m>``: at most ``max_trainees`` trainees (kept ones counted), and none unless ``m`` mentors;
    ``min_circle_<m>``: with a circle size, at least its minimum (a kept circle is kept as it is);
    ``mentor_or_trainee_<w>``: nobody both mentors and learns among the new pairs;
    ``no_conflict_<m>_<a>_<b>``: two trainees of one circle are not in conflict;
    ``one_sector_<m>``, ``sector_<m>_<t>``: one sector per circle, shared by every new trainee;
    ``pinned_<m>_<t>``: a pinned pair is formed.
Objective
    maximise the sum of ``gain * pair[m, t]`` (:mod:`matcher.develop._candidates`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pulp

from matcher.develop._candidates import Pool
from matcher.optimize._solve import Outcome, run_solver

__all__ = ["Plan", "Solved", "plan_circles"]


@dataclass(frozen=True)
class Plan:
    """What the model is asked: the pool, the kept and pinned pairs and the circle rules."""

    pool: Pool
    kept: Mapping[str, tuple[str, ...]]  # mentor -> trainees of kept existing ties
    pinned: tuple[tuple[str, str], ...]
    max_trainees: int
    circle_min: int  # fewest trainees of a new circle (1: pairs)
    same_sector: bool


@dataclass(frozen=True)
class Solved:
    """The pairs chosen and the solver's honest outcome."""

    outcome: Outcome
    chosen: tuple[tuple[str, str], ...]
    sector: Mapping[str, str | None]  # mentor -> the sector its circle was given by the model
    variables: int
    constraints: int


def _name(*parts: str) -> str:
    return "_".join(re.sub(r"\W", "_", p) for p in parts)


def _common_sectors(plan: Plan, mentor: str) -> frozenset[str] | None:
    """The sectors every candidate pair of a mentor shares (None: no pair)."""
    sets = [p.sectors for (m, _), p in plan.pool.pairs.items() if m == mentor]
    return frozenset.intersection(*sets) if sets else None


def plan_circles(plan: Plan, *, solver: str, time_limit: float, seed: int) -> Solved:
    """Build the model of ``plan``, solve it and read the pairs chosen (see the module's docstring)."""
    pool = plan.pool
    prob = pulp.LpProblem("mentoring", pulp.LpMaximize)
    keys = sorted(pool.pairs)
    pair = {(m, t): prob.add_variable(_name("pair", m, t), 0, 1, cat=pulp.LpBinary) for m, t in keys}
    by_mentor: dict[str, list[str]] = {}
    by_trainee: dict[str, list[str]] = {}
    for m, t in keys:
        by_mentor.setdefault(m, []).append(t)
        by_trainee.setdefault(t, []).append(m)
    leading = sorted(set(by_mentor) | set(plan.kept))
    mentors = {m: prob.add_variable(_name("mentors", m), 0, 1, cat=pulp.LpBinary) for m in leading}
    prob += pulp.lpSum(pool.pairs[k].gain * pair[k] for k in keys), "gain"

    for t, ms in sorted(by_trainee.items()):
        prob += pulp.lpSum(pair[m, t] for m in ms) <= 1, _name("one_mentor", t)
    for m in leading:
        kept = len(plan.kept.get(m, ()))
        new = pulp.lpSum(pair[m, t] for t in by_mentor.get(m, ()))
        if kept:
            prob += mentors[m] == 1, _name("kept_circle", m)
        prob += new <= max(0, plan.max_trainees - kept) * mentors[m], _name("capacity", m)
        if plan.circle_min > 1 and not kept:
            prob += new >= plan.circle_min * mentors[m], _name("min_circle", m)
    for w in sorted(set(mentors) & set(by_trainee)):
        learns = pulp.lpSum(pair[m, w] for m in by_trainee[w])
        prob += mentors[w] + learns <= 1, _name("mentor_or_trainee", w)
    for m, ts in sorted(by_mentor.items()):
        members = sorted(set(ts))
        kept = plan.kept.get(m, ())
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                if (a, b) in pool.conflicts or (b, a) in pool.conflicts:
                    prob += pair[m, a] + pair[m, b] <= 1, _name("no_conflict", m, a, b)
            for k in kept:
                if tuple(sorted((a, k))) in pool.conflicts:
                    prob += pair[m, a] <= 0, _name("no_conflict", m, a, k)
    sector_vars: dict[tuple[str, str], pulp.LpVariable] = {}
    pinned = set(plan.pinned)
    if plan.same_sector:
        for m, ts in sorted(by_mentor.items()):
            if _common_sectors(plan, m):
                continue  # every candidate shares a sector: the circle is of one sector already
            choices = sorted({s for t in ts for s in pool.pairs[m, t].sectors})
            for s in choices:
                sector_vars[m, s] = prob.add_variable(_name("sector", m, s), 0, 1, cat=pulp.LpBinary)
            prob += pulp.lpSum(sector_vars[m, s] for s in choices) <= 1, _name("one_sector", m)
            for t in ts:
                shared = pool.pairs[m, t].sectors
                if (m, t) in pinned and not shared:
                    continue  # a pinned pair across sectors is the coordinator's call
                prob += (
                    pair[m, t] <= pulp.lpSum(sector_vars[m, s] for s in sorted(shared)),
                    _name("sector", m, t),
                )
    for m, t in plan.pinned:
        if (m, t) in pair:
            prob += pair[m, t] == 1, _name("pinned", m, t)

    outcome = run_solver(prob, solver, time_limit=time_limit, seed=seed)
    chosen: tuple[tuple[str, str], ...] = ()
    sector: dict[str, str | None] = {}
    if outcome.status in {"optimal", "feasible"}:
        chosen = tuple(k for k in keys if (pair[k].value() or 0.0) > 0.5)
        for (m, s), var in sorted(sector_vars.items()):
            if (var.value() or 0.0) > 0.5:
                sector[m] = s
    return Solved(outcome, chosen, sector, prob.numVariables(), prob.numConstraints())


def circle_sector(pool: Pool, mentor: str, trainees: Sequence[str], chosen: str | None) -> str | None:
    """The sector a circle works in: the model's choice, else one all its members share (sorted first)."""
    if chosen is not None:
        return chosen
    common = set(pool.sectors_of.get(mentor, ()))
    for t in trainees:
        common &= pool.sectors_of.get(t, frozenset())
    return min(common) if common else None
