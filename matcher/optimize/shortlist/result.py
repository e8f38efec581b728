"""A shortlist as its answer: entries with their score in parts and anonymized profiles, and
the notes that go with them (small cells, reliability, anonymity).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, cast

from matcher.messages import Message, paired_texts
from matcher.model import Order
from matcher.optimize.result import Allocation
from matcher.optimize.shortlist.schema import (
    ProfileDict,
    ScoreDict,
    ShortlistDict,
    ShortlistEntryDict,
    ShortlistSearchDict,
)
from matcher.privacy import DEFAULT_K, AnonymousProfile

#: Weight of each part in the total score; parts that are unknown or do not
#: apply (cohesion of a single) are left out of the mean.
SCORE_WEIGHTS: dict[str, float] = {
    "capability": 1.0,
    "capacity": 1.0,
    "quality_margin": 1.0,
    "reliability": 1.0,
    "cohesion": 1.0,
}


@dataclass(frozen=True)
class Score:
    """A shortlist entry's score, in parts each in [0, 1] (``None``: unknown or not applicable).

    Examples
    --------
    >>> s = Score(capability=1.0, capacity=0.5, quality_margin=0.0)
    >>> s.total
    0.5
    >>> s.to_dict()["reliability"] is None
    True
    """

    capability: float
    capacity: float
    quality_margin: float
    reliability: float | None = None
    cohesion: float | None = None

    def parts(self) -> dict[str, float | None]:
        return {name: getattr(self, name) for name in SCORE_WEIGHTS}

    @property
    def total(self) -> float:
        """The weighted mean of the known parts."""
        known = {k: v for k, v in self.parts().items() if v is not None}
        return sum(SCORE_WEIGHTS[k] * v for k, v in known.items()) / sum(SCORE_WEIGHTS[k] for k in known)

    def to_dict(self) -> ScoreDict:
        """The parts, rounded, and the total (:class:`~matcher.optimize.shortlist.schema.ScoreDict`)."""
        parts = {k: None if v is None else round(v, 4) for k, v in self.parts().items()}
        return cast(ScoreDict, {**parts, "total": round(self.total, 4)})


@dataclass(frozen=True)
class Profile:
    """A member as a lead firm may see it (``shown``), with the workshop id kept for a coordinator.

    ``allocations`` are its share of the order's work (a group member's); the
    processes they name are among those ``shown`` counts it as doing.
    """

    ref: str
    workshop_id: str
    shown: AnonymousProfile
    allocations: tuple[Allocation, ...] = ()

    @property
    def leader(self) -> bool:
        """Whether it is shown as its group's leader (False when that is withheld)."""
        return bool(self.shown.leader)

    def to_dict(self, *, reveal_ids: bool = False) -> ProfileDict:
        """The profile shown (:class:`~matcher.optimize.shortlist.schema.ProfileDict`); the
        workshop id and how many workshops fit the profile only with ``reveal_ids``."""
        data: dict[str, Any] = {"ref": self.ref}
        if reveal_ids:
            data["workshop_id"] = self.workshop_id
            data["matches"] = self.shown.matches
        data.update(self.shown.to_dict())
        data["allocations"] = [
            {"process": a.process, "units": a.units, "minutes": a.minutes} for a in self.allocations
        ]
        return cast(ProfileDict, data)


@dataclass(frozen=True)
class ShortlistEntry:
    """One single workshop (``kind="single"``) or group (``kind="group"``) that can take the order.

    ``why_messages`` say why it fits (:class:`~matcher.messages.Message`, naming
    members by their references only); ``why`` is their English text.
    """

    ref: str
    kind: str
    members: tuple[Profile, ...]
    score: Score
    free_minutes: float
    needed_minutes: float
    why: tuple[str, ...] = ()
    why_messages: tuple[Message, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "why", paired_texts(self.why, self.why_messages))

    @property
    def workshop_ids(self) -> tuple[str, ...]:
        return tuple(m.workshop_id for m in self.members)

    def to_dict(self, *, reveal_ids: bool = False) -> ShortlistEntryDict:
        """The entry as JSON-ready data (:class:`~matcher.optimize.shortlist.schema.ShortlistEntryDict`)."""
        return {
            "ref": self.ref,
            "kind": self.kind,
            "size": len(self.members),
            "score": self.score.to_dict(),
            "free_minutes": round(self.free_minutes, 1),
            "needed_minutes": round(self.needed_minutes, 1),
            "members": [m.to_dict(reveal_ids=reveal_ids) for m in self.members],
            "why": list(self.why),
            "why_messages": [m.to_dict() for m in self.why_messages],
        }


