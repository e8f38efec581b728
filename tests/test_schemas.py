"""The TypedDict schemas of the JSON-ready dicts say exactly what the library returns.

Each function or method annotated with a schema is run on the bundled sample
(and on a broken dataset for the validation report), and what it returns is
walked against its own return annotation: every required key present, no key
the schema does not declare, nested schemas checked the same way, and plain
values of the type declared (an ``int`` is a ``float`` too; ``bool`` is no
number; numpy scalars are refused, as JSON would refuse them). What
``matcher analyze --json`` prints, with a group, an ego and two waves asked for,
is walked the same way against the type the command builds it as. Across all the
runs, every optional key of every schema must be seen at least once, so that
a schema cannot declare a key the library never writes.
"""

# No ``from __future__ import annotations``: the TypedDicts below use NotRequired (see the schemas).
import ast
import importlib
import json
import tempfile
import types
import typing
from collections.abc import Callable
from pathlib import Path
from typing import Any, NotRequired, TypedDict, Union, get_args, get_origin, get_type_hints, is_typeddict
from unittest import mock

import numpy as np
import pytest
from typer.testing import CliRunner

from matcher.cli import app
from matcher.graph import (
    brokerage,
    cohesion_report,
    communities,
    compare_waves,
    ego_network,
    group_cohesion,
    homophily,
    kinds_view,
    network_report,
    network_summary,
    signed_view,
    workshop_metrics,
)
from matcher.graph.schema_topics import AnalysisReport
from matcher.io import ValidationReport, validate_dataset
from matcher.model import Cluster
from matcher.optimize import (
    MatchOptions,
    MatchResult,
    Rules,
    Shortlist,
    ShortlistEntry,
    greedy_match,
    shortlist,
    solve_orders,
)
from matcher.optimize.shortlist import Profile, Score
from matcher.optimize.whatif import Change
from matcher.sample import SAMPLE_DIR, load_sample

# By name: ``matcher.optimize.shortlist`` as an attribute is the function.
SCHEMA_MODULES = tuple(
    importlib.import_module(f"matcher.{name}")
    for name in (
        "graph.schema",
        "graph.schema_topics",
        "optimize.schema",
        "optimize.shortlist.schema",
        "io.schema",
        "sweep.schema",
    )
)
#: Short runs: enough for a group, an unfilled order with the change that fills it,
#: and a group not linked by ties with the linked one that could replace it.
QUICK = MatchOptions(time_limit=1, explain_seconds=5)


def mismatches(value: Any, tp: Any, where: str = "$", seen: set[tuple[type, str]] | None = None) -> list[str]:
    """Where ``value`` departs from the type ``tp`` (a TypedDict, list, dict, tuple, union or plain type).

    ``seen`` collects the (TypedDict, key) pairs found, for the optional-key check.
    """
    seen = set() if seen is None else seen
    origin, args = get_origin(tp), get_args(tp)
    if tp is Any:
        return []
    if is_typeddict(tp):
        if not isinstance(value, dict):
            return [f"{where}: {type(value).__name__}, not a dict ({tp.__name__})"]
        declared = tp.__required_keys__ | tp.__optional_keys__
        found = []
        found += [
            f"{where}: {tp.__name__} lacks required key {k!r}"
            for k in sorted(tp.__required_keys__ - set(value))
        ]
        found += [
            f"{where}: key {k!r} is not declared in {tp.__name__}" for k in sorted(set(value) - declared)
        ]
        hints = get_type_hints(tp)
        for key in sorted(set(value) & declared):
            seen.add((tp, key))
            found += mismatches(value[key], hints[key], f"{where}.{key}", seen)
        return found
    if origin in (Union, types.UnionType):
        tries = [mismatches(value, arm, where, set()) for arm in args]
        if any(not t for t in tries):
            # Record what the matching arm saw.
            arm = args[[not t for t in tries].index(True)]
            mismatches(value, arm, where, seen)
            return []
        return min(tries, key=len)
    if origin is list:
        if not isinstance(value, list):
            return [f"{where}: {type(value).__name__}, not a list"]
        return [m for i, item in enumerate(value) for m in mismatches(item, args[0], f"{where}[{i}]", seen)]
    if origin is tuple:
        if not isinstance(value, tuple) or len(value) != len(args):
            return [f"{where}: not a tuple of {len(args)}"]
        return [
            m
            for i, (v, t) in enumerate(zip(value, args, strict=True))
            for m in mismatches(v, t, f"{where}[{i}]", seen)
        ]
    if origin is dict:
        if not isinstance(value, dict):
            return [f"{where}: {type(value).__name__}, not a dict"]
        found = [
            f"{where}: key {k!r} is not a {args[0].__name__}" for k in value if not isinstance(k, args[0])
        ]
        return found + [m for k, v in value.items() for m in mismatches(v, args[1], f"{where}[{k!r}]", seen)]
    if tp is type(None):
        return [] if value is None else [f"{where}: {value!r}, not None"]
    accepted = (int, float) if tp is float else (tp,)
    numpy = type(value).__module__ == "numpy"  # JSON refuses numpy scalars
    if isinstance(value, accepted) and not numpy and (tp is bool or not isinstance(value, bool)):
        return []
    return [f"{where}: {value!r} ({type(value).__name__}), not {tp.__name__}"]


