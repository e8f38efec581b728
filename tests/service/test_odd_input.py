"""Odd but well-formed requests the fuzzer found: each answers 2xx or a 422 naming the field, never 500."""

from __future__ import annotations

from datetime import datetime


def _etag(world, path: str) -> str:
    return world.as_("coordinator", "GET", path).headers["ETag"]


def test_null_clears_a_workshops_collections(world):
    body = {"extra": None, "machines": None, "organizations": None}
    r = world.as_(
        "coordinator",
        "PATCH",
        "/workshops/W2",
        json=body,
        headers={"If-Match": _etag(world, "/workshops/W2")},
    )
    assert r.status_code == 200, r.text
    assert (r.json()["extra"], r.json()["machines"], r.json()["organizations"]) == ({}, {}, [])


def test_null_for_a_field_that_needs_a_value_is_refused_naming_it(world):
    for field in ("processes", "territory", "workers", "quality"):
        r = world.as_(
            "coordinator",
            "PATCH",
            "/workshops/W2",
            json={field: None},
            headers={"If-Match": _etag(world, "/workshops/W2")},
        )
        assert r.status_code == 422, (field, r.text)
        assert field in r.text


def test_numbers_beyond_any_row_or_page_are_refused(world):
    for path in (
        "/ties/99999999999999999999",
        "/users/38604108961463492608",
        "/ties?offset=18446744073709551617",
    ):
        r = world.as_("admin", "GET", path)
        assert r.status_code == 422, (path, r.text)
    r = world.as_("coordinator", "GET", "/analysis/network?seed=18446744073709551617")
    assert r.status_code == 422, r.text


def test_every_moment_is_sent_with_its_time_zone(world):
    for path, field in (("/jobs/J1", "created_at"), ("/users/1", "created_at"), ("/me/api-keys", None)):
        r = world.as_("admin" if path != "/jobs/J1" else "coordinator", "GET", path)
        assert r.status_code == 200, r.text
        body = r.json()
        moments = [body[field]] if field else [k["created_at"] for k in body]
        for moment in moments:
            assert datetime.fromisoformat(moment).tzinfo is not None, moment
