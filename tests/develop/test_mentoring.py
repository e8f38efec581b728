"""Mentoring circles: the MILP against brute force, the conflict and sector rules, existing ties,
pinned pairs, determinism, and the circles proposed on the sample."""

from __future__ import annotations

import itertools
import json
import random

import pytest
from typer.testing import CliRunner

from matcher.cli import app
from matcher.develop import Weights, mentoring
from matcher.develop._candidates import build_pool
from matcher.errors import InvalidOptionError, UnknownIdError
from matcher.model import Cluster, Order, RoutingStep, Tie, Workshop
from matcher.sample import SAMPLE_DIR, load_sample

FAST = {"time_limit": 5, "demand_seconds": 0}


def shop(w, quality, products=("jeans",), processes=("sewing",), lead=False, territory="T", orgs=()):
    return Workshop(w, territory, 3, tuple(products), tuple(processes), quality=quality, can_lead=lead,
                    organizations=tuple(orgs))  # fmt: skip


def test_the_gain_of_a_pair_is_the_documented_formula():
    # M teaches cutting and washing, both needed by the one order (unfilled: demand_seconds=0):
    # learn = 2 x (1 + 4 x 1) = 10, trust = 1 (kinship) + 0.5 (same association), proximity 0.5.
    c = Cluster(
        (shop("M", 4, processes=("cutting", "sewing", "washing"), lead=True, orgs=("ACY",)),
         shop("A", 2, orgs=("ACY",))),
        ties=(Tie("M", "A", "kinship"),),
        orders=(Order("O1", "jeans", 100, 2.0),),
        routings={"jeans": (RoutingStep("cutting", 1), RoutingStep("sewing", 10), RoutingStep("washing", 2))},
    )  # fmt: skip
    r = mentoring(c, **FAST)
    (pair,) = r.pairs
    assert (pair.mentor_id, pair.trainee_id, pair.gain, pair.learns) == (
        "M",
        "A",
        12.0,
        ("cutting", "washing"),
    )
    keys = [m.key for m in pair.reasons]
    assert keys == [
        "mentor.pair.learns_processes",
        "mentor.pair.quality",
        "mentor.pair.demand",
        "mentor.pair.tied",
        "mentor.pair.organisation",
        "mentor.pair.territory",
    ]
    assert pair.reasons[2].args == {"count": 1, "orders": ["O1"], "units": 100}
    # The weights are the caller's to change.
    r2 = mentoring(c, weights=Weights(demand=0.0, organisation=0.0, territory=0.0), **FAST)
    assert r2.pairs[0].gain == 3.0


def random_cluster(seed: int, n: int = 7) -> Cluster:
    rng = random.Random(seed)
    ws = []
    for i in range(n):
        products = tuple(sorted(rng.sample(["jeans", "tshirt"], rng.randint(1, 2))))
        processes = tuple(sorted(rng.sample(["cutting", "sewing", "washing"], rng.randint(1, 3))))
        ws.append(shop(f"W{i}", rng.randint(1, 5), products, processes, lead=rng.random() < 0.6,
                       territory=rng.choice("AB")))  # fmt: skip
    ties = []
    for a, b in itertools.combinations(range(n), 2):
        roll = rng.random()
        if roll < 0.15:
            ties.append(Tie(f"W{a}", f"W{b}", "conflict"))
        elif roll < 0.45:
            ties.append(Tie(f"W{a}", f"W{b}", rng.choice(["kinship", "friendship"])))
        elif roll < 0.52:
            ties.append(Tie(f"W{a}", f"W{b}", "mentoring"))
    return Cluster(tuple(ws), ties=tuple(ties))


