"""The mixed-integer model of group formation, written with PuLP.

Variables, keyed by domain ids:

- ``units[w, o, p]`` whole garments of process ``p`` of order ``o`` made by ``w``;
- ``member[w, o]`` 1 when ``w`` is in the group of ``o``;
- ``filled[o]`` units of ``o`` filled (= quantity × ``full[o]`` unless partial
  fills are allowed);
- ``together[a, b, o]`` 1 when tied workshops ``a`` and ``b`` are both in ``o``.

Constraints (named ``<rule>_<ids>`` so the written LP file reads like a document):
``cover`` (every process of an order gets the same filled units), ``link``
(units only for members), ``has_work`` (every member makes something),
``size_cap``, ``no_conflict``, ``capacity`` (for every due date D, the minutes a
workshop gives to orders due by D fit in its minutes available by D),
``tie_a``/``tie_b`` (``together`` needs both members).

Objectives, lexicographic: first filled units; then, holding them, the
fewest members and, among groups that small, the most tie weight inside. Both
parts of the second objective live in one expression: each member costs more
than the tie weight any one workshop could bring to any group, so a member is
only ever added for the units it makes, never to collect ties.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pulp

from matcher.optimize._problem import MatchProblem

Key = tuple[str, ...]


@dataclass
class GroupModel:
    """A built model and its variables (keyed by ids)."""

    prob: pulp.LpProblem
    units: dict[tuple[str, str, str], pulp.LpVariable] = field(default_factory=dict)
    member: dict[tuple[str, str], pulp.LpVariable] = field(default_factory=dict)
    filled: dict[str, pulp.LpVariable | pulp.LpAffineExpression] = field(default_factory=dict)
    together: dict[tuple[str, str, str], pulp.LpVariable] = field(default_factory=dict)
    weights: dict[tuple[str, str, str], float] = field(default_factory=dict)
    member_penalty: float = 1.0

    def filled_units(self) -> pulp.LpAffineExpression:
        return pulp.lpSum(self.filled.values())

    def cohesion(self) -> pulp.LpAffineExpression:
        ties = pulp.lpSum(self.weights[k] * v for k, v in self.together.items())
        return ties - self.member_penalty * pulp.lpSum(self.member.values())


def build_model(problem: MatchProblem) -> GroupModel:
    """The model of phase 1 (maximise filled units) for a prepared problem."""
    model = GroupModel(pulp.LpProblem("group_formation", pulp.LpMaximize))
    prob = model.prob
    usage: dict[str, list[tuple[float, float, pulp.LpVariable]]] = {}  # w -> (due, minutes, var)

    for spec in problem.specs:
        o = spec.order_id
        q = spec.order.quantity
        if problem.options.allow_partial:
            filled = prob.add_variable(f"filled_{o}", 0, q, cat=pulp.LpInteger)
        else:
            full = prob.add_variable(f"full_{o}", 0, 1, cat=pulp.LpBinary)
            filled = q * full
        model.filled[o] = filled
        per_step: dict[str, list[pulp.LpVariable]] = {s.process: [] for s in spec.steps}
        for w in spec.eligible:
            workshop = problem.workshop(w)
            member = prob.add_variable(f"member_{w}_{o}", 0, 1, cat=pulp.LpBinary)
            model.member[w, o] = member
            mine = []
            for step in spec.does(workshop):
                bound = problem.unit_bound(workshop, spec, step)
                if bound <= 0:
                    continue
                x = prob.add_variable(f"units_{w}_{o}_{step.process}", 0, bound, cat=pulp.LpInteger)
                model.units[w, o, step.process] = x
                per_step[step.process].append(x)
                prob += x <= bound * member, f"link_{w}_{o}_{step.process}"
                usage.setdefault(w, []).append((spec.order.due_weeks, step.minutes_per_unit, x))
                mine.append(x)
            prob += member <= pulp.lpSum(mine), f"has_work_{w}_{o}"
            # The minutes a workshop gives an order fit in what it has free by the
            # due date, and only if it is a member: a much tighter link than the
            # per-process bounds, which keeps the smallest-group search honest.
            prob += (
                pulp.lpSum(
                    s.minutes_per_unit * model.units[w, o, s.process]
                    for s in spec.does(workshop)
                    if (w, o, s.process) in model.units
                )
                <= workshop.available_minutes(spec.order.due_weeks) * member,
                f"member_minutes_{w}_{o}",
            )
        for process, xs in per_step.items():
            prob += pulp.lpSum(xs) == filled, f"cover_{o}_{process}"
        if spec.cap is not None:
            prob += pulp.lpSum(model.member[w, o] for w in spec.eligible) <= spec.cap, f"size_cap_{o}"
        for a, b in problem.conflicts_within(spec.eligible):
            prob += model.member[a, o] + model.member[b, o] <= 1, f"no_conflict_{a}_{b}_{o}"
        for (a, b), weight in problem.pairs_within(spec.eligible):
            z = prob.add_variable(f"together_{a}_{b}_{o}", 0, 1)
            model.together[a, b, o] = z
            model.weights[a, b, o] = weight
            prob += z <= model.member[a, o], f"tie_a_{a}_{b}_{o}"
            prob += z <= model.member[b, o], f"tie_b_{a}_{b}_{o}"

    reach: dict[tuple[str, str], float] = {}
    for (a, b, o), weight in model.weights.items():
        reach[a, o] = reach.get((a, o), 0.0) + weight
        reach[b, o] = reach.get((b, o), 0.0) + weight
    model.member_penalty = 1.0 + max(reach.values(), default=0.0)

    for w, uses in sorted(usage.items()):
        available = problem.workshop(w).available_minutes_per_week
        for due in sorted({d for d, _, _ in uses}):
            prob += (
                pulp.lpSum(m * x for d, m, x in uses if d <= due) <= available * due,
                f"capacity_{w}_by_week_{due:g}",
            )
    prob.setObjective(model.filled_units())
    return model


def start_values(model: GroupModel, problem: MatchProblem, solution: dict) -> dict[str, float]:
    """A complete assignment of the model's variables (by name) from allocations.

    Used as a warm start: the solver begins from a known good solution.
    """
    values: dict[str, float] = {}
    for (w, o, p), var in model.units.items():
        values[var.name] = float(solution.get(o, {}).get(w, {}).get(p, 0))
    members = {(w, o) for o, alloc in solution.items() for w, units in alloc.items() if any(units.values())}
    for (w, o), var in model.member.items():
        values[var.name] = 1.0 if (w, o) in members else 0.0
    for (a, b, o), var in model.together.items():
        values[var.name] = 1.0 if (a, o) in members and (b, o) in members else 0.0
    for spec in problem.specs:
        o = spec.order_id
        alloc = solution.get(o, {})
        filled = min((sum(u.get(s.process, 0) for u in alloc.values()) for s in spec.steps), default=0)
        target = model.filled[o]
        if isinstance(target, pulp.LpVariable):
            values[target.name] = float(filled)
        else:  # quantity x full[o]
            for var in target:
                values[var.name] = 1.0 if filled >= spec.order.quantity else 0.0
    return values


def objective_value(model: GroupModel, values: dict[str, float]) -> float:
    """The current objective of the model at an assignment given by name."""
    expr = model.prob.objective
    return float(expr.constant + sum(coef * values.get(var.name, 0.0) for var, coef in expr.items()))
