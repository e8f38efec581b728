"""Large runs: one order at a time on its best candidates, with a bound for the whole run.

The full model has a member variable for every eligible workshop of every
order; with thousands of workshops and hundreds of orders it is too large to
build, let alone prove. Orders only interact through the minutes they share,
and a good group is small, so the run is decomposed:

1. **Bounds per order, for the whole cluster.** :func:`order_bound` proves,
   without a solver, the fewest members any group filling the order needs
   (the members' minutes, and each process's, sorted largest first) and, from
   it, the most any such group can score on the preferred rules (members'
   cost, a leader, the heaviest ties any k workshops could have, ...). Orders
   with few eligible workshops are also solved exactly, alone, on all of them,
   and the solver's bound is used where it is tighter.
2. **Groups, one order at a time.** Orders with the fewest workshops that
   could take them alone and lead go first (they lose most when another
   order takes such a workshop), then by due date; each is solved exactly
   (the full model, both phases' rules) on its candidates — the workshops
   with the most minutes left by its due date after the orders already
   placed, overall and per process, those that can lead, and their tied
   neighbours — with the minutes the earlier orders left. An order that some
   group could fill alone but that found no room is put first, and all are
   placed again. The greedy
   baseline's groups are the fallback of every order.
3. **Neighbourhood search.** An order with more members than it needs, or
   no leader, is freed with the orders that hold the workshops it wants; they
   are solved again together (the full model on their candidates, the rest
   of the run kept) and the change is kept when it scores better.
4. **Polish.** The best mix of the groups found (each order's, its best
   alone, the workshops that could take it alone; :func:`recombine`; up
   to ``MIX_LIMIT`` eligible pairs), then
   all groups together go through the full model restricted to their
   members, which fixes the leaders and the exact objective.
5. **Prices.** When a gap is left, the competition for workshops that can
   take an order alone is bounded exactly (:func:`singles_bound`; in runs
   too large for its whole-choice model, by column generation over the
   orders each workshop takes alone, :mod:`matcher.optimize._patterns`,
   right after step 2); then, up to ``MIX_LIMIT``, the minutes the orders
   share are priced (column generation: the duals of a linear program
   choosing among the groups known for each order) and each order is
   bounded again at those prices, which tightens the bound where orders
   compete for few workshops.

The bound is valid for the whole problem, not just the candidates: relaxing
the shared minutes splits the run into orders, each bounded over all its
eligible workshops, and the units kept from phase 1 are priced by a
Lagrange multiplier (see :func:`preference_bound` and :func:`lagrangian`).
Phase 1 is bounded by the units of every order that some group could fill
alone.

Not decomposed (the full model is used): partial fills, and robustness,
whose spare minutes depend on every later order.

Lots (a member's units of a process are 0 or at least the order's lot) hold
in every group: each order's model has them, and the greedy baseline keeps
them. The bounds need no change to stay valid, as each relaxes the run with
lots as it relaxed the run without; a lot never binds a workshop taking a
whole order alone (a lot is at most the quantity), so the single-workshop
bounds and their patterns are those of lots of any size. Where it is cheap the
bounds see lots too: a workshop that cannot make a lot of a process counts
for none of it in :func:`~.bounds.fewest_members` and the pair bound. Each order's own
model then also states the fewest members a group needs, and starts from the
best of the greedy groups (``placement._greedy_start``): with lots, its linear
relaxation no more than before tells a led pair from a fraction of one, and the
solver needs the help. Without lots the run is decomposed as it always was.

The modules, each using only those above it:

- ``singles``: workshops that could take an order alone, their scores, and
  the choice of one per order among those that fit;
- ``bounds``: what no group can beat, per order and for the whole run;
- ``placement``: a group for one order (candidates, sub-problem, solve, quick score);
- ``search``: the neighbourhood search and the best mix of known groups;
- ``pricing``: the Lagrangian bound on the minutes the orders share;
- ``polish``: the preferred-rules score of a run's groups, and a better one on their members;
- ``run``: :func:`decompose`, a short orchestrator over the run's state
  (``_Run``: budget, bounds, groups alone, placements tried, notes).
"""

from __future__ import annotations

from matcher.optimize._decompose.polish import evaluate
from matcher.optimize._decompose.run import Decomposed, decompose

__all__ = ["Decomposed", "decompose", "evaluate"]
