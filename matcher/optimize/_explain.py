"""Turn allocations into groups with a leader, cohesion figures and reasons."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from matcher.messages import Message
from matcher.optimize._problem import MatchProblem, OrderSpec, ineligibility
from matcher.optimize._types import Solution
from matcher.optimize.result import Allocation, Member, OrderResult
from matcher.optimize.rules import RULES
from matcher.optimize.schema import GroupCohesionDict

if TYPE_CHECKING:
    from matcher.optimize.whatif import ConnectedAlternative

#: The reasons that say how ties hold a group of two or more together; a group has one of them.
COHESION_REASONS = ("reason.all_linked", "reason.all_tied_parts", "reason.some_tied", "reason.none_tied")
#: The words for each answer about a group linked by ties that could take the order instead.
ALTERNATIVE_REASONS = {
    ("found", True): "reason.connected_alternative",
    ("found", False): "reason.connected_alternative_at_most",
    ("none", False): "reason.connected_alternative_none",
    ("unknown", False): "reason.connected_alternative_unknown",
}


def leader_candidates(
    problem: MatchProblem, group: list[str], spec: OrderSpec | None = None
) -> tuple[list[str], list[str]]:
    """The members willing to lead, and those among them the leader is chosen from.

    With the leader rule required, the candidates are the willing members
    within ``leader_hops`` of every member (all the willing when none is).
    """
    willing = [w for w in group if problem.workshop(w).can_lead]
    if spec is not None and spec.rules.required("leader"):
        hops = spec.rules.leader_hops
        near = [
            w for w in willing if all(problem.distances.get(w, {}).get(v, hops + 1) <= hops for v in group)
        ]
        return willing, near or willing
    return willing, willing


def tie_weight_inside(problem: MatchProblem, group: list[str], w: str) -> float:
    """The cohesion weight of ``w``'s ties to the other members of ``group``."""
    inside = set(group)
    return sum(
        problem.pair_weights[tuple(sorted((w, v)))] for v in problem.neighbours.get(w, ()) if v in inside
    )


def choose_leader(
    problem: MatchProblem, group: list[str], minutes: dict[str, float], spec: OrderSpec | None = None
) -> str | None:
    """Among members willing to lead (and, with the leader rule required, within
    ``leader_hops`` of every member): most tie weight inside, then most minutes, then id."""
    _, candidates = leader_candidates(problem, group, spec)
    if not candidates:
        return None
    return min(candidates, key=lambda w: (-tie_weight_inside(problem, group, w), -minutes[w], w))


def leader_reason(
    problem: MatchProblem, spec: OrderSpec, group: list[str], leader: str | None
) -> Message | None:
    """Why the leader leads, in words that hold for this group (None for a lone member that cannot lead).

    The words claim ties only when the leader has them: ``reason.leads`` when
    it has the strongest ties of the members willing to lead,
    ``reason.leads_as_tied`` when another is as strongly tied (the most work
    decided), ``reason.leads_most_work`` when none of them has a tie inside,
    ``reason.leads_only`` when it is the only one willing, ``reason.leads_near``
    when the required leader rule left out willing members too far from some
    member.
    """
    k = len(group)
    if leader is None:
        return Message("reason.no_leader") if k > 1 else None
    if k == 1:
        return Message("reason.leads_alone", {"leader": leader})
    willing, candidates = leader_candidates(problem, group, spec)
    if len(candidates) < len(willing):
        return Message("reason.leads_near", {"leader": leader, "hops": spec.rules.leader_hops})
    if len(willing) == 1:
        return Message("reason.leads_only", {"leader": leader})
    mine = tie_weight_inside(problem, group, leader)
    others = max(tie_weight_inside(problem, group, w) for w in willing if w != leader)
    args = {"leader": leader, "willing": len(willing)}
    if mine > others:
        return Message("reason.leads", args)
    return Message("reason.leads_as_tied" if mine > 0 else "reason.leads_most_work", args)


