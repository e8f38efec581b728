"""Checks of the options of :func:`matcher.develop.mentoring`, and the pressure of the orders (by solving)."""

from __future__ import annotations

import math
from collections.abc import Sequence

from matcher.develop._candidates import order_pressure
from matcher.errors import InvalidOptionError, UnknownIdError
from matcher.messages import Message
from matcher.model import Cluster
from matcher.optimize import MatchOptions, solve_orders

__all__ = ["SOLVERS", "check_mentoring_options", "order_pressures"]

#: Solver names :func:`matcher.develop.mentoring` accepts.
SOLVERS = ("auto", "highs", "cbc")


def check_mentoring_options(
    cluster: Cluster,
    *,
    max_trainees: int,
    circle_size: tuple[int, int] | None,
    solver: str,
    time_limit: float,
    demand_seconds: float,
    seed: int,
    pinned: tuple[tuple[str, str], ...],
    kept: Sequence[tuple[str, str]],
    conflicts: set[tuple[str, str]],
) -> None:
    """Every problem with the options of :func:`matcher.develop.mentoring`, raised at once.

    An unknown pinned workshop is raised first, on its own. The service calls this
    before it stores a job, so that a bad request is refused with nothing written.

    Parameters
    ----------
    cluster : Cluster
        The cluster the pairs are formed in.
    max_trainees, circle_size, solver, time_limit, demand_seconds, seed, pinned
        As :func:`matcher.develop.mentoring` takes them.
    kept : sequence of (str, str)
        The mentoring pairs kept from the data (mentor, trainee).
    conflicts : set of (str, str)
        The conflict pairs, each sorted.

    Raises
    ------
    UnknownIdError
        A pinned workshop the cluster does not have.
    InvalidOptionError
        Every other problem, as messages.

    Examples
    --------
    >>> from matcher.sample import load_sample
    >>> cluster, _ = load_sample()
    >>> check_mentoring_options(cluster, max_trainees=0, circle_size=None, solver="auto",
    ...     time_limit=10, demand_seconds=0, seed=0, pinned=(), kept=(), conflicts=set())
    Traceback (most recent call last):
    ...
    matcher.errors.InvalidOptionError: max_trainees must be a whole number >= 1, got 0
    """
    known = set(cluster.workshop_ids)
    missing = list(dict.fromkeys(w for pair in pinned for w in pair if w not in known))
    if missing:
        raise UnknownIdError("workshop", missing, cluster.workshop_ids)
    problems: list[Message] = []
    cap_ok = isinstance(max_trainees, int) and not isinstance(max_trainees, bool) and max_trainees >= 1
    if not cap_ok:
        problems.append(
            Message("option.at_least", {"name": "max_trainees", "low": 1, "got": repr(max_trainees)})
        )
    if circle_size is not None:
        ok = (
            isinstance(circle_size, tuple | list)
            and len(circle_size) == 2
            and all(isinstance(v, int) and not isinstance(v, bool) for v in circle_size)
            and 2 <= circle_size[0] <= circle_size[1]
        )
        if not ok:
            problems.append(Message("mentor.circle_size", {"got": repr(circle_size)}))
        elif cap_ok and circle_size[1] - 1 > max_trainees:
            problems.append(
                Message(
                    "mentor.circle_cap",
                    {"high": circle_size[1], "needed": circle_size[1] - 1, "cap": max_trainees},
                )
            )
    if solver not in SOLVERS:
        problems.append(
            Message("option.one_of", {"name": "solver", "choices": list(SOLVERS), "got": repr(solver)})
        )
    for name, value, low, key in (
        ("time_limit", time_limit, 0, "option.seconds_above"),
        ("demand_seconds", demand_seconds, 0, "option.seconds_at_least"),
    ):
        bad = not isinstance(value, int | float) or not math.isfinite(value)
        if bad or value < low or (key == "option.seconds_above" and value <= low):
            problems.append(Message(key, {"name": name, "low": low, "got": repr(value)}))
    if not isinstance(seed, int) or seed < 0:
        problems.append(Message("option.at_least", {"name": "seed", "low": 0, "got": repr(seed)}))
    kept_trainees: dict[str, list[str]] = {}
    for k, kt in sorted(kept):
        kept_trainees.setdefault(k, []).append(kt)
    mentors_of: dict[str, list[str]] = {}
    trainees_of: dict[str, list[str]] = {}
    for m, t in pinned:
        if m == t:
            problems.append(Message("mentor.pin_self", {"workshop": m}))
            continue
        if tuple(sorted((m, t))) in conflicts:
            problems.append(Message("mentor.pin_conflict", {"mentor": m, "trainee": t}))
        others = sorted(k for k, kt in kept if kt == t and k != m)
        if others and (m, t) not in kept:
            problems.append(Message("mentor.pin_kept", {"trainee": t, "mentor": others[0]}))
        if kept_trainees.get(t):
            said = {"trainee": t, "trainees": kept_trainees[t]}
            problems.append(Message("mentor.pin_trainee_mentors", said))
        for k in kept_trainees.get(m, []):
            if k != t and tuple(sorted((t, k))) in conflicts:
                problems.append(Message("mentor.pin_conflict_kept", {"trainee": t, "mentor": m, "other": k}))
        mentors_of.setdefault(t, []).append(m)
        trainees_of.setdefault(m, []).append(t)
    for t, ms in sorted(mentors_of.items()):
        if len(ms) > 1:
            problems.append(Message("mentor.pin_twice", {"trainee": t, "mentors": sorted(ms)}))
    for w in sorted(set(mentors_of) & set(trainees_of)):
        problems.append(Message("mentor.pin_both", {"workshop": w}))
    for m, ts in sorted(trainees_of.items()):
        total = len(set(ts) | set(kept_trainees.get(m, [])))
        if cap_ok and total > max_trainees:
            problems.append(Message("mentor.pin_full", {"mentor": m, "count": total, "cap": max_trainees}))
        ts = sorted(set(ts))
        for i, a in enumerate(ts):
            for b in ts[i + 1 :]:
                if (a, b) in conflicts:
                    problems.append(Message("mentor.pin_conflict_pair", {"mentor": m, "a": a, "b": b}))
    if problems:
        raise InvalidOptionError(messages=problems)


def order_pressures(
    cluster: Cluster, solver: str, demand_seconds: float, seed: int
) -> tuple[dict[str, float], Message]:
    """Each order's pressure (:func:`~matcher.develop._candidates.order_pressure`) and a note on how."""
    if not cluster.orders:
        return {}, Message("mentor.note.no_orders")
    if demand_seconds <= 0:
        return {}, Message("mentor.note.demand_unsolved")
    try:
        solved = solve_orders(
            cluster,
            options=MatchOptions(solver=solver, time_limit=demand_seconds, explain_seconds=0, seed=seed),
        )
    except InvalidOptionError:  # orders the matcher cannot take (e.g. no routing): count them all
        return {}, Message("mentor.note.demand_unsolved")
    pressure = {
        o.order_id: order_pressure(o.quantity, o.filled_units, o.eligible_workshops) for o in solved.orders
    }
    unfilled = sum(o.status != "filled" for o in solved.orders)
    said = Message(
        "mentor.note.demand_solved",
        {"status": solved.status, "unfilled": unfilled, "orders": len(solved.orders)},
    )
    return pressure, said
