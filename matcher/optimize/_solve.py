"""Solver adapters: run HiGHS or CBC through PuLP and report the truth.

PuLP says "Optimal" in ``status`` when a solver stopped on its time limit with
a solution; ``sol_status`` and the solver's own figures tell the difference,
and this module reports optimal, feasible (with bound and gap) or no solution.
"""

from __future__ import annotations

import os
import re
import tempfile
import time
import warnings
from dataclasses import dataclass

import pulp

from matcher.errors import SolverFailed, SolverUnavailable
from matcher.messages import Message

__all__ = ["Outcome", "available_solvers", "resolve_solver", "run_solver"]


@dataclass(frozen=True)
class Outcome:
    """What one solve gave: ``optimal``, ``feasible``, ``infeasible`` or ``none``."""

    status: str
    value: float | None
    bound: float | None
    gap: float | None
    seconds: float


def available_solvers() -> list[str]:
    """Solvers that can run here, in order of preference.

    Examples
    --------
    >>> "cbc" in available_solvers()
    True
    """
    found = []
    if pulp.HiGHS(msg=False).available():
        found.append("highs")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        cbc = pulp.PULP_CBC_CMD(msg=False).available()
    if cbc:
        found.append("cbc")
    return found


def resolve_solver(name: str) -> str:
    """The solver to use for ``auto``, ``highs`` or ``cbc``; SolverUnavailable otherwise."""
    found = available_solvers()
    if name == "auto":
        if not found:
            raise SolverUnavailable(
                "no MILP solver is installed; install HiGHS with: pip install 'pulp[highs]'",
                messages=[Message("solver.none")],
            )
        return found[0]
    if name not in found:
        have = ", ".join(found) or "none"
        hint = " (pip install 'pulp[highs]')" if name == "highs" else ""
        said = Message("solver.unavailable", {"solver": name, "available": found})
        if not found:
            said = Message("solver.none")
        raise SolverUnavailable(
            f"solver {name!r} is not available{hint}; available solvers: {have}", messages=[said]
        )
    return name


def relative_gap(value: float, bound: float) -> float:
    return max(0.0, bound - value) / max(1.0, abs(bound))


