"""Scenarios files: a CSV with one row per scenario, or a TOML file of ``[[scenario]]`` tables.

Every field but ``name`` may be left out or empty (no change). Headers and keys
may be written in English or Spanish, in any case, with or without accents:

`name` (`nombre`, `escenario`)
:   The scenario's name, unique in the file (`baseline` is the run without
    changes, the first row of every sweep).

`description` (`descripcion`)
:   Free text, carried into the results.

`rules` (`reglas`)
:   `RULE=VALUE` for the run (`cohesion=required`, `min_lot=0`) or
    `ORDER:RULE=VALUE` for one order: the names of `matcher match --rule`.

`allow_partial` (`permitir_parcial`)
:   True or false (yes/no, si/no, 1/0).

`max_group_size` (`tamano_maximo_grupo`, `maximo_talleres`)
:   Group-size cap for orders that set none.

`due_weeks` (`semanas_entrega`)
:   New due dates in weeks: `4` for every order, `O3:6` for one (an order's own wins).

`extra_weeks` (`semanas_extra`)
:   Weeks added to due dates (negative: earlier), after `due_weeks`: `2` for
    every order, `O3:1` for one.

`territories` (`territorios`)
:   The territories orders may go to: `Pilar` for every order, `O2:Itá` for
    one, `*` for any territory.

`unavailable` (`no_disponibles`)
:   Workshop ids with no free minutes (their ties kept).

`ties` (`lazos`)
:   Ties added: `A:B:KIND` or `A:B:KIND:STRENGTH` (kinds in English or
    Spanish: `parentesco`).

`interventions` (`intervenciones`)
:   As `matcher plan` writes their keys: `add_worker:A1x2`,
    `learn_process:A1:cutting`, `introduce:A1:B7`, `formalise:A1`.

In a CSV cell a list is separated by ``;`` (or by ``,`` not followed by a digit);
the file itself may be separated by commas or semicolons. In TOML a list field
takes a string in the same form, an array of strings, or a table: ``due_weeks =
{ "*" = 4, O3 = 6 }``, ``rules = { cohesion = "required", O3 = { min_lot = 0 } }``,
``ties = [{ source = "A", target = "B", kind = "kinship" }]``, ``interventions =
[{ kind = "add_worker", workshop_id = "A1", amount = 2 }]``; a number alone
(``due_weeks = 4``) is for every order.

Every problem is reported at once, by file, row and field (for TOML the row is
the line of the scenario's ``[[scenario]]`` header), and unknown workshop,
order and territory ids are named.

Examples
--------
>>> import tempfile, pathlib
>>> from matcher.model import Cluster, Order, Workshop
>>> c = Cluster((Workshop("A", "Pilar", 2, ("tshirt",), ("sewing",)),),
...             orders=(Order("O1", "tshirt", 100, 2.0),))
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "escenarios.csv").write_text(
...     "nombre;semanas_extra;reglas\\nmás plazo;2;cohesion=required\\ncorto;O9:1;\\n", encoding="utf-8")
>>> try:
...     read_scenarios(folder / "escenarios.csv", c)
... except InvalidDataError as exc:
...     print(exc.problems[0]); print(exc.problems[0].say("es"))
escenarios.csv row 3, column semanas_extra: unknown order id O9
escenarios.csv fila 3, columna semanas_extra: ...
>>> _ = (folder / "escenarios.csv").write_text("nombre;semanas_extra\\nmás plazo;2\\n", encoding="utf-8")
>>> [(s.name, dict(s.extra_weeks)) for s in read_scenarios(folder / "escenarios.csv", c)]
[('más plazo', {'*': 2.0})]
"""

from __future__ import annotations

import csv
import io
import re
import tomllib
from pathlib import Path
from typing import Any

from matcher.develop.interventions import Intervention
from matcher.errors import InvalidDataError, InvalidOptionError, Problem
from matcher.io._csv import _decode, _delimiter
from matcher.io._fields import code_items, in_quotes
from matcher.io._names import names_of, normal
from matcher.model import Cluster
from matcher.optimize import MatchOptions
from matcher.sweep._fields import Fields, unknown_field
from matcher.sweep.scenario import BASELINE, Scenario, scenario_options

__all__ = ["FIELDS", "read_scenarios"]

#: The fields of a scenario and their other names (Spanish).
FIELDS: dict[str, tuple[str, ...]] = {
    "name": ("nombre", "escenario"),
    "description": ("descripcion",),
    "rules": ("reglas",),
    "allow_partial": ("permitir_parcial",),
    "max_group_size": ("tamano_maximo_grupo", "maximo_talleres"),
    "due_weeks": ("semanas_entrega",),
    "extra_weeks": ("semanas_extra",),
    "territories": ("territorios",),
    "unavailable": ("no_disponibles",),
    "ties": ("lazos",),
    "interventions": ("intervenciones",),
}
#: Fields that hold one value (a CSV cell is not split into a list).
SINGLE = ("name", "description", "allow_partial", "max_group_size")
#: The TOML array of scenario tables, and its other name.
TABLES = ("scenario", "escenario")
_NAMES = {normal(alias): f for f, aliases in FIELDS.items() for alias in (f, *aliases)}
_TABLE_HEADER = re.compile(r"^\s*\[\[\s*\"?(\w+)\"?\s*\]\]")

