"""The default routing catalogue: products, their processes and standard minutes.

The catalogue ships with the package (``matcher/resources/routings.csv``), each
default with a typical range beside it (``typical_low`` / ``typical_high``). The
sewing ranges of 5-pocket jeans (12–20 standard minutes), basic T-shirts (4–8),
polo shirts (10–14) and school-uniform shirts (12–18) are typical published
ranges; the other figures are indicative defaults. None is a measurement: a
dataset's own ``routings.csv`` replaces the routing of any product it lists and
may add new products and processes.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from functools import cache
from importlib.resources import files

from matcher.model import RoutingStep

__all__ = ["EXTRA_PROCESSES", "default_routings", "known_processes", "merge_routings"]

#: Process codes a workshop may declare even though no default routing uses
#: them (they appear in order overrides such as ``embroidery:2.5``).
EXTRA_PROCESSES: tuple[str, ...] = (
    "cutting",
    "sewing",
    "washing",
    "embroidery",
    "screen_printing",
    "finishing",
    "ironing",
    "packing",
    "buttonholing",
    "pattern_making",
    "quality_control",
)


@cache
def _catalogue() -> dict[str, tuple[RoutingStep, ...]]:
    text = files("matcher.resources").joinpath("routings.csv").read_text(encoding="utf-8")
    steps: dict[str, list[RoutingStep]] = {}
    for row in csv.DictReader(text.splitlines()):
        steps.setdefault(row["product"], []).append(
            RoutingStep(row["process"], float(row["minutes_per_unit"]))
        )
    return {product: tuple(s) for product, s in steps.items()}


def default_routings() -> dict[str, tuple[RoutingStep, ...]]:
    """The shipped catalogue, product code -> routing (a fresh dict).

    Examples
    --------
    >>> r = default_routings()
    >>> [(s.process, s.minutes_per_unit) for s in r["tshirt"]]
    [('cutting', 1.0), ('sewing', 6.0), ('finishing', 1.0), ('packing', 0.5)]
    """
    return dict(_catalogue())


def merge_routings(
    base: Mapping[str, tuple[RoutingStep, ...]],
    own: Mapping[str, tuple[RoutingStep, ...]],
) -> dict[str, tuple[RoutingStep, ...]]:
    """A product listed in ``own`` replaces the routing ``base`` gives it.

    Examples
    --------
    >>> merged = merge_routings(default_routings(), {"tshirt": (RoutingStep("sewing", 5.0),)})
    >>> merged["tshirt"]
    (RoutingStep(process='sewing', minutes_per_unit=5.0),)
    """
    merged = dict(base)
    merged.update(own)
    return merged


def known_processes(routings: Mapping[str, Iterable[RoutingStep]]) -> frozenset[str]:
    """Process codes valid in a dataset: the catalogue's extras plus every routed one.

    Examples
    --------
    >>> "washing" in known_processes(default_routings())
    True
    """
    routed = {s.process for steps in routings.values() for s in steps}
    return frozenset(EXTRA_PROCESSES) | routed
