"""The reasons of a group never contradict each other.

Groups of one to four members are written by hand in every shape the explainer
knows — every pattern of ties among the members (none, some, all tied in parts,
linked), every set of members willing to lead, with and without a backup, with
the leader rule preferred or required, and, for groups not linked by ties,
every answer about a linked alternative — and each group's reasons and "why"
lines are checked in pairs against explicit rules, and as a whole against the
figures they speak of.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from itertools import chain, combinations

import pytest

from matcher.messages import Message
from matcher.model import Cluster, Order, Tie, Workshop
from matcher.optimize import MatchOptions, Rules
from matcher.optimize._explain import COHESION_REASONS, assemble, with_connected_alternative
from matcher.optimize._pipeline import _unlinked
from matcher.optimize._problem import MatchProblem
from matcher.optimize.result import OrderResult
from matcher.optimize.whatif import ConnectedAlternative
from tests.optimize.conftest import ROUTING

IDS = "ABCD"
QUANTITY = 600  # its lot is 50 units: every allocation below is whole lots
LEADER_REASONS = (
    "reason.leads",
    "reason.leads_as_tied",
    "reason.leads_most_work",
    "reason.leads_only",
    "reason.leads_near",
    "reason.leads_alone",
    "reason.no_leader",
)
#: Leader reasons that say the leader has ties inside the group.
CLAIM_TIES = ("reason.leads", "reason.leads_as_tied")
ALTERNATIVE_REASONS = (
    "reason.connected_alternative",
    "reason.connected_alternative_at_most",
    "reason.connected_alternative_none",
    "reason.connected_alternative_unknown",
)
PROCESS_REASONS = ("reason.process_alone", "reason.process_split", "reason.process_split_lots")
ALTERNATIVES = (
    ConnectedAlternative("found", 3, smallest=True),
    ConnectedAlternative("found", 4, smallest=False),
    ConnectedAlternative("none"),
    ConnectedAlternative("unknown"),
)
VARIANTS = {
    "default": Rules(),
    "backup": Rules(robustness="preferred", specialisation="preferred"),
    "leader required": Rules(leader="required"),
}


@dataclass(frozen=True, eq=False)
class Line:
    """One sentence of a result: an order's reason (``member`` None) or a member's "why" line."""

    message: Message
    member: str | None = None

    @property
    def key(self) -> str:
        return self.message.key

    @property
    def args(self) -> Mapping:
        return self.message.args


def lines_of(result: OrderResult) -> list[Line]:
    return [Line(m) for m in result.reason_messages] + [
        Line(m, member.workshop_id) for member in result.group for m in member.why_messages
    ]


def tied_to(line: Line) -> set[str]:
    return {t["workshop_id"] for t in line.args["tied"]} if line.key == "why.tied" else set()


def split_ids(line: Line) -> set[str]:
    if line.key == "reason.process_alone":
        return {line.args["workshop_id"]}
    if line.key in PROCESS_REASONS:
        return {item["workshop_id"] for item in line.args["split"]}
    return set()


# Each rule: a name, the keys the first line may have, and a test on an ordered pair of
# lines (both orders are tried) and the group's cluster (who can lead); True when the
# two cannot both be true.
Rule = tuple[str, tuple[str, ...], Callable[[Line, Line, Cluster], bool]]
WHY_MAKES = ("why.makes", "why.makes_no_free_minutes")
RULES: list[Rule] = [
    ("two cohesion reasons", COHESION_REASONS, lambda a, b, c: b.key in COHESION_REASONS),
    ("two leader reasons", LEADER_REASONS, lambda a, b, c: b.key in LEADER_REASONS),
    ("two alternative reasons", ALTERNATIVE_REASONS, lambda a, b, c: b.key in ALTERNATIVE_REASONS),
    ("no two tied, but a member is tied", ("reason.none_tied",), lambda a, b, c: b.key == "why.tied"),
    (
        "all linked or all tied, but a member has no tie",
        ("reason.all_linked", "reason.all_tied_parts"),
        lambda a, b, c: b.key == "why.no_tie",
    ),
    (
        "leader said to have ties, but no two are tied",
        CLAIM_TIES,
        lambda a, b, c: b.key == "reason.none_tied",
    ),
    (
        "leader said to have ties, but it has none",
        CLAIM_TIES,
        lambda a, b, c: b.key == "why.no_tie" and b.member == a.args["leader"],
    ),
    (
        "no one willing to lead is tied, but one is",
        ("reason.leads_most_work",),
        lambda a, b, c: b.key == "why.tied" and c.workshop(b.member).can_lead,
    ),
    (
        "the only one willing to lead, but another is",
        ("reason.leads_only",),
        lambda a, b, c: b.member not in (None, a.args["leader"]) and c.workshop(b.member).can_lead,
    ),
    (
        "two leaders",
        ("why.leader",),
        lambda a, b, c: b.key in LEADER_REASONS and b.args.get("leader") not in (None, a.member),
    ),
    ("no leader, but one leads", ("reason.no_leader",), lambda a, b, c: b.key == "why.leader"),
    (
        "a leader that has not said it can lead",
        ("why.leader",),
        lambda a, b, c: b.member == a.member and not c.workshop(a.member).can_lead,
    ),
    (
        "alone, but with ties inside",
        ("reason.leads_alone",),
        lambda a, b, c: b.key in COHESION_REASONS or b.key in ALTERNATIVE_REASONS,
    ),
    ("an alternative to a linked group", ALTERNATIVE_REASONS, lambda a, b, c: b.key == "reason.all_linked"),
    (
        "a backup that makes units",
        ("why.backup",),
        lambda a, b, c: (b.member == a.member and b.key in WHY_MAKES) or a.member in split_ids(b),
    ),
    (
        "a process both alone and split",
        ("reason.process_alone",),
        lambda a, b, c: b.key in PROCESS_REASONS and a.args["process"] == b.args["process"],
    ),
    (
        "tied one way only",
        ("why.tied",),
        lambda a, b, c: (
            b.member in tied_to(a)
            and b.key in ("why.no_tie", "why.tied")
            and a.member not in tied_to(b) | ({b.member} if b.key == "why.tied" else set())
        ),
    ),
    ("a member that makes twice", WHY_MAKES, lambda a, b, c: b.member == a.member and b.key in WHY_MAKES),
]
BY_KEY: dict[str, list[Rule]] = {}
for rule in RULES:
    for key in rule[1]:
        BY_KEY.setdefault(key, []).append(rule)


def contradictions(result: OrderResult, cluster: Cluster) -> list[str]:
    lines = lines_of(result)
    found = []
    for a, b in combinations(lines, 2):
        for first, second in ((a, b), (b, a)):
            for name, _, test in BY_KEY.get(first.key, ()):
                if test(first, second, cluster):
                    found.append(f"{name}: {first.message.text!r} / {second.message.text!r}")
    return found


def disagreements(result: OrderResult, cluster: Cluster) -> list[str]:
    """The reasons against the figures they speak of (the group, its leader, its cohesion)."""
    lines = lines_of(result)
    keys = [line.key for line in lines]
    order_keys = [m.key for m in result.reason_messages]
    k, cohesion = len(result.group), result.cohesion
    out = []
    if result.status != "filled":
        return out
    if sum(key in COHESION_REASONS for key in order_keys) != (1 if k > 1 else 0):
        out.append("a group of two or more has exactly one cohesion reason, a lone member none")
    if k > 1 and sum(key in LEADER_REASONS for key in order_keys) != 1:
        out.append("a group of two or more has exactly one leader reason")
    for line in lines:
        args = line.args
        if line.key == "reason.can_deliver" and args["workshops"] != k:
            out.append("can_deliver counts the members")
        counts_pairs = line.key in ("reason.all_linked", "reason.all_tied_parts", "reason.some_tied")
        if counts_pairs and args["pairs"] != cohesion["positive_pairs"]:
            out.append(f"{line.key} counts the tied pairs")
        if line.key == "reason.all_linked" and not cohesion["connected"]:
            out.append("all_linked on a group that is not connected")
        if line.key == "reason.some_tied" and args["tied"] != keys.count("why.tied"):
            out.append("some_tied counts the members with a tie")
        if line.key in LEADER_REASONS and "leader" in args and args["leader"] != result.leader_id:
            out.append("the leader reason names the leader")
        if line.key in ("reason.leads", "reason.leads_as_tied", "reason.leads_most_work"):
            willing = sum(cluster.workshop(m.workshop_id).can_lead for m in result.group)
            if args["willing"] != willing:
                out.append("the leader reason counts the members willing to lead")
    if (result.leader_id is None) != ("why.leader" not in keys):
        out.append("the leader has why.leader")
    if any(key in ALTERNATIVE_REASONS for key in order_keys) != _unlinked(result):
        out.append("an alternative is stated for exactly the filled groups not linked by ties")
    return out


def tie_patterns(k: int) -> Iterator[tuple[tuple[str, str], ...]]:
    pairs = list(combinations(IDS[:k], 2))
    return chain.from_iterable(combinations(pairs, n) for n in range(len(pairs) + 1))


def solution_for(k: int, backup: bool) -> dict:
    """A filled allocation in whole lots: A cuts everything, the workers share the sewing."""
    workers = IDS[: k - 1] if backup else IDS[:k]
    units = [QUANTITY // len(workers) // 50 * 50] * len(workers)
    units[0] += QUANTITY - sum(units)
    alloc = {w: {"sewing": u} for w, u in zip(workers, units, strict=True)}
    alloc["A"]["cutting"] = QUANTITY
    if backup:
        alloc[IDS[k - 1]] = {}
    return {"O1": alloc}


def results() -> Iterator[tuple[str, OrderResult, Cluster]]:
    """Every shape of group the explainer speaks of, and its cluster."""
    order = Order("O1", "tee", QUANTITY, 1.0)
    for k in range(1, len(IDS) + 1):
        for pattern in tie_patterns(k):
            # Two kinds, so that tie weights differ between members of equal degree.
            ties = tuple(Tie(a, b, "kinship" if a + b in ("AB", "CD") else "friendship") for a, b in pattern)
            for leaders in chain.from_iterable(combinations(IDS[:k], n) for n in range(k + 1)):
                workshops = tuple(
                    Workshop(w, "T", 3, ("tee",), ("cutting", "sewing"), capacity_minutes_per_week=5000,
                             can_lead=w in leaders)
                    for w in IDS[:k]
                )  # fmt: skip
                cluster = Cluster(workshops, ties=ties, orders=(order,), routings=ROUTING)
                for variant, rules in VARIANTS.items():
                    if rules.required("leader") and len(leaders) < 2:
                        continue  # with fewer than two willing, the same words as preferred
                    backup = rules.wanted("robustness") and k > 1
                    problem = MatchProblem.build(cluster, (order,), MatchOptions(rules=rules))
                    (result,) = assemble(problem, solution_for(k, backup))
                    name = f"{k} members, ties {pattern}, willing {leaders}, {variant}"
                    if _unlinked(result):
                        for found in ALTERNATIVES:
                            yield (
                                f"{name}, alternative {found.status}",
                                with_connected_alternative(result, found),
                                cluster,
                            )
                    else:
                        yield name, result, cluster
    cluster = Cluster(
        (Workshop("A", "T", 3, ("tee",), ("sewing",), capacity_minutes_per_week=100),),
        orders=(order,),
        routings=ROUTING,
    )
    problem = MatchProblem.build(cluster, (order,), MatchOptions())
    yield "unfilled", assemble(problem, {})[0], cluster


@pytest.fixture(scope="module")
def every_result() -> list[tuple[str, OrderResult, Cluster]]:
    return list(results())


def test_every_kind_of_reason_is_generated(every_result):
    seen = {line.key for _, result, _ in every_result for line in lines_of(result)}
    expected = {
        "why.makes", "why.backup", "why.tied", "why.no_tie", "why.leader", "why.mainly_makes",
        "reason.can_deliver", "reason.process_alone", "reason.uses",
        *COHESION_REASONS, *LEADER_REASONS, *ALTERNATIVE_REASONS,
    }  # fmt: skip
    assert expected - seen == set()
    assert seen & {"reason.process_split", "reason.process_split_lots"}
    assert any(key.startswith("diagnose.") for key in seen)


def test_no_two_reasons_contradict_each_other(every_result):
    found = {}
    for name, result, cluster in every_result:
        problems = contradictions(result, cluster) + disagreements(result, cluster)
        if problems:
            found[name] = problems
    assert not found, f"{len(found)} groups, first: {next(iter(found.items()))}"


def test_the_rules_catch_the_old_contradiction():
    # The reasons once given for a group with no ties: "no two tied" and a leader "with the strongest ties".
    result = OrderResult(
        "O1", "filled", 1, 1,
        reason_messages=(Message("reason.none_tied"), Message("reason.leads", {"leader": "A", "willing": 2})),
    )  # fmt: skip
    cluster = Cluster((Workshop("A", "T", 1, ("tee",), ("sewing",), can_lead=True),))
    assert contradictions(result, cluster) == [
        "leader said to have ties, but no two are tied: 'A leads: of the 2 members that have said they "
        "can lead, it has the strongest ties inside the group.' / 'No two members are tied to each other.'"
    ]


def test_leader_words_follow_the_ties():
    def reason(ties, leaders, rules=None):
        workshops = tuple(
            Workshop(w, "T", 3, ("tee",), ("cutting", "sewing"), capacity_minutes_per_week=5000,
                     can_lead=w in leaders)
            for w in "ABC"
        )  # fmt: skip
        order = Order("O1", "tee", QUANTITY, 1.0)
        cluster = Cluster(workshops, ties=tuple(Tie(a, b, "kinship") for a, b in ties), orders=(order,),
                          routings=ROUTING)  # fmt: skip
        problem = MatchProblem.build(cluster, (order,), MatchOptions(rules=rules or Rules()))
        (result,) = assemble(problem, solution_for(3, False))
        return next(m for m in result.reason_messages if m.key in LEADER_REASONS)

    # A has the most work (it cuts too); ties decide before work.
    assert reason([], "AB") == Message("reason.leads_most_work", {"leader": "A", "willing": 2})
    assert reason(["BC"], "AB") == Message("reason.leads", {"leader": "B", "willing": 2})
    assert reason(["AC", "BC"], "AB") == Message("reason.leads_as_tied", {"leader": "A", "willing": 2})
    assert reason(["BC"], "B") == Message("reason.leads_only", {"leader": "B"})
    assert reason([], "") == Message("reason.no_leader")
    # Required, within one tie step of every member: only B, the centre of A-B-C, is.
    near = reason(["AB", "BC"], "AB", Rules(leader="required"))
    assert near == Message("reason.leads_near", {"leader": "B", "hops": 1})
