"""The synthetic generator and the bundled sample it made."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

from matcher.errors import InvalidOptionError
from matcher.io import load_cluster, load_contacts, validate_dataset
from matcher.model import POSITIVE_TIE_KINDS
from matcher.sample import SAMPLE_DIR, load_sample
from matcher.synthetic import generate_cluster, sample_cluster


@pytest.fixture(scope="module")
def sample():
    return sample_cluster()


def _by_territory(cluster):
    groups = {}
    for w in cluster.workshops:
        groups.setdefault(w.territory, []).append(w)
    return groups


def test_bundled_files_are_the_generators_sample(sample):
    cluster, contacts = sample
    assert validate_dataset(SAMPLE_DIR).ok
    assert load_cluster(SAMPLE_DIR) == cluster
    assert load_contacts(SAMPLE_DIR) == contacts
    assert load_sample() == (cluster, str(SAMPLE_DIR))


def test_sample_shape(sample):
    cluster, contacts = sample
    sizes = {t: len(ws) for t, ws in _by_territory(cluster).items()}
    assert sizes == {"Yaguarón": 160, "Pilar": 157, "Mariano Roque Alonso": 60}
    assert [o.order_id for o in cluster.orders] == [f"O{i:02d}" for i in range(1, 11)]
    assert {t.wave for t in cluster.ties} == {"w1", "w2"}
    assert [c.workshop_id for c in contacts] == list(cluster.workshop_ids)
    # visibly fictitious private data
    assert all("sintética" in c.owner_name and "Ficticia" in c.address for c in contacts)
    assert all("ficticia" in f.name for f in cluster.lead_firms)


def test_sample_is_calibrated_to_the_territory_profiles(sample):
    cluster, _ = sample
    territories = _by_territory(cluster)

    def women_share(ws):
        return sum(w.women_workers for w in ws) / sum(w.workers for w in ws)

    yag, pil, mra = territories["Yaguarón"], territories["Pilar"], territories["Mariano Roque Alonso"]
    assert women_share(yag) == pytest.approx(0.45, abs=0.05)  # 55% of labour is male
    assert women_share(pil) == pytest.approx(0.81, abs=0.04)
    assert np.mean([w.workers < 5 for w in yag]) == pytest.approx(2 / 3, abs=0.08)
    assert Counter(p for w in yag for p in w.products[:1]).most_common(1)[0][0] == "jeans"
    assert np.mean(["ACY" in w.organizations for w in yag]) == pytest.approx(0.15, abs=0.06)
    # Pilar's medium workshops work for one lead firm; Mariano Roque Alonso has no association
    assert any(dict(w.extra).get("regular_client") == "F1" for w in pil)
    assert not any(w.organizations for w in mra)


def test_sample_ties(sample):
    cluster, _ = sample
    territory = {w.workshop_id: w.territory for w in cluster.workshops}
    mra_kinds = {t.kind for t in cluster.ties if territory[t.source] == "Mariano Roque Alonso"}
    assert mra_kinds == {"kinship", "friendship"}
    across = [t for t in cluster.ties if territory[t.source] != territory[t.target]]
    assert {t.kind for t in across} == {"friendship"} and len(across) < len(cluster.ties) / 50
    conflicts = [t for t in cluster.ties if t.kind == "conflict"]
    assert conflicts and all(territory[t.source] != "Mariano Roque Alonso" for t in conflicts)
    per_wave = Counter(t.wave for t in cluster.ties if t.kind in POSITIVE_TIE_KINDS)
    n = len(cluster.workshops)
    for wave in ("w1", "w2"):
        # about five ties per workshop, so 2.5 tie rows per workshop
        assert 2.0 <= per_wave[wave] / n <= 3.5
    w1 = {(t.source, t.target, t.kind) for t in cluster.ties if t.wave == "w1"}
    w2 = {(t.source, t.target, t.kind) for t in cluster.ties if t.wave == "w2"}
    assert 0.75 <= len(w1 & w2) / len(w1) <= 0.95  # most ties persist from wave to wave


def test_sample_o10_cannot_be_filled(sample):
    """The teaching case: 20,000 t-shirts in a week in Mariano Roque Alonso."""
    cluster, _ = sample
    o10 = cluster.order("O10")
    sewing = {s.process: s.minutes_per_unit for s in cluster.routing_of(o10)}["sewing"]
    eligible = [
        w
        for w in cluster.workshops
        if w.territory == "Mariano Roque Alonso" and "tshirt" in w.products and "sewing" in w.processes
    ]
    assert sum(w.available_minutes(o10.due_weeks) for w in eligible) < o10.quantity * sewing


def test_generator_is_deterministic_and_sized():
    a = generate_cluster(300, 12, seed=5, waves=3)
    assert a == generate_cluster(300, 12, seed=5, waves=3)
    assert a != generate_cluster(300, 12, seed=6, waves=3)
    cluster, contacts = a
    assert len(cluster.workshops) == len(contacts) == 300
    assert len(cluster.orders) == 12 and len(cluster.lead_firms) == 3
    assert {t.wave for t in cluster.ties} == {"w1", "w2", "w3"}
    assert len(set(cluster.workshop_ids)) == 300
    one_wave, _ = generate_cluster(300, 0, seed=5)
    assert {t.wave for t in one_wave.ties} == {None} and one_wave.orders == ()


def test_large_clusters_get_many_territories_and_about_five_ties_each():
    cluster, _ = generate_cluster(5000, 0, seed=1)
    territories = Counter(w.territory for w in cluster.workshops)
    assert len(territories) >= 12 and max(territories.values()) <= 400
    degree = Counter()
    for t in cluster.ties:
        if t.kind in POSITIVE_TIE_KINDS:
            degree[t.source] += 1
            degree[t.target] += 1
    assert 4.0 <= sum(degree.values()) / len(cluster.workshops) <= 6.0
    assert all(t.source != t.target for t in cluster.ties)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((0, 1), "n_workshops must be a whole number >= 1, got 0"),
        ((10, -1), "n_orders must be a whole number >= 0, got -1"),
        ((2.5, 1), "n_workshops must be a whole number >= 1, got 2.5"),
    ],
)
def test_generator_refuses_bad_arguments(args, message):
    with pytest.raises(InvalidOptionError, match=message):
        generate_cluster(*args)
    with pytest.raises(InvalidOptionError, match="waves must be a whole number >= 1, got 0"):
        generate_cluster(10, 1, waves=0)
