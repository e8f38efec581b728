"""The mixed-integer model of group formation, written with PuLP.

Variables, keyed by domain ids:

- ``units[w, o, p]`` whole garments of process ``p`` of order ``o`` made by ``w``;
- ``member[w, o]`` 1 when ``w`` is in the group of ``o``;
- ``does[w, o, p]`` 1 when ``w`` makes process ``p`` of ``o`` (with lots; the
  member variable itself when ``w`` can make only one of the order's processes
  and no backup is possible);
- ``filled[o]`` units of ``o`` filled (= quantity × ``full[o]`` unless partial
  fills are allowed);
- ``together[a, b, o]`` 1 when tied workshops ``a`` and ``b`` are both in ``o``.

Constraints (named ``<rule>_<ids>`` so the written LP file reads like a document):
``cover`` (every process of an order gets the same filled units), ``link``
(units only for members), ``lot`` (a member's units of a process are 0 or at
least the order's lot: ``lot × does <= units <= most × does``; a workshop that
cannot make a lot of a process by the due date gets no variable for it),
``does_member``, ``lots`` (at most quantity // lot makers of a process),
``has_work`` (every member makes something),
``size_cap``, ``no_conflict``, ``capacity`` (for every due date D, the minutes a
workshop gives to orders due by D fit in its minutes available by D),
``tie_a``/``tie_b`` (``together`` needs both members).

The rules of :mod:`matcher.optimize.rules` add, per order and only when
switched on: ``lead`` (one member that can lead; required: every member within
``leader_hops`` of it), ``flow``/``root`` (required cohesion: a single-commodity
flow from one root member reaches every member over ties between members),
``workers_band``/``quality_band`` (required homogeneity: members' workers and
quality within one band), ``share`` (required fairness), ``min_size``;
and, once for the run when any order wants fairness, ``max_load`` (for every
workshop eligible for such an order and every due date D, the minutes it gives
to orders due by D are at most ``max_load`` times its minutes free by D).

Objectives, lexicographic: first filled units (times each order's priority);
then, holding them, the preferred rules as one weighted sum (weights in
:mod:`matcher.optimize.rules`): with ``small`` preferred each member costs more
than the ties, leader, specialisation and fairness any one workshop could
bring, so a member is only ever added for the units it makes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pulp

from matcher.optimize._problem import MatchProblem, OrderSpec
from matcher.optimize._types import Solution
from matcher.optimize.rules import HOMOGENEITY_WEIGHT, LOAD_WEIGHT, SHARE_WEIGHT, SPECIALISATION_WEIGHT

Key = tuple[str, ...]


@dataclass
class GroupModel:
    """A built model and its variables (keyed by ids)."""

    prob: pulp.LpProblem
    units: dict[tuple[str, str, str], pulp.LpVariable] = field(default_factory=dict)
    member: dict[tuple[str, str], pulp.LpVariable] = field(default_factory=dict)
    filled: dict[str, pulp.LpVariable | pulp.LpAffineExpression] = field(default_factory=dict)
    together: dict[tuple[str, str, str], pulp.LpVariable] = field(default_factory=dict)
    does: dict[tuple[str, str, str], pulp.LpVariable] = field(default_factory=dict)
    weights: dict[tuple[str, str, str], float] = field(default_factory=dict)
    lead: dict[tuple[str, str], pulp.LpVariable] = field(default_factory=dict)
    backup: dict[tuple[str, str], pulp.LpVariable] = field(default_factory=dict)
    robust: dict[str, pulp.LpVariable | int] = field(default_factory=dict)
    max_load: pulp.LpVariable | None = None
    priority: dict[str, float] = field(default_factory=dict)
    terms: dict[str, list[pulp.LpAffineExpression]] = field(default_factory=dict)

    def filled_units(self) -> pulp.LpAffineExpression:
        """Phase 1: filled units, each order's weighted by its priority."""
        return pulp.lpSum(self.priority.get(o, 1.0) * f for o, f in self.filled.items())

    def preferences(self) -> pulp.LpAffineExpression:
        """Phase 2: the weighted sum of the preferred rules' terms."""
        return pulp.lpSum(e for exprs in self.terms.values() for e in exprs)

    def add_term(self, rule: str, expr: pulp.LpAffineExpression) -> None:
        self.terms.setdefault(rule, []).append(expr)


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
        step_makers: dict[str, list[pulp.LpVariable]] = {s.process: [] for s in spec.steps}
        # Units are whole garments, so a lot of 1 is no lot at all.
        lot = spec.lot if spec.lot > 1 else 0
        robust = spec.rules.wanted("robustness")
        for w in spec.eligible:
            workshop = problem.workshop(w)
            member = prob.add_variable(f"member_{w}_{o}", 0, 1, cat=pulp.LpBinary)
            model.member[w, o] = member
            bounds = [(s, b) for s in spec.does(workshop) if (b := problem.unit_bound(workshop, spec, s)) > 0]
            # One indicator per process only where the member's own cannot serve: a workshop
            # with several of the order's processes may make some and not others, and a
            # backup (robustness) makes none.
            alone = not lot or (len(bounds) == 1 and not robust)
            mine, works = [], []
            for step, bound in bounds:
                p = step.process
                x = prob.add_variable(f"units_{w}_{o}_{p}", 0, bound, cat=pulp.LpInteger)
                model.units[w, o, p] = x
                per_step[p].append(x)
                makes = member if alone else prob.add_variable(f"does_{w}_{o}_{p}", 0, 1, cat=pulp.LpBinary)
                if lot:
                    model.does[w, o, p] = makes
                    if makes is not member:
                        prob += makes <= member, f"does_member_{w}_{o}_{p}"
                    prob += x >= lot * makes, f"lot_{w}_{o}_{p}"
                    step_makers[p].append(makes)
                prob += x <= bound * makes, f"link_{w}_{o}_{p}"
                usage.setdefault(w, []).append((spec.order.due_weeks, step.minutes_per_unit, x))
                mine.append(x)
                works.append(makes)
            work = pulp.lpSum(mine if alone else works)
            if robust:  # a backup is a member kept free to step in
                backup = prob.add_variable(f"backup_{w}_{o}", 0, 1, cat=pulp.LpBinary)
                model.backup[w, o] = backup
                prob += backup <= member, f"backup_member_{w}_{o}"
                prob += member <= work + backup, f"has_work_{w}_{o}"
            else:
                prob += member <= work, f"has_work_{w}_{o}"
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
            # Each maker of a process takes a lot or more: at most quantity // lot of them.
            makers = step_makers[process]
            if lot and len(makers) > q // lot:
                prob += pulp.lpSum(makers) <= q // lot, f"lots_{o}_{process}"
        model.priority[o] = spec.priority
        if spec.cap is not None:
            prob += pulp.lpSum(model.member[w, o] for w in spec.eligible) <= spec.cap, f"size_cap_{o}"
        for a, b in problem.conflicts_within(spec.eligible):
            prob += model.member[a, o] + model.member[b, o] <= 1, f"no_conflict_{a}_{b}_{o}"
        for (a, b), weight in problem.pairs_within(spec.eligible):
            if not spec.rules.wanted("cohesion"):
                continue
            z = prob.add_variable(f"together_{a}_{b}_{o}", 0, 1)
            model.together[a, b, o] = z
            model.weights[a, b, o] = weight
            prob += z <= model.member[a, o], f"tie_a_{a}_{b}_{o}"
            prob += z <= model.member[b, o], f"tie_b_{a}_{b}_{o}"
        _rules(model, problem, spec, filled)

    # A member must cost more than all it could bring: its ties, its main
    # product, a leader (worth half a member) and, with fairness, a lower
    # largest share and a lower largest utilisation (each term at most its weight).
    # (See MatchProblem.member_cost: a part of a larger run keeps the run's.)
    fair = {w for spec in problem.specs if spec.rules.wanted("fairness") for w in spec.eligible}
    member_cost = problem.member_cost
    for spec in problem.specs:
        o, rules = spec.order_id, spec.rules
        members = [model.member[w, o] for w in spec.eligible]
        if rules.wanted("small"):
            model.add_term("small", -member_cost * pulp.lpSum(members))
        if rules.wanted("leader"):
            leads = [model.lead[w, o] for w in spec.eligible if (w, o) in model.lead]
            model.add_term("leader", 0.5 * member_cost * pulp.lpSum(leads))
        if rules.wanted("cohesion"):
            model.add_term(
                "cohesion", pulp.lpSum(model.weights[k] * v for k, v in model.together.items() if k[2] == o)
            )

    if fair:
        # Utilisation is counted by each due date, as capacity is: a workshop
        # that gives all its first week to an order due then is fully loaded,
        # whatever it has free before a later order's due date.
        model.max_load = prob.add_variable("max_load", 0, 1)
        model.add_term("fairness", -LOAD_WEIGHT * model.max_load)
    for w, uses in sorted(usage.items()):
        available = problem.workshop(w).available_minutes_per_week
        for due in sorted({d for d, _, _ in uses}):
            used = pulp.lpSum(m * x for d, m, x in uses if d <= due)
            prob += used <= available * due, f"capacity_{w}_by_week_{due:g}"
            if model.max_load is not None and w in fair:
                prob += used <= available * due * model.max_load, f"max_load_{w}_by_week_{due:g}"
    for spec in problem.specs:
        if spec.rules.wanted("robustness"):
            _robustness(model, problem, spec, usage)
            if spec.rules.preferred("robustness"):
                model.add_term("robustness", member_cost * model.robust[spec.order_id])
    prob.setObjective(model.filled_units())
    return model


