"""Rich rendering of library results for people at a terminal.

Everything here reads the JSON-ready dicts the library returns (the same data
``--json`` prints), so what a person sees and what a program reads never drift.
"""

from __future__ import annotations

from matcher._render.dataset import problems, sample_header, validation
from matcher._render.formatting import counted
from matcher._render.matching import WITHHELD, match, shortlist
from matcher._render.mentoring import circles
from matcher._render.network import cohesion, ego, group, waves
from matcher._render.plan import plan
from matcher._render.sweep import sweep

__all__ = [
    "WITHHELD",
    "circles",
    "cohesion",
    "counted",
    "ego",
    "group",
    "match",
    "plan",
    "problems",
    "sample_header",
    "shortlist",
    "sweep",
    "validation",
    "waves",
]
