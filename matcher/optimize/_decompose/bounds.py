"""What no group can beat: per order (fewest members, most cohesion, best preferred-rules
score) and for the whole run (the preferred-rules bound, the orders workshops take alone).
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

import numpy as np

from matcher.optimize._decompose.singles import alone_scores, best_single, choose_columns
from matcher.optimize._patterns import Alone
from matcher.optimize._problem import MatchProblem, OrderSpec
from matcher.optimize.rules import SHARE_WEIGHT, SPECIALISATION_WEIGHT


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
            value, single = best_single(problem, spec, leader, special, cost_term, price)
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


def alone_relaxation(
    problem: MatchProblem, bounds: dict[str, OrderBound], scores: dict[str, dict[str, float]] | None = None
) -> Alone:
    """The single-workshop relaxation of the run (see :func:`singles_bound`).

    For each order some group may fill: the workshops that can take it
    alone and their scores so (never above the order's bound; ``scores``,
    order -> :func:`alone_scores`, when already known), and the bound of
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
        scored = scores[o] if scores is not None else alone_scores(problem, spec)
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
    _, outcome = choose_columns(
        problem, columns, units, solver, time_limit=time_limit, seed=seed, relax=relax
    )
    if relax:  # a linear program's optimum is its bound
        return outcome.value if outcome.status == "optimal" and outcome.value is not None else math.inf
    if outcome.status == "infeasible" or outcome.bound is None:
        return math.inf
    return outcome.bound
