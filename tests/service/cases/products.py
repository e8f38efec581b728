from tests.service.matrix import OWN, Case

CASES = [Case("GET", "/products", {"coordinator", "lead_firm"}, contexts=(OWN,))]
