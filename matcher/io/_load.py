"""Validate a dataset against the contract and build the domain objects."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from matcher.errors import Problem
from matcher.io._fields import CODE, Checker, _quote
from matcher.io._tables import FILES, Source, Table
from matcher.model import (
    DEFAULT_EFFICIENCY,
    DEFAULT_HOURS_PER_WEEK,
    DEFAULT_QUALITY,
    DEFAULT_STRENGTH,
    DIRECTED_TIE_KINDS,
    TIE_KINDS,
    Contact,
    LeadFirm,
    Order,
    RoutingStep,
    Tie,
    Workshop,
)
from matcher.routing import default_routings, known_processes, merge_routings

WORKSHOP_COLUMNS = (
    "workshop_id",
    "territory",
    "workers",
    "women_workers",
    "hours_per_week",
    "efficiency",
    "capacity_minutes_per_week",
    "committed_minutes_per_week",
    "products",
    "processes",
    "machines",
    "quality",
    "formal",
    "can_lead",
    "cost_per_minute",
    "organizations",
    "reliability",
)
TIE_COLUMNS = ("source", "target", "kind", "strength", "wave")
FIRM_COLUMNS = ("firm_id", "name", "territory")
ORDER_COLUMNS = (
    "order_id",
    "firm_id",
    "product",
    "quantity",
    "due_weeks",
    "min_quality",
    "max_group_size",
    "territories",
    "require_formal",
    "processes",
)
ROUTING_COLUMNS = ("product", "process", "minutes_per_unit")
CONTACT_COLUMNS = ("workshop_id", "owner_name", "phone", "address", "lat", "lon")
COLUMNS = {
    "workshops": WORKSHOP_COLUMNS,
    "ties": TIE_COLUMNS,
    "lead_firms": FIRM_COLUMNS,
    "orders": ORDER_COLUMNS,
    "routings": ROUTING_COLUMNS,
    "contacts": CONTACT_COLUMNS,
}
REQUIRED = {
    "workshops": ("workshop_id", "territory", "workers", "products", "processes"),
    "ties": ("source", "target", "kind"),
    "lead_firms": ("firm_id",),
    "orders": ("order_id", "product", "quantity", "due_weeks"),
    "routings": ("product", "process", "minutes_per_unit"),
    "contacts": ("workshop_id",),
}
MACHINE = re.compile(r"^([^:]+):\s*(\d+)$")
STEP = re.compile(r"^([^:]+)(?::\s*(.+))?$")


@dataclass
class Loaded:
    """The outcome of validation: objects (when valid), problems and warnings."""

    workshops: list[Workshop] = field(default_factory=list)
    ties: list[Tie] = field(default_factory=list)
    lead_firms: list[LeadFirm] = field(default_factory=list)
    orders: list[Order] = field(default_factory=list)
    routings: dict[str, tuple[RoutingStep, ...]] = field(default_factory=dict)
    contacts: list[Contact] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)


def _extra(table: Table) -> list[tuple[tuple[str, str], ...]]:
    known = set(COLUMNS[table.name])
    extra = [c for c in table.frame.columns if c not in known and c]
    if not extra:
        return [()] * len(table.frame)
    cells = table.frame[extra].to_numpy(dtype=object)
    return [tuple((c, v) for c, v in zip(extra, row, strict=True) if v) for row in cells]


def _routings(table: Table | None, out: Loaded) -> dict[str, tuple[RoutingStep, ...]]:
    own: dict[str, list[RoutingStep]] = {}
    if table is not None:
        check = Checker(table, out.problems)
        if check.require_columns(REQUIRED["routings"]):
            product = check.code("product", known=None, what="product")
            process = check.code("process", known=None, what="process")
            minutes = check.number("minutes_per_unit", required=True, low=0, low_open=True)
            check.unique(
                "process", [(p, q) if p and q else None for p, q in zip(product, process, strict=True)]
            )
            for p, q, m in zip(product, process, minutes, strict=True):
                if p and q and m is not None and CODE.match(p) and CODE.match(q):
                    own.setdefault(p, []).append(RoutingStep(q, m))
    return merge_routings(default_routings(), {p: tuple(s) for p, s in own.items()})


def _machines(check: Checker) -> list[tuple[tuple[str, int], ...]]:
    lists = check.items("machines")
    parsed: list[tuple[tuple[str, int], ...]] = []
    bad = np.zeros(len(lists), dtype=bool)
    for i, items in enumerate(lists):
        row = []
        for item in items:
            match = MACHINE.match(item)
            if match:
                row.append((match.group(1).strip(), int(match.group(2))))
            else:
                bad[i] = True
        parsed.append(tuple(row))
    check.report(
        bad,
        "machines",
        lambda i: (
            "machines are written type:count separated by ; "
            f"(like straight_stitch:3;overlock:1), got {_quote(check.raw('machines').iat[i])}"
        ),
    )
    return parsed


def _workshops(table: Table, out: Loaded, products: set[str], processes: frozenset[str]) -> None:
    check = Checker(table, out.problems, out.warnings)
    if not check.require_columns(REQUIRED["workshops"]):
        return
    ids = check.text("workshop_id", required=True)
    check.unique("workshop_id", ids)
    territory = check.text("territory", required=True)
    workers = check.integer("workers", required=True, low=1)
    women = check.integer("women_workers", low=0)
    over = np.array([w is not None and k is not None and w > k for w, k in zip(women, workers, strict=True)])
    check.report(
        over,
        "women_workers",
        lambda i: f"{women[i]} women among {workers[i]} workers; women_workers cannot exceed workers",
    )
    hours = check.number("hours_per_week", default=DEFAULT_HOURS_PER_WEEK, low=0, low_open=True)
    efficiency = check.number("efficiency", default=DEFAULT_EFFICIENCY, low=0, high=1, low_open=True)
    capacity = check.number("capacity_minutes_per_week", low=0)
    committed = check.number("committed_minutes_per_week", default=0.0, low=0)
    hint = "; or describe it in routings.csv"
    made = check.codes("products", known=products, what="product", required=True, hint=hint)
    done = check.codes("processes", known=processes, what="process", required=True, hint=hint)
    machines = _machines(check)
    quality = check.integer("quality", default=DEFAULT_QUALITY, low=1, high=5)
    formal = check.boolean("formal")
    can_lead = check.boolean("can_lead")
    cost = check.number("cost_per_minute", low=0)
    organizations = check.items("organizations")
    reliability = check.number("reliability", low=0, high=1)
    extra = _extra(table)
    out.counts[table.label] = len(check)
    if out.problems:
        return
    out.workshops = [
        Workshop(
            workshop_id=ids[i],
            territory=territory[i],
            workers=workers[i],
            products=made[i],
            processes=done[i],
            women_workers=women[i],
            hours_per_week=hours[i],
            efficiency=efficiency[i],
            capacity_minutes_per_week=capacity[i],
            committed_minutes_per_week=committed[i],
            machines=machines[i],
            quality=quality[i],
            formal=formal[i],
            can_lead=can_lead[i],
            cost_per_minute=cost[i],
            organizations=organizations[i],
            reliability=reliability[i],
            extra=extra[i],
        )
        for i in range(len(check))
    ]


def _lead_firms(table: Table, out: Loaded) -> set[str]:
    check = Checker(table, out.problems, out.warnings)
    out.counts[table.label] = len(check)
    if not check.require_columns(REQUIRED["lead_firms"]):
        return set()
    ids = check.text("firm_id", required=True)
    check.unique("firm_id", ids)
    names = check.text("name")
    territory = check.text("territory")
    out.lead_firms = [LeadFirm(f, n, t) for f, n, t in zip(ids, names, territory, strict=True) if f]
    return {f for f in ids if f}


def _ties(table: Table, out: Loaded, workshop_ids: set[str] | None) -> None:
    check = Checker(table, out.problems, out.warnings)
    out.counts[table.label] = len(check)
    if not check.require_columns(REQUIRED["ties"]):
        return
    source = check.text("source", required=True)
    target = check.text("target", required=True)
    if workshop_ids is not None:
        for column, ends in (("source", source), ("target", target)):
            unknown = np.array([e is not None and e not in workshop_ids for e in ends])
            check.report(
                unknown,
                column,
                lambda i, ends=ends: (
                    f"unknown workshop {_quote(ends[i] or '')}; "
                    "every tie must join workshops listed in workshops.csv"
                ),
            )
    self_tie = np.array([s is not None and s == t for s, t in zip(source, target, strict=True)])
    check.report(self_tie, "target", "a workshop cannot be tied to itself")
    kind = check.code("kind", known=TIE_KINDS, what="tie kind")
    strength = check.integer("strength", default=DEFAULT_STRENGTH, low=1, high=5)
    wave = check.text("wave")
    keys = []
    for s, t, k, w in zip(source, target, kind, wave, strict=True):
        if s is None or t is None or k is None or s == t:
            keys.append(None)
            continue
        pair = (s, t) if k in DIRECTED_TIE_KINDS or s <= t else (t, s)
        keys.append((k, w, *pair))
    _duplicate_ties(check, keys)
    if out.problems:
        return
    out.ties = [
        Tie(s, t, k, st, w)  # type: ignore[arg-type]
        for s, t, k, st, w in zip(source, target, kind, strength, wave, strict=True)
    ]


def _duplicate_ties(check: Checker, keys: list) -> None:
    first: dict[tuple, int] = {}
    dup = np.zeros(len(keys), dtype=bool)
    for i, key in enumerate(keys):
        if key is None:
            continue
        if key in first:
            dup[i] = True
        else:
            first[key] = int(check.rows[i])
    check.report(
        dup,
        None,
        lambda i: (
            f"the same {keys[i][0]} tie between {keys[i][2]} and {keys[i][3]}"
            + (f" in wave {keys[i][1]}" if keys[i][1] else "")
            + f" is already on row {first[keys[i]]}"
        ),
    )


def _steps(
    cell: tuple[str, ...],
    base: dict[str, float],
    processes: frozenset[str],
    product: str | None,
) -> tuple[tuple[RoutingStep, ...], list[str]]:
    steps, errors = [], []
    for item in cell:
        match = STEP.match(item)
        name = match.group(1).strip() if match else item
        minutes_text = match.group(2) if match else None
        if not CODE.match(name) or name not in processes:
            errors.append(f"unknown process code {_quote(name)}")
            continue
        if minutes_text is None:
            if name not in base:
                errors.append(
                    f"{name} is not in the routing of {product}; give its minutes as {name}:minutes"
                )
                continue
            steps.append(RoutingStep(name, base[name]))
            continue
        try:
            minutes = float(minutes_text)
        except ValueError:
            minutes = float("nan")
        if not np.isfinite(minutes) or minutes <= 0:
            errors.append(f"minutes of {name} must be a number > 0, got {_quote(minutes_text)}")
            continue
        steps.append(RoutingStep(name, minutes))
    return tuple(steps), errors


def _orders(
    table: Table,
    out: Loaded,
    firms: set[str] | None,
    territories: set[str],
    routings: dict[str, tuple[RoutingStep, ...]],
    products: set[str],
    processes: frozenset[str],
) -> None:
    check = Checker(table, out.problems, out.warnings)
    out.counts[table.label] = len(check)
    if not check.require_columns(REQUIRED["orders"]):
        return
    ids = check.text("order_id", required=True)
    check.unique("order_id", ids)
    firm = check.text("firm_id")
    if firms is None:
        check.report(
            np.array([f is not None for f in firm]),
            "firm_id",
            lambda i: f"firm {_quote(firm[i] or '')} is given but there is no lead_firms.csv listing firms",
        )
    else:
        check.report(
            np.array([f is not None and f not in firms for f in firm]),
            "firm_id",
            lambda i: f"unknown firm {_quote(firm[i] or '')}; add it to lead_firms.csv",
        )
    product = check.code("product", known=products, what="product", hint="; or describe it in routings.csv")
    no_route = np.array([p is not None and p in products and not routings.get(p) for p in product])
    check.report(
        no_route, "product", lambda i: f"no routing for product {product[i]}; add it to routings.csv"
    )
    quantity = check.integer("quantity", required=True, low=1)
    due = check.number("due_weeks", required=True, low=0, low_open=True)
    min_quality = check.integer("min_quality", default=1, low=1, high=5)
    cap = check.integer("max_group_size", low=1)
    allowed = check.items("territories")
    strange = np.array([any(t not in territories for t in ts) for ts in allowed])
    check.report(
        strange,
        "territories",
        lambda i: (
            "no workshop is in "
            + ", ".join(_quote(t) for t in allowed[i] if t not in territories)
            + "; the order can only go to listed ones"
        ),
        warning=True,
    )
    formal = check.boolean("require_formal")
    overrides = check.items("processes")
    steps: list[tuple[RoutingStep, ...]] = []
    step_errors: list[list[str]] = []
    for p, cell in zip(product, overrides, strict=True):
        base = {s.process: s.minutes_per_unit for s in routings.get(p or "", ())}
        parsed, errors = _steps(cell, base, processes, p)
        steps.append(parsed)
        step_errors.append(errors)
    check.report(np.array([bool(e) for e in step_errors]), "processes", lambda i: "; ".join(step_errors[i]))
    extra = _extra(table)
    if out.problems:
        return
    out.orders = [
        Order(
            order_id=ids[i],
            product=product[i],
            quantity=quantity[i],
            due_weeks=due[i],  # type: ignore[arg-type]
            firm_id=firm[i],
            min_quality=min_quality[i],
            max_group_size=cap[i],
            territories=allowed[i],
            require_formal=formal[i],
            processes=steps[i],
            extra=extra[i],
        )
        for i in range(len(check))
    ]


def _contacts(table: Table, out: Loaded, workshop_ids: set[str] | None) -> None:
    check = Checker(table, out.problems, out.warnings)
    out.counts[table.label] = len(check)
    if not check.require_columns(REQUIRED["contacts"]):
        return
    ids = check.text("workshop_id", required=True)
    check.unique("workshop_id", ids)
    if workshop_ids is not None:
        check.report(
            np.array([w is not None and w not in workshop_ids for w in ids]),
            "workshop_id",
            lambda i: f"unknown workshop {_quote(ids[i] or '')}; contacts must be of listed workshops",
        )
    owner, phone, address = check.text("owner_name"), check.text("phone"), check.text("address")
    lat = check.number("lat", low=-90, high=90)
    lon = check.number("lon", low=-180, high=180)
    raw_lat, raw_lon = check.raw("lat"), check.raw("lon")
    half = ((raw_lat == "") != (raw_lon == "")).to_numpy()
    check.report(half, "lat", "give both lat and lon, or neither")
    if out.problems:
        return
    out.contacts = [
        Contact(w, o, p, a, la, lo)  # type: ignore[arg-type]
        for w, o, p, a, la, lo in zip(ids, owner, phone, address, lat, lon, strict=True)
    ]


def _in_file_order(problem: Problem) -> tuple:
    """Workshops first, then ties, firms, orders, routings, contacts; by row within a file."""
    name = problem.file.rsplit(":", 1)[-1].removesuffix(".csv")
    rank = FILES.index(name) if name in FILES else -1
    return (rank, problem.file, problem.row or 0, problem.column or "", problem.message)


def load_source(source: Source) -> Loaded:
    """Validate every table of a source; objects are built only where all is valid."""
    out = Loaded(problems=list(source.problems), warnings=list(source.warnings))
    tables = source.tables
    routings = _routings(tables.get("routings"), out)
    products = set(routings)
    processes = known_processes(routings)
    if "routings" in tables:
        out.counts[tables["routings"].label] = len(tables["routings"].frame)
    workshop_ids: set[str] | None = None
    territories: set[str] = set()
    if "workshops" in tables:
        _workshops(tables["workshops"], out, products, processes)
        frame = tables["workshops"].frame
        if "workshop_id" in frame.columns:
            workshop_ids = set(frame["workshop_id"]) - {""}
        if "territory" in frame.columns:
            territories = set(frame["territory"]) - {""}
    firms = _lead_firms(tables["lead_firms"], out) if "lead_firms" in tables else None
    if "ties" in tables:
        _ties(tables["ties"], out, workshop_ids)
    if "orders" in tables:
        _orders(tables["orders"], out, firms, territories, routings, products, processes)
    if "contacts" in tables:
        _contacts(tables["contacts"], out, workshop_ids)
    out.routings = routings
    out.problems.sort(key=_in_file_order)
    return out
