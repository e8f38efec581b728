"""Write a cluster as a dataset (CSV folder or workbook) that loads back equal."""

from __future__ import annotations

import csv
import os
import shutil
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path

from matcher.errors import InvalidOptionError
from matcher.io._cells import inert, workbook_text
from matcher.io._tables import cell_text as _text
from matcher.model import Cluster, Contact
from matcher.routing import default_routings

Row = list[str]


def _with_extra(
    header: Sequence[str], rows: list[Row], extras: Sequence[tuple[tuple[str, str], ...]]
) -> tuple[Row, list[Row]]:
    names: list[str] = []
    for extra in extras:
        for name, _ in extra:
            if name not in names and name not in header:
                names.append(name)
    if not names:
        return list(header), rows
    out = []
    for row, extra in zip(rows, extras, strict=True):
        cells = dict(extra)
        out.append(row + [cells.get(n, "") for n in names])
    return [*header, *names], out


def cluster_tables(cluster: Cluster, contacts: Iterable[Contact] = ()) -> dict[str, tuple[Row, list[Row]]]:
    """Header and rows of every file the cluster needs, as text."""
    from matcher.io._load import CONTACT_COLUMNS, FIRM_COLUMNS, ORDER_COLUMNS, TIE_COLUMNS, WORKSHOP_COLUMNS

    j = ";".join
    workshops = [
        [
            w.workshop_id,
            w.territory,
            _text(w.workers),
            _text(w.women_workers),
            _text(w.hours_per_week),
            _text(w.efficiency),
            _text(w.capacity_minutes_per_week),
            _text(w.committed_minutes_per_week),
            j(w.products),
            j(w.processes),
            j(f"{m}:{c}" for m, c in w.machines),
            _text(w.quality),
            _text(w.formal),
            _text(w.can_lead),
            _text(w.cost_per_minute),
            j(w.organizations),
            _text(w.reliability),
        ]
        for w in cluster.workshops
    ]
    tables = {"workshops": _with_extra(WORKSHOP_COLUMNS, workshops, [w.extra for w in cluster.workshops])}
    tables["ties"] = (
        list(TIE_COLUMNS),
        [[t.source, t.target, t.kind, _text(t.strength), _text(t.wave)] for t in cluster.ties],
    )
    if cluster.lead_firms:
        tables["lead_firms"] = (
            list(FIRM_COLUMNS),
            [[f.firm_id, _text(f.name), _text(f.territory)] for f in cluster.lead_firms],
        )
    if cluster.orders:
        orders = [
            [
                o.order_id,
                _text(o.firm_id),
                o.product,
                _text(o.quantity),
                _text(o.due_weeks),
                _text(o.min_quality),
                _text(o.max_group_size),
                j(o.territories),
                _text(o.require_formal),
                j(f"{s.process}:{_text(s.minutes_per_unit)}" for s in o.processes),
            ]
            for o in cluster.orders
        ]
        tables["orders"] = _with_extra(ORDER_COLUMNS, orders, [o.extra for o in cluster.orders])
    default = default_routings()
    own = [
        [product, s.process, _text(s.minutes_per_unit)]
        for product, steps in cluster.routings.items()
        if default.get(product) != tuple(steps)
        for s in steps
    ]
    if own:
        tables["routings"] = (["product", "process", "minutes_per_unit"], own)
    contacts = list(contacts)
    if contacts:
        tables["contacts"] = (
            list(CONTACT_COLUMNS),
            [
                [
                    c.workshop_id,
                    _text(c.owner_name),
                    _text(c.phone),
                    _text(c.address),
                    _text(c.lat),
                    _text(c.lon),
                ]
                for c in contacts
            ],
        )
    return tables


def _write_csv_folder(tables: dict[str, tuple[Row, list[Row]]], folder: Path) -> None:
    # A cell that a spreadsheet would run as a formula is written inert (see ``_cells``).
    for name, (header, rows) in tables.items():
        with open(folder / f"{name}.csv", "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            # The csv module quotes a line feed but not a lone carriage return, which readers
            # take for the end of the row: a row with one is quoted whole.
            quoted = csv.writer(handle, lineterminator="\n", quoting=csv.QUOTE_ALL)
            for row in [header, *rows]:
                cells = [inert(c) for c in row]
                (quoted if any("\r" in c for c in cells) else writer).writerow(cells)


def _write_workbook(tables: dict[str, tuple[Row, list[Row]]], file: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ERROR_CODES

    book = Workbook(write_only=True)
    for name, (header, rows) in tables.items():
        sheet = book.create_sheet(name)

        def text_cells(row: Row, sheet=sheet) -> list[str | WriteOnlyCell]:
            # Text cells keep "007" and "1.50" exactly as written in the CSV form, and are
            # never formulas: an inert text does not start with "=", and one that openpyxl
            # would take for an error value ("#N/A") is told to be text.
            cells: list[str | WriteOnlyCell] = []
            for value in row:
                value = workbook_text(value)
                if value in ERROR_CODES:
                    cell = WriteOnlyCell(sheet, value)
                    cell.data_type = "s"
                    cells.append(cell)
                else:
                    cells.append(value)
            return cells

        sheet.append(text_cells(header))
        for row in rows:
            sheet.append(text_cells(row))
    book.save(file)


def _check_target(path: Path, overwrite: bool) -> None:
    if not path.exists():
        return
    occupied = path.is_file() or any(path.iterdir())
    if occupied and not overwrite:
        raise InvalidOptionError(
            f"{path} already exists and is not empty; choose another path or overwrite it"
        )
    if path.is_dir() and path.suffix.lower() == ".xlsx":
        raise InvalidOptionError(f"{path} is a folder; a workbook path must be a file")


def write_cluster(
    cluster: Cluster, path: str | Path, *, contacts: Iterable[Contact] = (), overwrite: bool = False
) -> Path:
    """Write ``cluster`` as a CSV folder, or as a workbook when ``path`` ends in ``.xlsx``.

    The dataset is complete or absent: it is written beside the target and
    renamed into place. Lists are joined with ``;``, machines as
    ``type:count``, order routing overrides as ``process:minutes``; only
    products whose routing differs from the default catalogue go to
    ``routings.csv``. Loading the result gives back an equal cluster.

    Parameters
    ----------
    cluster : Cluster
        What to write.
    path : str or Path
        A folder (created) or an ``.xlsx`` file.
    contacts : iterable of Contact, optional
        Private contacts, written to ``contacts.csv`` only when given.
    overwrite : bool, default False
        Replace an existing non-empty target instead of refusing.

    Returns
    -------
    Path
        The path written.

    Raises
    ------
    InvalidOptionError
        When the target exists and is not empty and ``overwrite`` is false.

    Examples
    --------
    >>> import tempfile
    >>> from matcher.io import load_cluster
    >>> from matcher.synthetic import generate_cluster
    >>> cluster, _ = generate_cluster(20, 3, seed=1)
    >>> folder = write_cluster(cluster, tempfile.mkdtemp() + "/c")
    >>> load_cluster(folder) == cluster
    True
    """
    path = Path(path)
    _check_target(path, overwrite)
    tables = cluster_tables(cluster, contacts)
    parent = path.parent if str(path.parent) else Path(".")
    parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{path.name}.", dir=parent))
    try:
        if path.suffix.lower() == ".xlsx":
            written = staging / path.name
            _write_workbook(tables, written)
        else:
            written = staging / "dataset"
            written.mkdir()
            _write_csv_folder(tables, written)
        if path.is_dir():
            old = staging / "old"
            os.replace(path, old)
        os.replace(written, path)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return path
