"""The orchestration of a decomposed run: bounds, placement in turn, search, mix, polish and
the bound for the whole run.
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from dataclasses import dataclass, field, replace
from typing import Any

from matcher.model import Tie
from matcher.optimize._decompose.bounds import (
    OrderBound,
    alone_relaxation,
    order_bound,
    preference_bound,
    singles_bound,
)
from matcher.optimize._decompose.placement import (
    alone_bound,
    one_order_model,
    order_workshops,
    rules_score,
    solve_one,
    sub_problem,
)
from matcher.optimize._decompose.polish import evaluate
from matcher.optimize._decompose.pricing import lagrangian
from matcher.optimize._decompose.search import improve_solution, recombine
from matcher.optimize._decompose.singles import alone_scores, sure_single, whole_order_takers
from matcher.optimize._ledger import Ledger
from matcher.optimize._model import GroupModel
from matcher.optimize._patterns import pattern_bound
from matcher.optimize._problem import MatchProblem, OrderSpec
from matcher.optimize._types import Solution
from matcher.optimize.greedy import greedy_solution

#: Orders with at most this many eligible workshops are also solved alone on all of them.
EXACT_ALONE = 80
#: Eligible (workshop, order) pairs above which the recombination of known groups is skipped
#: and the bound on single workshops is taken from its linear relaxation: their whole-choice
#: models take longer to solve than such a run can spare (10,000 workshops x 500 orders
#: overran its time limit by 40% with them).
MIX_LIMIT = 100_000
#: Above MIX_LIMIT, single workshops each order brings to the mix of known groups.
MIX_SINGLES = 24
#: Above MIX_LIMIT, the most of the run's budget the patterns' bound may take, and the share
#: kept after the neighbourhood search for the mix and the polish (the minutes' prices are
#: not sought there: measured at 10,000 workshops x 500 orders, their bound stayed 7% above
#: the patterns').
PATTERN_SHARE = 0.12
LARGE_RESERVE = 0.2


@dataclass(frozen=True)
class Decomposed:
    """A decomposed run's groups and what was proved about them."""

    solution: Solution
    units: float
    units_bound: float
    preferences: float | None
    preferences_bound: float
    seconds_bounds: float
    seconds_groups: float
    notes: tuple[str, ...]


