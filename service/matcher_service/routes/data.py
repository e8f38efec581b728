"""Whole datasets in and out: import (validated exactly as the CLI does) and export.

``POST /imports`` takes the files of a cluster dataset (``workshops.csv``,
``ties.csv``, ``lead_firms.csv``, ``orders.csv``, ``routings.csv``,
``contacts.csv``) or one ``.xlsx`` workbook, checks it with
:func:`matcher.io.validate_dataset` and loads it with
:func:`matcher.io.load_cluster` / :func:`matcher.io.load_contacts` — the very
calls of ``matcher validate`` — and merges it into the database in one
transaction (:func:`matcher_service.dataset.apply_dataset`): all of it or nothing.

An import is a dataset on its own: its ties must join workshops listed in its
own ``workshops.csv`` and its orders must name lead firms listed in its own
``lead_firms.csv`` (the library refuses anything else, as the CLI does), and
products outside the default catalogue must be described in its
``routings.csv``. Workshops already in the database are replaced by id; to add
a tie to a stored workshop, import that workshop again beside the tie.

``GET /exports`` writes the caller's part of the database with
:func:`matcher.io.write_cluster`, as the CLI writes a dataset: an ``.xlsx``
workbook or a zip of the CSV folder. Contacts go only to admins.
"""

from __future__ import annotations

import io
import logging
import re
import tempfile
import zipfile
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Query, Request, UploadFile
from fastapi.responses import Response
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from matcher.errors import InvalidDataError
from matcher.io import load_cluster, load_contacts, validate_dataset, write_cluster
from matcher.io._names import file_of
from matcher.io._tables import FILES, read_source
from matcher.model import Cluster, Contact
from matcher.routing import default_routings
from matcher_service.auth import allow
from matcher_service.convert import contact_of, routings_from_session
from matcher_service.crud.data import rows_with_ids
from matcher_service.dataset import apply_dataset
from matcher_service.deps import CurrentPrincipal, Language, SessionDep
from matcher_service.errors import Conflict, Forbidden, NotFound, Unprocessable, detail
from matcher_service.messages import ApiMessage, said
from matcher_service.models import ContactRow, LeadFirmRow, OrderRow, WorkshopRow
from matcher_service.policy import order_reaches
from matcher_service.roles import COORDINATOR, Principal
from matcher_service.route import Route
from matcher_service.schemas.data import ImportOut
from matcher_service.store import audit, commit, content_disposition

log = logging.getLogger("matcher.service")

__all__ = ["router"]

router = APIRouter(route_class=Route, tags=["data"])

CSV_NAMES = {f"{name}.csv" for name in FILES}
SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# ---------------------------------------------------------------- import


def _bad_upload(key: str, **args: Any) -> Unprocessable:
    message = said(key, **args)
    return Unprocessable(message, details=[detail("files", message)])


def _save_upload(files: list[UploadFile], folder: Path) -> Path:
    """Write the uploaded files where the library reads a dataset; the path to validate."""
    names = [Path(f.filename or "").name for f in files]
    workbooks = [n for n in names if n.lower().endswith(".xlsx")]
    if workbooks:
        if len(files) != 1:
            raise _bad_upload("data.one_workbook")
        stem = SAFE_NAME.sub("_", Path(workbooks[0]).stem).strip("._") or "cluster"
        target = folder / f"{stem}.xlsx"
        target.write_bytes(files[0].file.read())
        return target
    # Files may have their Spanish names (talleres.csv, ...), as the library reads them.
    unknown = [n or "(no name)" for n in names if not n.lower().endswith(".csv") or file_of(n) is None]
    if unknown:
        raise _bad_upload(
            "data.unexpected_file", names=unknown, count=len(unknown), expected=sorted(CSV_NAMES)
        )
    files_of = [file_of(n) for n in names]
    twice = sorted({n for n, f in zip(names, files_of, strict=True) if files_of.count(f) > 1})
    if twice:
        raise _bad_upload("data.sent_twice", names=twice)
    dataset = folder / "dataset"
    dataset.mkdir()
    for name, upload in zip(names, files, strict=True):
        (dataset / name).write_bytes(upload.file.read())
    return dataset


def _rows(path: Path, name: str) -> tuple[str, list[int]]:
    """The label and spreadsheet row numbers of a file's data rows, in the order loaded."""
    # The loaded objects keep the file's order; the row numbers (blank rows skipped)
    # are those the library reports problems with.
    table = read_source(path).tables.get(name)
    if table is None:
        return f"{name}.csv", []
    return table.label, table.rows.tolist()