def brute_force(cluster: Cluster, *, max_trainees, circle_min, same_sector, keep_existing, pinned=()):
    """The best total gain over every assignment of trainees to mentors (or none) that keeps the rules
    (None when none does)."""
    existing = sorted({(t.source, t.target) for t in cluster.ties if t.kind == "mentoring"})
    kept = existing if keep_existing else []
    pool = build_pool(cluster, same_sector=same_sector, sectors={}, pressure={}, weights=Weights(),
                      exclude_trainees={t for _, t in kept}, forced=[*kept, *pinned])  # fmt: skip
    kept_of: dict[str, list[str]] = {}
    for m, t in kept:
        kept_of.setdefault(m, []).append(t)
    options = [[None, *sorted(m for m, tt in pool.pairs if tt == t)] for t in pool.trainees]
    best = None
    for choice in itertools.product(*options):
        if any(choice[pool.trainees.index(t)] != m for m, t in pinned):
            continue
        circles: dict[str, list[str]] = {}
        for t, m in zip(pool.trainees, choice, strict=True):
            if m is not None:
                circles.setdefault(m, []).append(t)
        leading = set(circles) | set(kept_of)
        if any(t in leading for t in itertools.chain.from_iterable(circles.values())):
            continue  # a new trainee mentors too
        ok = True
        for m, ts in circles.items():
            members = [*ts, *kept_of.get(m, [])]
            if len(members) > max_trainees:
                ok = False
            if circle_min > 1 and not kept_of.get(m) and len(ts) < circle_min:
                ok = False
            for a, b in itertools.combinations(sorted(members), 2):
                if (a, b) in pool.conflicts and not (a in kept_of.get(m, []) and b in kept_of.get(m, [])):
                    ok = False
            # A pinned pair that shares no sector is the coordinator's call: the others share one.
            ruled = [pool.pairs[m, t].sectors for t in ts if (m, t) not in pinned or pool.pairs[m, t].sectors]
            if same_sector and ruled and not frozenset.intersection(*ruled):
                ok = False
        if ok:
            gain = sum(pool.pairs[m, t].gain for t, m in zip(pool.trainees, choice, strict=True) if m)
            best = gain if best is None else max(best, gain)
    return best


def a_pinned_pair(cluster: Cluster, seed: int) -> list[tuple[str, str]]:
    """One eligible pair of the cluster, chosen by the seed (none when there is none)."""
    existing = [(t.source, t.target) for t in cluster.ties if t.kind == "mentoring"]
    pool = build_pool(cluster, same_sector=True, sectors={}, pressure={}, weights=Weights(),
                      exclude_trainees={t for _, t in existing}, forced=existing)  # fmt: skip
    pairs = sorted(pool.pairs)
    return [random.Random(seed).choice(pairs)] if pairs else []


@pytest.mark.parametrize("seed", range(10))
@pytest.mark.parametrize(
    ("max_trainees", "circle_size", "same_sector", "keep_existing", "pin"),
    [(2, None, True, True, False), (3, None, False, False, False), (2, (3, 3), True, False, False),
     (2, None, True, True, True), (3, (3, 4), False, False, True), (3, (2, 3), True, True, True)],
)  # fmt: skip
def test_the_milp_finds_the_brute_force_optimum(
    seed, max_trainees, circle_size, same_sector, keep_existing, pin
):
    c = random_cluster(seed)
    pinned = a_pinned_pair(c, seed) if pin else []
    best = brute_force(c, max_trainees=max_trainees, circle_min=circle_size[0] - 1 if circle_size else 1,
                       same_sector=same_sector, keep_existing=keep_existing, pinned=pinned)  # fmt: skip
    refused = None
    try:
        r = mentoring(c, max_trainees=max_trainees, circle_size=circle_size, same_sector=same_sector,
                      keep_existing=keep_existing, pinned=pinned, **FAST)  # fmt: skip
    except InvalidOptionError as exc:  # a pin that kept pairs rule out is refused before solving
        refused = exc
    if refused is not None:
        assert best is None, refused
        return
    if best is None:
        assert r.status == "infeasible" and r.reasons
        return
    assert r.status == "optimal"
    assert set(pinned) <= {(p.mentor_id, p.trainee_id) for p in r.pairs}
    assert sum(p.gain for p in r.pairs if p.status != "kept") == pytest.approx(best, abs=1e-6)
    assert r.objective == pytest.approx(best, abs=1e-6)
    conflicts = {t.pair for t in c.ties if t.kind == "conflict"}
    for circle in r.circles:
        assert len(circle.pairs) <= max_trainees
        new = [p.trainee_id for p in circle.pairs if p.status != "kept"]
        members = sorted([circle.mentor_id, *new])
        assert not any(pair in conflicts for pair in itertools.combinations(members, 2))


def test_never_a_pair_across_a_conflict():
    c = Cluster((shop("M", 5, processes=("cutting", "sewing"), lead=True), shop("A", 2)),
                ties=(Tie("A", "M", "conflict"),))  # fmt: skip
    r = mentoring(c, **FAST)
    assert r.circles == ()
    (a,) = [u for u in r.unpaired if u.workshop_id == "A"]
    assert [m.key for m in a.reasons] == ["mentor.unpaired.only_conflict"]
    assert a.reasons[0].args == {"mentors": ["M"]}


