"""Turn allocations into groups with a leader, cohesion figures and reasons."""

from __future__ import annotations

import math
from collections.abc import Callable

from matcher.optimize._problem import MatchProblem, OrderSpec, ineligibility
from matcher.optimize.result import Allocation, Member, OrderResult
from matcher.optimize.rules import RULES

#: order id -> workshop id -> process -> units
Solution = dict[str, dict[str, dict[str, int]]]


def _pairs(n: int) -> str:
    return f"{n} tied pair{'s' if n != 1 else ''}"


def _workshops(n: int) -> str:
    return f"{n} workshop{'s' if n != 1 else ''}"


def _min(value: float) -> str:
    return f"{value:,.0f} min"


def _names(ids: list[str], limit: int = 6) -> str:
    shown = ", ".join(ids[:limit])
    return shown + (f" and {len(ids) - limit} more" if len(ids) > limit else "")


def choose_leader(
    problem: MatchProblem, group: list[str], minutes: dict[str, float], spec: OrderSpec | None = None
) -> str | None:
    """Among members willing to lead (and, with the leader rule required, within
    ``leader_hops`` of every member): most tie weight inside, then most minutes, then id."""
    willing = [w for w in group if problem.workshop(w).can_lead]
    if spec is not None and spec.rules.required("leader"):
        hops = spec.rules.leader_hops
        near = [
            w for w in willing if all(problem.distances.get(w, {}).get(v, hops + 1) <= hops for v in group)
        ]
        willing = near or willing
    if not willing:
        return None
    inside = set(group)

    def ties(w: str) -> float:
        return sum(
            problem.pair_weights[tuple(sorted((w, v)))] for v in problem.neighbours.get(w, ()) if v in inside
        )

    return min(willing, key=lambda w: (-ties(w), -minutes[w], w))


def group_cohesion(problem: MatchProblem, group: list[str]) -> dict:
    """Tied pairs inside the group, its density and whether ties connect it."""
    pairs = [p for p, _ in problem.pairs_within(group)]
    k = len(group)
    parent = {w: w for w in group}

    def root(w: str) -> str:
        while parent[w] != w:
            parent[w] = parent[parent[w]]
            w = parent[w]
        return w

    for a, b in pairs:
        parent[root(a)] = root(b)
    tied = {w for pair in pairs for w in pair}
    components = len({root(w) for w in group})
    return {
        "positive_pairs": len(pairs),
        "density": len(pairs) / (k * (k - 1) / 2) if k > 1 else 0.0,
        "connected": components == 1,
        "components": components,
        "members_tied": len(tied),
    }


def member_why(
    problem: MatchProblem,
    spec: OrderSpec,
    group: list[str],
    w: str,
    units: dict[str, int],
    leader: str | None,
) -> tuple[str, ...]:
    """Why one workshop is in the group: its work, its minutes, its ties, its role."""
    workshop = problem.workshop(w)
    due = spec.order.due_weeks
    minutes_of = {s.process: s.minutes_per_unit for s in spec.steps}
    lines = []
    if units:
        work = ", ".join(f"{p} {u:,}" for p, u in units.items())
        used = sum(minutes_of[p] * u for p, u in units.items())
        free = workshop.available_minutes(due)
        share = f" ({used / free:.0%})" if free else ""
        lines.append(f"Makes {work} units: {_min(used)} of its {_min(free)} free by week {due:g}{share}.")
    else:
        lines.append("Backup: kept free to step in if a member drops out.")
    tied = []
    for v in group:
        if v != w:
            kinds = problem.pair_kinds.get((w, v) if w < v else (v, w))
            if kinds:
                tied.append(f"{v} ({', '.join(kinds)})")
    lines.append(("Tied to " + "; ".join(tied) + ".") if tied else "No tie to another member.")
    if w == leader:
        lines.append("Leads the group: said it can lead, with the strongest ties inside.")
    if spec.rules.wanted("specialisation") and workshop.products[0] == spec.order.product:
        lines.append(f"Mainly makes {spec.order.product}.")
    return tuple(lines)


