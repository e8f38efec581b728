"""Reading scenarios files: CSV and TOML say the same, and every bad cell is named by file, row and
field, in English and Spanish, all at once, with nothing returned."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from matcher.develop import Intervention
from matcher.errors import InvalidDataError
from matcher.model import Cluster, Tie
from matcher.sample import load_sample
from matcher.sweep import FIELDS, Scenario, read_scenarios


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def problems(path: Path, cluster: Cluster) -> list[tuple[int | None, str | None, str]]:
    """(row, column, message key) of every problem reading ``path`` finds."""
    with pytest.raises(InvalidDataError) as caught:
        read_scenarios(path, cluster)
    assert caught.value.source == path.name
    assert all(p.file == path.name for p in caught.value.problems)
    return [(p.row, p.column, p.key) for p in caught.value.problems]


FULL = Scenario(
    name="todo junto",
    description="Más plazo, reglas y un taller nuevo",
    rules={"cohesion": "required", "min_lot": 0, "max_share": 0.5},
    order_rules={"O2": {"leader": "required"}},
    allow_partial=True,
    max_group_size=3,
    due_weeks={"*": 3.0, "O2": 4.0},
    extra_weeks={"O1": 0.5},
    territories={"*": ("Pilar", "Itá"), "O2": ()},
    unavailable=("D",),
    ties=(Tie("A", "B", "friendship", 3), Tie("C", "D", "kinship", 5)),
    interventions=(
        Intervention("add_worker", "A", amount=2),
        Intervention("learn_process", "D", "sewing"),
        Intervention("quality_level", "B", "4"),
        Intervention("introduce", "A", "C"),
        Intervention("formalise", "C"),
    ),
)


def test_a_csv_in_spanish_gives_every_field(tmp_path, tiny):
    path = write(
        tmp_path,
        "escenarios.csv",
        "Nombre;Descripción;Reglas;Permitir parcial;Máximo talleres;Semanas entrega;Semanas extra;"
        "Territorios;No disponibles;Lazos;Intervenciones\n"
        "todo junto;Más plazo, reglas y un taller nuevo;"
        "cohesion=required, min_lot=0, max_share=0,5, O2:leader=required;sí;3;3, O2:4;O1:0,5;"
        "pilar, ITÁ, O2:*;D;A:B:amistad, C:D:parentesco:5;"
        "add_worker:Ax2, learn_process:D:costura, quality_level:B:4, introduce:A:C, formalise:C\n"
        ";;;;;;;;;;\n"  # an empty row is skipped
        "plazo;;;;;;2\n",  # a short row: the cells it lacks are empty
    )
    read = read_scenarios(path, tiny)
    assert read == (FULL, Scenario("plazo", extra_weeks={"*": 2.0}))


def test_a_toml_file_says_the_same_with_tables(tmp_path, tiny):
    path = write(
        tmp_path,
        "escenarios.toml",
        """
# Comments are allowed.
[[escenario]]
nombre = "todo junto"
descripcion = "Más plazo, reglas y un taller nuevo"
reglas = { cohesion = "required", min_lot = 0, max_share = 0.5, O2 = { leader = "required" } }
permitir_parcial = true
maximo_talleres = 3
semanas_entrega = { "*" = 3, O2 = 4 }
semanas_extra = { O1 = 0.5 }
territorios = { "*" = ["Pilar", "Itá"], O2 = "*" }
no_disponibles = ["D"]
lazos = [{ origen = "A", destino = "B", tipo = "friendship" }, "C:D:kinship:5"]
intervenciones = [
    { kind = "add_worker", workshop_id = "A", amount = 2 },
    "learn_process:D:sewing",
    { kind = "quality_level", workshop_id = "B", target = 4 },
    "introduce:A:C",
    "formalise:C",
]

