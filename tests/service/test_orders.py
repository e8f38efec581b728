"""Orders through the API: scope by territory and firm, filters, pages, versions, contract rules.

The world has O1 (F1, territories T1) and O2 (F2, territories T2), both 300 T-shirts due in 2 weeks.
"""

from __future__ import annotations

from datetime import date, timedelta

NEW = {"order_id": "O3", "product": "tshirt", "quantity": 120, "due_weeks": 1.5, "firm_id": "F1"}


def _ids(response) -> list[str]:
    assert response.status_code == 200, response.text
    return [o["order_id"] for o in response.json()["items"]]


def _fields(response) -> list[str]:
    assert response.status_code == 422, response.text
    return sorted(d["field"] for d in response.json()["error"]["details"])


def test_scope(world):
    assert _ids(world.as_("coordinator", "GET", "/orders")) == ["O1"]
    assert _ids(world.as_("coordinator2", "GET", "/orders")) == ["O2"]
    assert _ids(world.as_("lead_firm", "GET", "/orders")) == ["O1"]
    assert _ids(world.as_("lead_firm2", "GET", "/orders")) == ["O2"]
    assert _ids(world.as_("admin", "GET", "/orders")) == ["O1", "O2"]
    assert world.as_("coordinator", "GET", "/orders/O2").status_code == 404
    assert world.as_("lead_firm", "GET", "/orders/O2").status_code == 404
    for who in ("association_leader", "municipality"):
        assert world.as_(who, "GET", "/orders").status_code == 403
        assert world.as_(who, "GET", "/orders/O1").status_code == 403


def test_unrestricted_orders_reach_every_coordinator(world):
    r = world.as_("admin", "POST", "/orders", json={**NEW, "firm_id": "F2"})
    assert r.status_code == 201, r.text
    both = world.as_("admin", "POST", "/orders", json={**NEW, "order_id": "O4", "territories": ["T1", "T2"]})
    assert both.status_code == 201
    assert _ids(world.as_("coordinator", "GET", "/orders")) == ["O1", "O3", "O4"]
    assert _ids(world.as_("coordinator2", "GET", "/orders")) == ["O2", "O3", "O4"]
    assert _ids(world.as_("lead_firm", "GET", "/orders")) == ["O1", "O4"]
    assert world.as_("coordinator", "GET", "/orders/O3").status_code == 200
    assert _ids(world.as_("admin", "GET", "/orders", params={"territory": "T2"})) == ["O2", "O3", "O4"]
    assert _ids(world.as_("coordinator", "GET", "/orders", params={"territory": "T2"})) == ["O3", "O4"]
    assert _ids(world.as_("admin", "GET", "/orders", params={"firm_id": "F2"})) == ["O2", "O3"]


def test_get_and_pages(world):
    r = world.as_("lead_firm", "GET", "/orders/O1")
    assert r.status_code == 200 and r.headers["ETag"] == '"O1.1"'
    assert r.json() == {
        "order_id": "O1",
        "product": "tshirt",
        "quantity": 300,
        "due_weeks": 2.0,
        "firm_id": "F1",
        "min_quality": 1,
        "max_group_size": None,
        "territories": ["T1"],
        "require_formal": False,
        "processes": [],
        "extra": {},
        "version": 1,
    }
    r = world.as_("admin", "GET", "/orders", params={"limit": 1, "offset": 1})
    assert _ids(r) == ["O2"] and r.json()["total"] == 2
    assert _ids(world.as_("admin", "GET", "/orders", params={"product": "jeans"})) == []


def test_lead_firm_orders_for_itself(world):
    body = {k: v for k, v in NEW.items() if k != "firm_id"}
    r = world.as_("lead_firm", "POST", "/orders", json={**body, "territories": ["T2"]})
    assert r.status_code == 201, r.text
    assert r.json()["firm_id"] == "F1" and r.headers["Location"] == "/orders/O3"
    r = world.as_("lead_firm", "POST", "/orders", json={**body, "order_id": "O4", "firm_id": "F2"})
    assert r.status_code == 403 and "own firm" in r.json()["error"]["message"]
    star = {"If-Match": "*"}
    r = world.as_("lead_firm", "PATCH", "/orders/O3", json={"firm_id": "F2"}, headers=star)
    assert r.status_code == 403
    r = world.as_("lead_firm", "PATCH", "/orders/O3", json={"firm_id": None}, headers=star)
    assert r.status_code == 403
    r = world.as_("lead_firm", "PATCH", "/orders/O3", json={"quantity": 90}, headers=star)
    assert r.status_code == 200 and r.json()["quantity"] == 90
    assert (
        world.as_("lead_firm2", "PATCH", "/orders/O3", json={"quantity": 1}, headers=star).status_code == 404
    )
    assert world.as_("lead_firm2", "DELETE", "/orders/O3", headers=star).status_code == 404
    assert world.as_("lead_firm", "DELETE", "/orders/O3", headers=star).status_code == 204
    entries = world.as_("admin", "GET", "/audit", params={"entity_id": "O3"}).json()["items"]
    assert [(e["action"], e["username"]) for e in entries] == [
        ("delete", "lead_firm"),
        ("update", "lead_firm"),
        ("create", "lead_firm"),
    ]