def _robustness(
    model: GroupModel,
    problem: MatchProblem,
    spec: OrderSpec,
    usage: dict[str, list[tuple[float, float, pulp.LpVariable]]],
) -> None:
    """If any one member drops out, the others' spare minutes cover its work.

    A member's spare minutes for the order are what it has left, after all its
    allocations, by the order's due date and every later one. For each member
    and each of its processes, the spare minutes of the other members (and
    backups) that do that process cover its minutes; so do, in all, those of
    the other members that do any of the order's processes. With lots, one
    that steps in takes whole lots: a workshop's spare minutes count for a
    process it does not make for the order only when they hold a lot of it.
    """
    prob, o, due = model.prob, spec.order_id, spec.order.due_weeks
    robust: pulp.LpVariable | int
    filled = model.filled[o]
    if spec.rules.required("robustness"):
        robust = 1
    else:
        robust = prob.add_variable(f"robust_{o}", 0, 1, cat=pulp.LpBinary)
        prob += robust <= filled, f"robust_filled_{o}"  # an empty group earns nothing
    model.robust[o] = robust
    backups = [model.backup[w, o] for w in spec.eligible if (w, o) in model.backup]
    prob += pulp.lpSum(backups) <= 1, f"one_backup_{o}"
    for b in backups:
        prob += b <= filled, f"backup_filled_{b.name}"
    spare = {}
    for w in spec.eligible:
        workshop = problem.workshop(w)
        weekly = workshop.available_minutes_per_week
        s = prob.add_variable(f"spare_{w}_{o}", 0, weekly * due)
        spare[w] = s
        prob += s <= weekly * due * model.member[w, o], f"spare_member_{w}_{o}"
        uses = usage.get(w, [])
        for horizon in sorted({d for d, _, _ in uses if d >= due} | {due}):
            used = pulp.lpSum(m * x for d, m, x in uses if d <= horizon)
            prob += s <= weekly * horizon - used, f"spare_{w}_{o}_by_week_{horizon:g}"
    does = {
        st.process: [w for w in spec.eligible if st.process in problem.workshop(w).processes]
        for st in spec.steps
    }
    lot = spec.lot if spec.lot > 1 else 0
    usable: dict[tuple[str, str], pulp.LpVariable | pulp.LpAffineExpression | int] = {}
    for st in spec.steps:
        p = st.process
        for w in does[p]:
            if not lot:
                usable[w, p] = spare[w]
            elif (w, o, p) not in model.does:
                usable[w, p] = 0  # cannot make a lot of it by the due date
            else:
                room = problem.workshop(w).available_minutes_per_week * due
                c = prob.add_variable(f"spare_for_{w}_{o}_{p}", 0, room)
                enough = prob.add_variable(f"spare_lot_{w}_{o}_{p}", 0, 1, cat=pulp.LpBinary)
                prob += c <= spare[w], f"spare_for_{w}_{o}_{p}"
                prob += c <= room * (model.does[w, o, p] + enough), f"spare_for_doer_{w}_{o}_{p}"
                prob += lot * st.minutes_per_unit * enough <= spare[w], f"spare_lot_{w}_{o}_{p}"
                usable[w, p] = c
    anyone = spec.eligible
    q = spec.order.quantity
    total = sum(st.minutes_per_unit for st in spec.steps) * q
    for m in spec.eligible:
        mine = []
        for st in spec.steps:
            x = model.units.get((m, o, st.process))
            if x is None:
                continue
            need = st.minutes_per_unit * x
            mine.append(need)
            cover = pulp.lpSum(usable[w, st.process] for w in does[st.process] if w != m)
            big = st.minutes_per_unit * q
            prob += need <= cover + big * (1 - robust), f"robust_{m}_{o}_{st.process}"
        if mine:
            cover = pulp.lpSum(spare[w] for w in anyone if w != m)
            prob += pulp.lpSum(mine) <= cover + total * (1 - robust), f"robust_{m}_{o}"