def returned(function: Callable[..., Any]) -> Any:
    """The return annotation of ``function``, resolved."""
    return get_type_hints(function)["return"]


@pytest.fixture(scope="module")
def sample() -> Cluster:
    return load_sample()[0]


@pytest.fixture(scope="module")
def broken(tmp_path_factory) -> str:
    """A dataset with a problem that has a message key (a number two decimal marks read differently)."""
    folder = tmp_path_factory.mktemp("broken")
    (folder / "talleres.csv").write_text(
        "id_taller;territorio;trabajadores;capacidad_minutos_por_semana;productos;procesos\n"
        "T1;Itá;4;11.520;jeans;corte,costura\n",
        encoding="utf-8",
    )
    return str(folder)


def one_community_group(sample: Cluster) -> list[str]:
    """A few workshops of one community: the two ends of a conflict inside it and two
    workshops of it positively tied to them (so that every list of the answer has items)."""
    community = {w["workshop_id"]: w["community"] for w in cohesion_report(sample)["workshops"]}
    a, b = next(
        (t.source, t.target)
        for t in sample.ties
        if t.kind == "conflict" and community[t.source] == community[t.target] is not None
    )
    tied = {frozenset((t.source, t.target)) for t in sample.ties if t.kind != "conflict"}
    others = [
        w
        for w in community
        if community[w] == community[a]
        and w not in (a, b)
        and (frozenset((a, w)) in tied or frozenset((b, w)) in tied)
    ]
    return [a, b, *others[:2]]


def on_a_dask_cluster(sample: Cluster) -> Any:
    """The cohesion report with betweenness sampled on a Dask cluster in this process (the local
    limit lowered so that the sample goes there): the report says how many workers did it."""
    from distributed import LocalCluster

    from matcher.graph import brokers

    with (
        pytest.MonkeyPatch.context() as patch,
        LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=":0") as cluster,
    ):
        patch.setattr(brokers, "EXACT_BETWEENNESS_MAX", 10)
        return cohesion_report(sample, betweenness="sampled", samples=8, scheduler=cluster.scheduler_address)


@pytest.fixture(scope="module")
def runs(sample, broken) -> list[tuple[str, Any, Any]]:
    """(what, value, the type it is annotated with) for every annotated function on the sample."""
    matched = solve_orders(sample, ["O03", "O10"], options=QUICK)  # one filled, one unfilled
    greedy = greedy_match(sample, ["O08"], options=QUICK)  # a group not linked by ties
    listed = shortlist(sample, "O01", top=2, options=MatchOptions(time_limit=1))
    group = one_community_group(sample)
    ego = next(w["workshop_id"] for w in workshop_metrics(sample) if w["degree"] >= 2 and w["broker"])
    first, second = sorted({t.wave for t in sample.ties if t.wave})[:2]  # the sample has two waves
    # What ``matcher analyze --json`` prints with every part asked for.
    printed = CliRunner().invoke(
        app,
        ["analyze", str(SAMPLE_DIR), "--json", "--group", ",".join(group), "--ego", ego,
         "--compare-waves", first, second],
    )  # fmt: skip
    assert printed.exit_code == 0, printed.output
    # A network above the rows a JSON report lists: the rows go to the --export table.
    with tempfile.TemporaryDirectory() as folder, mock.patch("matcher.cli.analysis.JSON_WORKSHOPS_MAX", 10):
        table = str(Path(folder) / "rows.parquet")
        large = CliRunner().invoke(app, ["analyze", str(SAMPLE_DIR), "--json", "--export", table])
    assert large.exit_code == 0, large.output
    found = [
        ("network_report", network_report(sample), returned(network_report)),
        ("cohesion_report", cohesion_report(sample), returned(cohesion_report)),
        (
            "cohesion_report sampled",
            cohesion_report(sample, betweenness="sampled", samples=8),
            returned(cohesion_report),
        ),
        ("network_report none", network_report(sample, betweenness="none"), returned(network_report)),
        ("cohesion_report on Dask", on_a_dask_cluster(sample), returned(cohesion_report)),
        ("network_summary", network_summary(sample), returned(network_summary)),
        ("workshop_metrics", workshop_metrics(sample), returned(workshop_metrics)),
        ("kinds_view", kinds_view(sample), returned(kinds_view)),
        ("signed_view", signed_view(sample), returned(signed_view)),
        ("homophily", homophily(sample), returned(homophily)),
        ("communities", communities(sample), returned(communities)),
        ("group_cohesion", group_cohesion(sample, group), returned(group_cohesion)),
        ("ego_network", ego_network(sample, ego), returned(ego_network)),
        ("compare_waves", compare_waves(sample, first, second), returned(compare_waves)),
        ("brokerage", brokerage(sample), returned(brokerage)),
        ("brokerage sampled", brokerage(sample, betweenness="sampled", samples=8), returned(brokerage)),
        ("matcher analyze --json", json.loads(printed.stdout), AnalysisReport),
        ("matcher analyze --json, rows apart", json.loads(large.stdout), AnalysisReport),
        ("solve_orders", matched.to_dict(), returned(MatchResult.to_dict)),
        ("greedy_match", greedy.to_dict(), returned(MatchResult.to_dict)),
        ("shortlist", listed.to_dict(), returned(Shortlist.to_dict)),
        ("shortlist reveal_ids", listed.to_dict(reveal_ids=True), returned(Shortlist.to_dict)),
        ("validate sample", validate_dataset(SAMPLE_DIR).to_dict(), returned(ValidationReport.to_dict)),
        ("validate broken", validate_dataset(broken).to_dict("es"), returned(ValidationReport.to_dict)),
        # The parts, through their own annotations.
        ("options", QUICK.to_dict(), returned(MatchOptions.to_dict)),
        ("rules", QUICK.rules.to_dict(), returned(Rules.to_dict)),
        ("change", matched.orders[1].changes[0].to_dict(), returned(Change.to_dict)),
        ("entry", listed.groups[0].to_dict(reveal_ids=True), returned(ShortlistEntry.to_dict)),
        ("profile", listed.groups[0].members[0].to_dict(), returned(Profile.to_dict)),
        ("score", listed.singles[0].score.to_dict(), returned(Score.to_dict)),
    ]
    statuses = {o.status for o in matched.orders}
    assert statuses == {"filled", "unfilled"}, "the sample no longer gives the orders these runs need"
    return found


