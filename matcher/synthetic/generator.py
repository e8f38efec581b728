"""Synthetic clusters of any size: territories, workshops, ties, lead firms and orders."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from matcher.errors import InvalidOptionError
from matcher.model import Cluster, Contact, LeadFirm, Order, Tie, Workshop
from matcher.routing import default_routings
from matcher.synthetic.territories import Territory, draw_workshops, plan_territories
from matcher.synthetic.ties import draw_ties

__all__ = ["generate_cluster"]


@dataclass(frozen=True)
class Drawn:
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


def draw_territories(
    plan: Sequence[Territory], rng: np.random.Generator, waves: int, firms: Sequence[str]
) -> Drawn:
    """The workshops, ties and contacts of every territory of ``plan``."""
    workshops: list[Workshop] = []
    contacts: list[Contact] = []
    columns: list[dict[str, np.ndarray]] = []
    starts: list[int] = []
    for t, territory in enumerate(plan):
        starts.append(len(workshops))
        client = firms[t % len(firms)] if territory.profile.lead_firm_medium and firms else None
        w, c, cols = draw_workshops(territory, len(workshops), rng, client)
        workshops.extend(w)
        contacts.extend(c)
        columns.append(cols)
    ids = [w.workshop_id for w in workshops]
    ties = draw_ties(plan, starts, columns, ids, rng, waves)
    return Drawn(tuple(workshops), ties, tuple(contacts))


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
    plan = plan_territories(n_workshops, rng)
    drawn = draw_territories(plan, rng, waves, firm_ids)
    firms = tuple(LeadFirm(f, f"Empresa ancla ficticia {f}") for f in firm_ids)
    orders = _random_orders(drawn.workshops, n_orders, firm_ids, rng)
    cluster = Cluster(drawn.workshops, drawn.ties, firms, orders, default_routings())
    return cluster, drawn.contacts