def _out_of_scope(
    session: Session, principal: Principal, path: Path, cluster: Cluster
) -> list[dict[str, Any]]:
    """What a coordinator's import would change outside their territories."""
    found: list[dict[str, Any]] = []
    scope = list(principal.territories)

    def problem(label: str, rows: list[int], i: int, column: str | None, message: ApiMessage) -> None:
        row = rows[i] if i < len(rows) else None
        found.append({"file": label, "row": row, "column": column, "message": message})

    label, rows = _rows(path, "workshops")
    ids = [w.workshop_id for w in cluster.workshops]
    stored = {r.workshop_id: r.territory for r in rows_with_ids(session, WorkshopRow.workshop_id, ids)}
    for i, w in enumerate(cluster.workshops):
        if not principal.sees_territory(w.territory):
            said_outside = said("data.outside_territory", territory=w.territory, scope=scope)
            problem(label, rows, i, "territory", said_outside)
        elif w.workshop_id in stored and not principal.sees_territory(stored[w.workshop_id]):
            problem(label, rows, i, "workshop_id", said("data.taken_outside", workshop_id=w.workshop_id))

    firm_territory = {f.firm_id: f.territory for f in cluster.lead_firms}
    label, rows = _rows(path, "lead_firms")
    stored_firms = {
        r.firm_id: r
        for r in rows_with_ids(session, LeadFirmRow.firm_id, [f.firm_id for f in cluster.lead_firms])
    }
    for i, f in enumerate(cluster.lead_firms):
        before = stored_firms.get(f.firm_id)
        if (
            before is not None
            and before.territory is not None
            and not principal.sees_territory(before.territory)
        ):
            # Held outside the caller's territories: said as for an id taken, nothing of where or whose.
            problem(label, rows, i, "firm_id", said("data.firm_taken", firm_id=f.firm_id))
        elif f.territory is not None and not principal.sees_territory(f.territory):
            said_outside = said("data.firm_outside", firm_id=f.firm_id, territory=f.territory)
            problem(label, rows, i, "territory", said_outside)

    label, rows = _rows(path, "orders")
    stored_orders = {
        r.order_id: r for r in rows_with_ids(session, OrderRow.order_id, [o.order_id for o in cluster.orders])
    }
    for i, o in enumerate(cluster.orders):
        allowed = (
            all(principal.sees_territory(t) for t in o.territories)
            if o.territories
            else principal.sees_territory(firm_territory.get(o.firm_id or ""))
        )
        before = stored_orders.get(o.order_id)
        if before is not None and before.territories and not principal.sees_any_territory(before.territories):
            # Held outside the caller's territories: said as for an id taken, nothing of where or whose.
            problem(label, rows, i, "order_id", said("data.order_taken", order_id=o.order_id))
            continue
        if before is not None and not before.territories:
            allowed = False  # open to every territory: replacing it reaches beyond the caller's
        if not allowed:
            problem(
                label, rows, i, "territories", said("data.order_outside", order_id=o.order_id, scope=scope)
            )

    default = default_routings()
    current_routings = routings_from_session(session)
    for product, steps in sorted(cluster.routings.items()):
        if default.get(product) == tuple(steps) or product not in current_routings:
            continue
        if tuple(current_routings[product]) != tuple(steps):
            found.append(
                {
                    "file": "routings.csv",
                    "row": None,
                    "column": "product",
                    "message": said("data.shared_routing", product=product),
                }
            )
    return found


@router.post("/imports", response_model=ImportOut, **allow(COORDINATOR))
def import_dataset(
    lang: Language,
    files: Annotated[
        list[UploadFile],
        File(description="The dataset's CSV files (named as in the data contract) or one .xlsx workbook."),
    ],
    principal: CurrentPrincipal,
    session: SessionDep,
    dry_run: Annotated[
        bool, Query(description="Validate and count what would change, without writing.")
    ] = False,
    decimal: Annotated[
        Literal["comma", "point"] | None,
        Query(
            description="The decimal mark of the dataset: with comma, 0,5 is a half and 11.520 eleven "
            "thousand five hundred and twenty; with point the other way round. Without it, a number the two "
            "marks read differently is a problem (whole numbers like 2.000 are always two thousand)."
        ),
    ] = None,
    as_of: Annotated[
        date | None, Query(description="The planning date orders' due_date is counted from (default: today).")
    ] = None,
) -> ImportOut:
    """Validate a dataset exactly as ``matcher validate`` does and merge it into the database.

    Every problem is listed at once (422, each with file, row and column);
    nothing is written unless the whole dataset is valid. A coordinator may
    import only workshops, orders and lead firms of their territories (403
    listing the rows outside them). Rows are added or replaced by id, ties by
    (source, target, kind, wave). ``dry_run=true`` answers what would be
    added and replaced without writing.

    Files, sheets, headers and codes may have their Spanish names
    (``talleres.csv``, ``trabajadores``, ``costura``) and CSV files may be
    separated by semicolons. ``decimal`` states the dataset's decimal mark and
    ``as_of`` the planning date orders' ``due_date`` is counted from. Problems
    and warnings are said in the request's language (``Accept-Language``).

    A workbook is held to the reading limits of the data contract before it
    is parsed (zip bombs included): 413 when it or one of its parts is too
    large uncompressed, 422 when it has too many rows, columns or parts, too
    long a cell or too high a compression ratio; the message names the file
    or sheet and the limit.
    """
    reading: dict[str, Any] = {"decimal": decimal, "as_of": as_of}
    with tempfile.TemporaryDirectory(prefix="matcher-import-") as tmp:
        path = _save_upload(files, Path(tmp))
        report = validate_dataset(path, **reading)
        if not report.ok:
            raise InvalidDataError(report.problems)
        cluster = load_cluster(path, **reading)
        contacts = load_contacts(path, **reading)
        if not principal.is_admin:
            outside = _out_of_scope(session, principal, path, cluster)
            if outside:
                raise Forbidden("data.outside", count=len(outside), details=outside)
    try:
        applied = apply_dataset(session, cluster, contacts)
    except IntegrityError as exc:  # flushed rows that clash with stored ones: nothing is kept
        session.rollback()
        reason = str(getattr(exc, "orig", exc)).splitlines()[0][:200]
        log.info("an import clashed with stored data: %s", reason)
        raise Conflict("data.clash") from None
    out = ImportOut(
        dry_run=dry_run,
        added=applied.added,
        replaced=applied.replaced,
        counts=dict(report.counts),
        warnings=[p.to_dict(lang) for p in report.warnings],
    )
    if dry_run:
        session.rollback()
        return out
    audit(
        session,
        principal,
        "import",
        "dataset",
        None,
        {"added": applied.added, "replaced": applied.replaced, "counts": dict(report.counts)},
    )
    commit(session, what="the import")
    return out


