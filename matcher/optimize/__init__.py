"""Group formation: workshop groups for lead-firm orders, solved and explained.

The problem is built from the cluster's ids, pairs and numbers (no graph
object), solved as a mixed-integer model with PuLP (HiGHS by default, CBC as
fallback), explained in a coordinator's words and checked by an independent
verifier before it is returned. The rules of a good group are switched off,
preferred or required with :class:`Rules` (see :mod:`matcher.optimize.rules`).
The JSON form of a result, :meth:`MatchResult.to_dict`, is listed key by key in
:mod:`matcher.optimize.schema`.
"""

from matcher.optimize._solve import available_solvers
from matcher.optimize.match import greedy_match, solve_orders
from matcher.optimize.options import MatchOptions
from matcher.optimize.result import Allocation, MatchResult, Member, OrderResult, PhaseResult
from matcher.optimize.rules import LEVELS, RULES, Rules, order_lot
from matcher.optimize.shortlist import Shortlist, ShortlistEntry, shortlist
from matcher.optimize.verify import verify_result

__all__ = [
    "LEVELS",
    "RULES",
    "Allocation",
    "MatchOptions",
    "MatchResult",
    "Member",
    "OrderResult",
    "PhaseResult",
    "Rules",
    "Shortlist",
    "ShortlistEntry",
    "available_solvers",
    "greedy_match",
    "order_lot",
    "shortlist",
    "solve_orders",
    "verify_result",
]
