"""Types the optimizer's modules share.

Examples
--------
>>> from matcher.optimize._types import Solution
>>> solution: Solution = {"O1": {"A": {"sewing": 100}}}
>>> sum(sum(units.values()) for units in solution["O1"].values())
100
"""

from __future__ import annotations

__all__ = ["Solution"]

#: order id -> workshop id -> process -> units
Solution = dict[str, dict[str, dict[str, int]]]