def group_cohesion(problem: MatchProblem, group: list[str]) -> GroupCohesionDict:
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
) -> tuple[Message, ...]:
    """Why one workshop is in the group: its work, its minutes, its ties, its role."""
    workshop = problem.workshop(w)
    due = spec.order.due_weeks
    minutes_of = {s.process: s.minutes_per_unit for s in spec.steps}
    lines = []
    if units:
        work = [{"process": p, "units": u} for p, u in units.items()]
        used = sum(minutes_of[p] * u for p, u in units.items())
        free = workshop.available_minutes(due)
        if free:
            args = {"work": work, "used": used, "free": free, "week": due, "share": used / free}
            lines.append(Message("why.makes", args))
        else:
            lines.append(
                Message("why.makes_no_free_minutes", {"work": work, "used": used, "free": free, "week": due})
            )
    else:
        lines.append(Message("why.backup"))
    tied = []
    for v in group:
        if v != w:
            kinds = problem.pair_kinds.get((w, v) if w < v else (v, w))
            if kinds:
                tied.append({"workshop_id": v, "kinds": list(kinds)})
    lines.append(Message("why.tied", {"tied": tied}) if tied else Message("why.no_tie"))
    if w == leader:
        lines.append(Message("why.leader"))
    if spec.rules.wanted("specialisation") and workshop.products[0] == spec.order.product:
        lines.append(Message("why.mainly_makes", {"product": spec.order.product}))
    return tuple(lines)


def _filled_reasons(
    problem: MatchProblem,
    spec: OrderSpec,
    alloc: dict[str, dict[str, int]],
    leader: str | None,
    cohesion: dict,
) -> list[Message]:
    group = sorted(alloc)
    due = spec.order.due_weeks
    reasons = [Message("reason.can_deliver", {"workshops": len(group), "week": due})]
    for step in spec.steps:
        doers = sorted(
            (w for w in group if alloc[w].get(step.process)), key=lambda w: (-alloc[w][step.process], w)
        )
        if len(doers) == 1:
            reasons.append(
                Message("reason.process_alone", {"process": step.process, "workshop_id": doers[0]})
            )
        else:
            split = [{"workshop_id": w, "units": alloc[w][step.process]} for w in doers]
            args = {"process": step.process, "workshops": len(doers), "split": split}
            if spec.lot > 1:
                reasons.append(Message("reason.process_split_lots", {**args, "lot": spec.lot}))
            else:
                reasons.append(Message("reason.process_split", args))
    k = len(group)
    if k > 1:
        pairs = cohesion["positive_pairs"]
        if cohesion["connected"]:
            reasons.append(Message("reason.all_linked", {"pairs": pairs}))
        elif cohesion["members_tied"] == k:
            reasons.append(
                Message("reason.all_tied_parts", {"pairs": pairs, "parts": cohesion["components"]})
            )
        elif pairs:
            args = {"tied": cohesion["members_tied"], "members": k, "pairs": pairs}
            reasons.append(Message("reason.some_tied", args))
        else:
            reasons.append(Message("reason.none_tied"))
    lead = leader_reason(problem, spec, group, leader)
    if lead is not None:
        reasons.append(lead)
    minutes = {s.process: s.minutes_per_unit for s in spec.steps}
    used = sum(minutes[p] * u for w in group for p, u in alloc[w].items())
    free = sum(problem.workshop(w).available_minutes(due) for w in group)
    reasons.append(Message("reason.uses", {"used": used, "free": free, "week": due}))
    return reasons