@dataclass
class _Run:
    """What a decomposed run knows as it goes: its budget, each order's bound and best group
    alone, the greedy groups and every placement tried, and the notes for the result."""

    problem: MatchProblem
    solver: str
    deadline: float
    seed: int
    started: float
    budget: float
    alone_limit: float
    order_limit: float
    greedy: Solution
    ties_of: dict[str, list[Tie]]
    bounds: dict[str, OrderBound] = field(default_factory=dict)
    #: order id -> (its sub-problem, model, best group alone, whether proved optimal)
    alone: dict[str, tuple[MatchProblem, GroupModel, dict, bool]] = field(default_factory=dict)
    mixable: bool = True
    single_scores: dict[str, dict[str, float]] = field(default_factory=dict)
    fillable_specs: list[OrderSpec] = field(default_factory=list)
    tried: list[Solution] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @classmethod
    def start(cls, problem: MatchProblem, solver: str, deadline: float, seed: int) -> _Run:
        started = time.perf_counter()
        # Each solve's limit depends on the run's budget, not on the clock, so that
        # the same input gives the same groups unless the whole budget runs out.
        budget = max(0.0, deadline - started)
        n = max(1, len(problem.specs))
        ties_of: dict[str, list[Tie]] = defaultdict(list)
        run = cls(
            problem,
            solver,
            deadline,
            seed,
            started,
            budget,
            alone_limit=min(5.0, max(0.5, budget / (4 * n))),
            order_limit=min(10.0, max(0.2, 2 * budget / n)),
            greedy=greedy_solution(problem),
            ties_of=ties_of,
        )
        for tie in problem.cluster.ties:
            ties_of[tie.source].append(tie)
            ties_of[tie.target].append(tie)
        return run

    def bound_orders(self) -> None:
        """Each order's bound, sharpened (and its best group alone found) by solving it alone on
        all its eligible workshops when they are few."""
        problem = self.problem
        for spec in problem.specs:
            bound = order_bound(problem, spec)
            if bound.fillable and len(spec.eligible) <= EXACT_ALONE:
                left = min(self.alone_limit, max(0.05, self.deadline - time.perf_counter()))
                sub = sub_problem(problem, spec, list(spec.eligible), None, self.ties_of)
                model = one_order_model(sub)
                alloc, outcome = solve_one(sub, self.solver, left, self.seed, model)
                if outcome.status == "infeasible":
                    bound = replace(bound, fillable=False, best=-math.inf)
                elif outcome.bound is not None and outcome.status in ("optimal", "feasible"):
                    bound = replace(bound, best=min(bound.best, alone_bound(model, outcome.bound)))
                    self.alone[spec.order_id] = (sub, model, alloc, outcome.status == "optimal")
            self.bounds[spec.order_id] = bound
        # Above MIX_LIMIT eligible pairs, whole-choice models of all single workshops take minutes,
        # and so would a solve for every order: an order that a workshop can take alone at its bound
        # gets one without (measured below it, a solve's choice mixes better).
        self.mixable = sum(len(spec.eligible) for spec in problem.specs) <= MIX_LIMIT
        self.single_scores = {spec.order_id: alone_scores(problem, spec) for spec in problem.specs}
        self.fillable_specs = [s for s in problem.specs if self.bounds[s.order_id].fillable is not False]

    def place(self, queue: list[OrderSpec], keep: Solution | None = None) -> Solution:
        """Groups for the orders in ``queue`` order, each with the minutes the earlier ones left;
        an order's group in ``keep`` is kept when it still fits."""
        problem = self.problem
        ledger = Ledger(problem)
        placed: Solution = {}
        for spec in queue:
            o = spec.order_id
            mine = self.greedy.get(o, {})
            best_alone = self.alone[o][2] if o in self.alone else {}
            if (keep or {}).get(o) and ledger.fits(keep[o], spec):
                chosen = keep[o]
            elif best_alone and ledger.fits(best_alone, spec):
                chosen = best_alone
            elif not self.mixable and (
                sure := sure_single(problem, spec, self.bounds[o].best, ledger, self.single_scores[o])
            ):
                chosen = sure
            else:
                due = spec.order.due_weeks
                free = {w: ledger.free(w, due) for w in spec.eligible}
                ids = order_workshops(problem, spec, free, sorted(mine))
                left = self.deadline - time.perf_counter()
                chosen = {}
                if ids and left > 0.05:
                    sub = sub_problem(problem, spec, ids, free, self.ties_of)
                    limit = min(self.order_limit, max(0.05, left))
                    chosen, _ = solve_one(sub, self.solver, limit, self.seed)
                if not chosen and mine and ledger.fits(mine, spec):
                    chosen = mine
            if chosen:
                placed[o] = chosen
                ledger.commit(chosen, spec)
        return placed

    def rank(self, found: Solution) -> tuple[float, float]:
        """Filled units first, then a quick score of the groups."""
        by_id = {s.order_id: s for s in self.problem.specs}
        score = sum(rules_score(self.problem, by_id[o], alloc) for o, alloc in found.items())
        return self.problem.weighted_units(found), score

    def first_groups(self) -> Solution:
        """Every order placed in turn, the scarcest first; then, when some order found no room,
        once more with those first (the better of the two)."""
        problem, bounds = self.problem, self.bounds
        # Orders with the fewest workshops that could take them alone and lead go
        # first: they lose most when another order takes such a workshop.
        scarcity = {}
        for spec in problem.specs:
            leads = [w for w in whole_order_takers(problem, spec) if problem.workshop(w).can_lead]
            scarcity[spec.order_id] = len(leads) if leads else math.inf

        def by_due(s: OrderSpec) -> tuple:
            return (s.order.due_weeks, -bounds[s.order_id].fewest, -s.order.quantity, s.order_id)

        queue = sorted(self.fillable_specs, key=lambda s: (scarcity[s.order_id], *by_due(s)))
        solution = self.place(queue)
        self.tried.append(solution)
        left_out = [s for s in queue if s.order_id not in solution]
        if left_out and time.perf_counter() < self.started + 0.4 * self.budget:
            # An order some group could fill alone found no room: place it first, the others
            # keeping their groups where these still fit.
            other = self.place(left_out + [s for s in queue if s.order_id in solution], keep=solution)
            self.tried.append(other)
            if self.rank(other) > self.rank(solution):
                solution = other
        return solution

    def mix(
        self, solution: Solution, units: float, *, singles: int | None = None, share: float = 0.1
    ) -> Solution:
        """The best mix of the groups found so far: each order's, and workshops that could take it
        alone (all of them, or the first ``singles``: those that can lead, then the freest), in
        ``share`` of the time left."""
        problem, solver, seed = self.problem, self.solver, self.seed
        pool: dict[str, list[dict[str, dict[str, int]]]] = defaultdict(list)
        for found in (solution, *self.tried, self.greedy):
            for o, alloc in found.items():
                pool[o].append(alloc)
        for o, (_, _, alloc, _) in self.alone.items():
            pool[o].append(alloc)
        for spec in self.fillable_specs:
            scores = self.single_scores[spec.order_id]
            able = [w for w in whole_order_takers(problem, spec) if w in scores][:singles]
            for w in sorted(able):
                pool[spec.order_id].append({w: {st.process: spec.order.quantity for st in spec.steps}})
        left = max(0.5, share * (self.deadline - time.perf_counter()))
        mixed = recombine(problem, pool, units, solver, time_limit=left, seed=seed, start=solution)
        if mixed and mixed != solution and problem.weighted_units(mixed) >= units - 1e-9:
            _, now = evaluate(problem, solution, solver, time_limit=left, seed=seed, polish=False)
            _, then = evaluate(problem, mixed, solver, time_limit=left, seed=seed, polish=False)
            if then is not None and (now is None or then > now + 1e-6):
                self.notes.append("the best mix of the groups found improved them")
                return mixed
        return solution

    def improve(self, solution: Solution) -> tuple[Solution, float]:
        """The neighbourhood search, the greedy groups when they fill more, and the best mix;
        the groups and the units they fill."""
        problem = self.problem
        solution, steps = improve_solution(
            problem,
            solution,
            self.bounds,
            self.solver,
            # Large runs skip the pricing (bounded by patterns): the search keeps its time.
            deadline=self.deadline
            - (0.3 if self.mixable else LARGE_RESERVE) * (self.deadline - self.started),
            seed=self.seed,
            known={o: alloc for o, (_, _, alloc, _) in self.alone.items()},
        )
        if steps:
            self.notes.append(
                f"{steps} neighbourhood search step{'s' if steps != 1 else ''} improved the groups"
            )
        units, greedy_units = problem.weighted_units(solution), problem.weighted_units(self.greedy)
        if greedy_units > units + 1e-9:
            self.notes.append(
                "the greedy baseline fills more units than one order at a time; its groups are kept"
            )
            solution = self.greedy
            units = greedy_units
        # Above MIX_LIMIT the mix sees each order's first few single workshops only: all of them make
        # a choice among tens of thousands of columns that takes minutes.
        if self.mixable:
            return self.mix(solution, units), units
        return self.mix(solution, units, singles=MIX_SINGLES, share=0.5), units

    def polish(self, solution: Solution, units: float) -> tuple[Solution, float | None]:
        """The groups polished on their members, or the greedy ones when they score better at as
        many units; and their preferred-rules score (None when no solve gave one)."""
        problem, solver, seed = self.problem, self.solver, self.seed
        left = max(0.5, 0.3 * (self.deadline - time.perf_counter()))
        polished, value = evaluate(problem, solution, solver, time_limit=left, seed=seed, polish=True)
        if value is not None:
            solution = polished
        _, greedy_value = evaluate(problem, self.greedy, solver, time_limit=left, seed=seed, polish=False)
        greedy_units = problem.weighted_units(self.greedy)
        if (
            value is not None
            and greedy_value is not None
            and greedy_units >= units - 1e-9
            and greedy_value > value
        ):
            return self.greedy, greedy_value
        return solution, value

    def score_bound(self, solution: Solution, units: float, value: float | None, patterns: Any) -> float:
        """The bound on the preferred-rules score at ``units``: the orders' own bounds, tightened
        by the patterns, the workshops that take an order alone or the priced minutes."""
        problem, bounds = self.problem, self.bounds
        fillable = [(s.priority * s.order.quantity, bounds[s.order_id].best) for s in self.fillable_specs]
        score_bound = preference_bound(fillable, units)
        if patterns is not None and patterns.bound < score_bound:
            score_bound = patterns.bound
            self.notes.append(
                f"bound tightened by the workshops that can take an order alone ({patterns.rounds} round"
                f"{'s' if patterns.rounds != 1 else ''} of column generation over the orders each takes)"
            )
        elif value is not None and score_bound - value > 1e-6 * max(1.0, abs(score_bound)):
            # Above MIX_LIMIT, without patterns, the whole-choice model takes minutes: its linear
            # relaxation, seconds.
            left = max(0.5, 0.3 * (self.deadline - time.perf_counter()))
            singles = singles_bound(
                problem, bounds, units, self.solver, time_limit=left, seed=self.seed, relax=not self.mixable
            )
            if singles < score_bound:
                score_bound = singles
                self.notes.append("bound tightened by the workshops that can take an order alone")
        if self.mixable and value is not None and score_bound - value > 1e-6 * max(1.0, abs(score_bound)):
            priced, rounds = lagrangian(
                problem,
                bounds,
                self.alone,
                solution,
                value,
                units,
                self.solver,
                deadline=self.deadline,
                seed=self.seed,
            )
            if priced < score_bound:
                score_bound = priced
                self.notes.append(
                    f"bound tightened by pricing the minutes the orders share ({rounds} round"
                    f"{'s' if rounds != 1 else ''} of column generation)"
                )
        return score_bound

    def units_bound(self) -> float:
        """The units the fillable orders hold (weighted by priority)."""
        return sum(s.priority * s.order.quantity for s in self.fillable_specs)