def _filled_reasons(
    problem: MatchProblem,
    spec: OrderSpec,
    alloc: dict[str, dict[str, int]],
    leader: str | None,
    cohesion: dict,
) -> list[str]:
    group = sorted(alloc)
    reasons = [
        f"{len(group)} workshop{'s' if len(group) != 1 else ''} can deliver by week {spec.order.due_weeks:g}."
    ]
    for step in spec.steps:
        doers = sorted(
            (w for w in group if alloc[w].get(step.process)), key=lambda w: (-alloc[w][step.process], w)
        )
        if len(doers) == 1:
            reasons.append(f"{step.process}: all by {doers[0]}.")
        else:
            split = ", ".join(f"{w} {alloc[w][step.process]:,}" for w in doers)
            reasons.append(f"{step.process}: split among {len(doers)} workshops ({split}).")
    k = len(group)
    if k > 1:
        if cohesion["connected"]:
            reasons.append(
                "Every member is linked to the others through existing ties "
                f"({_pairs(cohesion['positive_pairs'])})."
            )
        elif cohesion["members_tied"] == k:
            reasons.append(
                f"Every member is tied to another member ({_pairs(cohesion['positive_pairs'])}), "
                f"but the ties form {cohesion['components']} separate parts."
            )
        elif cohesion["positive_pairs"]:
            reasons.append(
                f"{cohesion['members_tied']} of {k} members are tied to another member "
                f"({_pairs(cohesion['positive_pairs'])}); the others are needed for capacity."
            )
        else:
            reasons.append("No two members are tied to each other.")
    if leader and k == 1:
        reasons.append(f"{leader} takes the order alone and has said it can lead a group.")
    elif leader:
        reasons.append(f"{leader} leads: willing to lead, with the strongest ties inside the group.")
    elif k > 1:
        reasons.append("No member has said it can lead; the group still needs someone to head it.")
    minutes = {s.process: s.minutes_per_unit for s in spec.steps}
    used = sum(minutes[p] * u for w in group for p, u in alloc[w].items())
    free = sum(problem.workshop(w).available_minutes(spec.order.due_weeks) for w in group)
    reasons.append(
        f"Uses {_min(used)} of the {_min(free)} its members have free by week {spec.order.due_weeks:g}."
    )
    return reasons


