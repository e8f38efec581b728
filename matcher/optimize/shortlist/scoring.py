"""What a shortlist entry is worth and why: the members' profiles as shown, the score in parts,
and the reasons of a single or a group.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace

from matcher.messages import Message
from matcher.model import Cluster, Order, Workshop
from matcher.optimize._explain import group_cohesion
from matcher.optimize._problem import MatchProblem, OrderSpec
from matcher.optimize.result import Member, OrderResult
from matcher.optimize.shortlist.result import Score
from matcher.privacy import AnonymousProfile, anonymous_profile

TOP_QUALITY = 5


def anonymous_profiles(
    cluster: Cluster, order: Order, members: Iterable[Member], k: int
) -> tuple[AnonymousProfile, ...]:
    """The members' profiles as a lead firm may see them (:func:`matcher.privacy.anonymous_profile`).

    When the leader's mark must be withheld, it is withheld from every member:
    the others' ``False`` would point to the leader.
    """
    shown = tuple(
        anonymous_profile(
            cluster, order, m.workshop_id, k=k, leader=m.leader, works_on=[a.process for a in m.allocations]
        )
        for m in members
    )
    if any(p.leader is None for p in shown):
        shown = tuple(
            p
            if p.leader is None
            else replace(p, leader=None, withheld=(*p.withheld, "leader"), coarsened=(*p.coarsened, "leader"))
            for p in shown
        )
    return shown


def _reliability(workshops: list[Workshop], minutes: Mapping[str, float] | None) -> float | None:
    """The mean of the members' known reliability, weighted by their minutes on the order.

    Equal weights when ``minutes`` is None or gives the known members no minutes;
    None when no member's reliability is known.
    """
    known = {w.workshop_id: w.reliability for w in workshops if w.reliability is not None}
    if not known:
        return None
    weights = {w: 1.0 if minutes is None else minutes.get(w, 0.0) for w in known}
    if sum(weights.values()) <= 0:
        weights = dict.fromkeys(known, 1.0)
    return sum(weights[w] * value for w, value in known.items()) / sum(weights.values())


def score_parts(
    problem: MatchProblem,
    spec: OrderSpec,
    group: list[str],
    shown: Iterable[AnonymousProfile],
    minutes: Mapping[str, float] | None = None,
) -> tuple[Score, float, float]:
    """The score of a single or group, the minutes its members have free and the minutes needed.

    Capability and quality margin read the members' profiles as ``shown``, at
    the least they guarantee: a quality band at its lowest level, a withheld
    quality as the order's minimum, a withheld main product as another one,
    withheld processes as those the member works on. ``minutes`` (a group's
    minutes per member on the order) weights the members' reliability.
    """
    order = spec.order
    shown = list(shown)
    workshops = [problem.workshop(w) for w in group]
    needed = order.quantity * sum(s.minutes_per_unit for s in spec.steps)
    free = sum(w.available_minutes(order.due_weeks) for w in workshops)
    main = sum(p.main_product is True for p in shown) / len(shown)
    does = sum(
        len(p.works_on if p.processes is None else p.processes) / len(spec.steps) for p in shown
    ) / len(shown)
    spread = TOP_QUALITY - order.min_quality
    lowest = min(order.min_quality if p.quality is None else p.quality[0] for p in shown)
    cohesion = None
    if len(group) > 1:
        c = group_cohesion(problem, group)
        cohesion = 0.5 * c["density"] + 0.5 * (len(group) - c["components"]) / (len(group) - 1)
    score = Score(
        capability=(main + does) / 2,
        capacity=min(1.0, max(0.0, 1.0 - needed / free)) if free > 0 else 0.0,
        quality_margin=1.0 if spread <= 0 else min(1.0, max(0.0, (lowest - order.min_quality) / spread)),
        reliability=_reliability(workshops, minutes),
        cohesion=cohesion,
    )
    return score, free, needed


def single_why(spec: OrderSpec, shown: AnonymousProfile, free: float, needed: float) -> tuple[Message, ...]:
    """Why a single can take the order; its main product only as far as its profile shows it."""
    order = spec.order
    processes = [s.process for s in spec.steps]
    args = {"processes": processes, "free": free, "week": order.due_weeks, "needed": needed}
    lines = [Message("shortlist.single", args)]
    if shown.main_product is not None:
        key = "why.mainly_makes" if shown.main_product else "shortlist.not_main_product"
        lines.append(Message(key, {"product": order.product}))
    return tuple(lines)


def group_why(
    problem: MatchProblem,
    spec: OrderSpec,
    result: OrderResult,
    refs: dict[str, str],
    free: float,
    needed: float,
    leader_shown: bool = True,
) -> tuple[Message, ...]:
    """Why a group can take the order, naming its members by their references only.

    The leader is named only when ``leader_shown`` (its profile may say so).
    """
    lines = [Message("shortlist.group", {"size": len(result.group), "week": spec.order.due_weeks})]
    for step in spec.steps:
        doers = [
            refs[m.workshop_id] for m in result.group if any(a.process == step.process for a in m.allocations)
        ]
        lines.append(Message("shortlist.group_process", {"process": step.process, "refs": doers}))
    c = result.cohesion
    pairs = len(result.group) * (len(result.group) - 1) // 2
    if c["connected"]:
        lines.append(Message("shortlist.group_linked", {"tied": c["positive_pairs"], "pairs": pairs}))
    else:
        args = {"tied": c["positive_pairs"], "pairs": pairs, "parts": c["components"]}
        lines.append(Message("shortlist.group_parts", args))
    leader = result.leader_id
    if not leader:
        lines.append(Message("shortlist.group_no_leader"))
    elif leader_shown:
        lines.append(Message("shortlist.group_leader", {"ref": refs[leader]}))
    else:
        lines.append(Message("shortlist.group_leader_withheld"))
    lines.append(Message("shortlist.group_free", {"free": free, "needed": needed}))
    return tuple(lines)