def test_coordinator_orders_within_territories(world):
    r = world.as_("coordinator", "POST", "/orders", json={**NEW, "territories": ["T2"]})
    assert r.status_code == 403 and "T2" in r.json()["error"]["message"]
    r = world.as_("coordinator", "POST", "/orders", json={**NEW, "territories": ["T1", "T1 "]})
    assert r.status_code == 201 and r.json()["territories"] == ["T1"]
    r = world.as_(
        "coordinator", "PATCH", "/orders/O3", json={"territories": ["T2"]}, headers={"If-Match": "*"}
    )
    assert r.status_code == 403
    r = world.as_("coordinator", "PATCH", "/orders/O3", json={"territories": []}, headers={"If-Match": "*"})
    assert r.status_code == 200 and r.json()["territories"] == []
    assert world.as_("coordinator2", "GET", "/orders/O3").status_code == 200


def test_contract_rules_name_the_field(world):
    post = lambda **change: world.as_("coordinator", "POST", "/orders", json={**NEW, **change})  # noqa: E731
    assert _fields(post(quantity=0, due_weeks=0, min_quality=6, max_group_size=0)) == [
        "due_weeks",
        "max_group_size",
        "min_quality",
        "quantity",
    ]
    r = post(product="rocket")
    assert _fields(r) == ["product"] and "unknown product 'rocket'" in r.json()["error"]["message"]
    r = post(firm_id="F9")
    assert _fields(r) == ["firm_id"] and r.json()["error"]["message"] == "unknown lead firm F9"
    r = post(processes=["teleport"])
    assert _fields(r) == ["processes"] and "unknown process code 'teleport'" in r.json()["error"]["message"]
    r = post(processes=["embroidery"])
    assert _fields(r) == ["processes"]
    assert "embroidery is not in the routing of tshirt; give its minutes as embroidery:minutes" in r.text
    assert _fields(post(processes=["embroidery:0"])) == ["processes"]
    assert _fields(post(firm_id="F9", product="rocket")) == ["firm_id", "product"]
    assert world.as_("admin", "GET", "/orders").json()["total"] == 2
    r = post(processes=["sewing", "embroidery:2.5", {"process": "packing"}])
    assert r.status_code == 201, r.text
    assert r.json()["processes"] == [
        {"process": "sewing", "minutes_per_unit": 6.0},
        {"process": "embroidery", "minutes_per_unit": 2.5},
        {"process": "packing", "minutes_per_unit": 0.5},
    ]
    # Another product keeps the override, each step with its own minutes.
    r = world.as_("coordinator", "PATCH", "/orders/O3", json={"product": "jeans"}, headers={"If-Match": "*"})
    assert r.status_code == 200 and [s["minutes_per_unit"] for s in r.json()["processes"]] == [6.0, 2.5, 0.5]
    r = world.as_("coordinator", "PATCH", "/orders/O3", json={"quantity": None}, headers={"If-Match": "*"})
    assert _fields(r) == ["quantity"]
    r = world.as_(
        "coordinator", "PATCH", "/orders/O3", json={"max_group_size": None}, headers={"If-Match": "*"}
    )
    assert r.status_code == 200