#: One scenario as read: its row (or TOML line) and, per field, the header as written and the items.
Raw = tuple[int | None, dict[str, tuple[str, list[str]]]]


def _items(field: str, cell: str) -> list[str]:
    cell = cell.strip()
    if not cell:
        return []
    return [cell] if field in SINGLE else list(code_items(cell))


def _csv(path: Path, problems: list[Problem]) -> list[Raw]:
    label = path.name
    text = _decode(path.read_bytes(), label, [])
    delimiter = _delimiter(text)
    try:
        records = list(csv.reader(io.StringIO(text), delimiter=delimiter, strict=True))
    except csv.Error as exc:
        problems.append(Problem.of(label, None, None, "problem.not_csv", reason=str(exc)))
        return []
    if not records:
        problems.append(Problem.of(label, None, None, "problem.empty_file"))
        return []
    header = [h.strip() for h in records[0]]
    columns: dict[int, str] = {}
    seen: dict[str, str] = {}
    for i, written in enumerate(header):
        field = _NAMES.get(normal(written))
        if field is None:
            if written:
                key, args = unknown_field(written, _NAMES)
                problems.append(Problem.of(label, None, written, key, **args))
        elif field in seen:
            args = {"first": seen[field], "second": written}
            problems.append(Problem.of(label, None, written, "problem.column_twice", **args))
        else:
            seen[field] = written
            columns[i] = field
    if "name" not in seen:
        aliases = list(FIELDS["name"])
        problems.append(Problem.of(label, None, "name", "problem.missing_column", aliases=aliases))
    found: list[Raw] = []
    key = "problem.row_cells_semicolon" if delimiter == ";" else "problem.row_cells_comma"
    for row, record in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in record):
            continue
        if len(record) > len(header):
            problems.append(Problem.of(label, row, None, key, cells=len(record), columns=len(header)))
            continue
        values = {
            field: (header[i], _items(field, record[i])) for i, field in columns.items() if i < len(record)
        }
        found.append((row, {f: v for f, v in values.items() if v[1]}))
    return found


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return value.strip() if isinstance(value, str) else str(value)


def _from_table(field: str, table: dict[str, Any]) -> str:
    """A tie or an intervention given as a TOML table, as the text item it stands for."""
    if field == "ties":
        names = names_of("ties")
        tie = {names.get(normal(k), normal(k)): _text(v) for k, v in table.items()}
        parts = [tie.get("source", ""), tie.get("target", ""), tie.get("kind", "")]
        return ":".join(parts + ([tie["strength"]] if "strength" in tie else []))
    if field == "interventions":
        given = {normal(k).removesuffix("_id"): v for k, v in table.items()}
        amount = given.get("amount", 1)
        made = Intervention(
            _text(given.get("kind", "")),
            _text(given.get("workshop", "")),
            _text(given.get("target") or ""),
            amount if isinstance(amount, int) and not isinstance(amount, bool) else 1,
        )
        return made.key
    return ""


def _toml_items(field: str, value: Any) -> list[str] | None:
    """A TOML value as the field's text items; None when the field cannot take it."""
    if isinstance(value, dict | list) and field in SINGLE:
        return None
    if isinstance(value, str):
        return _items(field, value)
    if isinstance(value, list):
        return [_from_table(field, v) if isinstance(v, dict) else _text(v) for v in value]
    if not isinstance(value, dict):
        return [_text(value)]
    if field in ("ties", "interventions"):
        return [_from_table(field, value)]
    if field == "rules":
        return [
            f"{k}:{rk}={_text(rv)}" if isinstance(v, dict) else f"{k}={_text(v)}"
            for k, v in value.items()
            for rk, rv in (v.items() if isinstance(v, dict) else [(None, v)])
        ]
    if field in ("due_weeks", "extra_weeks", "territories"):
        return [f"{k}:{_text(x)}" for k, v in value.items() for x in (v if isinstance(v, list) else [v])]
    return None


