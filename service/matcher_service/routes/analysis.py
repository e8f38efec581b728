"""Network analysis of the caller's part of the cluster: the same library calls as ``matcher analyze``.

Every route reads the cached snapshot of the database
(``request.app.state.snapshots``) and calls :mod:`matcher.graph` exactly as
the command line does (:func:`~matcher.graph.cohesion_report`,
:func:`~matcher.graph.group_cohesion`, :func:`~matcher.graph.ego_network`,
:func:`~matcher.graph.compare_waves`), on the network limited to the caller's
scope: an admin sees the whole cluster, a coordinator the workshops of their
territories, an association leader the members of their organization and the
ties among them (with anonymized counts of the members' ties beyond, none
concerning fewer than ``MATCHER_K_ANONYMITY`` non-members). Figures
are rounded for people as :mod:`matcher_service.reading` says.
"""

from __future__ import annotations

from collections import Counter
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from sqlalchemy.orm import Session

from matcher import graph
from matcher.model import Cluster
from matcher_service.auth import allow
from matcher_service.deps import CurrentPrincipal, SessionDep, SettingsDep
from matcher_service.errors import NotFound
from matcher_service.policy import scope_ids
from matcher_service.reading import for_people
from matcher_service.roles import COORDINATOR, LEADER, Principal
from matcher_service.route import Route
from matcher_service.schemas.analysis import GroupIn
from matcher_service.store import MAX_SEED

__all__ = ["router"]

router = APIRouter(route_class=Route, prefix="/analysis", tags=["analysis"])


def _snapshot(request: Request, session: Session) -> Cluster:
    _version, cluster = request.app.state.snapshots.get(session)
    return cluster


def _network(principal: Principal, cluster: Cluster) -> graph.Network:
    """The caller's part of the network (as the CLI's ``scoped``)."""
    whole = graph.as_network(cluster)
    ids = scope_ids(principal, cluster)
    if ids is None:
        return whole
    if not ids:
        raise NotFound("analysis.no_scope")
    return graph.scoped(whole, workshops=ids)


def _check_ids(principal: Principal, cluster: Cluster, asked: list[str]) -> None:
    ids = scope_ids(principal, cluster)
    known = set(cluster.workshop_ids) if ids is None else set(ids)
    outside = [w for w in dict.fromkeys(asked) if w not in known]
    if outside:
        raise NotFound("workshops.not_found", workshop_id=", ".join(outside))


def _outside_ties(cluster: Cluster, members: set[str], k: int) -> dict[str, Any]:
    """Anonymized counts of the members' ties to workshops outside the organization.

    A tie is a pair joined by one kind, counted once whatever the waves and
    directions it was recorded in (as :mod:`matcher.graph` counts ties).

    Nothing describes fewer than ``k`` non-member workshops, as the counts of a
    shortlist's search: a count (``ties``, ``non_member_workshops``, one kind's
    ties) that concerns between 1 and ``k - 1`` of them is ``None``; 0 stays 0.
    Since ``ties`` is the sum of ``ties_by_kind``, one kind withheld while the
    total is shown could be recovered by subtraction: the kinds concerning
    fewest non-members are withheld with it until at least two are and they
    concern ``k`` non-members or more together (as the public summary's
    complementary suppression). ``members_with_outside_ties`` counts members
    only, in the leader's scope, and stays exact.

    Examples
    --------
    >>> from matcher.model import Tie, Workshop
    >>> ws = tuple(Workshop(w, "T", 2, ("tshirt",), ("sewing",)) for w in "ABCDEFG")
    >>> ties = [Tie("A", x, "friendship") for x in "CDEF"] + [Tie("B", "G", "conflict")]
    >>> c = Cluster(ws, ties=tuple(ties))
    >>> out = _outside_ties(c, {"A", "B"}, 5)
    >>> out["ties"], out["ties_by_kind"], out["non_member_workshops"], out["members_with_outside_ties"]
    (5, {'conflict': None, 'friendship': None}, 5, 2)
    >>> _outside_ties(c, {"A"}, 5)["non_member_workshops"], _outside_ties(c, {"A"}, 4)["ties_by_kind"]
    (None, {'friendship': 4})
    >>> _outside_ties(c, {"A", "B", "C", "D", "E", "F", "G"}, 5)["ties"]
    0
    """
    seen: set[tuple[tuple[str, str], str]] = set()
    by_kind: Counter[str] = Counter()
    kind_others: dict[str, set[str]] = {}
    others: set[str] = set()
    reaching: set[str] = set()
    for tie in cluster.ties:
        inside = (tie.source in members, tie.target in members)
        if inside[0] == inside[1]:
            continue
        member, other = (tie.source, tie.target) if inside[0] else (tie.target, tie.source)
        if (tie.pair, tie.kind) not in seen:
            seen.add((tie.pair, tie.kind))
            by_kind[tie.kind] += 1
        kind_others.setdefault(tie.kind, set()).add(other)
        others.add(other)
        reaching.add(member)
    small = 0 < len(others) < k
    hidden = {kind for kind, found in kind_others.items() if len(found) < k}
    if hidden and not small:
        shown = sorted((len(found), kind) for kind, found in kind_others.items() if kind not in hidden)
        while shown and (len(hidden) < 2 or len(set().union(*(kind_others[h] for h in hidden))) < k):
            hidden.add(shown.pop(0)[1])
    return {
        "ties": None if small else sum(by_kind.values()),
        "ties_by_kind": {kind: None if kind in hidden else n for kind, n in sorted(by_kind.items())},
        "non_member_workshops": None if small else len(others),
        "members_with_outside_ties": len(reaching),
    }