def test_two_trainees_in_conflict_never_share_a_circle():
    ws = (shop("M", 5, processes=("cutting", "sewing"), lead=True), shop("A", 2), shop("B", 2), shop("C", 2))
    c = Cluster(ws, ties=(Tie("A", "B", "conflict"), Tie("M", "A", "kinship")))
    r = mentoring(c, **FAST)
    (circle,) = r.circles
    assert circle.trainee_ids == ("A", "C")
    (b,) = r.unpaired
    assert b.reasons[0].key == "mentor.unpaired.conflict_in_circle"


def test_one_sector_per_circle_unless_switched_off():
    ws = (shop("M", 5, ("jeans", "tshirt"), ("cutting", "sewing"), lead=True),
          shop("A", 2, ("jeans",)), shop("B", 2, ("jeans",)), shop("C", 2, ("tshirt",)))  # fmt: skip
    c = Cluster(ws, ties=(Tie("M", "C", "kinship"),))
    r = mentoring(c, **FAST)
    (circle,) = r.circles
    assert (circle.sector, circle.trainee_ids) == ("jeans", ("A", "B"))
    assert circle.reasons[0].text == "M mentors 2 workshops in jeans."
    (unpaired,) = r.unpaired
    assert (unpaired.workshop_id, unpaired.reasons[0].key) == ("C", "mentor.unpaired.other_sector")
    mixed = mentoring(c, same_sector=False, **FAST)
    assert mixed.circles[0].trainee_ids == ("A", "B", "C")
    assert mixed.circles[0].sector is None
    # No shared sector at all: the mentor cannot take the trainee.
    alone = mentoring(Cluster((ws[0], shop("D", 1, ("polo",)))), **FAST)
    assert alone.unpaired[0].reasons[0].key == "mentor.unpaired.no_mentor_sector"
    # Sectors broader than products join them.
    broad = mentoring(
        Cluster((ws[0], shop("D", 1, ("polo",)))), sectors={"polo": "knit", "tshirt": "knit"}, **FAST
    )
    assert [(c.mentor_id, c.trainee_ids, c.sector) for c in broad.circles] == [("M", ("D",), "knit")]


def test_existing_mentoring_ties_are_kept_and_counted():
    # K would not qualify as a mentor (no can_lead, lower quality), but already mentors A.
    ws = (shop("M", 5, processes=("cutting", "sewing"), lead=True), shop("K", 1), shop("A", 3),
          shop("B", 2), shop("C", 2))  # fmt: skip
    c = Cluster(ws, ties=(Tie("K", "A", "mentoring"), Tie("M", "B", "mentoring")))
    r = mentoring(c, max_trainees=2, **FAST)
    by_pair = {(p.mentor_id, p.trainee_id): p for p in r.pairs}
    assert by_pair["K", "A"].status == "kept" and not by_pair["K", "A"].new
    assert by_pair["M", "B"].status == "kept"
    assert by_pair["M", "C"].status == "proposed" and by_pair["M", "C"].new
    assert len(r.pairs) == 3
    # M's kept pair counts against max_trainees: with one place, C goes unpaired, M being full.
    full = mentoring(c, max_trainees=1, **FAST)
    (c_entry,) = [u for u in full.unpaired if u.workshop_id == "C"]
    assert c_entry.reasons[0].key == "mentor.unpaired.mentors_full"
    # Without keeping, the ties are trust only; a pair already mentoring is proposed again, not new.
    fresh = mentoring(c, keep_existing=False, **FAST)
    by_pair = {(p.mentor_id, p.trainee_id): p for p in fresh.pairs}
    assert ("K", "A") not in by_pair
    assert by_pair["M", "B"].status == "proposed" and not by_pair["M", "B"].new
    assert by_pair["M", "C"].new


def test_pinned_pairs_are_formed_and_unknown_ids_named():
    teaches = ("cutting", "sewing")
    ws = (
        shop("M", 5, processes=teaches, lead=True),
        shop("N", 3, processes=teaches),
        shop("A", 2),
        shop("B", 1),
    )
    c = Cluster(ws, ties=(Tie("M", "A", "kinship"), Tie("N", "B", "conflict")))
    r = mentoring(c, pinned=[("N", "A")], **FAST)
    by_pair = {(p.mentor_id, p.trainee_id): p for p in r.pairs}
    assert by_pair["N", "A"].status == "pinned"
    assert by_pair["N", "A"].reasons[0].key == "mentor.pair.pinned"
    with pytest.raises(UnknownIdError, match="unknown workshop ids X9, Y1"):
        mentoring(c, pinned=[("X9", "A"), ("M", "Y1")], **FAST)
    with pytest.raises(InvalidOptionError, match=r"pinned pair N:B crosses a conflict tie"):
        mentoring(c, pinned=[("N", "B")], **FAST)
    # Every problem at once.
    with pytest.raises(
        InvalidOptionError, match=r"^max_trainees must .* got 0; A is pinned to more than one mentor: M, N$"
    ):
        mentoring(c, pinned=[("M", "A"), ("N", "A")], max_trainees=0, **FAST)
    with pytest.raises(InvalidOptionError, match=r"^M is pinned 2 trainees, more than max_trainees 1$"):
        mentoring(c, pinned=[("M", "A"), ("M", "B")], max_trainees=1, **FAST)


