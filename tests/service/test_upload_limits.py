"""Bounded uploads: a zip bomb or an oversized workbook is refused in seconds, said in both languages."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from matcher.io import _limits
from matcher.io._limits import Limits
from matcher_service.models import WorkshopRow
from tests.io.test_limits import bomb_rows, write_workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(scope="module")
def bomb(tmp_path_factory) -> bytes:
    path = tmp_path_factory.mktemp("bomb") / "cluster.xlsx"
    return write_workbook(path, {"workshops": bomb_rows(300 * 2**20)}).read_bytes()


def upload(content: bytes, name: str = "cluster.xlsx") -> list:
    return [("files", (name, content, XLSX))]


def workshops(world) -> int:
    with world.app.state.sessions() as session:
        return session.scalar(select(func.count()).select_from(WorkshopRow))


def test_a_zip_bomb_is_refused_in_seconds_naming_the_part_and_the_limit(world, bomb):
    before = workshops(world)
    start = time.perf_counter()
    r = world.as_("admin", "POST", "/imports", files=upload(bomb))
    elapsed = time.perf_counter() - start
    assert r.status_code == 422, r.text
    error = r.json()["error"]
    assert error["code"] == "invalid_data"
    assert error["message"].startswith("cluster.xlsx: the part xl/worksheets/sheet1.xml expands ")
    assert "above the limit of 100" in error["message"]
    assert error["details"][0]["key"] == "problem.limit_ratio"
    assert elapsed < 5
    r = world.as_("admin", "POST", "/imports", files=upload(bomb), headers={"Accept-Language": "es"})
    assert r.status_code == 422
    assert "se expande" in r.json()["error"]["message"] and "límite de 100" in r.json()["error"]["message"]
    assert workshops(world) == before


def _workbook(path: Path) -> bytes:
    book = Workbook()
    book.active.title = "workshops"
    book.active.append(["workshop_id", "territory", "workers", "products", "processes"])
    book.active.append(["W9", "T1", "3", "jeans", "sewing"])
    book.save(path)
    return path.read_bytes()


def test_a_workbook_too_large_uncompressed_answers_413_and_too_many_rows_422(world, tmp_path, monkeypatch):
    content = _workbook(tmp_path / "c.xlsx")
    monkeypatch.setattr(_limits, "LIMITS", Limits(uncompressed_bytes=4000))
    r = world.as_("coordinator", "POST", "/imports", params={"dry_run": True}, files=upload(content))
    assert r.status_code == 413, r.text
    error = r.json()["error"]
    assert error["code"] == "payload_too_large"
    assert error["message"].startswith("cluster.xlsx: the workbook is 1 MiB uncompressed, above the limit")
    r = world.as_("admin", "POST", "/imports", files=upload(content), headers={"Accept-Language": "es"})
    assert r.status_code == 413 and "sin comprimir" in r.json()["error"]["message"]
    monkeypatch.setattr(_limits, "LIMITS", Limits(rows=1))
    r = world.as_("admin", "POST", "/imports", files=upload(content))
    assert r.status_code == 422
    assert r.json()["error"]["message"] == (
        "cluster.xlsx:workshops: the sheet has more than 1 rows, the most a sheet may have"
    )
    monkeypatch.undo()
    r = world.as_("admin", "POST", "/imports", params={"dry_run": True}, files=upload(content))
    assert r.status_code == 200, r.text