def decompose(problem: MatchProblem, solver: str, *, deadline: float, seed: int) -> Decomposed:
    """Groups for every order, one order at a time, and a bound for the whole run.

    ``deadline`` is a ``time.perf_counter()`` value; each order gets a fair
    share of what is left. The greedy baseline's group stands for any order
    whose own solve finds nothing better.
    """
    run = _Run.start(problem, solver, deadline, seed)
    run.bound_orders()
    seconds_bounds = time.perf_counter() - run.started
    solution = run.first_groups()
    seconds_groups = time.perf_counter() - run.started - seconds_bounds
    patterns = None
    if not run.mixable:
        # Too large for the whole-choice model of single workshops: their patterns, by column
        # generation, starting from the orders this solution gives workshops alone.
        relaxation = alone_relaxation(problem, run.bounds, run.single_scores)
        patterns = pattern_bound(
            problem,
            relaxation,
            problem.weighted_units(solution),
            deadline=time.perf_counter() + PATTERN_SHARE * run.budget,
            start=solution,
        )
    solution, units = run.improve(solution)
    solution, value = run.polish(solution, units)
    return Decomposed(
        solution=solution,
        units=units,
        units_bound=run.units_bound(),
        preferences=value,
        preferences_bound=run.score_bound(solution, units, value, patterns),
        seconds_bounds=seconds_bounds,
        seconds_groups=seconds_groups,
        notes=tuple(run.notes),
    )