class _HiGHSWithStart(pulp.HiGHS):  # type: ignore[misc, valid-type]
    """PuLP's HiGHS adapter, handing HiGHS a starting solution before it runs."""

    def __init__(self, start: dict[str, float] | None = None, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.start = start

    def callSolver(self, lp: pulp.LpProblem) -> None:  # noqa: N802 (PuLP's name)
        if self.start:
            import numpy as np

            variables = lp.variables()
            index = np.array([v.index for v in variables], dtype=np.int32)
            value = np.array([self.start.get(v.name, 0.0) for v in variables], dtype=np.float64)
            lp.solverModel.setSolution(len(index), index, value)
        super().callSolver(lp)


def _highs(prob: pulp.LpProblem, time_limit: float, seed: int, start: dict[str, float] | None) -> Outcome:
    import highspy

    solver = _HiGHSWithStart(start, msg=False, timeLimit=time_limit, threads=1, random_seed=seed)
    started = time.perf_counter()
    prob.solve(solver)
    seconds = time.perf_counter() - started
    highs = prob.solverModel
    model_status = highs.getModelStatus()
    info = highs.getInfo()
    status = highspy.HighsModelStatus
    if model_status in (status.kInfeasible, status.kUnboundedOrInfeasible):
        return Outcome("infeasible", None, None, None, seconds)
    if prob.sol_status not in (pulp.LpSolutionOptimal, pulp.LpSolutionIntegerFeasible):
        bound = -info.mip_dual_bound if abs(info.mip_dual_bound) < 1e30 else None
        return Outcome("none", None, bound, None, seconds)
    value = float(pulp.value(prob.objective) or 0.0)
    # PuLP hands HiGHS the negated objective of a maximisation.
    bound = -float(info.mip_dual_bound) if abs(info.mip_dual_bound) < 1e30 else value
    if model_status == status.kOptimal:
        return Outcome("optimal", value, max(value, bound), relative_gap(value, max(value, bound)), seconds)
    return Outcome("feasible", value, bound, relative_gap(value, bound), seconds)


_CBC_GAP = re.compile(r"^Gap:\s+(-?[\d.eE+-]+)", re.MULTILINE)


def _cbc(prob: pulp.LpProblem, time_limit: float, seed: int, start: dict[str, float] | None) -> Outcome:
    if start:
        for var in prob.variables():
            var.setInitialValue(start.get(var.name, 0.0))
    fd, log = tempfile.mkstemp(prefix="matcher-cbc-", suffix=".log")
    os.close(fd)
    try:
        with warnings.catch_warnings():
            # PuLP 3.3 announces that the CBC it bundles moves to an extra in 4.0;
            # the pin to 3.3 keeps the bundled binary.
            warnings.simplefilter("ignore", DeprecationWarning)
            solver = pulp.PULP_CBC_CMD(
                msg=False,
                timeLimit=time_limit,
                threads=1,
                logPath=log,
                warmStart=bool(start),
                options=[f"randomSeed {seed + 1}", f"randomCbcSeed {seed + 1}"],
            )
        started = time.perf_counter()
        prob.solve(solver)
        seconds = time.perf_counter() - started
        with open(log, encoding="utf-8", errors="replace") as handle:
            text = handle.read()
    finally:
        os.unlink(log)
    if prob.status == pulp.LpStatusInfeasible:
        return Outcome("infeasible", None, None, None, seconds)
    if prob.sol_status == pulp.LpSolutionOptimal:
        value = float(pulp.value(prob.objective) or 0.0)
        return Outcome("optimal", value, value, 0.0, seconds)
    if prob.sol_status == pulp.LpSolutionIntegerFeasible:
        value = float(pulp.value(prob.objective) or 0.0)
        match = _CBC_GAP.search(text)
        if match is None:  # CBC printed no gap: say so rather than guess
            return Outcome("feasible", value, None, None, seconds)
        gap = abs(float(match.group(1)))
        bound = value + gap * max(1.0, abs(value))
        return Outcome("feasible", value, bound, relative_gap(value, bound), seconds)
    return Outcome("none", None, None, None, seconds)


def run_solver(
    prob: pulp.LpProblem,
    solver: str,
    *,
    time_limit: float,
    seed: int,
    start: dict[str, float] | None = None,
) -> Outcome:
    """Solve ``prob`` with ``solver`` ("highs" or "cbc") within ``time_limit`` seconds.

    ``start`` (variable name -> value) is a feasible solution to begin from.

    Raises
    ------
    SolverFailed
        When the solver crashes (see :func:`_solver_crash` for what counts);
        the message names the solvers available and how to choose another.
    """
    try:
        if solver == "highs":
            return _highs(prob, time_limit, seed, start)
        return _cbc(prob, time_limit, seed, start)
    except Exception as exc:
        if not _solver_crash(exc):
            raise
        raise SolverFailed(_failure_message(solver, exc)) from exc


def _solver_crash(exc: Exception) -> bool:
    """Whether an exception raised while solving is the solver's failure, not a programming error.

    - ``pulp.PulpSolverError``: PuLP could not run the solver or read its answer;
    - ``OSError``: the CBC binary is missing or not executable, its process or
      its files could not be created (an environment problem);
    - ``RuntimeError``: what pybind11 makes of a C++ exception inside HiGHS;
      its subclasses ``RecursionError`` and ``NotImplementedError`` are bugs
      and pass through;
    - ``MemoryError``: the model is too large for this machine;
    - a bare ``Exception``: what highspy's own wrapper raises (e.g. "Solver is
      already running."); Python's errors are always subclasses of it.

    Everything else (``TypeError``, ``KeyError``, ``AttributeError`` ...) is a
    programming error and must surface as one.
    """
    if isinstance(exc, RecursionError | NotImplementedError):
        return False
    return isinstance(exc, pulp.PulpSolverError | OSError | RuntimeError | MemoryError) or (
        type(exc) is Exception
    )


def _failure_message(solver: str, exc: Exception) -> str:
    """One line: what failed, the solvers available here and how to choose another.

    Examples
    --------
    >>> print(_failure_message("highs", RuntimeError("HiGHS crashed")))
    the highs solver failed (RuntimeError: HiGHS crashed); available solvers: ...
    """
    detail = " ".join(str(exc).split()) or "no message"
    found = available_solvers()
    others = [name for name in found if name != solver]
    if others:
        hint = f"choose another with --solver {others[0]}"
    else:  # the only solver here failed: its installation is the suspect
        package = "highspy" if solver == "highs" else "pulp"
        hint = f"reinstall it (pip install --force-reinstall {package})"
    return (
        f"the {solver} solver failed ({type(exc).__name__}: {detail}); "
        f"available solvers: {', '.join(found) or 'none'}; {hint}"
    )