@router.get("/network", **allow(COORDINATOR, LEADER))
def network(
    request: Request,
    principal: CurrentPrincipal,
    session: SessionDep,
    settings: SettingsDep,
    territory: Annotated[str | None, Query(description="Only the workshops of this territory.")] = None,
    organization: Annotated[str | None, Query(description="Only the members of this organization.")] = None,
    seed: Annotated[int, Query(ge=0, le=MAX_SEED, description="Seed of the Leiden communities.")] = 0,
    resolution: Annotated[float, Query(gt=0, description="Leiden resolution.")] = 1.0,
    runs: Annotated[int | None, Query(ge=1, le=100, description="Leiden runs to measure stability.")] = None,
    betweenness: Annotated[str, Query(pattern="^(auto|exact|sampled|none)$")] = "auto",
) -> dict[str, Any]:
    """The cohesion report of ``matcher analyze --json`` for the caller's scope.

    A coordinator's report covers their territories (a territory outside them
    answers 404); an association leader's covers the members of their
    organization and the ties among them, with ``outside`` giving anonymized
    counts of the members' ties to other workshops (no ids): ``ties``,
    ``ties_by_kind``, ``non_member_workshops`` and ``members_with_outside_ties``.
    A count that concerns fewer than ``MATCHER_K_ANONYMITY`` non-member
    workshops (but at least one) is ``null``, as a shortlist's small counts;
    0 stays 0. When one kind is ``null`` beside a shown ``ties``, the kinds
    concerning fewest non-members are ``null`` with it, so that no kind's count
    is the total minus the others. ``members_with_outside_ties`` counts
    members only and is exact.
    """
    cluster = _snapshot(request, session)
    workshops = None
    if principal.role == COORDINATOR:
        if territory is not None and not principal.sees_territory(territory):
            raise NotFound("analysis.no_territory", territory=territory)
        workshops = scope_ids(principal, cluster)
        if not workshops:
            raise NotFound("analysis.no_scope")
    elif principal.role == LEADER:
        if organization is not None and organization != principal.organization_id:
            raise NotFound("organizations.not_found", organization_id=organization)
        organization = principal.organization_id
    report = graph.cohesion_report(
        cluster,
        territory=territory,
        organization=organization,
        workshops=workshops,
        seed=seed,
        resolution=resolution,
        runs=runs,
        betweenness=betweenness,
    )
    if principal.role == LEADER:
        members = {row["workshop_id"] for row in report["workshops"]}
        report["outside"] = _outside_ties(cluster, members, settings.k_anonymity)
    return for_people(report)


@router.post("/group", **allow(COORDINATOR, LEADER))
def group(
    body: GroupIn,
    request: Request,
    principal: CurrentPrincipal,
    session: SessionDep,
) -> dict[str, Any]:
    """How well a group holds together (``matcher analyze --group``), in the caller's network.

    Every workshop must be in the caller's scope (404 otherwise).
    """
    cluster = _snapshot(request, session)
    _check_ids(principal, cluster, body.workshop_ids)
    return for_people(graph.group_cohesion(_network(principal, cluster), body.workshop_ids))


@router.get("/ego/{workshop_id}", **allow(COORDINATOR, LEADER))
def ego(
    workshop_id: str,
    request: Request,
    principal: CurrentPrincipal,
    session: SessionDep,
    seed: Annotated[int, Query(ge=0, le=MAX_SEED)] = 0,
    resolution: Annotated[float, Query(gt=0)] = 1.0,
) -> dict[str, Any]:
    """A workshop's neighbours, ties by kind and brokerage role (``matcher analyze --ego``),
    within the caller's network."""
    cluster = _snapshot(request, session)
    _check_ids(principal, cluster, [workshop_id])
    net = _network(principal, cluster)
    return for_people(graph.ego_network(net, workshop_id, seed=seed, resolution=resolution))


@router.get("/waves", **allow(COORDINATOR, LEADER))
def waves(
    request: Request,
    before: Annotated[str, Query(min_length=1, description="The earlier survey wave.")],
    after: Annotated[str, Query(min_length=1, description="The later survey wave.")],
    principal: CurrentPrincipal,
    session: SessionDep,
    seed: Annotated[int, Query(ge=0, le=MAX_SEED)] = 0,
    resolution: Annotated[float, Query(gt=0)] = 1.0,
) -> dict[str, Any]:
    """What changed between two survey waves in the caller's network
    (``matcher analyze --compare-waves``). An unknown wave answers 404."""
    cluster = _snapshot(request, session)
    net = _network(principal, cluster)
    return for_people(graph.compare_waves(net, before, after, seed=seed, resolution=resolution))
