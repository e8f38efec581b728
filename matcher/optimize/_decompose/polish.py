"""The preferred-rules score of a run's groups and, when polishing, better groups on their
members (the full model restricted to them).
"""

from __future__ import annotations

from dataclasses import replace

from matcher.optimize._model import build_model, read_solution, start_values
from matcher.optimize._problem import MatchProblem
from matcher.optimize._solve import run_solver
from matcher.optimize._types import Solution


def evaluate(
    problem: MatchProblem, solution: Solution, solver: str, *, time_limit: float, seed: int, polish: bool
) -> tuple[Solution, float | None]:
    """The run's preferred-rules score of ``solution`` (and, with ``polish``, a better one on its members).

    The full model restricted to the groups' members: with ``polish`` the
    solver may move units among members and drop members it does not need;
    without, units and members stay as given and only the leaders and the
    other rules' variables are chosen.
    """
    specs = tuple(replace(s, eligible=tuple(sorted(solution.get(s.order_id, {})))) for s in problem.specs)
    restricted = MatchProblem(problem.cluster, specs, problem.options, part_of=problem)
    model = build_model(restricted)
    for spec in specs:
        alloc = solution.get(spec.order_id, {})
        if alloc:
            model.prob += model.filled[spec.order_id] >= spec.order.quantity, f"keep_{spec.order_id}"
    if not polish:
        for (w, o, p), var in model.units.items():
            var.lowBound = var.upBound = solution.get(o, {}).get(w, {}).get(p, 0)
    model.prob.setObjective(model.preferences())
    outcome = run_solver(
        model.prob, solver, time_limit=time_limit, seed=seed, start=start_values(model, restricted, solution)
    )
    if outcome.status not in ("optimal", "feasible"):
        return solution, None
    return read_solution(model), outcome.value