def _toml(path: Path, problems: list[Problem]) -> list[Raw]:
    label = path.name
    text = _decode(path.read_bytes(), label, [])
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        problems.append(Problem.of(label, None, None, "sweep.not_toml", reason=str(exc)))
        return []
    tables: list[Any] = []
    for key, value in document.items():
        if normal(key) in TABLES and isinstance(value, list):
            tables += value
        else:
            name, args = unknown_field(key, dict.fromkeys(TABLES, TABLES[0]))
            problems.append(Problem.of(label, None, key, name, **args))
    lines = [
        n for n, line in enumerate(text.splitlines(), start=1)
        if (m := _TABLE_HEADER.match(line)) and normal(m.group(1)) in TABLES
    ]  # fmt: skip
    found: list[Raw] = []
    for i, table in enumerate(tables):
        row = lines[i] if len(lines) == len(tables) else None
        if not isinstance(table, dict):
            problems.append(Problem.of(label, row, TABLES[0], "sweep.toml_value"))
            continue
        values: dict[str, tuple[str, list[str]]] = {}
        for key, value in table.items():
            field = _NAMES.get(normal(key))
            if field is None:
                name, args = unknown_field(key, _NAMES)
                problems.append(Problem.of(label, row, key, name, **args))
                continue
            items = _toml_items(field, value)
            if items is None:
                problems.append(Problem.of(label, row, key, "sweep.toml_value"))
            elif items:
                values[field] = (key, items)
        found.append((row, values))
    return found


def _scenario(fields: Fields, row: int | None, values: dict[str, tuple[str, list[str]]]) -> Scenario:
    def given(field: str) -> tuple[str, list[str]]:
        return values.get(field, (field, []))

    def one(field: str) -> str:
        return " ".join(given(field)[1]).strip()

    # In the order of FIELDS, so that a row's problems read left to right in a file that keeps it.
    rules, order_rules = ({}, {}) if "rules" not in values else fields.rules(row, *given("rules"))
    partial = fields.boolean(row, *given("allow_partial")) if "allow_partial" in values else None
    cap = fields.whole(row, *given("max_group_size"), low=1) if "max_group_size" in values else None
    if rules or order_rules or cap is not None:
        changes = Scenario("", rules=rules, order_rules=order_rules, max_group_size=cap)
        try:
            options = scenario_options(MatchOptions(), changes)
        except InvalidOptionError:
            pass  # the rules' own problems are reported already
        else:
            fields.check_caps(row, given("rules" if "rules" in values else "max_group_size")[0], options)
    due = fields.weeks(row, *given("due_weeks"), shift=False)
    extra = fields.weeks(row, *given("extra_weeks"), shift=True)
    if extra:
        fields.check_due(row, given("extra_weeks")[0], due, extra)
    return Scenario(
        name=one("name"),
        description=one("description"),
        rules=rules,
        order_rules=order_rules,
        allow_partial=partial,
        max_group_size=cap,
        due_weeks=due,
        extra_weeks=extra,
        territories=fields.territories(row, *given("territories")),
        unavailable=fields.workshop_ids(row, *given("unavailable")),
        ties=fields.ties(row, *given("ties")),
        interventions=fields.interventions(row, *given("interventions")),
    )


def read_scenarios(path: str | Path, cluster: Cluster) -> tuple[Scenario, ...]:
    """The scenarios of a CSV or TOML file, checked against the cluster they change.

    Parameters
    ----------
    path : str or Path
        A ``.csv`` file (a row per scenario) or a ``.toml`` file (``[[scenario]]`` tables).
    cluster : Cluster
        The cluster the scenarios change: the workshops, orders, territories,
        processes and products they name must be in it.

    Returns
    -------
    tuple of Scenario
        In the file's order.

    Raises
    ------
    InvalidDataError
        Every problem of the file at once, each by file, row (TOML: the line of the
        table's header) and field; nothing is returned.
    """
    path = Path(path)
    label = path.name
    problems: list[Problem] = []
    if not path.is_file():
        raise InvalidDataError([Problem.of(label, None, None, "sweep.no_file")], source=label)
    kind = path.suffix.lower()
    if kind not in (".csv", ".toml"):
        raise InvalidDataError([Problem.of(label, None, None, "sweep.file_kind")], source=label)
    raw = _csv(path, problems) if kind == ".csv" else _toml(path, problems)
    # A name refused already (a missing column, a TOML list) is not reported empty too.
    refused = {
        (p.row, _NAMES.get(normal(p.column or "")))
        for p in problems
        if p.key in ("problem.missing_column", "sweep.toml_value")
    }
    fields = Fields(label, cluster, problems)
    scenarios = []
    first: dict[str, int | None] = {}
    for row, values in raw:
        scenario = _scenario(fields, row, values)
        column = values.get("name", ("name", []))[0]
        said = normal(scenario.name)
        if not scenario.name:
            if not {(row, "name"), (None, "name")} & refused:
                problems.append(Problem.of(label, row, column, "problem.required_empty"))
        elif said == BASELINE:
            problems.append(Problem.of(label, row, column, "sweep.reserved_name", value=scenario.name))
        elif said in first:
            args = {"value": in_quotes(scenario.name), "first": first[said]}
            problems.append(Problem.of(label, row, column, "problem.unique", **args))
        else:
            first[said] = row
        scenarios.append(scenario)
    if not raw and not problems:
        problems.append(Problem.of(label, None, None, "sweep.no_scenarios"))
    if problems:
        # In the file's order: what concerns the whole file first, then row by row (stable within a row).
        problems.sort(key=lambda p: -1 if p.row is None else p.row)
        raise InvalidDataError(problems, source=label)
    return tuple(scenarios)
