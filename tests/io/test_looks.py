"""What a whole CSV file says of its cells (matcher.io._tables._Looks) never hides a cell that needs
looking at: with it or with every column looked at, a dataset reads the same."""

from __future__ import annotations

import pytest

from matcher.errors import InvalidDataError
from matcher.io import _tables, load_cluster, validate_dataset

CELLS = [
    " PIL-2", "PIL-2 ", "PIL-2\u00a0", "\u2003PIL-2", "PIL\u202f2", "PIL-\x012", "PIL\t2", "PIL\x852",
    "'=PIL-2", "''+PIL", "PIL-2\u3000", "\x0bPIL-2", "PIL\x7f2", "Itá\u2028", "\ufeffPIL-2", '"PIL, 2"',
    '" PIL-2"', '"PIL-2 "', '"PIL\n2"', '"PIL-2\n"', '"\tPIL"', '"PIL ""2"" "', '"PIL\r\n2"',
]  # fmt: skip


def dataset(folder, cell: str, delimiter: str):
    folder.mkdir()
    rows = [
        ["workshop_id", "territory", "workers", "capacity_minutes_per_week", "products", "processes"],
        ["PIL-1", "Pilar", "4", "11520", "jeans", "sewing"],
        [cell, cell, "2", f"1{cell[:1]}000", "jeans", "sewing"],
    ]
    text = "\n".join(delimiter.join(r) for r in rows) + "\n"
    (folder / "workshops.csv").write_bytes(text.encode("utf-8"))
    return folder


def outcome(folder):
    report = validate_dataset(folder)
    said = [str(p) for p in (*report.problems, *report.warnings)]
    try:
        workshops = [
            (w.workshop_id, w.territory, w.capacity_minutes_per_week) for w in load_cluster(folder).workshops
        ]
    except InvalidDataError:
        workshops = None
    return said, workshops


@pytest.mark.parametrize("delimiter", [",", ";"])
@pytest.mark.parametrize("cell", CELLS, ids=[repr(c) for c in CELLS])
def test_a_file_reads_the_same_as_with_every_column_looked_at(tmp_path, monkeypatch, cell, delimiter):
    folder = dataset(tmp_path / "d", cell, delimiter)
    quick = outcome(folder)
    monkeypatch.setattr(_tables._Looks, "of", classmethod(lambda cls, *args: cls()))
    assert quick == outcome(folder)


def test_a_clean_file_is_not_looked_at_column_by_column():
    looks = _tables._Looks.of(b"workshop_id,territory\nPIL-1,It\xc3\xa1\n", ",")
    assert looks == _tables._Looks(
        spaced=False, inert=False, controls=False, id_controls=False, odd_spaces=False
    )
    assert _tables._Looks.of(b"a,b\nx ,y\n", ",").spaced
    assert _tables._Looks.of(b"a,b\nx,\xc2\xa0y\n", ",").odd_spaces
    assert _tables._Looks.of(b"a,b\nx,\xc2\x85y\n", ",").id_controls
    quoted = _tables._Looks.of(b'a,b,c\nx,"y,z",w\n', ",")
    assert (
        not quoted.spaced and not quoted.controls and quoted.id_controls
    )  # a line break may be in a quoted id
    assert _tables._Looks.of(b'a,b\nx," y"\n', ",").spaced
    assert _tables._Looks.of(b"a,b\n'=x,y\n", ",").inert
