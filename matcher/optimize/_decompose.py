"""Large runs: one order at a time on its best candidates, with a bound for the whole run.

The full model has a member variable for every eligible workshop of every
order; with thousands of workshops and hundreds of orders it is too large to
build, let alone prove. Orders only interact through the minutes they share,
and a good group is small, so the run is decomposed:

1. **Bounds per order, for the whole cluster.** :func:`order_bound` proves,
   without a solver, the fewest members any group filling the order needs
   (the members' minutes, and each process's, sorted largest first) and, from
   it, the most any such group can score on the preferred rules (members'
   cost, a leader, the heaviest ties any k workshops could have, ...). Orders
   with few eligible workshops are also solved exactly, alone, on all of them,
   and the solver's bound is used where it is tighter.
2. **Groups, one order at a time.** Orders with the fewest workshops that
   could take them alone and lead go first (they lose most when another
   order takes such a workshop), then by due date; each is solved exactly
   (the full model, both phases' rules) on its candidates — the workshops
   with the most minutes left by its due date after the orders already
   placed, overall and per process, those that can lead, and their tied
   neighbours — with the minutes the earlier orders left. An order that some
   group could fill alone but that found no room is put first, and all are
   placed again. The greedy
   baseline's groups are the fallback of every order.
3. **Neighbourhood search.** An order with more members than it needs, or
   no leader, is freed with the orders that hold the workshops it wants; they
   are solved again together (the full model on their candidates, the rest
   of the run kept) and the change is kept when it scores better.
4. **Polish.** The best mix of the groups found (each order's, its best
   alone, the workshops that could take it alone; :func:`_recombine`; up
   to ``MIX_LIMIT`` eligible pairs), then
   all groups together go through the full model restricted to their
   members, which fixes the leaders and the exact objective.
5. **Prices.** When a gap is left, the competition for workshops that can
   take an order alone is bounded exactly (:func:`singles_bound`; in runs
   too large for its whole-choice model, by column generation over the
   orders each workshop takes alone, :mod:`matcher.optimize._patterns`,
   right after step 2); then, up to ``MIX_LIMIT``, the minutes the orders
   share are priced (column generation: the duals of a linear program
   choosing among the groups known for each order) and each order is
   bounded again at those prices, which tightens the bound where orders
   compete for few workshops.

The bound is valid for the whole problem, not just the candidates: relaxing
the shared minutes splits the run into orders, each bounded over all its
eligible workshops, and the units kept from phase 1 are priced by a
Lagrange multiplier (see :func:`preference_bound` and :func:`_lagrangian`).
Phase 1 is bounded by the units of every order that some group could fill
alone.

Not decomposed (the full model is used): partial fills, and robustness,
whose spare minutes depend on every later order.

Lots (a member's units of a process are 0 or at least the order's lot) hold
in every group: each order's model has them, and the greedy baseline keeps
them. The bounds need no change to stay valid, as each relaxes the run with
lots as it relaxed the run without; a lot never binds a workshop taking a
whole order alone (a lot is at most the quantity), so the single-workshop
bounds and their patterns are those of lots of any size. Where it is cheap the
bounds see lots too: a workshop that cannot make a lot of a process counts
for none of it in :func:`fewest_members` and the pair bound. Each order's own
model then also states the fewest members a group needs, and starts from the
best of the greedy groups (:func:`_greedy_start`): with lots, its linear
relaxation no more than before tells a led pair from a fraction of one, and the
solver needs the help. Without lots the run is decomposed as it always was.
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from dataclasses import dataclass, replace

import numpy as np
import pulp

from matcher.model import Cluster, Tie, Workshop
from matcher.optimize._model import GroupModel, build_model, read_solution, start_values
from matcher.optimize._patterns import Alone, pattern_bound
from matcher.optimize._problem import MatchProblem, OrderSpec
from matcher.optimize._solve import Outcome, run_solver
from matcher.optimize.greedy import Ledger, greedy_group, greedy_solution
from matcher.optimize.rules import LOAD_WEIGHT, RULES, SHARE_WEIGHT, SPECIALISATION_WEIGHT

#: order id -> workshop id -> process -> units
Solution = dict[str, dict[str, dict[str, int]]]

#: Orders with at most this many eligible workshops are also solved alone on all of them.
EXACT_ALONE = 80
#: Candidates per order: by free minutes, per process, that can lead, and tied neighbours.
TOP_FREE = 12
TOP_PER_PROCESS = 6
TOP_LEADERS = 6
MAX_CANDIDATES = 60
#: Eligible (workshop, order) pairs above which the recombination of known groups is skipped
#: and the bound on single workshops is taken from its linear relaxation: their whole-choice
#: models take longer to solve than such a run can spare (10,000 workshops x 500 orders
#: overran its time limit by 40% with them).
MIX_LIMIT = 100_000
#: Share of the master's duals in the prices of each round (the rest: the best prices so far).
SMOOTHING = 0.5
#: Single-workshop groups each order brings to the pricing master from the start.
SINGLE_COLUMNS = 6
#: Above MIX_LIMIT, single workshops each order brings to the mix of known groups.
MIX_SINGLES = 24
#: Above MIX_LIMIT, the most of the run's budget the patterns' bound may take, and the share
#: kept after the neighbourhood search for the mix and the polish (the minutes' prices are
#: not sought there: measured at 10,000 workshops x 500 orders, their bound stayed 7% above
#: the patterns').
PATTERN_SHARE = 0.12
LARGE_RESERVE = 0.2


@dataclass(frozen=True)
class OrderBound:
    """What any group filling one order alone can reach, over all its eligible workshops.

    ``fillable`` is False when no group can fill it (proved), None when not
    settled; ``fewest`` is the fewest members a group needs; ``best`` an upper
    bound on the group's preferred-rules score.
    """

    order_id: str
    fillable: bool | None
    fewest: int
    best: float
    single: str | None = None


def _fewest(sizes: list[float], need: float) -> int | None:
    """The fewest of ``sizes`` (largest first) that add up to ``need``; None if all do not."""
    total = 0.0
    for k, size in enumerate(sorted(sizes, reverse=True), start=1):
        total += size
        if total >= need - 1e-9:
            return k
    return None if need > 1e-9 else 0


def fewest_members(
    problem: MatchProblem, spec: OrderSpec, free: dict[str, float] | None = None
) -> int | None:
    """A lower bound on the members of any group filling ``spec``; None when none can.

    Each workshop gives at most its free minutes by the due date (``free``,
    default all it has), and no more than the order needs of the processes it
    does (with lots, those it has room for a lot of); the members must cover
    every process and the whole.
    """
    order = spec.order
    q, due = order.quantity, order.due_weeks
    have = {
        w: (free[w] if free is not None else problem.workshop(w).available_minutes(due))
        for w in spec.eligible
    }
    fewest = max(1, spec.rules.min_group_size)
    total_need = q * sum(s.minutes_per_unit for s in spec.steps)
    lot = spec.lot if spec.lot > 1 else 0
    whole = []
    for w in spec.eligible:
        does = [s for s in spec.does(problem.workshop(w)) if have[w] >= lot * s.minutes_per_unit - 1e-9]
        whole.append(min(have[w], q * sum(s.minutes_per_unit for s in does)))
    k = _fewest(whole, total_need)
    if k is None:
        return None
    fewest = max(fewest, k)
    for step in spec.steps:
        sizes = [
            units * step.minutes_per_unit
            for w in spec.eligible
            if step.process in problem.workshop(w).processes
            and (units := min(q, math.floor(have[w] / step.minutes_per_unit + 1e-9))) >= lot
        ]
        k = _fewest(sizes, q * step.minutes_per_unit)
        if k is None:
            return None
        fewest = max(fewest, k)
    if spec.cap is not None and fewest > spec.cap:
        return None
    return fewest


def _cohesion_most(weights: list[float], incident: dict[str, list[float]], k: int) -> float:
    """The most tie weight any ``k`` workshops can have among themselves.

    At most the heaviest k(k-1)/2 pairs, and at most half the sum, over the k
    workshops with the most, of each one's k-1 heaviest ties.
    """
    if k < 2 or not weights:
        return 0.0
    pairs = sum(weights[: k * (k - 1) // 2])
    per_node = sorted((sum(ws[: k - 1]) for ws in incident.values()), reverse=True)
    return min(pairs, 0.5 * sum(per_node[:k]))


def order_bound(
    problem: MatchProblem, spec: OrderSpec, price: dict[str, float] | None = None, *, least: int = 1
) -> OrderBound:
    """Bound the preferred-rules score of any group filling ``spec`` alone.

    The terms mirror :mod:`matcher.optimize._model`: each is bounded for a
    group of k members, k from :func:`fewest_members` up, and the best k
    kept. Homogeneity and the run's largest utilisation never add (their
    terms are at most 0); robustness is not decomposed. With ``price``
    (workshop -> per minute), the least the group pays for its minutes is
    taken off (see :func:`_price_floor`); ``single`` names the workshop when
    one workshop alone attains the bound. With ``least``, only groups of at
    least that many members are bounded (``best`` is -inf when there are none).
    """
    fewest = fewest_members(problem, spec)
    if fewest is None:
        return OrderBound(spec.order_id, False, 0, -math.inf)
    rules, order = spec.rules, spec.order
    cost = problem.member_cost
    pairs = problem.pairs_within(spec.eligible) if rules.wanted("cohesion") else []
    weights = sorted((w for _, w in pairs), reverse=True)
    incident: dict[str, list[float]] = defaultdict(list)
    for (a, b), w in pairs:
        incident[a].append(w)
        incident[b].append(w)
    for ws in incident.values():
        ws.sort(reverse=True)
    leader = (
        0.5 * cost
        if rules.wanted("leader") and any(problem.workshop(w).can_lead for w in spec.eligible)
        else 0
    )
    main = sum(problem.workshop(w).products[0] == order.product for w in spec.eligible)
    largest = min(len(spec.eligible), spec.cap if spec.cap is not None else len(spec.eligible))
    cost_term = -1.0 if rules.wanted("cost") and problem.cheapest_cost(spec) > 0 else 0.0
    special = SPECIALISATION_WEIGHT if rules.wanted("specialisation") else 0.0
    # A member brings at most half its ties' weight (each pair counts at both ends).
    brings = 0.5 * max((sum(ws) for ws in incident.values()), default=0.0) + special
    paid = _price_floor(problem, spec, price) if price else 0.0
    best, single = -math.inf, None
    for k in range(max(fewest, least), largest + 1):
        small = -cost * k if rules.wanted("small") else 0.0
        if k == 1:  # one workshop alone: its own figures, exactly
            value, single = _best_single(problem, spec, leader, special, cost_term, price)
            best = small + value
            continue
        if rules.wanted("small") and small + k * brings + leader + cost_term - paid < best:
            break  # no larger group can score more
        extra = special * min(k, main) + cost_term - paid
        if rules.wanted("fairness"):
            extra -= SHARE_WEIGHT / k  # the largest share is at least 1/k
        if k == 2:  # a leader and a tie only count for two workshops that could fill the order together
            value = small + extra + _pair_most(problem, spec, pairs, leader)
        else:
            value = small + extra + leader + _cohesion_most(weights, incident, k)
        if value > best:
            best, single = value, None
    return OrderBound(spec.order_id, True, fewest, best, single)


def _pair_most(
    problem: MatchProblem, spec: OrderSpec, pairs: list[tuple[tuple[str, str], float]], leader: float
) -> float:
    """The most leader bonus and tie weight two workshops that could fill the order together can have.

    ``leader`` for a pair without ties when some pair with a workshop that can
    lead could fill it (0 when only pairs without one could; -inf when no
    pair could; :func:`_pairs_possible`); for a tied pair, its weight and
    ``leader`` when one of the two can lead, if the two could fill it
    (:class:`_PairFigures`).
    """
    any_pair, leading_pair = _pairs_possible(problem, spec)
    if not any_pair:
        return -math.inf
    figures = _pair_figures(problem, spec)
    best = leader if leading_pair else 0.0
    for (a, b), weight in sorted(pairs, key=lambda p: -p[1]):
        if weight + leader <= best:
            break  # sorted heaviest first: no lighter pair gains more
        i, j = figures.index[a], figures.index[b]
        if not figures.fill(i)[j]:
            continue
        lead = leader if figures.leads[i] or figures.leads[j] else 0.0
        best = max(best, weight + lead)
    return best


@dataclass(frozen=True)
class _PairFigures:
    """What each eligible workshop could give an order by its due date, for pairs.

    ``whole`` is its minutes (at most the order's, of the processes it does),
    ``units`` its units of each process (0 below the order's lot); two
    workshops could fill the order only if their minutes and their units of
    every process add up (the necessary conditions of :func:`fewest_members`).
    """

    index: dict[str, int]
    whole: np.ndarray
    units: np.ndarray
    leads: np.ndarray
    need: float
    quantity: int

    def fill(self, a: int) -> np.ndarray:
        """Which workshops could fill the order with workshop ``a`` (never ``a`` itself)."""
        partner = (self.whole >= self.need - self.whole[a] - 1e-9) & np.all(
            self.units >= self.quantity - self.units[a], axis=1
        )
        partner[a] = False
        return partner


def _pair_figures(problem: MatchProblem, spec: OrderSpec) -> _PairFigures:
    """:class:`_PairFigures` of an order, kept per problem (bounds are asked again at every price)."""
    known = problem.memo.setdefault("pair_figures", {})
    if spec.order_id not in known:
        q, due = spec.order.quantity, spec.order.due_weeks
        lot = spec.lot if spec.lot > 1 else 0
        shops = [problem.workshop(w) for w in spec.eligible]
        room = [shop.available_minutes(due) for shop in shops]
        units = [
            [
                min(q, math.floor(h / st.minutes_per_unit + 1e-9)) if st.process in shop.processes else 0
                for st in spec.steps
            ]
            for shop, h in zip(shops, room, strict=True)
        ]
        units = [[u if u >= lot else 0 for u in row] for row in units]  # a process below a lot: none
        whole = [
            min(
                h,
                q
                * sum(
                    st.minutes_per_unit
                    for st, u in zip(spec.steps, row, strict=True)
                    if st.process in shop.processes and (u or not lot)
                ),
            )
            for shop, h, row in zip(shops, room, units, strict=True)
        ]
        known[spec.order_id] = _PairFigures(
            index={w: k for k, w in enumerate(spec.eligible)},
            whole=np.array(whole, dtype=float),
            units=np.array(units, dtype=float).reshape(len(shops), len(spec.steps)),
            leads=np.array([shop.can_lead for shop in shops], dtype=bool),
            need=q * sum(st.minutes_per_unit for st in spec.steps),
            quantity=q,
        )
    return known[spec.order_id]


def _pairs_possible(problem: MatchProblem, spec: OrderSpec) -> tuple[bool, bool]:
    """Whether two eligible workshops could fill the order together, and two of which one can lead."""
    known = problem.memo.setdefault("pairs_possible", {})
    if spec.order_id not in known:
        figures = _pair_figures(problem, spec)
        found = (False, False)
        # those that can lead first: a pair with one of them settles both questions
        for a in sorted(range(len(figures.index)), key=lambda k: (not figures.leads[k], k)):
            partner = figures.fill(a)
            if partner.any():
                if figures.leads[a] or bool(figures.leads[partner].any()):
                    found = (True, True)
                    break
                found = (True, False)
                if not figures.leads[a]:
                    break  # no workshop that can lead has a partner (they came first)
        known[spec.order_id] = found
    return known[spec.order_id]


def _best_single(
    problem: MatchProblem,
    spec: OrderSpec,
    leader: float,
    special: float,
    cost: float,
    price: dict[str, float] | None = None,
) -> tuple[float, str | None]:
    """The most a single workshop taking the whole order can add beside its member cost, and which.

    ``price`` (workshop -> per minute) is subtracted for the minutes it gives.
    """
    order = spec.order
    need = {s.process: order.quantity * s.minutes_per_unit for s in spec.steps}
    minutes = sum(need.values())
    best, who = -math.inf, None
    for w in spec.eligible:
        shop = problem.workshop(w)
        if not all(p in shop.processes for p in need):
            continue
        if minutes > shop.available_minutes(order.due_weeks) + 1e-9:
            continue
        value = _single_value(problem, spec, w, leader, special, cost)
        if price:
            value -= price.get(w, 0.0) * minutes
        if value > best:
            best, who = value, w
    return best, who


def _single_value(
    problem: MatchProblem, spec: OrderSpec, w: str, leader: float, special: float, cost: float
) -> float:
    """The most workshop ``w`` taking the whole order alone adds beside its member cost."""
    shop = problem.workshop(w)
    value = cost + (leader if shop.can_lead else 0.0)
    value += special if shop.products[0] == spec.order.product else 0.0
    if spec.rules.wanted("fairness"):
        value -= SHARE_WEIGHT  # it gives all the minutes
    return value


def _singles(problem: MatchProblem, spec: OrderSpec) -> list[str]:
    """Workshops that can take the whole order alone: those that can lead first, then by free minutes."""
    order = spec.order
    minutes = order.quantity * sum(s.minutes_per_unit for s in spec.steps)
    able = [
        w
        for w in spec.eligible
        if all(s.process in problem.workshop(w).processes for s in spec.steps)
        and problem.workshop(w).available_minutes(order.due_weeks) >= minutes - 1e-9
    ]
    return sorted(
        able,
        key=lambda w: (
            not problem.workshop(w).can_lead,
            -problem.workshop(w).available_minutes(order.due_weeks),
            w,
        ),
    )


def _price_floor(problem: MatchProblem, spec: OrderSpec, price: dict[str, float]) -> float:
    """The least any group filling the order pays at ``price``: each process's minutes
    from its cheapest doers (a workshop's minutes counted once per process: a relaxation)."""
    q, due = spec.order.quantity, spec.order.due_weeks
    total = 0.0
    for step in spec.steps:
        need = q * step.minutes_per_unit
        doers = sorted(
            (price.get(w, 0.0), w) for w in spec.eligible if step.process in problem.workshop(w).processes
        )
        for rate, w in doers:
            if need <= 1e-9 or rate <= 0:
                break
            give = min(need, problem.workshop(w).available_minutes(due))
            total += rate * give
            need -= give
    return total


def preference_bound(bounds: list[tuple[float, float]], units: float) -> float:
    """An upper bound on the run's preferred-rules score given ``units`` filled.

    ``bounds`` holds, for each order some group can fill, its weighted units
    ``u`` and score bound ``b``. Relaxing the shared minutes and pricing the
    phase-1 constraint (filled units >= ``units``) with a multiplier
    ``mu >= 0`` gives, for every ``mu``, the valid bound
    ``sum(max(0, mu * u + b)) - mu * units``; this returns its minimum over
    ``mu`` (the function is convex and piecewise linear, so a breakpoint or
    the limit at infinity attains it).

    Examples
    --------
    >>> preference_bound([(100.0, -10.0), (50.0, -5.0)], 150.0)
    -15.0
    >>> preference_bound([(100.0, -10.0), (50.0, -5.0)], 100.0)
    -10.0
    """
    if not bounds:
        return 0.0
    total_units = sum(u for u, _ in bounds)

    def value(mu: float) -> float:
        return sum(max(0.0, mu * u + b) for u, b in bounds) - mu * units

    candidates = [0.0] + [max(0.0, -b / u) for u, b in bounds if u > 0]
    best = min(value(mu) for mu in candidates)
    if total_units <= units + 1e-9:  # the limit mu -> infinity
        best = min(best, sum(b for _, b in bounds))
    return best


def _single_scores(problem: MatchProblem, spec: OrderSpec) -> dict[str, float]:
    """Each workshop that can take the whole order alone, and the most it scores so (none when
    the order needs more than one member)."""
    rules = spec.rules
    if rules.min_group_size > 1:
        return {}
    cost = problem.member_cost
    small = -cost if rules.wanted("small") else 0.0
    leader = 0.5 * cost if rules.wanted("leader") else 0.0
    special = SPECIALISATION_WEIGHT if rules.wanted("specialisation") else 0.0
    cost_term = -1.0 if rules.wanted("cost") and problem.cheapest_cost(spec) > 0 else 0.0
    return {
        w: small + _single_value(problem, spec, w, leader, special, cost_term)
        for w in sorted(_singles(problem, spec))
    }


def _choose_columns(
    problem: MatchProblem,
    columns: dict[str, list[tuple[float, dict[str, float]]]],
    units: float,
    solver: str,
    *,
    time_limit: float,
    seed: int,
    relax: bool = False,
    start: dict[str, int] | None = None,
) -> tuple[dict[str, int], Outcome]:
    """At most one column per order, the most score, keeping ``units`` and the workshops' minutes.

    ``columns`` holds, per order, (score, workshop -> minutes) pairs; the
    minutes of the orders due by each due date fit in what each workshop has
    by then, as in the full model. Returns the chosen column of each order
    (by index) and the solver's outcome. With ``relax`` the choices may be
    fractions (a linear program: its optimum bounds the choice; nothing is
    chosen). ``start`` (order -> column index) is a feasible choice the
    solver begins from: what it returns is never worse.

    Beside each workshop's minutes, a row caps how many columns may use it by
    a due date: no more than the most of its smallest uses that fit in its
    minutes. Whole choices obey it anyway; fractional ones are cut much
    closer to them (a workshop with room for one and a half orders serves one).
    """
    specs = {s.order_id: s for s in problem.specs}
    prob = pulp.LpProblem("columns", pulp.LpMaximize)
    pick: dict[tuple[str, int], pulp.LpVariable] = {}
    uses: dict[str, list[tuple[float, float, pulp.LpVariable]]] = defaultdict(list)
    kept, score = [], []
    for o, cols in sorted(columns.items()):
        spec = specs[o]
        mine = []
        for n, (value, used) in enumerate(cols):
            x = prob.add_variable(f"pick_{o}_{n}", 0, 1, cat=pulp.LpContinuous if relax else pulp.LpBinary)
            pick[o, n] = x
            mine.append(x)
            kept.append(spec.priority * spec.order.quantity * x)
            score.append(value * x)
            for w, minutes in used.items():
                uses[w].append((spec.order.due_weeks, minutes, x))
        prob += pulp.lpSum(mine) <= 1, f"one_column_{o}"
    prob += pulp.lpSum(kept) >= units - 1e-6, "keep_units"
    for w, terms in sorted(uses.items()):
        for d in problem.due_dates:
            inside = [(m, x) for due, m, x in terms if due <= d and m > 1e-9]
            room = problem.workshop(w).available_minutes(d)
            if sum(m for m, _ in inside) > room + 1e-9:  # else the row cannot bind
                prob += pulp.lpSum(m * x for m, x in inside) <= room, f"capacity_{w}_by_week_{d:g}"
                most = _most_that_fit(sorted(m for m, _ in inside), room)
                prob += pulp.lpSum(x for _, x in inside) <= most, f"uses_{w}_by_week_{d:g}"
    prob.setObjective(pulp.lpSum(score))
    begin = {pick[o, n].name: 1.0 for o, n in (start or {}).items() if (o, n) in pick}
    outcome = run_solver(prob, solver, time_limit=time_limit, seed=seed, start=begin or None)
    chosen = {}
    if relax:
        return chosen, outcome
    if outcome.status in ("optimal", "feasible"):
        chosen = {o: n for (o, n), x in pick.items() if round(x.value() or 0.0) == 1}
    return chosen, outcome


def _most_that_fit(minutes: list[float], room: float) -> int:
    """How many of ``minutes`` (sorted, smallest first) fit in ``room`` together, at most.

    Examples
    --------
    >>> _most_that_fit([100.0, 150.0, 400.0], 300.0)
    2
    """
    total, count = 0.0, 0
    for m in minutes:
        total += m
        if total > room + 1e-9:
            break
        count += 1
    return count


def alone_relaxation(
    problem: MatchProblem, bounds: dict[str, OrderBound], scores: dict[str, dict[str, float]] | None = None
) -> Alone:
    """The single-workshop relaxation of the run (see :func:`singles_bound`).

    For each order some group may fill: the workshops that can take it
    alone and their scores so (never above the order's bound; ``scores``,
    order -> :func:`_single_scores`, when already known), and the bound of
    any group of two or more.
    """
    specs, worth, larger, minutes, due, takers = [], [], [], [], [], []
    for spec in problem.specs:
        o = spec.order_id
        best = bounds[o].best
        if bounds[o].fillable is False or best == -math.inf:
            continue
        specs.append(spec)
        worth.append(spec.priority * spec.order.quantity)
        larger.append(min(best, order_bound(problem, spec, least=2).best))
        minutes.append(spec.order.quantity * sum(s.minutes_per_unit for s in spec.steps))
        due.append(spec.order.due_weeks)
        scored = scores[o] if scores is not None else _single_scores(problem, spec)
        takers.append({w: min(value, best) for w, value in scored.items()})
    return Alone(specs, worth, larger, minutes, due, takers)


def singles_bound(
    problem: MatchProblem,
    bounds: dict[str, OrderBound],
    units: float,
    solver: str,
    *,
    time_limit: float,
    seed: int,
    relax: bool = False,
) -> float:
    """A bound on the preferred rules that sees which orders can have a workshop to themselves.

    Many orders score best on one workshop alone, and few workshops can take
    each. A relaxation of the run keeps that competition exactly: each order
    takes one workshop alone (its score and all its minutes, exactly), or any
    larger group, which is given its bound (:func:`order_bound` for groups of
    two and more, and the order's own bound) and no minutes; the minutes of
    the workshops taken alone must fit, and ``units`` be kept. Every solution
    of the run maps to one of this relaxation scoring at least as much, so the
    solver's bound on it is a bound on the run. With ``relax``, the bound is
    that of its linear relaxation: weaker, but found in seconds where the
    whole-choice model would take minutes (tens of thousands of columns).
    Returns inf when it has none.
    """
    alone = alone_relaxation(problem, bounds)
    columns: dict[str, list[tuple[float, dict[str, float]]]] = {}
    for i, spec in enumerate(alone.specs):
        cols = [(value, {w: alone.minutes[i]}) for w, value in alone.takers[i].items()]
        if alone.larger[i] > -math.inf:
            cols.append((alone.larger[i], {}))
        if cols:
            columns[spec.order_id] = cols
    _, outcome = _choose_columns(
        problem, columns, units, solver, time_limit=time_limit, seed=seed, relax=relax
    )
    if relax:  # a linear program's optimum is its bound
        return outcome.value if outcome.status == "optimal" and outcome.value is not None else math.inf
    if outcome.status == "infeasible" or outcome.bound is None:
        return math.inf
    return outcome.bound


def _recombine(
    problem: MatchProblem,
    pool: dict[str, list[dict[str, dict[str, int]]]],
    units: float,
    solver: str,
    *,
    time_limit: float,
    seed: int,
    start: Solution | None = None,
) -> Solution:
    """The best mix of known groups: one group (or none) from each order's ``pool``.

    Groups are scored by :func:`_score`, and must keep ``units`` and fit in
    the workshops' minutes together (see :func:`_choose_columns`); ``{}``
    when the solver finds no mix. ``start``, a solution whose groups are all
    in the pool, is where the solver begins.
    """
    specs = {s.order_id: s for s in problem.specs}
    groups: dict[str, list[dict[str, dict[str, int]]]] = {}
    columns: dict[str, list[tuple[float, dict[str, float]]]] = {}
    begin: dict[str, int] = {}
    for o, allocs in pool.items():
        keys = {_key(a): a for a in allocs if a}
        unique = list(keys.values())
        if unique:
            groups[o] = unique
            columns[o] = [(_score(problem, specs[o], a), _usage(specs[o], a)) for a in unique]
            if start and start.get(o) and _key(start[o]) in keys:
                begin[o] = list(keys).index(_key(start[o]))
    chosen, _ = _choose_columns(
        problem, columns, units, solver, time_limit=time_limit, seed=seed, start=begin
    )
    return {o: groups[o][n] for o, n in chosen.items()}


def _sure_single(
    problem: MatchProblem, spec: OrderSpec, best: float, ledger: Ledger, scores: dict[str, float]
) -> dict[str, dict[str, int]]:
    """A workshop taking the whole order alone and scoring the order's bound (no group scores
    more), among those with minutes left for it: the one with the fewest (the larger stay for
    orders that need them). ``{}`` when there is none, or when a rule is required (the
    order's own model checks them)."""
    rules = spec.rules
    if any(rules.required(rule) for rule in RULES):
        return {}
    due = spec.order.due_weeks
    minutes = spec.order.quantity * sum(s.minutes_per_unit for s in spec.steps)
    room = {w: ledger.free(w, due) for w, value in scores.items() if value >= best - 1e-9}
    fits = sorted((left, w) for w, left in room.items() if left >= minutes - 1e-9)
    if not fits:
        return {}
    return {fits[0][1]: {st.process: spec.order.quantity for st in spec.steps}}


def _key(alloc: dict[str, dict[str, int]]) -> str:
    """The same text for the same group and units."""
    return repr(sorted((w, sorted(u.items())) for w, u in alloc.items()))


def _candidates(problem: MatchProblem, spec: OrderSpec, free: dict[str, float], keep: list[str]) -> list[str]:
    """The workshops one order is solved on: most minutes left, per process, leaders, tied neighbours."""
    q = spec.order.quantity
    lot = max(1, spec.lot)
    useful = {}
    for w in spec.eligible:
        room = free[w]
        does = spec.does(problem.workshop(w))
        give = min(room, q * sum(s.minutes_per_unit for s in does))
        if give >= lot * min((s.minutes_per_unit for s in does), default=math.inf):  # a lot of one
            useful[w] = give
    by_room = sorted(useful, key=lambda w: (-useful[w], w))
    chosen: dict[str, None] = dict.fromkeys(w for w in keep if w in useful)
    chosen.update(dict.fromkeys(by_room[:TOP_FREE]))
    for step in spec.steps:
        doers = [w for w in by_room if step.process in problem.workshop(w).processes]
        chosen.update(dict.fromkeys(doers[:TOP_PER_PROCESS]))
    leaders = [w for w in by_room if problem.workshop(w).can_lead]
    chosen.update(dict.fromkeys(leaders[:TOP_LEADERS]))
    for w in list(chosen):
        for v in sorted(problem.neighbours.get(w, ()), key=lambda v: (-useful.get(v, 0.0), v)):
            if len(chosen) >= MAX_CANDIDATES:
                break
            if v in useful:
                chosen[v] = None
    return sorted(list(chosen)[: max(MAX_CANDIDATES, len(keep))])


def _sub_problem(
    problem: MatchProblem,
    spec: OrderSpec,
    ids: list[str],
    free: dict[str, float] | None,
    ties_of: dict[str, list[Tie]],
) -> MatchProblem:
    """One order on some workshops, each with ``free`` minutes by the due date (all it has when None)."""
    due = spec.order.due_weeks
    shops: list[Workshop] = []
    for w in ids:
        workshop = problem.workshop(w)
        if free is not None:
            workshop = replace(
                workshop, capacity_minutes_per_week=free[w] / due, committed_minutes_per_week=0.0
            )
        shops.append(workshop)
    inside = set(ids)
    ties = tuple(
        dict.fromkeys(t for w in ids for t in ties_of.get(w, ()) if t.source in inside and t.target in inside)
    )
    cluster = Cluster(tuple(shops), ties, (), (spec.order,), problem.cluster.routings)
    sub_spec = replace(spec, eligible=tuple(sorted(ids)))
    return MatchProblem(cluster, (sub_spec,), problem.options, part_of=problem)


def _one_order_model(sub: MatchProblem) -> GroupModel:
    """The full model of the sub-problem's single order, which must be filled in full.

    With lots it also states the fewest members any such group needs
    (:func:`fewest_members`): a valid cut, which lifts the linear relaxation from a
    fraction of a second member to whole ones, so that the solver proves small groups
    sooner. (Without lots the cut is left out: measured on 2,000 workshops x 100 orders,
    the search did better without it.)
    """
    spec = sub.specs[0]
    model = build_model(sub)
    model.prob += model.filled[spec.order_id] >= spec.order.quantity, f"fill_{spec.order_id}"
    fewest = fewest_members(sub, spec) if spec.lot > 1 else None
    if fewest is not None and fewest > 1:
        members = pulp.lpSum(model.member[w, spec.order_id] for w in spec.eligible)
        model.prob += members >= fewest, f"fewest_members_{spec.order_id}"
    model.prob.setObjective(model.preferences())
    return model


def _solve_one(
    sub: MatchProblem, solver: str, time_limit: float, seed: int, model: GroupModel | None = None
) -> tuple[dict, Outcome]:
    """The best group for the sub-problem's single order, filled in full; ``{}`` when none."""
    spec = sub.specs[0]
    model = model or _one_order_model(sub)
    greedy = _greedy_start(sub)
    start = start_values(model, sub, greedy) if greedy.get(spec.order_id) else None
    outcome = run_solver(model.prob, solver, time_limit=time_limit, seed=seed, start=start)
    if outcome.status not in ("optimal", "feasible"):
        return {}, outcome
    return read_solution(model).get(spec.order_id, {}), outcome


def _greedy_start(sub: MatchProblem) -> Solution:
    """The best greedy group for the sub-problem's single order, a start for its solver.

    The greedy baseline's; or, with lots, when the leader rule is wanted and no member
    of that group can lead, one begun with each of the freest workshops that can lead,
    or made by such a workshop and one of the freest: the baseline does not look for a
    leader, and in whole lots the solver finds a small led group late.
    """
    spec = sub.specs[0]
    o, due = spec.order_id, spec.order.due_weeks
    found = [greedy_solution(sub).get(o, {})]
    leaderless = not any(sub.workshop(w).can_lead for w in found[0])
    if spec.lot > 1 and spec.rules.wanted("leader") and leaderless:
        by_room = sorted(spec.eligible, key=lambda w: (-sub.workshop(w).available_minutes(due), w))
        for lead in [w for w in by_room if sub.workshop(w).can_lead][:TOP_LEADERS]:
            found.append(greedy_group(sub, spec, lead))
            # the leader with one of the freest: the pairs a coordinator would try first
            for other in by_room[:TOP_FREE]:
                if other != lead:
                    found.append(greedy_group(sub, replace(spec, eligible=tuple(sorted((lead, other))))))
    found = [alloc for alloc in found if alloc]
    if not found:
        return {}
    return {o: max(found, key=lambda alloc: _score(sub, spec, alloc))}


def _alone_bound(model: GroupModel, bound: float) -> float:
    """An order's share of the run's bound from its own model's bound.

    Alone, an order's model charges its own largest utilisation (fairness);
    the run charges the largest over all orders once, which may be less than
    the orders' charges added up: each order's is given back (it is at most
    ``LOAD_WEIGHT``), and the run's, at most 0, left out.
    """
    return bound + (LOAD_WEIGHT if model.max_load is not None else 0.0)


def _usage(spec: OrderSpec, alloc: dict[str, dict[str, int]]) -> dict[str, float]:
    minutes = {s.process: s.minutes_per_unit for s in spec.steps}
    return {w: sum(minutes[p] * u for p, u in units.items()) for w, units in alloc.items()}


def _score(problem: MatchProblem, spec: OrderSpec, alloc: dict[str, dict[str, int]]) -> float:
    """A group's preferred-rules score, near enough to rank columns (only prices depend on it)."""
    rules, cost = spec.rules, problem.member_cost
    ids = sorted(alloc)
    score = -cost * len(ids) if rules.wanted("small") else 0.0
    if rules.wanted("leader") and any(problem.workshop(w).can_lead for w in ids):
        score += 0.5 * cost
    if rules.wanted("cohesion"):
        score += sum(weight for _, weight in problem.pairs_within(ids))
    if rules.wanted("specialisation"):
        main = sum(problem.workshop(w).products[0] == spec.order.product for w in ids)
        score += SPECIALISATION_WEIGHT * main
    return score


def _lagrangian(
    problem: MatchProblem,
    bounds: dict[str, OrderBound],
    alone: dict[str, tuple[MatchProblem, GroupModel, dict, bool]],
    solution: Solution,
    value: float,
    units: float,
    solver: str,
    *,
    deadline: float,
    seed: int,
) -> tuple[float, int]:
    """A tighter bound on the preferred rules: price the minutes the orders share.

    For prices ``lam[w, d] >= 0`` on the capacity rows (a workshop's minutes
    for the orders due by week d), ``sum(lam * capacity)`` plus, per order, a
    bound on its score minus what its minutes cost at those prices, is a
    bound on the run's score (the phase-1 units priced as in
    :func:`preference_bound`). An order's priced bound is its exact model's,
    with the prices in the objective, when it was solved alone; else
    :func:`order_bound` with prices. The prices are the duals of a master
    linear program choosing among the groups known for each order (column
    generation: each round adds the groups that the priced orders found).
    Returns the best bound and the number of rounds.
    """
    specs = [s for s in problem.specs if bounds[s.order_id].fillable is not False]
    by_id = {s.order_id: s for s in specs}
    eligible = {s.order_id: set(s.eligible) for s in specs}
    columns: dict[str, dict[str, tuple[float, dict[str, float]]]] = {s.order_id: {} for s in specs}

    def add(spec: OrderSpec, alloc: dict[str, dict[str, int]]) -> bool:
        if not alloc:
            return False
        key = _key(alloc)
        if key in columns[spec.order_id]:
            return False
        columns[spec.order_id][key] = (_score(problem, spec, alloc), _usage(spec, alloc))
        return True

    base = {s.order_id: bounds[s.order_id].best for s in specs}
    proved = {o for o, (_, _, _, optimal) in alone.items() if optimal}
    for spec in specs:
        add(spec, solution.get(spec.order_id, {}))
        if spec.order_id in alone:
            add(spec, alone[spec.order_id][2])
        # Workshops that could take the order alone are its cheapest alternatives:
        # known to the master from the start, they keep its first prices honest.
        for w in _singles(problem, spec)[:SINGLE_COLUMNS]:
            add(spec, {w: {st.process: spec.order.quantity for st in spec.steps}})
    best_bound, rounds = math.inf, 0
    center: dict[tuple[str, float], float] = {}
    smooth = SMOOTHING
    while time.perf_counter() < deadline:
        rounds += 1
        master = pulp.LpProblem("prices", pulp.LpMaximize)
        rows: dict[tuple[str, float], list] = defaultdict(list)
        pick, kept = {}, []
        for o, cols in columns.items():
            spec = by_id[o]
            mine = []
            for n, (key, (_, used)) in enumerate(sorted(cols.items())):
                x = master.add_variable(f"x_{o}_{n}", 0, 1)
                pick[o, key] = x
                mine.append(x)
                kept.append(spec.priority * spec.order.quantity * x)
                for w, minutes in used.items():
                    for d in problem.due_dates:
                        if d >= spec.order.due_weeks:
                            rows[w, d].append(minutes * x)
            master += pulp.lpSum(mine) <= 1, f"one_group_{o}"
        master += pulp.lpSum(kept) >= units - 1e-6, "keep_units"
        names = {}
        for n, ((w, d), terms) in enumerate(sorted(rows.items())):
            names[f"capacity_{n}"] = (w, d)
            master += pulp.lpSum(terms) <= problem.workshop(w).available_minutes(d), f"capacity_{n}"
        master.setObjective(pulp.lpSum(columns[o][key][0] * x for (o, key), x in pick.items()))
        run_solver(master, solver, time_limit=max(0.05, deadline - time.perf_counter()), seed=seed)
        lam = {}
        for name, key in names.items():
            # A <= row of a maximisation has a dual >= 0; PuLP's sign depends on the solver.
            dual = abs(master.get_constraint_by_name(name).pi or 0.0)
            if dual > 1e-12:
                lam[key] = dual
        # Smoothing (Wentges): early duals overprice what few columns make look scarce;
        # step halfway from the best prices so far instead.
        lam = {
            k: r
            for k in set(lam) | set(center)
            if (r := smooth * lam.get(k, 0.0) + (1 - smooth) * center.get(k, 0.0)) > 1e-12
        }
        total, added = sum(r * problem.workshop(w).available_minutes(d) for (w, d), r in lam.items()), 0
        priced = []
        for spec in specs:
            o = spec.order_id
            price: dict[str, float] = {}
            for (w, d), r in lam.items():
                if d >= spec.order.due_weeks and w in eligible[o]:
                    price[w] = price.get(w, 0.0) + r
            bound = base[o]
            if time.perf_counter() > deadline:
                pass  # out of time: the unpriced bound still holds for the rest of this round
            elif o in alone and (price or o not in proved):
                # Solved again: at the prices, or (unpriced) with more time, as it was not proved.
                sub, model, _, _ = alone[o]
                charge = pulp.lpSum(
                    price[w] * st.minutes_per_unit * var
                    for (w, _, p), var in model.units.items()
                    if w in price
                    for st in spec.steps
                    if st.process == p
                )
                model.prob.setObjective(model.preferences() - charge)
                left = max(0.05, min(2.0, deadline - time.perf_counter()))
                alloc, outcome = _solve_one(sub, solver, left, seed, model)
                model.prob.setObjective(model.preferences())
                if outcome.bound is not None:
                    bound = min(bound, _alone_bound(model, outcome.bound))
                    if not price:
                        base[o] = bound
                        if outcome.status == "optimal":
                            proved.add(o)
                added += add(spec, alloc)
            elif price:
                ob = order_bound(problem, spec, price)
                bound = min(bound, ob.best)
                if ob.single:
                    added += add(spec, {ob.single: {st.process: spec.order.quantity for st in spec.steps}})
            # Prices only lower what an order can reach: its unpriced bound still holds.
            priced.append((spec.priority * spec.order.quantity, bound))
        lagrange = preference_bound(priced, units) + total

        if lagrange < best_bound:
            best_bound, center = lagrange, lam
        if best_bound - value <= 1e-6 * max(1.0, abs(best_bound)):
            break
        if not added:
            if smooth == 1.0:
                break  # no order gains from a new group at the master's own prices
            smooth = 1.0
        else:
            smooth = SMOOTHING
    return best_bound, rounds


def _improve(
    problem: MatchProblem,
    solution: Solution,
    bounds: dict[str, OrderBound],
    solver: str,
    *,
    deadline: float,
    seed: int,
    known: Solution | None = None,
) -> tuple[Solution, int]:
    """Large-neighbourhood search: free an order with more members than it needs and the
    orders holding the workshops it would want, and solve them again together.

    Each step solves the full model restricted to the freed orders' candidates
    (the other orders that use those workshops keep their units), starting
    from the groups it replaces; its groups are taken when they score more
    than the groups they replace, or as much when the solver proves them
    optimal there. The workshops an order would want are its best candidates
    and the members of its group in ``known`` (its best group alone). Passes
    over the orders repeat while one changes something and time is left.
    Returns the solution and the number of steps that changed it.
    """
    specs = {s.order_id: s for s in problem.specs}

    def leaderless(o: str) -> bool:
        return specs[o].rules.wanted("leader") and not any(problem.workshop(w).can_lead for w in solution[o])

    changed, passes, before = 0, 0, -1
    while changed > before and time.perf_counter() < deadline - 0.2:
        before, passes = changed, passes + 1
        targets = sorted(
            (o for o, alloc in solution.items() if len(alloc) > bounds[o].fewest or leaderless(o)),
            key=lambda o: (
                bounds[o].fewest - len(solution[o]),
                not leaderless(o),
                specs[o].order.due_weeks,
                o,
            ),
        )
        solution, changed = _improve_pass(
            problem, solution, targets, specs, changed, solver, deadline=deadline, seed=seed, known=known
        )
    return solution, changed


def _improve_pass(
    problem: MatchProblem,
    solution: Solution,
    targets: list[str],
    specs: dict[str, OrderSpec],
    changed: int,
    solver: str,
    *,
    deadline: float,
    seed: int,
    known: Solution | None = None,
) -> tuple[Solution, int]:
    """One pass of :func:`_improve` over ``targets``."""
    for o in targets:
        if time.perf_counter() > deadline - 0.2:
            break
        spec = specs[o]
        full = {w: problem.workshop(w).available_minutes(spec.order.due_weeks) for w in spec.eligible}
        wanted = set(_candidates(problem, spec, full, sorted(solution[o]))[:TOP_FREE])
        wanted |= set((known or {}).get(o, {}))
        overlap: dict[str, int] = defaultdict(int)
        for other, alloc in solution.items():
            if other != o:
                overlap[other] += len(wanted & set(alloc))
        blockers = sorted((b for b, n in overlap.items() if n), key=lambda b: (-overlap[b], b))[:5]
        freed = [o, *blockers]
        ledger = Ledger(problem)
        for other, alloc in solution.items():
            if other not in freed:
                ledger.commit(alloc, specs[other])
        eligible = {}
        for f in freed:
            fs = specs[f]
            free = {w: ledger.free(w, fs.order.due_weeks) for w in fs.eligible}
            eligible[f] = _candidates(problem, fs, free, sorted(solution[f]))
        if o == freed[0]:
            eligible[o] = sorted(set(eligible[o]) | wanted)
        touched = {w for ids in eligible.values() for w in ids}
        fixed = [b for b, alloc in solution.items() if b not in freed and touched & set(alloc)]
        sub_specs = tuple(
            replace(specs[f], eligible=tuple(eligible[f] if f in eligible else sorted(solution[f])))
            for f in [*freed, *fixed]
        )
        sub = MatchProblem(problem.cluster, sub_specs, problem.options, part_of=problem)
        model = build_model(sub)
        for s in sub_specs:
            model.prob += model.filled[s.order_id] >= s.order.quantity, f"keep_{s.order_id}"
        for (w, b, p), var in model.units.items():
            if b in fixed:
                var.lowBound = var.upBound = solution[b].get(w, {}).get(p, 0)
        model.prob.setObjective(model.preferences())
        start = start_values(model, sub, {f: solution[f] for f in [*freed, *fixed]})
        left = deadline - time.perf_counter()
        outcome = run_solver(model.prob, solver, time_limit=max(0.05, min(2.0, left)), seed=seed, start=start)
        if outcome.status not in ("optimal", "feasible"):
            continue
        found = read_solution(model)
        new = {f: found.get(f, {}) for f in freed}
        if not all(new.values()) or all(new[f] == solution[f] for f in freed):
            continue
        # Scored by the same model against the groups it replaces: a proved optimum may
        # move sideways (equal score: a new start for the next orders), anything else
        # must be better. Only a better score counts as a step, so passes end.
        for (w, b, p), var in model.units.items():
            var.lowBound = var.upBound = solution[b].get(w, {}).get(p, 0)
        current = run_solver(model.prob, solver, time_limit=max(0.05, min(2.0, left)), seed=seed)
        if current.status != "optimal":
            continue
        better = (outcome.value or 0.0) > (current.value or 0.0) + 1e-6
        if better or outcome.status == "optimal":
            solution = {**solution, **new}
            changed += better
    return solution, changed


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


def evaluate(
    problem: MatchProblem, solution: Solution, solver: str, *, time_limit: float, seed: int, polish: bool
) -> tuple[Solution, float | None]:
    """The run's preferred-rules score of ``solution`` (and, with ``polish``, a better one on its members).

    The full model restricted to the groups' members: with ``polish`` the
    solver may move units among members and drop members it does not need;
    without, units and members stay as given and only the leaders and the
    other rules' variables are chosen.
    """
    specs = tuple(replace(s, eligible=tuple(sorted(solution.get(s.order_id, {})))) for s in problem.specs)
    restricted = MatchProblem(problem.cluster, specs, problem.options, part_of=problem)
    model = build_model(restricted)
    for spec in specs:
        alloc = solution.get(spec.order_id, {})
        if alloc:
            model.prob += model.filled[spec.order_id] >= spec.order.quantity, f"keep_{spec.order_id}"
    if not polish:
        for (w, o, p), var in model.units.items():
            var.lowBound = var.upBound = solution.get(o, {}).get(w, {}).get(p, 0)
    model.prob.setObjective(model.preferences())
    outcome = run_solver(
        model.prob, solver, time_limit=time_limit, seed=seed, start=start_values(model, restricted, solution)
    )
    if outcome.status not in ("optimal", "feasible"):
        return solution, None
    return read_solution(model), outcome.value


def decompose(problem: MatchProblem, solver: str, *, deadline: float, seed: int) -> Decomposed:
    """Groups for every order, one order at a time, and a bound for the whole run.

    ``deadline`` is a ``time.perf_counter()`` value; each order gets a fair
    share of what is left. The greedy baseline's group stands for any order
    whose own solve finds nothing better.
    """
    started = time.perf_counter()
    notes: list[str] = []
    # Each solve's limit depends on the run's budget, not on the clock, so that
    # the same input gives the same groups unless the whole budget runs out.
    budget = max(0.0, deadline - started)
    n = max(1, len(problem.specs))
    alone_limit, order_limit = min(5.0, max(0.5, budget / (4 * n))), min(10.0, max(0.2, 2 * budget / n))
    greedy = greedy_solution(problem)
    ties_of: dict[str, list[Tie]] = defaultdict(list)
    for tie in problem.cluster.ties:
        ties_of[tie.source].append(tie)
        ties_of[tie.target].append(tie)

    bounds: dict[str, OrderBound] = {}
    alone: dict[str, tuple[MatchProblem, GroupModel, dict, bool]] = {}
    for spec in problem.specs:
        bound = order_bound(problem, spec)
        if bound.fillable and len(spec.eligible) <= EXACT_ALONE:
            left = min(alone_limit, max(0.05, deadline - time.perf_counter()))
            sub = _sub_problem(problem, spec, list(spec.eligible), None, ties_of)
            model = _one_order_model(sub)
            alloc, outcome = _solve_one(sub, solver, left, seed, model)
            if outcome.status == "infeasible":
                bound = replace(bound, fillable=False, best=-math.inf)
            elif outcome.bound is not None and outcome.status in ("optimal", "feasible"):
                bound = replace(bound, best=min(bound.best, _alone_bound(model, outcome.bound)))
                alone[spec.order_id] = (sub, model, alloc, outcome.status == "optimal")
        bounds[spec.order_id] = bound
    seconds_bounds = time.perf_counter() - started

    # Above MIX_LIMIT eligible pairs, whole-choice models of all single workshops take minutes,
    # and so would a solve for every order: an order that a workshop can take alone at its bound
    # gets one without (measured below it, a solve's choice mixes better).
    mixable = sum(len(spec.eligible) for spec in problem.specs) <= MIX_LIMIT
    single_scores = {spec.order_id: _single_scores(problem, spec) for spec in problem.specs}

    def place(queue: list[OrderSpec], keep: Solution | None = None) -> Solution:
        """Groups for the orders in ``queue`` order, each with the minutes the earlier ones left;
        an order's group in ``keep`` is kept when it still fits."""
        ledger = Ledger(problem)
        placed: Solution = {}
        for spec in queue:
            o = spec.order_id
            mine = greedy.get(o, {})
            best_alone = alone[o][2] if o in alone else {}
            if (keep or {}).get(o) and ledger.fits(keep[o], spec):
                chosen = keep[o]
            elif best_alone and ledger.fits(best_alone, spec):
                chosen = best_alone
            elif not mixable and (
                sure := _sure_single(problem, spec, bounds[o].best, ledger, single_scores[o])
            ):
                chosen = sure
            else:
                due = spec.order.due_weeks
                free = {w: ledger.free(w, due) for w in spec.eligible}
                ids = _candidates(problem, spec, free, sorted(mine))
                left = deadline - time.perf_counter()
                chosen = {}
                if ids and left > 0.05:
                    sub = _sub_problem(problem, spec, ids, free, ties_of)
                    chosen, _ = _solve_one(sub, solver, min(order_limit, max(0.05, left)), seed)
                if not chosen and mine and ledger.fits(mine, spec):
                    chosen = mine
            if chosen:
                placed[o] = chosen
                ledger.commit(chosen, spec)
        return placed

    def rank(found: Solution) -> tuple[float, float]:
        """Filled units first, then a quick score of the groups."""
        score = sum(_score(problem, by_id[o], alloc) for o, alloc in found.items())
        return problem.weighted_units(found), score

    # Orders with the fewest workshops that could take them alone and lead go
    # first: they lose most when another order takes such a workshop.
    by_id = {s.order_id: s for s in problem.specs}
    scarcity = {}
    for spec in problem.specs:
        leads = [w for w in _singles(problem, spec) if problem.workshop(w).can_lead]
        scarcity[spec.order_id] = len(leads) if leads else math.inf
    fillable_specs = [s for s in problem.specs if bounds[s.order_id].fillable is not False]

    def by_due(s: OrderSpec) -> tuple:
        return (s.order.due_weeks, -bounds[s.order_id].fewest, -s.order.quantity, s.order_id)

    queue = sorted(fillable_specs, key=lambda s: (scarcity[s.order_id], *by_due(s)))
    solution = place(queue)
    tried = [solution]
    left_out = [s for s in queue if s.order_id not in solution]
    if left_out and time.perf_counter() < started + 0.4 * budget:
        # An order some group could fill alone found no room: place it first, the others
        # keeping their groups where these still fit.
        other = place(left_out + [s for s in queue if s.order_id in solution], keep=solution)
        tried.append(other)
        if rank(other) > rank(solution):
            solution = other
    seconds_groups = time.perf_counter() - started - seconds_bounds

    def mix(solution: Solution, units: float, *, singles: int | None = None, share: float = 0.1) -> Solution:
        """The best mix of the groups found so far: each order's, and workshops that could take it
        alone (all of them, or the first ``singles``: those that can lead, then the freest), in
        ``share`` of the time left."""
        pool: dict[str, list[dict[str, dict[str, int]]]] = defaultdict(list)
        for found in (solution, *tried, greedy):
            for o, alloc in found.items():
                pool[o].append(alloc)
        for o, (_, _, alloc, _) in alone.items():
            pool[o].append(alloc)
        for spec in fillable_specs:
            scores = single_scores[spec.order_id]
            able = [w for w in _singles(problem, spec) if w in scores][:singles]
            for w in sorted(able):
                pool[spec.order_id].append({w: {st.process: spec.order.quantity for st in spec.steps}})
        left = max(0.5, share * (deadline - time.perf_counter()))
        mixed = _recombine(problem, pool, units, solver, time_limit=left, seed=seed, start=solution)
        if mixed and mixed != solution and problem.weighted_units(mixed) >= units - 1e-9:
            _, now = evaluate(problem, solution, solver, time_limit=left, seed=seed, polish=False)
            _, then = evaluate(problem, mixed, solver, time_limit=left, seed=seed, polish=False)
            if then is not None and (now is None or then > now + 1e-6):
                notes.append("the best mix of the groups found improved them")
                return mixed
        return solution

    patterns = None
    if not mixable:
        # Too large for the whole-choice model of single workshops: their patterns, by column
        # generation, starting from the orders this solution gives workshops alone.
        units = problem.weighted_units(solution)
        relaxation = alone_relaxation(problem, bounds, single_scores)
        patterns = pattern_bound(
            problem, relaxation, units, deadline=time.perf_counter() + PATTERN_SHARE * budget, start=solution
        )

    solution, steps = _improve(
        problem,
        solution,
        bounds,
        solver,
        # Large runs skip the pricing (bounded by patterns): the search keeps its time.
        deadline=deadline - (0.3 if mixable else LARGE_RESERVE) * (deadline - started),
        seed=seed,
        known={o: alloc for o, (_, _, alloc, _) in alone.items()},
    )
    if steps:
        notes.append(f"{steps} neighbourhood search step{'s' if steps != 1 else ''} improved the groups")
    units, greedy_units = problem.weighted_units(solution), problem.weighted_units(greedy)
    if greedy_units > units + 1e-9:
        notes.append("the greedy baseline fills more units than one order at a time; its groups are kept")
        solution = greedy
        units = greedy_units
    # Above MIX_LIMIT the mix sees each order's first few single workshops only: all of them make
    # a choice among tens of thousands of columns that takes minutes.
    solution = mix(solution, units) if mixable else mix(solution, units, singles=MIX_SINGLES, share=0.5)
    left = max(0.5, 0.3 * (deadline - time.perf_counter()))
    polished, value = evaluate(problem, solution, solver, time_limit=left, seed=seed, polish=True)
    if value is not None:
        solution = polished
    _, greedy_value = evaluate(problem, greedy, solver, time_limit=left, seed=seed, polish=False)
    if (
        value is not None
        and greedy_value is not None
        and greedy_units >= units - 1e-9
        and greedy_value > value
    ):
        solution, value = greedy, greedy_value
    fillable = [
        (s.priority * s.order.quantity, bounds[s.order_id].best)
        for s in problem.specs
        if bounds[s.order_id].fillable is not False
    ]
    score_bound = preference_bound(fillable, units)
    if patterns is not None and patterns.bound < score_bound:
        score_bound = patterns.bound
        notes.append(
            f"bound tightened by the workshops that can take an order alone ({patterns.rounds} round"
            f"{'s' if patterns.rounds != 1 else ''} of column generation over the orders each takes)"
        )
    elif value is not None and score_bound - value > 1e-6 * max(1.0, abs(score_bound)):
        # Above MIX_LIMIT, without patterns, the whole-choice model takes minutes: its linear
        # relaxation, seconds.
        left = max(0.5, 0.3 * (deadline - time.perf_counter()))
        singles = singles_bound(problem, bounds, units, solver, time_limit=left, seed=seed, relax=not mixable)
        if singles < score_bound:
            score_bound = singles
            notes.append("bound tightened by the workshops that can take an order alone")
    if mixable and value is not None and score_bound - value > 1e-6 * max(1.0, abs(score_bound)):
        priced, rounds = _lagrangian(
            problem, bounds, alone, solution, value, units, solver, deadline=deadline, seed=seed
        )
        if priced < score_bound:
            score_bound = priced
            notes.append(
                f"bound tightened by pricing the minutes the orders share ({rounds} round"
                f"{'s' if rounds != 1 else ''} of column generation)"
            )
    return Decomposed(
        solution=solution,
        units=units,
        units_bound=sum(u for u, _ in fillable),
        preferences=value,
        preferences_bound=score_bound,
        seconds_bounds=seconds_bounds,
        seconds_groups=seconds_groups,
        notes=tuple(notes),
    )