def diagnose(
    problem: MatchProblem, spec: OrderSpec, filled: int, alone: Callable[[OrderSpec], int] | None = None
) -> list[Message]:
    """The binding reason an order is not (fully) filled, in a coordinator's words."""
    order, cluster = spec.order, problem.cluster
    reasons = (
        [] if filled == 0 else [Message("diagnose.only", {"filled": filled, "quantity": order.quantity})]
    )
    makers = [w for w in cluster.workshops if order.product in w.products]
    if not makers:
        return [*reasons, Message("diagnose.no_maker", {"product": order.product})]
    if not spec.eligible:
        why: dict[str, int] = {}
        for w in makers:
            cause = ineligibility(w, order, spec.steps)
            if cause is None and spec.rules.required("specialisation") and w.products[0] != order.product:
                cause = "specialisation"
            if cause:
                why[cause] = why.get(cause, 0) + 1
        causes = [{"cause": c, "workshops": n} for c, n in sorted(why.items(), key=lambda kv: -kv[1])]
        args = {
            "makers": len(makers),
            "product": order.product,
            "causes": causes,
            "min_quality": order.min_quality,
            "territories": list(order.territories),
        }
        return [*reasons, Message("diagnose.none_eligible", args)]
    due = order.due_weeks
    short: list[Message] = []
    weeks_needed = 0.0
    for step in spec.steps:
        doers = [problem.workshop(w) for w in spec.eligible if step.process in problem.workshop(w).processes]
        if not doers:
            short.append(Message("diagnose.no_process", {"process": step.process}))
            weeks_needed = math.inf
            continue
        need = order.quantity * step.minutes_per_unit
        weekly = sum(w.available_minutes_per_week for w in doers)
        have = weekly * due
        if need > have:
            args = {"process": step.process, "need": need, "week": due, "workshops": len(doers), "have": have}
            short.append(Message("diagnose.short", args))
        weeks_needed = max(weeks_needed, need / weekly if weekly else math.inf)
    if short:
        return reasons + short
    lot = spec.lot
    if lot > 1:
        # Minutes that do not make a whole lot make nothing: only workshops that can
        # take a lot of a process count for it.
        for step in spec.steps:
            can = [
                units
                for w in spec.eligible
                if step.process in problem.workshop(w).processes
                and (units := problem.unit_bound(problem.workshop(w), spec, step)) > 0
            ]
            if sum(can) < order.quantity:
                args = {
                    "process": step.process,
                    "lot": lot,
                    "workshops": len(can),
                    "units": sum(can),
                    "quantity": order.quantity,
                    "week": due,
                }
                return [*reasons, Message("diagnose.lot", args)]
    if spec.cap is not None:
        for step in spec.steps:
            best = sorted(
                (
                    problem.workshop(w).available_minutes(due)
                    for w in spec.eligible
                    if step.process in problem.workshop(w).processes
                    and (lot <= 1 or problem.unit_bound(problem.workshop(w), spec, step) > 0)
                ),
                reverse=True,
            )[: spec.cap]
            can = int(sum(best) // step.minutes_per_unit)
            if can < order.quantity:
                args = {"cap": spec.cap, "units": can, "process": step.process, "week": due}
                return [*reasons, Message("diagnose.cap", args)]
    if alone is not None and alone(spec) >= order.quantity:
        others = sorted(
            s.order_id for s in problem.specs if s is not spec and set(s.eligible) & set(spec.eligible)
        )
        return [*reasons, Message("diagnose.other_orders", {"orders": others})]
    conflicts = problem.conflicts_within(spec.eligible)
    if conflicts:
        return [*reasons, Message("diagnose.conflicts", {"pairs": len(conflicts)})]
    required = [rule for rule in RULES if spec.rules.required(rule)]
    if spec.rules.min_group_size > 1:
        required.append("min_group_size")
    if required:
        args = {"required": required, "min_group_size": spec.rules.min_group_size}
        return [*reasons, Message("diagnose.required", args)]
    return [*reasons, Message("diagnose.no_cover")]


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
                why_messages=member_why(problem, spec, group, w, alloc[w], leader),
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
                reason_messages=tuple(reasons),
                product=order.product,
                due_weeks=order.due_weeks,
                firm_id=order.firm_id,
                eligible_workshops=len(spec.eligible),
                cohesion=cohesion,
                lot=spec.lot,
            )
        )
    return tuple(results)


def with_connected_alternative(result: OrderResult, found: ConnectedAlternative) -> OrderResult:
    """``result`` with what solving found of a group linked by ties that could take its order instead.

    Its reason follows the group's cohesion reason; ``cohesion`` gains
    ``connected_alternative`` (``{"size", "smallest"}``, or None when solving
    proved that none exists), left out when the time ran out first.
    """
    key = ALTERNATIVE_REASONS[found.status, found.smallest]
    message = Message(key, {"size": found.size} if found.status == "found" else {})
    reasons = list(result.reason_messages)
    at = next((i + 1 for i, m in enumerate(reasons) if m.key in COHESION_REASONS), len(reasons))
    reasons.insert(at, message)
    cohesion = dict(result.cohesion)
    if found.status != "unknown":
        cohesion["connected_alternative"] = found.to_dict()
    return replace(result, cohesion=cohesion, reasons=(), reason_messages=tuple(reasons))
