"""Spanish names of files, sheets, headers and codes; near misses; one run with every problem and
no follow-on noise."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from openpyxl import Workbook

from matcher.io import load_cluster, validate_dataset
from matcher.io._names import CODE_ALIASES, COLUMN_ALIASES, FILE_ALIASES, REQUIRED, codes_of, normal
from matcher.messages import catalogue
from matcher.model import TIE_KINDS
from matcher.routing import default_routings, known_processes

DOCS = Path(__file__).parents[2] / "docs" / "data-contract.md"


def folder_of(path: Path, **files: str) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (path / name).write_text(text, encoding="utf-8")
    return path


def texts(report) -> list[str]:
    return [str(p) for p in report.problems]


def test_spanish_files_headers_and_codes_read_as_the_contract_names_them(tmp_path):
    folder = folder_of(
        tmp_path / "d",
        **{
            "Talleres.csv": "ID Taller,Territorio,Trabajadores,Máquinas,Productos,Procesos,Calidad,"
            "Puede liderar\n"
            'T1,Itá,4,recta:2,Remeras,"Corte;Costura;Control de calidad",4,Sí\n'
            "T2,Itá,2,,Jeans,costura,3,no\n",
            "lazos.csv": "Origen,Destino,Tipo,Fuerza,Ola\n"
            "T1,T2,Préstamo de máquinas,3,1\nT1,T2,CONFLICTO,2,2\n",
            "Empresas líderes.csv": "Empresa,Nombre\nF1,Textil\n",
            "pedidos.csv": "Pedido,Empresa,Producto,Cantidad,Fecha entrega,Tamaño máximo grupo\n"
            "P1,F1,camisas polo,300,2025-09-30,3\n",
            "contactos.csv": 'Taller,Teléfono,Dirección,Latitud,Longitud\nT1,0981,Calle 1,"-25,6","-57,1"\n',
        },
    )
    cluster = load_cluster(folder, as_of="2025-09-02")
    t1 = cluster.workshop("T1")
    assert (t1.territory, t1.workers, t1.quality, t1.can_lead) == ("Itá", 4, 4, True)
    assert t1.products == ("tshirt",) and t1.processes == ("cutting", "sewing", "quality_control")
    assert t1.machines == (("recta", 2),)
    assert [(t.kind, t.wave) for t in cluster.ties] == [("machine_lending", "1"), ("conflict", "2")]
    (order,) = cluster.orders
    assert (order.firm_id, order.product, order.quantity, order.due_weeks, order.max_group_size) == (
        "F1", "polo_shirt", 300, 4.0, 3,
    )  # fmt: skip
    assert cluster.lead_firms[0].name == "Textil"


def test_sheets_may_have_spanish_names(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.title = "Talleres"
    sheet.append(["id_taller", "territorio", "trabajadores", "productos", "procesos"])
    sheet.append(["T1", "Yaguarón", 3, "jeans", "costura"])
    book.create_sheet("Lazos").append(["origen", "destino", "tipo"])
    path = tmp_path / "cluster.xlsx"
    book.save(path)
    assert load_cluster(path).workshop("T1").territory == "Yaguarón"
    book.create_sheet("workshops").append(["workshop_id"])
    book.save(path)
    assert texts(validate_dataset(path)) == [
        "cluster.xlsx:workshops: Talleres, workshops are the same file; keep one of them"
    ]


def test_a_file_named_both_ways_is_refused(tmp_path):
    row = "workshop_id,territory,workers,products,processes\nW1,Pilar,2,jeans,sewing\n"
    folder = folder_of(tmp_path / "d", **{"workshops.csv": row, "talleres.csv": row})
    assert texts(validate_dataset(folder)) == [
        "workshops.csv: talleres.csv, workshops.csv are the same file; keep one of them"
    ]


def test_a_column_given_twice_is_refused(tmp_path):
    folder = folder_of(
        tmp_path / "d",
        **{
            "talleres.csv": "id_taller,territorio,territory,trabajadores,productos,procesos\n"
            "T1,Itá,Pilar,2,jeans,costura\n"
        },
    )
    assert texts(validate_dataset(folder)) == [
        'talleres.csv row 1, column territory: the column is given twice ("territorio" and "territory"); '
        "keep one of them"
    ]


def test_near_misses_say_what_they_may_mean(tmp_path):
    folder = folder_of(
        tmp_path / "d",
        **{
            "talleres.csv": "id_taller,territorio,trabajdores,eficiensia,productos,procesos\n"
            'T1,Itá,2,0.5,jeanz,"costrua;pakcing;soldadura"\n',
            "lazos.csv": "origen,destino,tipo\nT1,T1,amistd\n",
            "talleress.csv": "x\n",
        },
    )
    report = validate_dataset(folder)
    assert texts(report) == [
        "talleres.csv row 1, column trabajadores: required column is missing from the header row; is "
        '"trabajdores" a misspelling of trabajadores?',
        'talleres.csv row 2, column procesos: unknown process code "costrua"; did you mean costura?',
        'talleres.csv row 2, column procesos: unknown process code "pakcing"; did you mean packing?',
        'talleres.csv row 2, column procesos: unknown process code "soldadura"; known: buttonholing, '
        "cutting, "
        "embroidery, finishing, ironing, packing, pattern_making, quality_control, screen_printing, sewing, "
        "washing; or describe it in routings.csv",
        'talleres.csv row 2, column productos: unknown product code "jeanz"; did you mean jeans?',
        "lazos.csv row 2, column destino: a workshop cannot be tied to itself",
        'lazos.csv row 2, column tipo: unknown tie kind code "amistd"; did you mean amistad?',
    ]
    assert [str(w) for w in report.warnings] == [
        "talleress.csv: is not a file of the dataset and is not read; did you mean talleres.csv?",
        "talleres.csv row 1, column eficiensia: unknown column, kept as an extra column; did you mean "
        "eficiencia?",
    ]
    said = [p.say("es") for p in report.problems]
    assert said[2].endswith('proceso desconocido "pakcing"; ¿quiso decir empaque?')
    assert said[3].endswith(
        "se conocen: ojales y botones, corte, bordado, terminación, planchado, empaque, "
        "moldería, control de calidad, serigrafía, costura, lavado; o descríbalo en routings.csv"
    )


def test_a_missing_column_does_not_stop_the_file_checks_nor_echo_in_others(tmp_path):
    folder = folder_of(
        tmp_path / "d",
        **{
            # no workshop_id: the other columns are still checked; ties and contacts are not
            # checked against workshops that cannot be told apart
            "workshops.csv": "territory,workers,products,processes\n"
            "Pilar,tres,jeans,sewing\n,2,jeans,sewing\n",
            "ties.csv": "source,target,kind\nW1,W9,kinship\n",
            "contacts.csv": "workshop_id,phone\nW7,1\n",
            # no firm_id in the firms file: orders' firms are not checked against it
            "lead_firms.csv": "name\nTextil\n",
            "orders.csv": "order_id,firm_id,product,quantity,due_weeks,territories\n"
            "O1,F1,jeans,5,2,Nowhere\n",
        },
    )
    report = validate_dataset(folder)
    assert texts(report) == [
        "workshops.csv row 1, column workshop_id: required column is missing from the header row "
        "(it may also "
        "be headed id_taller, taller)",
        'workshops.csv row 2, column workers: "tres" is not a whole number',
        "workshops.csv row 3, column territory: is required but empty",
        "lead_firms.csv row 1, column firm_id: required column is missing from the header row (it may also "
        "be headed id_empresa, empresa)",
    ]
    assert [str(w) for w in report.warnings] == [
        'orders.csv row 2, column territories: no workshop is in "Nowhere"; '
        "the order can only go to listed ones"
    ]


def test_files_that_cannot_be_read_leave_no_follow_on_problems(tmp_path):
    folder = folder_of(
        tmp_path / "d",
        **{
            "workshops.csv": "workshop_id,territory,workers,products,processes\nW1,Pilar,2,bag,sewing\n",
            "routings.csv": 'product,process,minutes_per_unit\n"bag,sewing,2\n',  # an unclosed quote
            "orders.csv": "order_id,product,quantity,due_weeks\nO1,bag,5,2\n",
        },
    )
    assert texts(validate_dataset(folder)) == [
        'routings.csv: a quote (") opens a cell that never closes; close it or take it out'
    ]
    (folder / "routings.csv").write_text("product,process,minutes_per_unit\nbag,sewing,0\n")
    # A routing step with a bad minute still names its product and process: nothing else follows.
    assert texts(validate_dataset(folder)) == [
        "routings.csv row 2, column minutes_per_unit: 0 is out of range; use a number > 0"
    ]


def test_a_semicolon_file_with_decimal_commas_gives_no_warning(tmp_path):
    folder = folder_of(
        tmp_path / "d",
        **{
            "talleres.csv": "id_taller;territorio;trabajadores;eficiencia;productos;procesos\n"
            "T1;Itá;2;0,5;jeans;costura,corte\n"
        },
    )
    report = validate_dataset(folder)
    assert report.ok and report.warnings == []
    assert load_cluster(folder).workshop("T1").efficiency == 0.5


def test_every_required_column_has_a_spanish_name():
    for file, columns in REQUIRED.items():
        for column in columns:
            assert COLUMN_ALIASES[file].get(column), (file, column)


def test_the_pages_spanish_words_are_accepted_codes():
    names = {
        "kind": codes_of("kind", TIE_KINDS),
        "process": codes_of("process", known_processes(default_routings())),
        "product": codes_of("product", default_routings()),
    }
    for key, words in catalogue("es").items():
        group, _, code = key.partition(".")
        if group in names and code in names[group].values():
            assert names[group].get(normal(words)) == code, (key, words)
    assert set(CODE_ALIASES["process"]) <= known_processes(default_routings())
    assert set(CODE_ALIASES["product"]) <= set(default_routings())
    assert set(CODE_ALIASES["kind"]) == set(TIE_KINDS)


@pytest.mark.parametrize("table", ["files", "columns", "codes"])
def test_the_contract_documents_every_name(table):
    docs = DOCS.read_text(encoding="utf-8")
    if table == "files":
        rows = {
            f"| `{f}.csv` | " + ", ".join(f"`{a}.csv`" for a in names) + " |"
            for f, names in FILE_ALIASES.items()
        }
    elif table == "columns":
        rows = {
            f"| {f} | `{c}` | " + ", ".join(f"`{a}`" for a in names) + " |"
            for f, columns in COLUMN_ALIASES.items()
            for c, names in columns.items()
        }
    else:
        rows = {
            f"| `{c}` | " + ", ".join(f"`{a}`" for a in names) + " |"
            for group in CODE_ALIASES.values()
            for c, names in group.items()
        }
    documented = {line for line in docs.splitlines() if re.match(r"\| ", line)}
    assert rows <= documented