# ---------------------------------------------------------------- export


def _part(cluster: Cluster, territories: set[str] | None) -> Cluster:
    """The cluster limited to ``territories`` (None: whole), as a dataset that loads on its own."""
    if territories is None:
        return cluster
    workshops = tuple(w for w in cluster.workshops if w.territory in territories)
    ids = {w.workshop_id for w in workshops}
    firm_territory = {f.firm_id: f.territory for f in cluster.lead_firms}
    orders = tuple(
        o for o in cluster.orders if order_reaches(o, territories, firm_territory.get(o.firm_id or ""))
    )
    named = {o.firm_id for o in orders if o.firm_id}
    firms = tuple(f for f in cluster.lead_firms if f.firm_id in named or f.territory in territories)
    return Cluster(
        workshops=workshops,
        ties=tuple(t for t in cluster.ties if t.source in ids and t.target in ids),
        lead_firms=firms,
        orders=orders,
        routings=cluster.routings,
    )


def _zip_folder(folder: Path) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for file in sorted(folder.iterdir()):
            archive.write(file, file.name)
    return buffer.getvalue()


@router.get(
    "/exports",
    response_class=Response,
    responses={200: {"content": {"application/zip": {}, XLSX_TYPE: {}}, "description": "The dataset."}},
    **allow(COORDINATOR),
)
def export_dataset(
    request: Request,
    principal: CurrentPrincipal,
    session: SessionDep,
    territory: Annotated[list[str] | None, Query(description="Territories to export (repeatable).")] = None,
    format: Annotated[
        str, Query(pattern="^(xlsx|zip)$", description="xlsx workbook or zip of CSV files.")
    ] = "xlsx",
) -> Response:
    """The caller's part of the database as a dataset, written as ``matcher`` writes one.

    An admin exports everything (or the territories asked); a coordinator the
    territories asked among theirs (default: all of theirs; another answers
    404). Ties among the exported workshops, the orders allowed in those
    territories and their lead firms come along; contacts only for an admin.
    Importing the file into an empty database gives back the same data.

    Text cells that a spreadsheet would run as a formula (starting with ``=``,
    ``+``, ``-``, ``@``, a tab or a line break) are written after a single quote,
    which an import takes away again; workbook cells are text, never formulas.
    The file is named after the territories asked (``cluster-T1.xlsx``).
    """
    _version, cluster = request.app.state.snapshots.get(session)
    known = {w.territory for w in cluster.workshops}
    asked = list(dict.fromkeys(territory or ()))
    outside = [t for t in asked if t not in known or not principal.sees_territory(t)]
    if outside:
        raise NotFound("analysis.no_territory", territory=", ".join(outside))
    chosen: set[str] | None = set(asked or principal.territories)
    if principal.is_admin and not asked:
        chosen = None  # everything, with the firms and orders of no territory
    part = _part(cluster, chosen)
    contacts: list[Contact] = []
    if principal.is_admin:
        ids = [w.workshop_id for w in part.workshops]
        contacts = [contact_of(r) for r in rows_with_ids(session, ContactRow.workshop_id, ids)]
        contacts.sort(key=lambda c: c.workshop_id)
    with tempfile.TemporaryDirectory(prefix="matcher-export-") as tmp:
        if format == "xlsx":
            written = write_cluster(part, Path(tmp) / "cluster.xlsx", contacts=contacts)
            content, media = written.read_bytes(), XLSX_TYPE
        else:
            written = write_cluster(part, Path(tmp) / "cluster", contacts=contacts)
            content, media = _zip_folder(written), "application/zip"
    audit(
        session,
        principal,
        "export",
        "dataset",
        None,
        {
            "territories": sorted(chosen) if chosen is not None else None,
            "format": format,
            "workshops": len(part.workshops),
            "contacts": len(contacts),
        },
        data=False,
    )
    commit(session, what="the export record")
    name = "-".join(["cluster", *sorted(asked)])
    return Response(
        content,
        media_type=media,
        headers={"Content-Disposition": content_disposition(f"{name}.{format}")},
    )
