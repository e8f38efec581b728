from tests.service.matrix import OWN, Case

CASES = [Case("GET", "/audit", set(), contexts=(OWN,))]