def _rules(model: GroupModel, problem: MatchProblem, spec: OrderSpec, filled: object) -> None:
    """The constraints and variables of the rules switched on for one order."""
    prob, o, rules = model.prob, spec.order_id, spec.rules
    eligible = spec.eligible
    member = {w: model.member[w, o] for w in eligible}
    if not eligible:
        return
    q = spec.order.quantity
    total_minutes = sum(s.minutes_per_unit for s in spec.steps)
    minutes = {
        w: pulp.lpSum(
            s.minutes_per_unit * model.units[w, o, s.process]
            for s in spec.steps
            if (w, o, s.process) in model.units
        )
        for w in eligible
    }

    if rules.min_group_size > 1:
        if isinstance(filled, pulp.LpVariable):  # partial fills: a group is used when it fills anything
            used = prob.add_variable(f"used_{o}", 0, 1, cat=pulp.LpBinary)
            prob += filled <= q * used, f"used_{o}"
        else:
            used = next(iter(filled.keys()))  # full[o]
        prob += pulp.lpSum(member.values()) >= rules.min_group_size * used, f"min_size_{o}"

    if rules.level("leader") != "off":
        leaders = [w for w in eligible if problem.workshop(w).can_lead]
        for w in leaders:
            model.lead[w, o] = prob.add_variable(f"lead_{w}_{o}", 0, 1, cat=pulp.LpBinary)
            prob += model.lead[w, o] <= member[w], f"lead_member_{w}_{o}"
        if leaders:
            prob += pulp.lpSum(model.lead[w, o] for w in leaders) <= 1, f"one_leader_{o}"
        if rules.required("leader"):
            for w in eligible:
                near = problem.distances.get(w, {})
                heads = [model.lead[v, o] for v in leaders if near.get(v, math.inf) <= rules.leader_hops]
                prob += member[w] <= pulp.lpSum(heads), f"led_{w}_{o}"

    if rules.required("cohesion"):
        k = spec.cap if spec.cap is not None else len(eligible)
        root = {w: prob.add_variable(f"root_{w}_{o}", 0, 1, cat=pulp.LpBinary) for w in eligible}
        supply = {w: prob.add_variable(f"supply_{w}_{o}", 0, k) for w in eligible}
        prob += pulp.lpSum(root.values()) <= 1, f"one_root_{o}"
        out_flow: dict[str, list] = {w: [] for w in eligible}
        in_flow: dict[str, list] = {w: [] for w in eligible}
        for (a, b), _ in problem.pairs_within(eligible):
            for x, y in ((a, b), (b, a)):
                f = prob.add_variable(f"flow_{x}_{y}_{o}", 0, k - 1)
                prob += f <= (k - 1) * member[x], f"flow_from_{x}_{y}_{o}"
                prob += f <= (k - 1) * member[y], f"flow_to_{x}_{y}_{o}"
                out_flow[x].append(f)
                in_flow[y].append(f)
        for w in eligible:
            prob += supply[w] <= k * root[w], f"supply_{w}_{o}"
            prob += root[w] <= member[w], f"root_member_{w}_{o}"
            prob += (
                pulp.lpSum(out_flow[w]) - pulp.lpSum(in_flow[w]) == supply[w] - member[w],
                f"flow_balance_{w}_{o}",
            )

    workers = {w: problem.workshop(w).workers for w in eligible}
    quality = {w: problem.workshop(w).quality for w in eligible}
    if rules.required("homogeneity"):
        for name, values, fits in (
            ("workers", workers, lambda low, v: low <= v <= low * rules.max_worker_ratio + 1e-9),
            ("quality", quality, lambda low, v: low <= v <= low + rules.max_quality_spread),
        ):
            bands = sorted(set(values.values()))
            pick = {b: prob.add_variable(f"{name}_band_{b}_{o}", 0, 1, cat=pulp.LpBinary) for b in bands}
            prob += pulp.lpSum(pick.values()) <= 1, f"one_{name}_band_{o}"
            for w in eligible:
                prob += (
                    member[w] <= pulp.lpSum(pick[b] for b in bands if fits(b, values[w])),
                    f"{name}_band_{w}_{o}",
                )
    if rules.wanted("homogeneity"):
        for name, values in (
            ("workers", {w: math.log2(v) for w, v in workers.items()}),
            ("quality", quality),
        ):
            top = max(values.values())
            high = prob.add_variable(f"{name}_high_{o}", 0, top)
            low = prob.add_variable(f"{name}_low_{o}", 0, top)
            prob += low <= high, f"{name}_low_high_{o}"
            for w in eligible:
                prob += high >= values[w] * member[w], f"{name}_high_{w}_{o}"
                prob += low <= values[w] + top * (1 - member[w]), f"{name}_low_{w}_{o}"
            model.add_term("homogeneity", -HOMOGENEITY_WEIGHT * (high - low))

    if rules.required("fairness"):
        for w in eligible:
            prob += minutes[w] <= rules.fairness_share * total_minutes * filled, f"share_{w}_{o}"
    if rules.wanted("fairness"):
        largest = prob.add_variable(f"largest_share_{o}", 0, 1)
        for w in eligible:
            prob += minutes[w] <= total_minutes * q * largest, f"largest_share_{w}_{o}"
        model.add_term("fairness", -SHARE_WEIGHT * largest)

    if rules.wanted("specialisation"):
        main = [member[w] for w in eligible if problem.workshop(w).products[0] == spec.order.product]
        model.add_term("specialisation", SPECIALISATION_WEIGHT * pulp.lpSum(main))

    if rules.wanted("cost"):
        price = problem.cost_per_minute
        cheapest = problem.cheapest_cost(spec)
        if cheapest > 0:
            model.add_term("cost", -pulp.lpSum(price[w] * minutes[w] for w in eligible) / cheapest)


