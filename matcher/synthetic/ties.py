"""Ties of a synthetic cluster: kinship, work and association ties near each other, conflicts,
and how they change from one survey wave to the next."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from matcher.model import DIRECTED_TIE_KINDS, TIE_KINDS, Tie
from matcher.synthetic.territories import Territory

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
    territory: Territory, start: int, columns: dict[str, np.ndarray], rng: np.random.Generator
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


def draw_ties(
    plan: Sequence[Territory],
    starts: Sequence[int],
    columns: Sequence[dict[str, np.ndarray]],
    ids: Sequence[str],
    rng: np.random.Generator,
    waves: int,
) -> tuple[Tie, ...]:
    """The ties of every territory, a few across neighbouring ones, observed in ``waves`` waves."""
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