[[scenario]]
name = "plazo"
extra_weeks = 2
""",
    )
    assert read_scenarios(path, tiny) == (FULL, Scenario("plazo", extra_weeks={"*": 2.0}))


def test_a_comma_separated_csv_with_quoted_lists(tmp_path, tiny):
    path = write(tmp_path, "s.csv", 'name,unavailable,rules\nsin B,"B;C","cohesion=required;small=off"\n')
    (scenario,) = read_scenarios(path, tiny)
    assert scenario.unavailable == ("B", "C")
    assert scenario.rules == {"cohesion": "required", "small": "off"}


#: (header, cell, the problems: (column as the file heads it, message key)).
BAD_CELLS = [
    ("rules", "cohesion", [("rules", "sweep.rule_format")]),
    ("rules", "cohesion=sometimes", [("rules", "option.level")]),
    ("rules", "colour=red", [("rules", "option.unknown_setting")]),
    ("rules", "small_max=two", [("rules", "option.at_least")]),
    ("rules", "X9:leader=required", [("rules", "unknown.order")]),
    ("rules", "O1:min_lot=-5", [("rules", "option.in_order")]),
    ("rules", "small=maybe;O1:small_max=0", [("rules", "option.level"), ("rules", "option.in_order")]),
    ("rules", "min_group_size=2;small=required;small_max=1", [("rules", "option.min_above_small")]),
    ("rules", "O1:min_group_size=3;small=required;small_max=2", [("rules", "option.in_order")]),
    ("allow_partial", "quizás", [("allow_partial", "problem.not_boolean")]),
    ("max_group_size", "0", [("max_group_size", "problem.whole_at_least")]),
    ("max_group_size", "2.5", [("max_group_size", "problem.not_whole")]),
    ("due_weeks", "soon", [("due_weeks", "sweep.weeks_format")]),
    ("due_weeks", "O1:soon", [("due_weeks", "sweep.weeks_format")]),
    ("due_weeks", "0", [("due_weeks", "problem.number_above")]),
    ("due_weeks", "X9:3", [("due_weeks", "unknown.order")]),
    ("extra_weeks", "-2", [("extra_weeks", "sweep.due_not_positive")]),
    ("territories", "Narnia", [("territories", "unknown.territory")]),
    ("territories", "X9:Pilar", [("territories", "unknown.order")]),
    ("unavailable", "A;Z1;Z2", [("unavailable", "unknown.workshop")]),
    ("ties", "A:B", [("ties", "sweep.tie_format")]),
    ("ties", "A:B:amistd", [("ties", "problem.unknown_kind_near")]),
    ("ties", "A:B:rivalry", [("ties", "problem.unknown_kind")]),
    ("ties", "A:B:kinship:9", [("ties", "problem.whole_between")]),
    ("ties", "A:A:kinship", [("ties", "problem.self_tie")]),
    ("ties", "A:Z:kinship", [("ties", "unknown.workshop")]),
    ("interventions", "teleport:A", [("interventions", "plan.cost_kind")]),
    ("interventions", "learn_process:A", [("interventions", "sweep.intervention_format")]),
    ("interventions", "formalise:Ax2", [("interventions", "unknown.workshop")]),
    ("interventions", "add_worker:Zx2", [("interventions", "unknown.workshop")]),
    ("interventions", "add_worker:Ax0", [("interventions", "problem.whole_at_least")]),
    ("interventions", "learn_process:A:welding", [("interventions", "problem.unknown_process")]),
    ("interventions", "learn_product:A:jeanz", [("interventions", "problem.unknown_product")]),
    ("interventions", "quality_level:A:6", [("interventions", "problem.whole_between")]),
    ("interventions", "introduce:A:A", [("interventions", "problem.self_tie")]),
    ("interventions", "introduce:A:Z", [("interventions", "unknown.workshop")]),
]


@pytest.mark.parametrize(("header", "cell", "expected"), BAD_CELLS, ids=[f"{h}={c}" for h, c, _ in BAD_CELLS])
def test_a_bad_cell_is_named_by_row_and_column(tmp_path, tiny, header, cell, expected):
    path = write(tmp_path, "s.csv", f'name;{header}\nfine;\nbad;"{cell}"\n')
    assert problems(path, tiny) == [(3, column, key) for column, key in expected]


def test_a_cap_below_the_fewest_members_is_refused_for_each_order(tmp_path, tiny):
    path = write(tmp_path, "s.csv", "name;max_group_size;rules\nbad;1;O2:min_group_size=2\n")
    with pytest.raises(InvalidDataError) as caught:
        read_scenarios(path, tiny)
    assert [str(p) for p in caught.value.problems] == [
        "s.csv row 2, column rules: order O2: min_group_size 2 is above its group-size cap of 1; "
        "no group could be both"
    ]


def test_the_problems_say_what_to_do_in_english_and_spanish(tmp_path, tiny):
    path = write(tmp_path, "escenarios.csv", "nombre;no_disponibles;semanas_extra\nx;Z9;O1:-1\n")
    with pytest.raises(InvalidDataError) as caught:
        read_scenarios(path, tiny)
    said = [(p.say("en"), p.say("es")) for p in caught.value.problems]
    assert said == [
        (
            "escenarios.csv row 2, column semanas_extra: leaves order O1 due at week 0 or before (the "
            "earliest at week 0); a due date must stay after week 0",
            "escenarios.csv fila 2, columna semanas_extra: deja el pedido O1 con entrega en la semana 0 o "
            "antes (la más temprana en la semana 0); una entrega debe quedar después de la semana 0",
        ),
        (
            "escenarios.csv row 2, column no_disponibles: unknown workshop id Z9",
            "escenarios.csv fila 2, columna no_disponibles: " + caught.value.problems[1].said("es"),
        ),
    ]
    assert "Z9" in said[1][1] and "taller" in said[1][1]


def test_every_problem_of_a_file_is_reported_at_once_in_row_order(tmp_path, tiny):
    path = write(
        tmp_path,
        "s.csv",
        "name;colour;unavailable;rules;nombre\n"  # an unknown column; name given twice
        "a;red;Z;;\n"
        ";;;;\n"
        ";;A;;\n"  # no name
        "Baseline;;;;\n"  # the baseline's name
        "a;;;cohesion;\n",  # a name used twice, a bad rule
    )
    assert problems(path, tiny) == [
        (None, "colour", "sweep.unknown_field"),
        (None, "nombre", "problem.column_twice"),
        (2, "unavailable", "unknown.workshop"),
        (4, "name", "problem.required_empty"),
        (5, "name", "sweep.reserved_name"),
        (6, "rules", "sweep.rule_format"),
        (6, "name", "problem.unique"),
    ]


def test_a_misspelt_column_is_told_the_field_it_looks_like(tmp_path, tiny):
    path = write(tmp_path, "s.csv", "nombre;regla\nx;cohesion=required\n")
    with pytest.raises(InvalidDataError) as caught:
        read_scenarios(path, tiny)
    (problem,) = caught.value.problems
    assert str(problem) == 's.csv, column regla: unknown field "regla"; did you mean reglas?'


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("s.csv", "rules\ncohesion=required\n", [(None, "name", "problem.missing_column")]),
        ("s.csv", "", [(None, None, "problem.empty_file")]),
        ("s.csv", "name;rules\n", [(None, None, "sweep.no_scenarios")]),
        ("s.csv", 'name;rules\n"x;cohesion\n', [(None, None, "problem.not_csv")]),
        ("s.csv", "name;rules\nx;a;b\n", [(2, None, "problem.row_cells_semicolon")]),
        ("s.toml", "[[scenario]]\nname = \n", [(None, None, "sweep.not_toml")]),
        ("s.toml", "# nothing\n", [(None, None, "sweep.no_scenarios")]),
        ("s.toml", 'title = "x"\n[[scenario]]\nname = "a"\n', [(None, "title", "sweep.unknown_field")]),
        ("s.toml", '[[scenario]]\nname = ["a", "b"]\n', [(1, "name", "sweep.toml_value")]),
        ("s.toml", '[[scenario]]\nname = "a"\nunavailable = { A = 1 }\n',
         [(1, "unavailable", "sweep.toml_value")]),
        ("s.toml", '\n\n[[scenario]]\nname = "a"\n[[scenario]]\nnombre = "b"\nterritorio = 1\n',
         [(5, "territorio", "sweep.unknown_field_near")]),
        ("s.txt", "name\nx\n", [(None, None, "sweep.file_kind")]),
    ],
)  # fmt: skip
def test_a_bad_file_is_refused_whole(tmp_path, tiny, name, text, expected):
    assert problems(write(tmp_path, name, text), tiny) == expected


def test_a_missing_file_is_named(tmp_path, tiny):
    assert problems(tmp_path / "nowhere.csv", tiny) == [(None, None, "sweep.no_file")]


def test_every_field_has_a_spanish_name():
    assert all(aliases for aliases in FIELDS.values())


def test_the_guides_example_files_read_against_the_sample(tmp_path):
    """The CSV and TOML files of docs/guide/sweeps.md are valid for the bundled sample, and say the
    same where they overlap."""
    guide = (Path(__file__).resolve().parents[2] / "docs" / "guide" / "sweeps.md").read_text(encoding="utf-8")
    sample = load_sample()[0]
    read = {}
    for kind in ("csv", "toml"):
        (text,) = re.findall(rf"```{kind}\n(.*?)```", guide, flags=re.DOTALL)
        path = write(tmp_path, f"escenarios.{kind}", text)
        read[kind] = {s.name: s for s in read_scenarios(path, sample)}
    assert len(read["csv"]) == 8 and len(read["toml"]) == 4
    assert read["toml"]["una semana más"] == read["csv"]["una semana más"]
    assert read["toml"]["feria en Pilar"].unavailable == read["csv"]["feria en Pilar"].unavailable
    assert read["csv"]["capacitación"].interventions[1] == Intervention("add_worker", "MRA-002", amount=2)
