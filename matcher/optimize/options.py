"""Options of a matching run."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any

from matcher.errors import InvalidOptionError

__all__ = ["SOLVERS", "MatchOptions"]

#: Solver names accepted by :class:`MatchOptions`.
SOLVERS = ("auto", "highs", "cbc")


@dataclass(frozen=True)
class MatchOptions:
    """How to match: solver, time limit and the switches a coordinator sets.

    Parameters
    ----------
    solver : {"auto", "highs", "cbc"}
        ``auto`` uses HiGHS when it is installed, else CBC.
    time_limit : float
        Seconds the solver may use for the whole run (> 0).
    allow_partial : bool
        Let an order be filled in part; otherwise it is filled in full or not at all.
    max_group_size : int or None
        Group-size cap for orders that set none (an order's own cap wins).
    seed : int
        Seed passed to the solver, for reproducible runs.

    Examples
    --------
    >>> MatchOptions(time_limit=10).solver
    'auto'
    >>> MatchOptions(time_limit=0)
    Traceback (most recent call last):
    ...
    matcher.errors.InvalidOptionError: time_limit must be a number of seconds > 0, got 0
    """

    solver: str = "auto"
    time_limit: float = 30.0
    allow_partial: bool = False
    max_group_size: int | None = None
    seed: int = 0

    def __post_init__(self) -> None:
        problems = []
        if self.solver not in SOLVERS:
            problems.append(f"solver must be one of {', '.join(SOLVERS)}, got {self.solver!r}")
        if (
            not isinstance(self.time_limit, int | float)
            or not math.isfinite(self.time_limit)
            or self.time_limit <= 0
        ):
            problems.append(f"time_limit must be a number of seconds > 0, got {self.time_limit!r}")
        if self.max_group_size is not None and (
            not isinstance(self.max_group_size, int) or self.max_group_size < 1
        ):
            problems.append(f"max_group_size must be a whole number >= 1, got {self.max_group_size!r}")
        if not isinstance(self.seed, int) or self.seed < 0:
            problems.append(f"seed must be a whole number >= 0, got {self.seed!r}")
        if problems:
            raise InvalidOptionError("; ".join(problems))

    def to_dict(self) -> dict[str, Any]:
        """The options as JSON-ready data."""
        return asdict(self)
