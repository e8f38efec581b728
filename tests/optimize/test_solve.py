"""A solver that crashes ends in one clear message; a bug of ours is not hidden."""

from __future__ import annotations

import pulp
import pytest

from matcher.errors import SolverFailed
from matcher.model import Order
from matcher.optimize import MatchOptions, available_solvers, solve_orders
from tests.optimize.conftest import make, shop


def _crash(monkeypatch: pytest.MonkeyPatch, error: BaseException) -> None:
    """Make every solve raise ``error``, as a failing solver binding would."""

    def solve(self: pulp.LpProblem, *args: object, **kwargs: object) -> int:
        raise error

    monkeypatch.setattr(pulp.LpProblem, "solve", solve)


def _cluster():
    return make([shop("A", 30), shop("B", 30)], [Order("O1", "tee", 4, 1.0)])


CRASHES = [
    ("highs", RuntimeError("HiGHS: std::bad_alloc\nin presolve")),  # a C++ exception through pybind11
    ("highs", Exception("Solver is already running.")),  # highspy's own bare Exception
    ("highs", MemoryError()),
    ("cbc", FileNotFoundError(2, "No such file or directory", "/opt/pulp/cbc")),  # binary missing
    ("cbc", PermissionError(13, "Permission denied", "/opt/pulp/cbc")),
    ("cbc", pulp.PulpSolverError("Pulp: Error while executing /opt/pulp/cbc")),
]


@pytest.mark.parametrize(("solver", "error"), CRASHES, ids=[f"{s}-{type(e).__name__}" for s, e in CRASHES])
def test_crash_names_the_available_solvers(monkeypatch, solver, error):
    found = available_solvers()
    if solver not in found:
        pytest.skip(f"{solver} is not installed")
    _crash(monkeypatch, error)
    with pytest.raises(SolverFailed) as caught:
        solve_orders(_cluster(), options=MatchOptions(solver=solver, time_limit=5))
    message = str(caught.value)
    assert message.startswith(f"the {solver} solver failed ({type(error).__name__}")
    assert "\n" not in message
    assert f"available solvers: {', '.join(found)}" in message
    other = next((name for name in found if name != solver), None)
    if other is not None:
        assert message.endswith(f"choose another with --solver {other}")
    else:
        assert "reinstall it" in message
    assert caught.value.__cause__ is error


@pytest.mark.parametrize(
    "error",
    [TypeError("bad operand"), KeyError("x"), AttributeError("no"), RecursionError(), NotImplementedError()],
    ids=lambda e: type(e).__name__,
)
def test_programming_errors_are_not_hidden(monkeypatch, error):
    _crash(monkeypatch, error)
    with pytest.raises(type(error)):
        solve_orders(_cluster(), options=MatchOptions(time_limit=5))
