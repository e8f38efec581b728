"""Interventions a development programme can fund, and the cluster they leave behind.

An :class:`Intervention` changes one workshop (or, for ``introduce``, joins two):
it learns a process or a product, reaches the next quality level, formalises,
takes on operators or works more hours. :func:`apply_interventions` gives the
cluster as it would be after them — a new :class:`~matcher.model.Cluster`
built with :func:`dataclasses.replace`; the cluster given is never changed.

Examples
--------
>>> from matcher.model import Cluster, Workshop
>>> c = Cluster((Workshop("A", "T", 2, ("tshirt",), ("sewing",)),
...              Workshop("B", "T", 1, ("tshirt",), ("cutting",))))
>>> after = apply_interventions(c, [Intervention("add_worker", "A", amount=2),
...                                 Intervention("learn_process", "B", "sewing")])
>>> after.workshop("A").workers, after.workshop("B").processes, c.workshop("A").workers
(4, ('cutting', 'sewing'), 2)
>>> Intervention("introduce", "A", "B").message.text
'introduce A and B (a new working tie)'
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from matcher.errors import InvalidOptionError
from matcher.messages import Message
from matcher.model import Cluster, Tie, Workshop

__all__ = ["EXTRA_HOURS", "MAX_HOURS", "Intervention", "apply_interventions"]

#: Hours a week per operator that ``add_hours`` adds ...
EXTRA_HOURS = 8.0
#: ... up to this many hours a week per operator.
MAX_HOURS = 60.0
#: The strength of the tie an introduction makes (a new tie: weak, on the 1..5 scale).
INTRODUCED_STRENGTH = 2
#: The kind of tie an introduction makes.
INTRODUCED_KIND = "joint_purchase"


@dataclass(frozen=True, order=True)
class Intervention:
    """One funded change to one workshop (or one pair, for ``introduce``).

    ``target`` is the process (``learn_process``), the product
    (``learn_product``), the quality level reached (``quality_level``, as
    text) or the other workshop (``introduce``); empty for the others.
    ``amount`` is the operators added (``add_worker``) or the steps of
    :data:`EXTRA_HOURS` added (``add_hours``); 1 otherwise.

    Examples
    --------
    >>> i = Intervention("add_worker", "MRA-007", amount=2)
    >>> i.key, i.message.text, i.cost(900.0)
    ('add_worker:MRA-007x2', 'MRA-007 takes on 2 more operators', 1800.0)
    >>> Intervention("learn_process", "MRA-007", "cutting").message.say("es")
    'MRA-007 aprende corte'
    """

    kind: str
    workshop_id: str
    target: str = ""
    amount: int = 1

    @property
    def key(self) -> str:
        """A stable id: ``kind:workshop[:target][xN]``."""
        tail = f":{self.target}" if self.target else ""
        return f"{self.kind}:{self.workshop_id}{tail}" + (f"x{self.amount}" if self.amount != 1 else "")

    @property
    def message(self) -> Message:
        """The intervention in words (``msg.plan.do.<kind>``)."""
        args = {"workshop_id": self.workshop_id, "target": self.target, "amount": self.amount}
        if self.kind == "add_hours":
            args["amount"] = EXTRA_HOURS * self.amount
        return Message(f"plan.do.{self.kind}", args)

    def cost(self, unit_cost: float) -> float:
        """Its cost at ``unit_cost`` per intervention of its kind (times its amount)."""
        return unit_cost * self.amount

    def to_dict(self) -> dict:
        return {
            "key": self.key,
            "kind": self.kind,
            "workshop_id": self.workshop_id,
            "target": self.target or None,
            "amount": self.amount,
            "text": self.message.text,
            "message": self.message.to_dict(),
        }


def _changed(w: Workshop, i: Intervention) -> Workshop:
    if i.kind == "learn_process":
        return w if i.target in w.processes else replace(w, processes=(*w.processes, i.target))
    if i.kind == "learn_product":
        return w if i.target in w.products else replace(w, products=(*w.products, i.target))
    if i.kind == "quality_level":
        return replace(w, quality=max(w.quality, int(i.target)))
    if i.kind == "formalise":
        return replace(w, formal=True)
    if i.kind == "add_worker":
        # A declared capacity grows by the mean minutes of one of its operators.
        capacity = w.capacity_minutes_per_week
        if capacity is not None:
            capacity += i.amount * capacity / max(1, w.workers)
        return replace(w, workers=w.workers + i.amount, capacity_minutes_per_week=capacity)
    if i.kind == "add_hours":
        hours = max(w.hours_per_week, min(MAX_HOURS, w.hours_per_week + EXTRA_HOURS * i.amount))
        capacity = w.capacity_minutes_per_week
        if capacity is not None:
            capacity *= hours / w.hours_per_week
        return replace(w, hours_per_week=hours, capacity_minutes_per_week=capacity)
    raise InvalidOptionError(f"unknown intervention kind {i.kind!r}")


def apply_interventions(cluster: Cluster, interventions: Iterable[Intervention]) -> Cluster:
    """The cluster after ``interventions``, as a new cluster (the one given is left as it was).

    An introduction adds a positive tie (``joint_purchase``, strength 2) between
    its two workshops; the others change their workshop. Unknown workshop ids
    raise :class:`~matcher.errors.UnknownIdError`.
    """
    by_id = {w.workshop_id: w for w in cluster.workshops}
    ties = list(cluster.ties)
    for i in sorted(interventions):
        cluster.workshop(i.workshop_id)  # unknown ids raise here
        if i.kind == "introduce":
            cluster.workshop(i.target)
            ties.append(Tie(i.workshop_id, i.target, INTRODUCED_KIND, INTRODUCED_STRENGTH))
        else:
            by_id[i.workshop_id] = _changed(by_id[i.workshop_id], i)
    workshops = tuple(by_id[w.workshop_id] for w in cluster.workshops)
    return replace(cluster, workshops=workshops, ties=tuple(ties))
