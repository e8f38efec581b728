"""Authorization cases of the page shells and their static files: open to anyone.

A shell holds nothing private; its data comes from routes that check the role
(``cases/views.py``, ``cases/shortlists.py``).
"""

from tests.service.matrix import MISSING, ORDER, OWN, Case, ids

ANYONE = {"anyone"}
order = ids(ORDER)

CASES = [
    Case("GET", "/", ANYONE, contexts=(OWN,)),
    Case("GET", "/ui", ANYONE, contexts=(OWN,)),
    Case("GET", "/ui/login", ANYONE, contexts=(OWN,)),
    Case("GET", "/ui/network", ANYONE, contexts=(OWN,)),
    Case("GET", "/ui/dashboard", ANYONE, contexts=(OWN,)),
    Case("GET", "/ui/mentoring", ANYONE, contexts=(OWN,)),
    Case("GET", "/ui/plan", ANYONE, contexts=(OWN,)),
    # The shell of any order id answers 200; the page shows what its data routes answer.
    Case(
        "GET",
        "/ui/orders/{order_id}/proposal",
        ANYONE,
        params=lambda r, w: {"order_id": order(r, w)},
        other=200,
        missing=200,
    ),
    Case(
        "GET",
        "/ui/orders/{order_id}/shortlist",
        ANYONE,
        params=lambda r, w: {"order_id": order(r, w)},
        other=200,
        missing=200,
    ),
    Case(
        "GET",
        "/ui/static/{name}",
        ANYONE,
        params=lambda r, w: {"name": "nope.js" if w == MISSING else "app.js"},
        other=200,
    ),
]