def test_versions_and_idempotency(world):
    assert world.as_("coordinator", "PATCH", "/orders/O1", json={"quantity": 10}).status_code == 428
    r = world.as_("coordinator", "PATCH", "/orders/O1", json={"quantity": 10}, headers={"If-Match": '"O1.1"'})
    assert r.status_code == 200 and r.headers["ETag"] == '"O1.2"'
    r = world.as_("coordinator", "PATCH", "/orders/O1", json={"quantity": 11}, headers={"If-Match": '"O1.1"'})
    assert r.status_code == 412
    assert (
        world.as_("coordinator", "PATCH", "/orders/O1", json={"quantity": 11, "version": 1}).status_code
        == 409
    )
    assert world.as_("coordinator", "DELETE", "/orders/O1", headers={"If-Match": '"O1.1"'}).status_code == 412
    assert world.as_("admin", "GET", "/orders/O1").json()["quantity"] == 10
    key = {"Idempotency-Key": "order-3"}
    first = world.as_("lead_firm", "POST", "/orders", json=NEW, headers=key)
    again = world.as_("lead_firm", "POST", "/orders", json=NEW, headers=key)
    assert first.status_code == again.status_code == 201 and first.json() == again.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert (
        world.as_("lead_firm", "POST", "/orders", json={**NEW, "quantity": 1}, headers=key).status_code == 422
    )
    assert world.as_("lead_firm", "POST", "/orders", json=NEW).status_code == 409


def test_due_date_instead_of_weeks(world):
    body = {k: v for k, v in NEW.items() if k not in ("due_weeks", "firm_id")}
    r = world.as_(
        "lead_firm", "POST", "/orders", json={**body, "due_date": "2025-09-30", "as_of": "2025-09-02"}
    )
    assert r.status_code == 201, r.text
    assert r.json()["due_weeks"] == 4.0 and r.json()["firm_id"] == "F1"
    # Counted from today when no planning date is given: ten days is 1.43 weeks.
    soon = (date.today() + timedelta(days=10)).isoformat()
    r = world.as_("lead_firm", "POST", "/orders", json={**body, "order_id": "O4", "due_date": soon})
    assert r.status_code == 201 and r.json()["due_weeks"] == 1.43
    r = world.as_(
        "lead_firm",
        "PATCH",
        "/orders/O4",
        json={"due_date": "2025-10-14", "as_of": "2025-09-30"},
        headers={"If-Match": "*"},
    )
    assert r.status_code == 200 and r.json()["due_weeks"] == 2.0


def test_due_date_problems_name_the_field(world):
    body = {k: v for k, v in NEW.items() if k != "due_weeks"}
    post = lambda **change: world.as_("coordinator", "POST", "/orders", json={**body, **change})  # noqa: E731
    r = post()
    assert _fields(r) == ["due_weeks"] and "due_date" in r.json()["error"]["message"]
    assert _fields(post(due_weeks=2, due_date="2025-09-30")) == ["due_date"]
    r = post(due_date="2025-09-02", as_of="2025-09-02")
    assert _fields(r) == ["due_date"] and "2025-09-02" in r.json()["error"]["message"]
    assert _fields(post(due_weeks=2, as_of="2025-09-02")) == ["as_of"]
    assert _fields(post(due_date="30/09/2025")) == ["due_date"]
    # A wrong due date and a wrong product are answered together.
    wrong = post(due_date="2025-09-01", as_of="2025-09-02", product="rocket")
    assert _fields(wrong) == ["due_date", "product"]
    assert world.as_("admin", "GET", "/orders").json()["total"] == 2
    r = world.as_(
        "coordinator", "PATCH", "/orders/O1", json={"as_of": "2025-09-02"}, headers={"If-Match": "*"}
    )
    assert _fields(r) == ["as_of"]


def test_products_an_order_may_name(world):
    r = world.as_("lead_firm", "GET", "/products")
    assert r.status_code == 200, r.text
    products = {p["product"]: p for p in r.json()}
    assert list(products) == sorted(products)
    assert products["tshirt"]["made_in_cluster"] is True and products["jeans"]["made_in_cluster"] is False
    assert products["tshirt"]["processes"][0] == {"process": "cutting", "minutes_per_unit": 1.0}


def test_a_lead_firm_is_not_told_a_product_few_workshops_make(world):
    """Whether the cluster makes a product counts workshops: null for a lead firm under k (but not 0)."""
    r = world.as_(
        "coordinator",
        "PATCH",
        "/workshops/W1",
        json={"products": ["tshirt", "jeans"]},
        headers={"If-Match": "*"},
    )
    assert r.status_code == 200, r.text

    def made(who: str) -> dict:
        r = world.as_(who, "GET", "/products")
        assert r.status_code == 200, r.text
        return {p["product"]: p["made_in_cluster"] for p in r.json()}

    firm = made("lead_firm")
    # jeans: W1 alone (k = 4); tshirt: all eight; polo shirts: none
    assert (firm["jeans"], firm["tshirt"], firm["polo_shirt"]) == (None, True, False)
    assert made("coordinator")["jeans"] is True and made("admin")["jeans"] is True
    world.app.state.settings.k_anonymity = 1
    assert made("lead_firm")["jeans"] is True