def diagnose(
    problem: MatchProblem, spec: OrderSpec, filled: int, alone: Callable[[OrderSpec], int] | None = None
) -> list[str]:
    """The binding reason an order is not (fully) filled, in a coordinator's words."""
    order, cluster = spec.order, problem.cluster
    reasons = [] if filled == 0 else [f"Only {filled:,} of {order.quantity:,} units can be made."]
    makers = [w for w in cluster.workshops if order.product in w.products]
    if not makers:
        return [*reasons, f"No workshop in the cluster makes {order.product}."]
    if not spec.eligible:
        why: dict[str, int] = {}
        for w in makers:
            cause = ineligibility(w, order, spec.steps)
            if cause is None and spec.rules.required("specialisation") and w.products[0] != order.product:
                cause = "specialisation"
            if cause:
                why[cause] = why.get(cause, 0) + 1
        words = {
            "quality": f"below quality {order.min_quality}",
            "formality": "without tax registration (the order requires it)",
            "territory": f"outside {', '.join(order.territories)}",
            "capacity": "with no free minutes",
            "process": "doing none of its processes",
            "specialisation": "mainly making something else (specialisation is required)",
        }
        parts = "; ".join(f"{n} {words[c]}" for c, n in sorted(why.items(), key=lambda kv: -kv[1]))
        return [
            *reasons,
            f"Of the {_workshops(len(makers))} that make{'s' if len(makers) == 1 else ''} "
            f"{order.product}, none can take it: {parts}.",
        ]
    due = order.due_weeks
    short: list[str] = []
    weeks_needed = 0.0
    for step in spec.steps:
        doers = [problem.workshop(w) for w in spec.eligible if step.process in problem.workshop(w).processes]
        if not doers:
            short.append(f"No eligible workshop does {step.process}.")
            weeks_needed = math.inf
            continue
        need = order.quantity * step.minutes_per_unit
        weekly = sum(w.available_minutes_per_week for w in doers)
        have = weekly * due
        if need > have:
            short.append(
                f"{step.process} needs {_min(need)} by week {due:g}; the {len(doers)} eligible workshops "
                f"that do it have {_min(have)} free by then."
            )
        weeks_needed = max(weeks_needed, need / weekly if weekly else math.inf)
    if short:
        return reasons + short
    if spec.cap is not None:
        for step in spec.steps:
            best = sorted(
                (
                    problem.workshop(w).available_minutes(due)
                    for w in spec.eligible
                    if step.process in problem.workshop(w).processes
                ),
                reverse=True,
            )[: spec.cap]
            can = int(sum(best) // step.minutes_per_unit)
            if can < order.quantity:
                return [
                    *reasons,
                    f"With at most {_workshops(spec.cap)}, at most {can:,} units of {step.process} "
                    f"can be made by week {due:g}; a larger group cap would help.",
                ]
    if alone is not None and alone(spec) >= order.quantity:
        others = sorted(
            s.order_id for s in problem.specs if s is not spec and set(s.eligible) & set(spec.eligible)
        )
        return [
            *reasons,
            f"Alone it could be filled, but its workshops' minutes go to other orders "
            f"({_names(others)}), which fill more units in all.",
        ]
    conflicts = problem.conflicts_within(spec.eligible)
    if conflicts:
        return [
            *reasons,
            f"Conflicts between eligible workshops ({len(conflicts)} pairs) and the other rules "
            "leave no valid group.",
        ]
    required = [rule for rule in RULES if spec.rules.required(rule)]
    if spec.rules.min_group_size > 1:
        required.append(f"at least {spec.rules.min_group_size} members")
    if required:
        return [
            *reasons,
            "No group of the eligible workshops covers every process and keeps what is required: "
            f"{', '.join(required)}.",
        ]
    return [*reasons, "The eligible workshops cannot cover every process together within the rules."]


def assemble(
    problem: MatchProblem, solution: Solution, alone: Callable[[OrderSpec], int] | None = None
) -> tuple[OrderResult, ...]:
    """OrderResults, in the order of the problem's orders."""
    results = []
    for spec in problem.specs:
        order = spec.order
        alloc = {
            w: {p: u for p, u in units.items() if u > 0}
            for w, units in solution.get(spec.order_id, {}).items()
        }
        backups = set()
        if spec.rules.wanted("robustness"):
            backups = {w for w, units in alloc.items() if not units}
        alloc = {w: units for w, units in alloc.items() if units or w in backups}
        minutes_of = {s.process: s.minutes_per_unit for s in spec.steps}
        filled = min((sum(alloc[w].get(s.process, 0) for w in alloc) for s in spec.steps), default=0)
        status = "filled" if filled >= order.quantity else "partial" if filled > 0 else "unfilled"
        group = sorted(alloc)
        minutes = {w: sum(minutes_of[p] * u for p, u in alloc[w].items()) for w in group}
        leader = choose_leader(problem, group, minutes, spec)
        cohesion = group_cohesion(problem, group) if group else {}
        members = tuple(
            Member(
                workshop_id=w,
                leader=w == leader,
                territory=problem.workshop(w).territory,
                backup=w in backups,
                why=member_why(problem, spec, group, w, alloc[w], leader),
                allocations=tuple(
                    Allocation(s.process, alloc[w][s.process], alloc[w][s.process] * s.minutes_per_unit)
                    for s in spec.steps
                    if alloc[w].get(s.process)
                ),
            )
            for w in group
        )
        if status == "filled":
            reasons = _filled_reasons(problem, spec, alloc, leader, cohesion)
        else:
            reasons = diagnose(problem, spec, filled, alone)
        results.append(
            OrderResult(
                order_id=order.order_id,
                status=status,
                quantity=order.quantity,
                filled_units=filled,
                group=members,
                reasons=tuple(reasons),
                product=order.product,
                due_weeks=order.due_weeks,
                firm_id=order.firm_id,
                eligible_workshops=len(spec.eligible),
                cohesion=cohesion,
            )
        )
    return tuple(results)