class _Inner(TypedDict):
    a: int
    b: NotRequired[str | None]


class _Outer(TypedDict):
    inner: list[_Inner]
    share: float
    by_name: dict[str, _Inner]


def test_the_walk_finds_missing_extra_and_mistyped_keys_at_any_depth():
    good = {"inner": [{"a": 1}, {"a": 2, "b": None}], "share": 1, "by_name": {"x": {"a": 3, "b": "y"}}}
    seen: set[tuple[type, str]] = set()
    assert mismatches(good, _Outer, seen=seen) == []
    assert (_Inner, "b") in seen
    bad = {"inner": [{"a": 1, "c": 0}, {"b": "y"}], "share": True, "by_name": {"x": {"a": 1.5}}}
    assert mismatches(bad, _Outer) == [
        "$.by_name['x'].a: 1.5 (float), not int",
        "$.inner[0]: key 'c' is not declared in _Inner",
        "$.inner[1]: _Inner lacks required key 'a'",
        "$.share: True (bool), not float",
    ]
    assert mismatches({"a": np.int64(1)}, _Inner) == ["$.a: np.int64(1) (int64), not int"]
    assert mismatches(None, int | None) == []


def test_every_schema_is_exported_and_says_what_each_key_holds():
    for module in SCHEMA_MODULES:
        classes = {
            name: obj
            for name, obj in vars(module).items()
            if is_typeddict(obj) and obj.__module__ == module.__name__
        }
        assert set(classes) == set(module.__all__), module.__name__
        tree = ast.parse(Path(typing.cast(str, module.__file__)).read_text(encoding="utf-8"))
        for node in tree.body:
            if isinstance(node, ast.ClassDef) and node.name in classes:
                assert ast.get_docstring(node), node.name
                body = node.body[1:]
                for i, statement in enumerate(body):
                    if isinstance(statement, ast.AnnAssign):
                        after = body[i + 1] if i + 1 < len(body) else None
                        said = isinstance(after, ast.Expr) and isinstance(after.value, ast.Constant)
                        assert said and isinstance(after.value.value, str), (
                            node.name,
                            ast.unparse(statement),
                        )


def test_the_dicts_returned_have_exactly_the_keys_their_schemas_declare(runs):
    found = [m for what, value, tp in runs for m in mismatches(value, tp, what)]
    assert found == []


def test_every_optional_key_is_written_by_some_run(runs):
    seen: set[tuple[type, str]] = set()
    for what, value, tp in runs:
        mismatches(value, tp, what, seen)
    optional = {
        (obj, key)
        for module in SCHEMA_MODULES
        for obj in vars(module).values()
        if is_typeddict(obj)
        for key in obj.__optional_keys__
    }
    assert sorted(f"{t.__name__}.{k}" for t, k in optional - seen) == []
