"""Why each pair and circle was formed, and why each unpaired trainee was left without a mentor."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from matcher.develop._candidates import Pair, Pool
from matcher.messages import Message
from matcher.model import Cluster

__all__ = ["circle_reasons", "pair_reasons", "unpaired_reasons"]


def pair_reasons(cluster: Cluster, pair: Pair, status: str, existing: bool) -> tuple[Message, ...]:
    """What the trainee learns, from whom, for which orders, and the ties that carry it."""
    m, t = pair.mentor_id, pair.trainee_id
    said: list[Message] = []
    if status == "kept":
        said.append(Message("mentor.pair.kept"))
    elif status == "pinned":
        said.append(Message("mentor.pair.pinned"))
    if existing and status != "kept":
        said.append(Message("mentor.pair.existing"))
    who = {"mentor": m, "trainee": t}
    if pair.processes:
        said.append(Message("mentor.pair.learns_processes", {**who, "processes": list(pair.processes)}))
    if pair.products:
        said.append(Message("mentor.pair.learns_products", {**who, "products": list(pair.products)}))
    said.append(
        Message(
            "mentor.pair.quality",
            {
                **who,
                "mentor_quality": cluster.workshop(m).quality,
                "trainee_quality": cluster.workshop(t).quality,
            },
        )
    )
    if pair.demand_orders:
        said.append(
            Message(
                "mentor.pair.demand",
                {
                    "count": len(pair.demand_orders),
                    "orders": list(pair.demand_orders),
                    "units": pair.demand_units,
                },
            )
        )
    elif pair.processes or pair.products:  # nothing pressing needs it: the learning alone counts
        said.append(Message("mentor.pair.no_demand"))
    if pair.kinds:
        said.append(Message("mentor.pair.tied", {"kinds": list(pair.kinds)}))
    elif pair.hops is not None:
        said.append(Message("mentor.pair.hops", {"hops": pair.hops}))
    else:
        said.append(Message("mentor.pair.no_tie"))
    if pair.organizations:
        said.append(Message("mentor.pair.organisation", {"organizations": list(pair.organizations)}))
    if pair.territory is not None:
        said.append(Message("mentor.pair.territory", {"territory": pair.territory}))
    return tuple(said)


def circle_reasons(
    pool: Pool, mentor: str, trainees: Sequence[str], sector: str | None, new: int, kept: int
) -> tuple[Message, ...]:
    """The circle's sector, its new and kept pairs, and that no conflict lies inside it."""
    count = len(trainees)
    said = [
        Message("mentor.circle.sector", {"mentor": mentor, "count": count, "sector": sector})
        if sector is not None
        else Message("mentor.circle.mixed", {"mentor": mentor, "count": count})
    ]
    said.append(Message("mentor.circle.pairs", {"new": new, "kept": kept}))
    members = sorted({mentor, *trainees})
    if not any((a, b) in pool.conflicts for i, a in enumerate(members) for b in members[i + 1 :]):
        said.append(Message("mentor.circle.no_conflict"))
    return tuple(said)


def unpaired_reasons(
    cluster: Cluster,
    pool: Pool,
    trainee: str,
    *,
    circles: Mapping[str, Sequence[str]],
    sectors: Mapping[str, str | None],
    learning: set[str],
    max_trainees: int,
    same_sector: bool,
) -> tuple[Message, ...]:
    """Why ``trainee`` has no mentor in the plan: one message per cause, naming the mentors concerned.

    ``circles`` maps each mentor of the plan to all its trainees (kept ones
    included), ``sectors`` to its circle's sector; ``learning`` holds the
    workshops that are trainees in the plan.
    """
    said: list[Message] = []
    causes: dict[str, list[str]] = {}
    for m, t in sorted(pool.pairs):
        if t != trainee:
            continue
        members = circles.get(m, ())
        if m in learning and m not in circles:
            cause = "mentors_learning"
        elif len(members) >= max_trainees:
            cause = "mentors_full"
        elif members and same_sector and sectors.get(m) not in (None, *pool.pairs[m, t].sectors):
            cause = "other_sector"
        elif any(tuple(sorted((trainee, x))) in pool.conflicts for x in members):
            cause = "conflict_in_circle"
        else:
            cause = "not_chosen"
        causes.setdefault(cause, []).append(m)
    for cause in ("mentors_full", "other_sector", "conflict_in_circle", "mentors_learning", "not_chosen"):
        if cause in causes:
            args: dict[str, object] = {"mentors": causes[cause]}
            if cause == "mentors_full":
                args["cap"] = max_trainees
            said.append(Message(f"mentor.unpaired.{cause}", args))
    rejected = pool.rejected.get(trainee, {})
    for cause in ("no_mentor_sector", "only_conflict"):
        if cause in rejected:
            said.append(Message(f"mentor.unpaired.{cause}", {"mentors": list(rejected[cause])}))
    if not said:
        said.append(
            Message("mentor.unpaired.no_mentor_above", {"quality": cluster.workshop(trainee).quality})
        )
    return tuple(said)
