"""Territory profiles of the synthetic generator, calibrated to published figures.

The figures come from the census and field reports summarised in the project's
domain notes (Yaguarón 2022 census; Pilar; Mariano Roque Alonso). Only the
shares and counts quoted there are calibrated; everything else (products beyond
"mostly jeans", tie rates, costs) is a plausible invention and the data say so.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Profile:
    """How the workshops and ties of one kind of territory are drawn."""

    code: str
    name: str
    centroid: tuple[float, float]
    weight: int  # relative size when a cluster is split over the three profiles
    # Workers: (share, low, high) bands, drawn uniformly inside a band.
    worker_bands: tuple[tuple[float, int, int], ...]
    women_share: float
    formal_small: float  # share with tax registration among workshops under 5 workers
    formal_large: float
    products: tuple[tuple[str, float], ...]  # main product and its weight
    second_product: float  # chance of making a second product
    organization: str | None
    organization_share: float
    # Tie rows per workshop, by kind (before de-duplication).
    tie_rates: tuple[tuple[str, float], ...]
    conflicts_per_100: float
    lead_firm_medium: bool = False  # medium workshops work for one long-standing lead firm


YAGUARON = Profile(
    code="YAG",
    name="Yaguarón",
    centroid=(-25.56, -57.28),
    weight=160,
    # Two thirds under 5 workers; the rest small and medium (1,091 workers / 159 in the census).
    worker_bands=((0.67, 1, 4), (0.19, 5, 10), (0.14, 11, 40)),
    women_share=0.45,  # 55% of labour male
    formal_small=0.25,  # 75% of the small ones have no tax registration
    formal_large=0.7,
    products=(("jeans", 0.8), ("tshirt", 0.1), ("work_uniform", 0.1)),
    second_product=0.3,
    organization="ACY",
    organization_share=0.15,  # 6–21% belong to an association
    tie_rates=(
        ("kinship", 0.9),
        ("friendship", 0.7),
        ("subcontracting", 0.4),
        ("mentoring", 0.1),
        ("machine_lending", 0.15),
        ("joint_purchase", 0.1),
        ("association", 0.15),
    ),
    conflicts_per_100=5.0,  # a handful, mostly around the association
)

PILAR = Profile(
    code="PIL",
    name="Pilar",
    centroid=(-26.86, -58.30),
    weight=157,
    # 157 workshops, about 500 workers; at least 25 medium workshops.
    worker_bands=((0.8, 1, 4), (0.2, 6, 12)),
    women_share=0.81,
    formal_small=0.2,
    formal_large=0.75,
    products=(
        ("school_shirt", 0.25),
        ("school_trousers", 0.15),
        ("polo_shirt", 0.25),
        ("childrens_wear", 0.2),
        ("tshirt", 0.15),
    ),
    second_product=0.4,
    organization="Precooperativa Pilar",
    organization_share=0.2,
    tie_rates=(
        ("kinship", 0.6),
        ("friendship", 0.8),
        ("subcontracting", 0.6),
        ("mentoring", 0.15),
        ("machine_lending", 0.15),
        ("joint_purchase", 0.1),
        ("association", 0.15),
    ),
    conflicts_per_100=1.5,
    lead_firm_medium=True,
)

MARIANO_ROQUE_ALONSO = Profile(
    code="MRA",
    name="Mariano Roque Alonso",
    centroid=(-25.21, -57.53),
    weight=60,
    worker_bands=((0.9, 1, 4), (0.1, 5, 8)),
    women_share=0.6,
    formal_small=0.1,
    formal_large=0.4,
    products=(
        ("tshirt", 0.35),
        ("childrens_wear", 0.25),
        ("polo_shirt", 0.15),
        ("sports_jersey", 0.15),
        ("jeans", 0.1),
    ),
    second_product=0.3,
    organization=None,
    organization_share=0.0,
    # Kinship and friendship only: orders beyond one workshop are shared with family and friends.
    tie_rates=(("kinship", 1.2), ("friendship", 1.3)),
    conflicts_per_100=0.0,
)

PROFILES: tuple[Profile, ...] = (YAGUARON, PILAR, MARIANO_ROQUE_ALONSO)
