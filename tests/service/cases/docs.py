"""Authorization cases of the API docs and their static files: open to anyone."""

from tests.service.matrix import MISSING, OWN, Case

ANYONE = {"anyone"}

CASES = [
    Case("GET", "/docs", ANYONE, contexts=(OWN,)),
    Case("GET", "/docs/oauth2-redirect", ANYONE, contexts=(OWN,)),
    Case("GET", "/redoc", ANYONE, contexts=(OWN,)),
    Case(
        "GET",
        "/docs/static/{name}",
        ANYONE,
        params=lambda r, w: {"name": "nope.js" if w == MISSING else "swagger-ui.css"},
        other=200,
    ),
]