def read_solution(model: GroupModel) -> Solution:
    """Allocations read off a solved model (order -> workshop -> process -> units).

    Units are whole garments (binaries and integers read rounded); a backup is
    a member with no units (``{}``).
    """
    solution: Solution = {}
    for (w, o, p), var in sorted(model.units.items()):
        value = round(var.value() or 0.0)
        if value > 0:
            solution.setdefault(o, {}).setdefault(w, {})[p] = value
    for (w, o), var in sorted(model.backup.items()):
        if round(var.value() or 0.0) == 1 and round(model.member[w, o].value() or 0.0) == 1:
            solution.setdefault(o, {}).setdefault(w, {})
    return solution


def start_values(model: GroupModel, problem: MatchProblem, solution: dict) -> dict[str, float]:
    """A complete assignment of the model's variables (by name) from allocations.

    Used as a warm start: the solver begins from a known good solution (with
    lots, with its makers of each process and a leader where a member can lead).
    """
    values: dict[str, float] = {}
    for (w, o, p), var in model.units.items():
        values[var.name] = float(solution.get(o, {}).get(w, {}).get(p, 0))
    members = {(w, o) for o, alloc in solution.items() for w, units in alloc.items() if any(units.values())}
    for (w, o), var in model.member.items():
        values[var.name] = 1.0 if (w, o) in members else 0.0
    for (w, o, p), var in model.does.items():
        values[var.name] = 1.0 if solution.get(o, {}).get(w, {}).get(p, 0) > 0 else 0.0
    groups: dict[str, list[str]] = {}
    for w, o in sorted(members):
        groups.setdefault(o, []).append(w)
    # With lots, a start names a leader: the solver finds small led groups late.
    heads = {
        s.order_id: _a_leader(problem, s, groups.get(s.order_id, [])) for s in problem.specs if s.lot > 1
    }
    for (w, o), var in model.lead.items():
        values[var.name] = 1.0 if heads.get(o) == w else 0.0
    for (a, b, o), var in model.together.items():
        values[var.name] = 1.0 if (a, o) in members and (b, o) in members else 0.0
    if model.max_load is not None:
        values[model.max_load.name] = problem.largest_utilisation(solution)
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


def _a_leader(problem: MatchProblem, spec: OrderSpec, group: list[str]) -> str | None:
    """A member that can lead the group (within ``leader_hops`` of every member when the
    rule is required), the first by id; None when there is none. Any such member earns
    the group the same, so a start need not choose among them."""
    for w in group:
        if not problem.workshop(w).can_lead:
            continue
        if not spec.rules.required("leader"):
            return w
        near = problem.distances.get(w, {})
        if all(near.get(v, math.inf) <= spec.rules.leader_hops for v in group):
            return w
    return None


def objective_value(model: GroupModel, values: dict[str, float]) -> float:
    """The current objective of the model at an assignment given by name."""
    expr = model.prob.objective
    return float(expr.constant + sum(coef * values.get(var.name, 0.0) for var, coef in expr.items()))