@dataclass(frozen=True)
class Shortlist:
    """Ranked singles and groups for one order, and how the search for groups went.

    ``search["stopped"]`` says why the search for groups ended: ``top`` (as many
    as asked were found), ``no_more_groups`` (the solver proved there is no
    other) or ``time_limit`` (more may exist). ``search["all_optimal"]`` is
    True when every group was proved the best one left when it was found.
    ``note_messages`` say what the reader should know (why nothing fits, how the
    search was cut short, unknown reliability, coarsened profiles); ``notes`` is
    their English text. Every member's profile fits at least ``k`` workshops
    of the cluster (:mod:`matcher.privacy`), and with ``k`` above 1 nothing
    describes fewer than ``k``: when fewer than ``k`` workshops are eligible
    for the order no entry is shown (the note ``shortlist.small_pool`` says
    why), a diagnosis leaves out the causes and lines that count fewer than
    ``k`` workshops (``shortlist.small_cells``), and ``search`` shows such a
    count of candidates as ``None``.
    """

    order: Order
    described: bool
    singles: tuple[ShortlistEntry, ...]
    groups: tuple[ShortlistEntry, ...]
    search: dict[str, Any] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    note_messages: tuple[Message, ...] = ()
    k: int = DEFAULT_K

    def __post_init__(self) -> None:
        object.__setattr__(self, "notes", paired_texts(self.notes, self.note_messages))

    def to_dict(self, *, reveal_ids: bool = False) -> ShortlistDict:
        """JSON-ready form; anonymized (no workshop id) unless ``reveal_ids``.

        Every key is listed in :class:`~matcher.optimize.shortlist.schema.ShortlistDict`
        (an entry: :class:`~matcher.optimize.shortlist.schema.ShortlistEntryDict`).
        """
        order = self.order
        return {
            "order": {
                "order_id": order.order_id,
                "described": self.described,
                "product": order.product,
                "quantity": order.quantity,
                "due_weeks": order.due_weeks,
                "min_quality": order.min_quality,
                "max_group_size": order.max_group_size,
                "territories": list(order.territories),
                "require_formal": order.require_formal,
            },
            "score_weights": dict(SCORE_WEIGHTS),
            "anonymity": {"k": self.k},
            "singles": [e.to_dict(reveal_ids=reveal_ids) for e in self.singles],
            "groups": [e.to_dict(reveal_ids=reveal_ids) for e in self.groups],
            "search": cast(ShortlistSearchDict, dict(self.search)),
            "notes": list(self.notes),
            "note_messages": [m.to_dict() for m in self.note_messages],
        }


#: The arguments of a diagnosis that count workshops (``pairs`` counts pairs of them).
_COUNTS = ("makers", "workshops", "pairs")


def _without_small_cells(messages: list[Message], k: int) -> list[Message]:
    """A diagnosis as a lead firm may read it: no count of fewer than ``k`` workshops.

    A cause that concerns fewer than ``k`` workshops is left out of its list;
    a line whose own count is that small is left out whole; when anything is
    left out, a last line says so (a coordinator reads the whole diagnosis).

    Examples
    --------
    >>> causes = [{"cause": "quality", "workshops": 9}, {"cause": "territory", "workshops": 2}]
    >>> m = Message("diagnose.none_eligible", {"makers": 11, "product": "jeans", "causes": causes,
    ...     "min_quality": 4, "territories": ["Pilar"]})
    >>> [x.text for x in _without_small_cells([m], 5)]  # doctest: +NORMALIZE_WHITESPACE
    ['Of the 11 workshops that make jeans, none can take it: 9 below quality 4.',
     'Some of the reasons concern fewer than 5 workshops and are not shown, so that none is
     singled out; a coordinator can tell them.']
    """
    kept: list[Message] = []
    dropped = False
    for message in messages:
        args = dict(message.args)
        if any(0 < args.get(name, k) * (2 if name == "pairs" else 1) < k for name in _COUNTS):
            dropped = True
            continue
        if "causes" in args:
            causes = [c for c in args["causes"] if c["workshops"] >= k]
            dropped = dropped or len(causes) < len(args["causes"])
            if not causes:
                continue
            message = Message(message.key, {**args, "causes": causes})
        kept.append(message)
    if dropped:
        kept.append(Message("shortlist.small_cells", {"k": k}))
    return kept


def _reliability_notes(entries: tuple[ShortlistEntry, ...]) -> list[Message]:
    """What the reader should know about reliability left out of totals."""
    unknown = [e.ref for e in entries if e.score.reliability is None]
    if not entries:
        return []
    if len(unknown) == len(entries):
        return [Message("shortlist.reliability_unknown")]
    if unknown:
        return [Message("shortlist.reliability_unknown_for", {"refs": unknown})]
    return []


def _anonymity_notes(entries: tuple[ShortlistEntry, ...], k: int) -> list[Message]:
    """What the reader should know about profiles coarsened to fit ``k`` workshops."""
    members = [m for e in entries for m in e.members]
    notes = []
    if any(m.shown.coarsened for m in members):
        notes.append(Message("shortlist.anonymity", {"k": k}))
    short = [m.ref for m in members if m.shown.matches < k]
    if short:
        notes.append(Message("shortlist.anonymity_short", {"k": k, "refs": short}))
    return notes


def _letters(index: int) -> str:
    """``a``, ``b``, ..., ``z``, ``aa``, ``ab``, ...: member references inside a group."""
    text = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        text = chr(ord("a") + rest) + text
    return text