def test_an_id_taken_outside_scope_says_nothing_of_the_order(world):
    """Order ids are shared: F1 cannot use F2's O2, and the answer says nothing of O2 or F2."""
    own = world.as_("lead_firm", "POST", "/orders", json={**NEW, "order_id": "O1"})
    assert own.status_code == 409 and own.json()["error"]["message"] == "order O1 already exists"
    for who, body in (("lead_firm", {**NEW, "order_id": "O2"}), ("coordinator", {**NEW, "order_id": "O2"})):
        for lang, said in (
            ("en", "the id O2 cannot be used; choose another"),
            ("es", "El identificador O2 no se puede usar; elija otro"),
        ):
            r = world.as_(who, "POST", "/orders", json=body, params={"lang": lang})
            assert r.status_code == 409, r.text
            assert r.json() == {"error": {"code": "conflict", "message": said, "details": []}}
            for word in ("exist", "F2", "T2", "Firm Two", "scope", "alcance"):
                assert word not in r.text, (who, word)
    assert world.as_("admin", "GET", "/orders/O2").json()["firm_id"] == "F2"
    # An admin, or a coordinator of T2, may read O2: to them it exists.
    for who in ("admin", "coordinator2"):
        r = world.as_(who, "POST", "/orders", json={**NEW, "order_id": "O2", "firm_id": "F2"})
        assert r.status_code == 409 and r.json()["error"]["message"] == "order O2 already exists", who


def test_an_id_beyond_latin_1_is_stored_read_changed_and_deleted(world):
    """Headers carry the id percent-encoded (Location) and an ETag of ASCII that If-Match takes back."""
    order_id = "Pedido-Ñeʼẽ"
    r = world.as_("coordinator", "POST", "/orders", json={**NEW, "order_id": order_id})
    assert r.status_code == 201, r.text
    assert r.headers["Location"] == "/orders/Pedido-%C3%91e%CA%BC%E1%BA%BD"
    assert r.headers["ETag"] == '"Pedido-%C3%91e%CA%BC%E1%BA%BD.1"'
    r = world.as_("coordinator", "GET", r.headers["Location"])
    assert r.status_code == 200 and r.json()["order_id"] == order_id
    etag = r.headers["ETag"]
    r = world.as_(
        "coordinator", "PATCH", f"/orders/{order_id}", json={"quantity": 7}, headers={"If-Match": etag}
    )
    assert r.status_code == 200, r.text
    assert r.json()["quantity"] == 7 and r.headers["ETag"] == '"Pedido-%C3%91e%CA%BC%E1%BA%BD.2"'
    stale = world.as_(
        "coordinator", "PATCH", f"/orders/{order_id}", json={"quantity": 8}, headers={"If-Match": etag}
    )
    assert stale.status_code == 412
    assert world.as_("coordinator", "GET", "/orders").status_code == 200
    r = world.as_("coordinator", "DELETE", f"/orders/{order_id}", headers={"If-Match": r.headers["ETag"]})
    assert r.status_code == 204
    assert world.as_("coordinator", "GET", f"/orders/{order_id}").status_code == 404


def test_control_characters_in_ids_are_refused(world):
    for change, field in (
        ({"order_id": "O\n3"}, "order_id"),
        ({"firm_id": "F\x001"}, "firm_id"),
        ({"territories": ["T1", "T\x002"]}, "territories"),
        ({"extra": {"note": "\x0b"}}, "extra"),
    ):
        r = world.as_("coordinator", "POST", "/orders", json={**NEW, **change})
        assert r.status_code == 422, r.text
        assert [d["field"] for d in r.json()["error"]["details"]] == [field]
    r = world.as_("coordinator", "GET", "/orders", params={"firm_id": "F\x001"})
    assert r.status_code == 422 and r.json()["error"]["details"][0]["field"] == "firm_id"
    assert world.as_("coordinator", "GET", "/orders/O%001").status_code == 422
