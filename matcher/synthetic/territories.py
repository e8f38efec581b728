"""Territories of a synthetic cluster, and the workshops and contacts drawn in each."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from matcher._synthetic_profiles import PROFILES, Profile
from matcher.model import Contact, Workshop

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
class Territory:
    """One territory of the plan: its profile, name, id prefix, number of workshops and centre."""

    profile: Profile
    name: str
    code: str
    size: int
    centroid: tuple[float, float]


def plan_territories(n_workshops: int, rng: np.random.Generator) -> list[Territory]:
    """Split the workshops over territories: the three named ones, then more."""
    if n_workshops <= 1000:
        weights = np.array([p.weight for p in PROFILES], dtype=float)
        sizes = np.floor(n_workshops * weights / weights.sum()).astype(int)
        sizes[0] += n_workshops - sizes.sum()
        return [
            Territory(p, p.name, p.code, int(s), p.centroid)
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
            plan.append(Territory(profile, profile.name, profile.code, size, profile.centroid))
        else:
            number = f"{t + 1:0{width}d}"
            centroid = (float(rng.uniform(-27.0, -22.5)), float(rng.uniform(-58.5, -54.7)))
            plan.append(Territory(profile, f"Territorio {number}", f"T{number}", size, centroid))
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


def draw_workshops(
    territory: Territory, start: int, rng: np.random.Generator, regular_client: str | None
) -> tuple[list[Workshop], list[Contact], dict[str, np.ndarray]]:
    """A territory's workshops, their contacts (numbered from ``start``) and the columns its ties need."""
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
