"""The calibrated sample shipped in ``data/sample/``."""

from __future__ import annotations

import numpy as np

from matcher._synthetic_profiles import PROFILES
from matcher.model import Cluster, Contact, LeadFirm, Order, RoutingStep
from matcher.routing import default_routings
from matcher.synthetic.generator import draw_territories
from matcher.synthetic.territories import Territory

__all__ = ["SAMPLE_SEED", "sample_cluster"]


#: The seed that made ``data/sample/``.
SAMPLE_SEED = 2024


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
    plan = [Territory(p, p.name, p.code, p.weight, p.centroid) for p in PROFILES]
    drawn = draw_territories(plan, rng, 2, ["F1"])
    cluster = Cluster(drawn.workshops, drawn.ties, _SAMPLE_FIRMS, _sample_orders(), default_routings())
    return cluster, drawn.contacts
