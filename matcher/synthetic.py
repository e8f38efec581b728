"""Synthetic garment-workshop clusters: the bundled sample and clusters of any size.

Everything here is invented. The generator draws workshops, ties, lead firms,
orders and (private) contacts from territory profiles calibrated to the
published figures of three Paraguayan clusters — Yaguarón (mostly jeans, 55%
male labour, two thirds under five workers, an association with a legacy of
mistrust), Pilar (81% women, medium workshops tied to one lead firm, a
pre-cooperative) and Mariano Roque Alonso (small dispersed workshops held
together by kinship and friendship only). No row describes a real workshop,
person or firm: names, phones and addresses are visibly fictitious.

:func:`sample_cluster` makes the sample shipped in ``data/sample/``;
:func:`generate_cluster` makes clusters of any size, up to millions of
workshops, for tests and benchmarks. Both are deterministic in their seed.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from matcher._synthetic_profiles import PROFILES, Profile
from matcher.errors import InvalidOptionError
from matcher.model import (
    DIRECTED_TIE_KINDS,
    TIE_KINDS,
    Cluster,
    Contact,
    LeadFirm,
    Order,
    RoutingStep,
    Tie,
    Workshop,
)
from matcher.routing import default_routings

__all__ = ["SAMPLE_SEED", "generate_cluster", "sample_cluster"]

#: The seed that made ``data/sample/``.
SAMPLE_SEED = 2024

_PROCESS_ORDER = (
    "cutting",
    "washing",
    "embroidery",
    "screen_printing",
    "finishing",
    "ironing",
    "packing",
)
_IRONED = frozenset({"polo_shirt", "school_shirt", "school_trousers", "work_uniform"})
_EMBROIDERED = frozenset({"polo_shirt", "work_uniform", "school_shirt"})
_PRINTED = frozenset({"sports_jersey", "tshirt"})


@dataclass(frozen=True)
class _Territory:
    profile: Profile
    name: str
    code: str
    size: int
    centroid: tuple[float, float]


@dataclass(frozen=True)
class _Drawn:
    """Workshops of all territories as columns, plus their ties and contacts."""

    workshops: tuple[Workshop, ...]
    ties: tuple[Tie, ...]
    contacts: tuple[Contact, ...]


def _check(n_workshops: int, n_orders: int, waves: int) -> None:
    problems = []
    if not isinstance(n_workshops, int) or n_workshops < 1:
        problems.append(f"n_workshops must be a whole number >= 1, got {n_workshops!r}")
    if not isinstance(n_orders, int) or n_orders < 0:
        problems.append(f"n_orders must be a whole number >= 0, got {n_orders!r}")
    if not isinstance(waves, int) or waves < 1:
        problems.append(f"waves must be a whole number >= 1, got {waves!r}")
    if problems:
        raise InvalidOptionError("; ".join(problems))


def _plan(n_workshops: int, rng: np.random.Generator) -> list[_Territory]:
    """Split the workshops over territories: the three named ones, then more."""
    if n_workshops <= 1000:
        weights = np.array([p.weight for p in PROFILES], dtype=float)
        sizes = np.floor(n_workshops * weights / weights.sum()).astype(int)
        sizes[0] += n_workshops - sizes.sum()
        return [
            _Territory(p, p.name, p.code, int(s), p.centroid)
            for p, s in zip(PROFILES, sizes, strict=True)
            if s > 0
        ]
    sizes: list[int] = []
    while sum(sizes) < n_workshops:
        sizes.append(int(rng.integers(100, 401)))
    sizes[-1] -= sum(sizes) - n_workshops
    if sizes[-1] < 1:
        sizes.pop()
        sizes[-1] += n_workshops - sum(sizes)
    width = max(4, len(str(len(sizes))))
    plan = []
    for t, size in enumerate(sizes):
        profile = PROFILES[t % len(PROFILES)]
        if t < len(PROFILES):
            plan.append(_Territory(profile, profile.name, profile.code, size, profile.centroid))
        else:
            number = f"{t + 1:0{width}d}"
            centroid = (float(rng.uniform(-27.0, -22.5)), float(rng.uniform(-58.5, -54.7)))
            plan.append(_Territory(profile, f"Territorio {number}", f"T{number}", size, centroid))
    return plan


def _bands(profile: Profile, n: int, rng: np.random.Generator) -> np.ndarray:
    # Band sizes in exact proportion (so small territories keep the published
    # shares), in random order.
    shares = np.array([b[0] for b in profile.worker_bands])
    counts = np.floor(n * shares / shares.sum()).astype(int)
    counts[0] += n - counts.sum()
    band = rng.permutation(np.repeat(np.arange(len(shares)), counts))
    low = np.array([b[1] for b in profile.worker_bands])[band]
    high = np.array([b[2] for b in profile.worker_bands])[band]
    # Within a band, smaller sizes are more common.
    u = rng.random(n) ** np.where(band == 0, 1.6, 1.0)
    return (low + np.floor(u * (high - low + 1))).astype(np.int64)


def _draw_workshops(
    territory: _Territory, start: int, rng: np.random.Generator, regular_client: str | None
) -> tuple[list[Workshop], list[Contact], dict[str, np.ndarray]]:
    p, n = territory.profile, territory.size
    workers = _bands(p, n, rng)
    women = rng.binomial(workers, p.women_share)
    hours = rng.choice([40, 44, 48, 52, 56], size=n)
    efficiency = np.round(rng.uniform(0.35, 0.60, size=n), 2)
    capacity = workers * hours * 60.0 * efficiency
    small = workers < 5
    formal = rng.random(n) < np.where(small, p.formal_small, p.formal_large)
    quality = np.clip(2 + (workers >= 5) + (workers >= 11) + formal + rng.integers(-1, 2, size=n), 1, 5)
    can_lead = rng.random(n) < 0.04 + 0.18 * (workers >= 5) + 0.12 * (quality >= 4)
    cost = np.round(0.03 + 0.008 * (quality - 1) + rng.uniform(0, 0.015, size=n), 3)
    for_lead_firm = (workers >= 6) & p.lead_firm_medium & (regular_client is not None)
    committed_share = np.where(
        for_lead_firm,
        rng.uniform(0.4, 0.7, size=n),
        np.where(rng.random(n) < 0.45, rng.uniform(0.1, 0.5, size=n), 0.0),
    )
    committed = np.round(capacity * committed_share, -1)

    names = [name for name, _ in p.products]
    weights = np.array([w for _, w in p.products])
    main = rng.choice(len(names), size=n, p=weights / weights.sum())
    second = rng.choice(len(names), size=n, p=weights / weights.sum())
    has_second = (rng.random(n) < p.second_product) & (second != main)
    main_name = np.array(names, dtype=object)[main]
    makes_jeans = (main_name == "jeans") | (has_second & (np.array(names, dtype=object)[second] == "jeans"))
    ironed = np.isin(main_name, list(_IRONED))
    chances = {
        "cutting": 0.55 + 0.3 * (workers >= 5),
        "washing": np.where(makes_jeans, 0.08 + 0.3 * (workers >= 11), 0.0),
        "embroidery": np.where(np.isin(main_name, list(_EMBROIDERED)), 0.25, 0.03),
        "screen_printing": np.where(
            main_name == "sports_jersey", 0.5, np.where(np.isin(main_name, list(_PRINTED)), 0.2, 0.02)
        ),
        "finishing": np.full(n, 0.8),
        "ironing": np.where(ironed, 0.65, 0.1),
        "packing": 0.6 + 0.25 * (workers >= 5),
    }
    does = {proc: rng.random(n) < chance for proc, chance in chances.items()}
    in_org = (rng.random(n) < p.organization_share) if p.organization else np.zeros(n, dtype=bool)
    organization = (
        p.organization
        if territory.code == p.code
        else (f"Asociación {territory.name}" if p.organization else None)
    )
    width = max(3, len(str(n)))
    workshops: list[Workshop] = []
    contacts: list[Contact] = []
    lat = np.round(territory.centroid[0] + rng.normal(0, 0.012, size=n), 5)
    lon = np.round(territory.centroid[1] + rng.normal(0, 0.012, size=n), 5)
    street = rng.integers(1, 3000, size=n)
    for i in range(n):
        wid = f"{territory.code}-{i + 1:0{width}d}"
        products = (names[main[i]], names[second[i]]) if has_second[i] else (names[main[i]],)
        processes = ("sewing", *tuple(proc for proc in _PROCESS_ORDER if does[proc][i]))
        w = int(workers[i])
        overlock = max(1, w // 3)
        machines = (("straight_stitch", max(1, w - overlock)), ("overlock", overlock))
        if makes_jeans[i] and w >= 5:
            machines += (("double_needle", 1),)
        workshops.append(
            Workshop(
                workshop_id=wid,
                territory=territory.name,
                workers=w,
                products=products,
                processes=processes,
                women_workers=int(women[i]),
                hours_per_week=float(hours[i]),
                efficiency=float(efficiency[i]),
                committed_minutes_per_week=float(committed[i]),
                machines=machines,
                quality=int(quality[i]),
                formal=bool(formal[i]),
                can_lead=bool(can_lead[i]),
                cost_per_minute=float(cost[i]),
                organizations=(organization,) if in_org[i] and organization else (),
                extra=(("regular_client", regular_client),) if for_lead_firm[i] and regular_client else (),
            )
        )
        contacts.append(
            Contact(
                workshop_id=wid,
                owner_name=f"Persona sintética {wid}",
                phone=f"+595 000 {start + i + 1:06d}",
                address=f"Calle Ficticia {street[i]}, {territory.name}",
                lat=float(lat[i]),
                lon=float(lon[i]),
            )
        )
    columns = {"workers": workers, "quality": quality, "in_org": in_org}
    return workshops, contacts, columns


_KIND_CODE = {kind: code for code, kind in enumerate(TIE_KINDS)}


def _local_pairs(n: int, count: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """``count`` pairs of near neighbours on a line of ``n`` places."""
    if n < 2 or count <= 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    src = rng.integers(0, n, size=count)
    offset = 1 + np.minimum(rng.geometric(0.25, size=count) - 1, n - 2)
    dst = (src + offset * rng.choice([-1, 1], size=count)) % n
    return src, dst


def _territory_ties(
    territory: _Territory, start: int, columns: dict[str, np.ndarray], rng: np.random.Generator
) -> list[tuple[np.ndarray, np.ndarray, int]]:
    """(source, target, kind code) arrays of one territory, global indices."""
    p, n = territory.profile, territory.size
    place = rng.permutation(n)  # workshop at each place along the territory's streets
    out: list[tuple[np.ndarray, np.ndarray, int]] = []
    rates = dict(p.tie_rates)

    # Kinship: families of 1-5 neighbouring workshops, each linked to the next one or two.
    sizes = rng.choice([1, 2, 3, 4, 5], size=n, p=[0.3, 0.25, 0.2, 0.15, 0.1])
    family = np.repeat(np.arange(n), sizes)[:n]
    for d in (1, 2):
        same = np.nonzero(family[:-d] == family[d:])[0]
        out.append((place[same], place[same + d], _KIND_CODE["kinship"]))
    extra_kin = round((rates.get("kinship", 0.0) - 0.92) * n)
    if extra_kin > 0:
        a, b = _local_pairs(n, extra_kin, rng)
        out.append((place[a], place[b], _KIND_CODE["kinship"]))

    workers = columns["workers"]
    quality = columns["quality"]
    for kind, rate in p.tie_rates:
        if kind in {"kinship", "association"}:
            continue
        a, b = _local_pairs(n, int(rng.poisson(rate * n)), rng)
        a, b = place[a], place[b]
        if kind == "subcontracting":  # the larger workshop gives work to the smaller
            swap = workers[a] < workers[b]
            a, b = np.where(swap, b, a), np.where(swap, a, b)
        elif kind == "mentoring":  # the better workshop mentors
            swap = quality[a] < quality[b]
            a, b = np.where(swap, b, a), np.where(swap, a, b)
        out.append((a, b, _KIND_CODE[kind]))

    members = np.nonzero(columns["in_org"])[0]
    if len(members) >= 2:
        count = int(rng.poisson(rates.get("association", 0.0) * n))
        out.append((rng.choice(members, count), rng.choice(members, count), _KIND_CODE["association"]))
        conflicts = round(p.conflicts_per_100 * n / 100)
        # The legacy of mistrust lies mostly around the association.
        inside = (2 * conflicts) // 3
        out.append((rng.choice(members, inside), rng.choice(members, inside), _KIND_CODE["conflict"]))
        a, b = _local_pairs(n, conflicts - inside, rng)
        out.append((place[a], place[b], _KIND_CODE["conflict"]))
    elif p.conflicts_per_100 > 0:
        a, b = _local_pairs(n, round(p.conflicts_per_100 * n / 100), rng)
        out.append((place[a], place[b], _KIND_CODE["conflict"]))
    return [(a + start, b + start, k) for a, b, k in out]


def _dedupe(src: np.ndarray, dst: np.ndarray, kind: np.ndarray, n: int) -> np.ndarray:
    """Indices of the first occurrence of each (kind, pair); self-ties dropped."""
    directed = np.isin(kind, [_KIND_CODE[k] for k in DIRECTED_TIE_KINDS])
    lo = np.where(directed, src, np.minimum(src, dst))
    hi = np.where(directed, dst, np.maximum(src, dst))
    key = (kind.astype(np.int64) * n + lo) * n + hi
    keep = np.nonzero(src != dst)[0]
    _, first = np.unique(key[keep], return_index=True)
    return np.sort(keep[first])


def _draw_ties(
    plan: Sequence[_Territory],
    starts: Sequence[int],
    columns: Sequence[dict[str, np.ndarray]],
    ids: Sequence[str],
    rng: np.random.Generator,
    waves: int,
) -> tuple[Tie, ...]:
    n = len(ids)
    parts = [_territory_ties(t, s, c, rng) for t, s, c in zip(plan, starts, columns, strict=True)]
    flat = [item for part in parts for item in part]
    if len(plan) >= 2:  # a few friendships across neighbouring territories
        count = max(1, n // 50)
        t = rng.integers(0, len(plan), size=count)
        nxt = (t + 1) % len(plan)
        size = np.array([x.size for x in plan])
        start = np.array(starts)
        a = start[t] + rng.integers(0, size[t])
        b = start[nxt] + rng.integers(0, size[nxt])
        flat.append((a, b, _KIND_CODE["friendship"]))
    src = np.concatenate([a for a, _, _ in flat]).astype(np.int64)
    dst = np.concatenate([b for _, b, _ in flat]).astype(np.int64)
    kind = np.concatenate([np.full(len(a), k) for a, _, k in flat]).astype(np.int64)
    keep = _dedupe(src, dst, kind, n)
    src, dst, kind = src[keep], dst[keep], kind[keep]
    low = np.where(kind == _KIND_CODE["kinship"], 4, np.where(kind == _KIND_CODE["friendship"], 2, 1))
    strength = rng.integers(low, 6)

    rows = [(src, dst, kind, strength, None)]
    if waves > 1:
        rows = [(src, dst, kind, strength, "w1")]
        for wave in range(2, waves + 1):
            prev_src, prev_dst, prev_kind, prev_strength, _ = rows[-1]
            kept = rng.random(len(prev_src)) < 0.85
            new_count = round(0.10 * len(src))
            a, b = rng.integers(0, n, size=new_count), rng.integers(0, n, size=new_count)
            # New ties are local: the second end is near the first in the same territory.
            owner = np.searchsorted(np.array(starts), a, side="right") - 1
            size = np.array([x.size for x in plan])[owner]
            b = (
                np.array(starts)[owner]
                + (a - np.array(starts)[owner] + rng.integers(1, 6, size=new_count)) % size
            )
            # Friendships, and subcontracting where the territory subcontracts at all.
            subcontracts = np.array(
                [any(k == "subcontracting" for k, _ in t.profile.tie_rates) for t in plan]
            )
            new_kind = np.where(
                subcontracts[owner] & (rng.random(new_count) < 0.5),
                _KIND_CODE["subcontracting"],
                _KIND_CODE["friendship"],
            )
            w_src = np.concatenate([prev_src[kept], a])
            w_dst = np.concatenate([prev_dst[kept], b])
            w_kind = np.concatenate([prev_kind[kept], new_kind])
            w_strength = np.concatenate([prev_strength[kept], rng.integers(1, 6, size=new_count)])
            keep = _dedupe(w_src, w_dst, w_kind, n)
            rows.append((w_src[keep], w_dst[keep], w_kind[keep], w_strength[keep], f"w{wave}"))

    ties: list[Tie] = []
    for r_src, r_dst, r_kind, r_strength, wave in rows:
        order = np.lexsort((r_kind, r_dst, r_src))
        ties.extend(
            Tie(ids[s], ids[d], TIE_KINDS[k], int(st), wave)
            for s, d, k, st in zip(
                r_src[order].tolist(),
                r_dst[order].tolist(),
                r_kind[order].tolist(),
                r_strength[order].tolist(),
                strict=True,
            )
        )
    return tuple(ties)


def _draw(plan: Sequence[_Territory], rng: np.random.Generator, waves: int, firms: Sequence[str]) -> _Drawn:
    workshops: list[Workshop] = []
    contacts: list[Contact] = []
    columns: list[dict[str, np.ndarray]] = []
    starts: list[int] = []
    for t, territory in enumerate(plan):
        starts.append(len(workshops))
        client = firms[t % len(firms)] if territory.profile.lead_firm_medium and firms else None
        w, c, cols = _draw_workshops(territory, len(workshops), rng, client)
        workshops.extend(w)
        contacts.extend(c)
        columns.append(cols)
    ids = [w.workshop_id for w in workshops]
    ties = _draw_ties(plan, starts, columns, ids, rng, waves)
    return _Drawn(tuple(workshops), ties, tuple(contacts))


def _random_orders(
    workshops: Sequence[Workshop], n_orders: int, firms: Sequence[str], rng: np.random.Generator
) -> tuple[Order, ...]:
    """Orders sized to need one to eight workshops each, by their due date."""
    if n_orders == 0:
        return ()
    routings = default_routings()
    made = [p for w in workshops for p in w.products]
    products, counts = np.unique(np.array(made, dtype=object), return_counts=True)
    territories_of: dict[str, list[str]] = {}
    for w in workshops:
        territories_of.setdefault(w.products[0], []).append(w.territory)
    typical = float(np.median([w.available_minutes_per_week for w in workshops])) or 1000.0
    width = max(2, len(str(n_orders)))
    orders = []
    for i in range(n_orders):
        product = str(rng.choice(products, p=counts / counts.sum()))
        sewing = next(s.minutes_per_unit for s in routings[product] if s.process == "sewing")
        due = float(rng.choice([1, 2, 2, 3, 3, 4, 4, 5, 6, 8, 10]))
        need = int(rng.choice([1, 1, 2, 2, 3, 3, 4, 5, 6, 8]))
        quantity = max(50, int(round(need * typical * due * 0.5 / sewing, -1)))
        restrict = rng.random() < 0.4 and product in territories_of
        home = str(rng.choice(territories_of[product])) if restrict else None
        orders.append(
            Order(
                order_id=f"O{i + 1:0{width}d}",
                product=product,
                quantity=quantity,
                due_weeks=due,
                firm_id=firms[i % len(firms)],
                min_quality=int(rng.choice([1, 1, 1, 2, 3, 4])),
                max_group_size=int(need + 2) if rng.random() < 0.5 else None,
                territories=(home,) if home else (),
                require_formal=bool(rng.random() < 0.15),
            )
        )
    return tuple(orders)


def generate_cluster(
    n_workshops: int, n_orders: int, *, seed: int = 0, waves: int = 1
) -> tuple[Cluster, tuple[Contact, ...]]:
    """A synthetic cluster of any size and its (synthetic) contacts.

    Up to 1,000 workshops are split over the three calibrated territories in
    the proportions of the sample; larger clusters get many territories of
    100–400 workshops whose profiles cycle through the three. Each workshop
    takes part in about five ties.

    Parameters
    ----------
    n_workshops : int
        Number of workshops, >= 1.
    n_orders : int
        Number of orders, >= 0, each sized to need one to eight workshops;
        ``ceil(n_orders / 4)`` lead firms (at least one) place them.
    seed : int
        Seed of every random draw: the same arguments give the same cluster.
    waves : int
        Survey waves the ties are observed in. With one wave, ties carry no
        wave; with more, about 85% of a wave's ties are seen again in the next
        and 10% new ones appear.

    Returns
    -------
    (Cluster, tuple of Contact)

    Examples
    --------
    >>> cluster, contacts = generate_cluster(50, 4, seed=1)
    >>> len(cluster.workshops), len(cluster.orders), len(contacts)
    (50, 4, 50)
    >>> generate_cluster(50, 4, seed=1)[0] == cluster
    True
    """
    _check(n_workshops, n_orders, waves)
    rng = np.random.default_rng(seed)
    firm_ids = [f"F{i + 1}" for i in range(max(1, math.ceil(n_orders / 4)))]
    plan = _plan(n_workshops, rng)
    drawn = _draw(plan, rng, waves, firm_ids)
    firms = tuple(LeadFirm(f, f"Empresa ancla ficticia {f}") for f in firm_ids)
    orders = _random_orders(drawn.workshops, n_orders, firm_ids, rng)
    cluster = Cluster(drawn.workshops, drawn.ties, firms, orders, default_routings())
    return cluster, drawn.contacts


_SAMPLE_FIRMS = (
    LeadFirm("F1", "Uniformes Ejemplo (ficticia)", "Pilar"),
    LeadFirm("F2", "Denim Ejemplo (ficticia)", "Yaguarón"),
    LeadFirm("F3", "Remeras Ejemplo (ficticia)", None),
    LeadFirm("F4", "Polo Ejemplo (ficticia)", None),
    LeadFirm("F5", "Confecciones Ejemplo (ficticia)", None),
)


def _sample_orders() -> tuple[Order, ...]:
    yag, pil, mra = (p.name for p in PROFILES)
    polo = {s.process: s.minutes_per_unit for s in default_routings()["polo_shirt"]}
    embroidered_polo = (*tuple(RoutingStep(p, m) for p, m in polo.items()), RoutingStep("embroidery", 2.0))
    return (
        Order("O01", "tshirt", 300, 2.0, "F3"),
        Order("O02", "jeans", 500, 3.0, "F2", territories=(yag,)),
        Order("O03", "childrens_wear", 1200, 2.0, "F5", territories=(mra,), max_group_size=6),
        Order("O04", "polo_shirt", 600, 4.0, "F4", min_quality=3, processes=embroidered_polo),
        Order("O05", "school_shirt", 6000, 4.0, "F1", territories=(pil,), max_group_size=8),
        Order("O06", "jeans", 30000, 3.0, "F2", min_quality=3, territories=(yag,), max_group_size=8),
        Order("O07", "school_trousers", 1500, 6.0, "F1", territories=(pil,), require_formal=True),
        Order("O08", "sports_jersey", 400, 3.0, "F3"),
        Order("O09", "work_uniform", 700, 8.0, "F5", min_quality=3, require_formal=True),
        # The teaching case: far more sewing than the eligible workshops have by then.
        Order("O10", "tshirt", 20000, 1.0, "F3", territories=(mra,)),
    )


def sample_cluster() -> tuple[Cluster, tuple[Contact, ...]]:
    """The calibrated sample shipped in ``data/sample/`` and its contacts.

    160 workshops in Yaguarón, 157 in Pilar and 60 in Mariano Roque Alonso;
    ties observed in two survey waves; five fictitious lead firms; ten orders,
    from one-workshop jobs to ones that need several workshops, and one (O10)
    that cannot be filled.

    Examples
    --------
    >>> cluster, contacts = sample_cluster()
    >>> len(cluster.workshops), len(cluster.lead_firms), len(cluster.orders)
    (377, 5, 10)
    """
    rng = np.random.default_rng(SAMPLE_SEED)
    plan = [_Territory(p, p.name, p.code, p.weight, p.centroid) for p in PROFILES]
    drawn = _draw(plan, rng, 2, ["F1"])
    cluster = Cluster(drawn.workshops, drawn.ties, _SAMPLE_FIRMS, _sample_orders(), default_routings())
    return cluster, drawn.contacts
