"""Routes open to anyone."""

from tests.service.matrix import OWN, Case

CASES = [
    Case("GET", "/public/summary", {"anyone"}, contexts=(OWN,)),
    Case("GET", "/health", {"anyone"}, contexts=(OWN,)),
]