def test_pins_that_kept_pairs_rule_out_are_refused():
    ws = (shop("M", 5, processes=("cutting", "sewing"), lead=True), shop("K", 3), shop("A", 2), shop("B", 2))
    c = Cluster(ws, ties=(Tie("K", "A", "mentoring"), Tie("M", "B", "mentoring"), Tie("A", "B", "conflict")))
    with pytest.raises(InvalidOptionError, match=r"^K already mentors A .* cannot be pinned as a trainee"):
        mentoring(c, pinned=[("M", "K")], **FAST)
    with pytest.raises(InvalidOptionError, match=r"^A already has a mentor \(K, "):
        mentoring(c, pinned=[("M", "A")], **FAST)
    # Without keeping the existing pairs, the same pins are the coordinator's to make.
    r = mentoring(c, pinned=[("M", "K")], keep_existing=False, **FAST)
    assert ("M", "K", "pinned") in [(p.mentor_id, p.trainee_id, p.status) for p in r.pairs]


def test_a_circle_that_cannot_reach_its_size_is_infeasible_with_its_reason():
    ws = (shop("M", 5, processes=("cutting", "sewing"), lead=True), shop("A", 2))
    r = mentoring(Cluster(ws), pinned=[("M", "A")], circle_size=(3, 4), **FAST)
    assert r.status == "infeasible" and r.circles == ()
    assert r.reasons[0].text == "M is pinned, but only 1 workshop could join its circle, which needs 2."
    with pytest.raises(InvalidOptionError, match="circle_size must be"):
        mentoring(Cluster(ws), circle_size=(1, 3), **FAST)


def test_same_input_and_seed_give_the_same_plan():
    c = random_cluster(3, n=14)

    def plan():
        data = mentoring(c, seed=7, **FAST).to_dict()
        data.pop("time_seconds")
        return data

    assert plan() == plan()


@pytest.fixture(scope="module")
def sample_plan():
    cluster, _ = load_sample()
    return cluster, mentoring(cluster, time_limit=10, demand_seconds=2)


def test_the_sample_gets_circles_with_reasons(sample_plan):
    cluster, r = sample_plan
    assert r.status in {"optimal", "feasible"}
    circles = [c for c in r.circles if len(c.pairs) >= 2 and c.new]
    assert len(circles) >= 10
    conflicts = {t.pair for t in cluster.ties if t.kind == "conflict"}
    for circle in r.circles:
        assert circle.reasons
        for pair in circle.pairs:
            assert pair.reasons
        new = [p.trainee_id for p in circle.pairs if p.status != "kept"]
        assert not any(p in conflicts for p in itertools.combinations(sorted([circle.mentor_id, *new]), 2))
        if circle.sector is not None:
            for t in new:
                assert circle.sector in cluster.workshop(t).products
    assert all(u.reasons for u in r.unpaired)
    # The unfilled order O10 (t-shirts) is among the demand the pairs serve.
    assert any("O10" in m.args.get("orders", ()) for p in r.pairs for m in p.reasons)
    json.dumps(r.to_dict())
    assert {m.say("es") for c in r.circles for m in c.reasons}  # every message says itself in Spanish


def test_the_command_prints_json_and_refuses_unknown_pins():
    runner = CliRunner()
    args = ["mentor", str(SAMPLE_DIR), "--time-limit", "5", "--demand-seconds", "0"]
    result = runner.invoke(app, [*args, "--json"], env={"MATCHER_LANG": "en"})
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["status"] in {"optimal", "feasible"} and data["circles"]
    bad = runner.invoke(app, [*args, "--pin", "NOPE:YAG-001"], env={"MATCHER_LANG": "en"})
    assert bad.exit_code == 2
    assert "unknown workshop id NOPE" in bad.output
