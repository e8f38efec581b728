"""The fields of a scenario, read from text items and checked against the cluster.

A CSV cell holds a list of items separated by ``;`` (or ``,`` not followed by
a digit, as in the dataset's lists); a TOML value is turned into the same
items by ``read``. Each reader here takes the items of one field and gives its
value, recording a :class:`~matcher.errors.Problem` (file, row, field) for
every bad item, so that every problem of a file is reported at once.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from matcher.develop.costs import KINDS
from matcher.develop.interventions import Intervention
from matcher.errors import InvalidOptionError, Problem
from matcher.io._fields import FALSE, TRUE, in_quotes, unknown_code
from matcher.io._names import codes_of, nearest, normal
from matcher.model import TIE_KINDS, Cluster, Tie
from matcher.optimize import MatchOptions, Rules
from matcher.sweep.scenario import ALL_ORDERS

__all__ = ["Fields", "number", "unknown_field"]

#: Interventions that name a target (a process, a product, a quality level, another workshop).
TARGETED = ("learn_process", "learn_product", "quality_level", "introduce")
#: Interventions whose workshop may carry an amount (``add_worker:A1x2``).
COUNTED = ("add_worker", "add_hours")
_AMOUNT = re.compile(r"^(.+)x(\d+)$")
_WHOLE = re.compile(r"^[+-]?\d+$")


def number(text: str) -> float | None:
    """A number as people write it (``1.5``, ``1,5``, ``+2``), or None."""
    text = text.strip()
    if text.count(",") == 1 and "." not in text:
        text = text.replace(",", ".")
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _typed(text: str) -> Any:
    """A rule's value: a whole number, a number, or a word (lower case)."""
    if _WHOLE.match(text):
        return int(text)
    value = number(text)
    return value if value is not None else text.lower()


def _order_item(item: str, orders: Iterable[str]) -> tuple[str, str]:
    """``ORDER:VALUE`` as (order, value); a plain value (or ``*:VALUE``) as (``*``, value).

    An item whose part before the first ``:`` is not an order id is returned whole
    for every order: the reader of the field says what is wrong with it.
    """
    head, sep, tail = item.partition(":")
    head = head.strip()
    if sep and (head == ALL_ORDERS or head in orders):
        return head, tail.strip()
    return ALL_ORDERS, item.strip()


@dataclass
class Fields:
    """Reads the fields of the scenarios of one file against one cluster; ``problems`` collects."""

    file: str
    cluster: Cluster
    problems: list[Problem] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.orders = {o.order_id for o in self.cluster.orders}
        self.workshops = set(self.cluster.workshop_ids)
        self.territory_names = {normal(w.territory): w.territory for w in self.cluster.workshops}
        processes = {s.process for steps in self.cluster.routings.values() for s in steps}
        processes |= {p for w in self.cluster.workshops for p in w.processes}
        self.processes = processes
        self.process_names = codes_of("process", processes)
        self.products = set(self.cluster.routings)
        self.product_names = codes_of("product", self.products)
        self.kind_names = codes_of("kind", TIE_KINDS)

    def problem(self, row: int | None, column: str, key: str, **args: Any) -> None:
        self.problems.append(Problem.of(self.file, row, column, key, **args))

    def _unknown(self, row: int | None, column: str, what: str, ids: Iterable[str]) -> None:
        ids = sorted(set(ids))
        if ids:
            self.problem(row, column, f"unknown.{what}", ids=ids, count=len(ids))

    def _said(self, row: int | None, column: str, exc: InvalidOptionError, order_id: str | None) -> None:
        for m in exc.messages:
            if order_id is None:
                self.problem(row, column, m.key, **m.args)
            else:
                self.problem(row, column, "option.in_order", order_id=order_id, problem=m.to_dict())

    # -- single values ----------------------------------------------------
    def boolean(self, row: int | None, column: str, items: list[str]) -> bool | None:
        text = " ".join(items).strip().lower()
        if text in TRUE:
            return True
        if text in FALSE:
            return False
        self.problem(row, column, "problem.not_boolean", value=in_quotes(" ".join(items)))
        return None

    def whole(self, row: int | None, column: str, items: list[str], low: int) -> int | None:
        text = " ".join(items).strip()
        value = number(text)
        if value is None or value != int(value):
            self.problem(row, column, "problem.not_whole", value=in_quotes(text))
            return None
        if value < low:
            self.problem(row, column, "problem.whole_at_least", value=text, low=low)
            return None
        return int(value)

    # -- lists ------------------------------------------------------------
    def rules(
        self, row: int | None, column: str, items: list[str]
    ) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
        """``RULE=VALUE`` for the run, ``ORDER:RULE=VALUE`` for one order; checked as the matcher would."""
        run: dict[str, Any] = {}
        per_order: dict[str, dict[str, Any]] = {}
        for item in items:
            order_id, setting = _order_item(item, self.orders)
            name, sep, raw = setting.partition("=")
            if ":" in name:  # ORDER:RULE=VALUE of an order the cluster does not have
                self._unknown(row, column, "order", [name.partition(":")[0].strip()])
                continue
            name, raw = normal(name), raw.strip()
            if not sep or not name or not raw:
                self.problem(row, column, "sweep.rule_format", value=in_quotes(item))
                continue
            target = run if order_id == ALL_ORDERS else per_order.setdefault(order_id, {})
            target[name] = _typed(raw)
        try:
            rules = Rules().updated(run)
        except InvalidOptionError as exc:
            self._said(row, column, exc, None)
            rules = Rules()  # the orders' changes are still checked, on the default rules
        for order_id, changes in per_order.items():
            try:
                rules.updated(changes)
            except InvalidOptionError as exc:
                self._said(row, column, exc, order_id)
        return run, per_order

    def check_caps(self, row: int | None, column: str, options: MatchOptions) -> None:
        """No order's fewest members is above its group-size cap under the scenario's options
        (the matcher would refuse the run: :func:`matcher.optimize.solve_orders`)."""
        for order in self.cluster.orders:
            rules = options.rules_for(order.order_id)
            cap = order.max_group_size if order.max_group_size is not None else options.max_group_size
            if rules.required("small"):
                cap = rules.small_max if cap is None else min(cap, rules.small_max)
            if cap is not None and rules.min_group_size > cap:
                args = {"order_id": order.order_id, "min_group_size": rules.min_group_size, "cap": cap}
                self.problem(row, column, "option.min_above_cap", **args)

    def weeks(self, row: int | None, column: str, items: list[str], *, shift: bool) -> dict[str, float]:
        """``WEEKS`` for every order, ``ORDER:WEEKS`` for one: new due dates, or weeks added (``shift``)."""
        found: dict[str, float] = {}
        for item in items:
            order_id, text = _order_item(item, self.orders)
            value = number(text)
            head, sep, _ = item.partition(":")
            if value is None and sep and order_id == ALL_ORDERS and head.strip() != ALL_ORDERS:
                self._unknown(row, column, "order", [head.strip()])
            elif value is None:
                self.problem(row, column, "sweep.weeks_format", value=in_quotes(item))
            elif not shift and value <= 0:
                self.problem(row, column, "problem.number_above", value=text, low=0)
            else:
                found[order_id] = value
        return found

    def check_due(self, row: int | None, column: str, due: dict[str, float], extra: dict[str, float]) -> None:
        """Every due date a shift leaves stays after week 0 (the orders it does not, in one problem)."""
        late: dict[str, float] = {}
        for order in self.cluster.orders:
            added = extra.get(order.order_id, extra.get(ALL_ORDERS))
            if added is not None:
                weeks = due.get(order.order_id, due.get(ALL_ORDERS, order.due_weeks)) + added
                if weeks <= 0:
                    late[order.order_id] = weeks
        if late:
            args = {"orders": list(late), "count": len(late), "weeks": min(late.values())}
            self.problem(row, column, "sweep.due_not_positive", **args)

    def territories(self, row: int | None, column: str, items: list[str]) -> dict[str, tuple[str, ...]]:
        """``TERRITORY`` for every order, ``ORDER:TERRITORY`` for one; ``*`` lifts the restriction."""
        found: dict[str, list[str]] = {}
        unknown_orders, unknown = [], []
        for item in items:
            name = self.territory_names.get(normal(item))
            order_id, text = (ALL_ORDERS, item) if name else _order_item(item, self.orders)
            listed = found.setdefault(order_id, [])
            if text == ALL_ORDERS:
                listed.append(ALL_ORDERS)
            elif (name := self.territory_names.get(normal(text))) is not None:
                listed.append(name)
            elif ":" in item and order_id == ALL_ORDERS:
                unknown_orders.append(item.partition(":")[0].strip())
            else:
                unknown.append(text)
        self._unknown(row, column, "order", unknown_orders)
        self._unknown(row, column, "territory", unknown)
        return {o: () if ALL_ORDERS in names else tuple(dict.fromkeys(names)) for o, names in found.items()}

    def workshop_ids(self, row: int | None, column: str, items: list[str]) -> tuple[str, ...]:
        self._unknown(row, column, "workshop", (w for w in items if w not in self.workshops))
        return tuple(dict.fromkeys(w for w in items if w in self.workshops))

    def ties(self, row: int | None, column: str, items: list[str]) -> tuple[Tie, ...]:
        """``A:B:KIND`` or ``A:B:KIND:STRENGTH`` (kinds in English or Spanish)."""
        found = []
        for item in items:
            parts = [p.strip() for p in item.split(":")]
            if len(parts) not in (3, 4) or not all(parts):
                self.problem(row, column, "sweep.tie_format", value=in_quotes(item))
                continue
            source, target, written = parts[:3]
            kind = self.kind_names.get(normal(written))
            strength = 3 if len(parts) == 3 else number(parts[3])
            ok = self._known_pair(row, column, source, target)
            if kind is None:
                key, args = unknown_code("kind", written, TIE_KINDS, self.kind_names, "")
                self.problem(row, column, key, **args)
            elif strength is None or strength != int(strength) or not 1 <= strength <= 5:
                self.problem(row, column, "problem.whole_between", value=parts[3], low=1, high=5)
            elif ok:
                found.append(Tie(source, target, kind, int(strength)))
        return tuple(found)

    def _known_pair(self, row: int | None, column: str, a: str, b: str) -> bool:
        self._unknown(row, column, "workshop", (w for w in (a, b) if w not in self.workshops))
        if a == b:
            self.problem(row, column, "problem.self_tie")
            return False
        return a in self.workshops and b in self.workshops

    def interventions(self, row: int | None, column: str, items: list[str]) -> tuple[Intervention, ...]:
        """Keys as :attr:`matcher.develop.Intervention.key` writes them: ``kind:workshop[:target][xN]``."""
        found = []
        for item in items:
            made = self._intervention(row, column, item)
            if made is not None:
                found.append(made)
        return tuple(found)

    def _intervention(self, row: int | None, column: str, item: str) -> Intervention | None:
        parts = [p.strip() for p in item.split(":")]
        kind = normal(parts[0])
        if kind not in KINDS:
            self.problem(row, column, "plan.cost_kind", value=parts[0], kinds=sorted(KINDS))
            return None
        if len(parts) != (3 if kind in TARGETED else 2) or not all(parts):
            self.problem(row, column, "sweep.intervention_format", value=in_quotes(item))
            return None
        workshop, amount = parts[1], 1
        if workshop not in self.workshops and kind in COUNTED and (m := _AMOUNT.match(workshop)):
            workshop, amount = m.group(1), int(m.group(2))
            if amount < 1:
                self.problem(row, column, "problem.whole_at_least", value=m.group(2), low=1)
                return None
        if workshop not in self.workshops:
            self._unknown(row, column, "workshop", [workshop])
            return None
        target = parts[2] if kind in TARGETED else ""
        check: dict[str, Callable[[str], str | None]] = {
            "learn_process": lambda t: self._code(row, column, "process", t),
            "learn_product": lambda t: self._code(row, column, "product", t),
            "quality_level": lambda t: self._level(row, column, t),
            "introduce": lambda t: t if self._known_pair(row, column, workshop, t) else None,
        }
        if kind in check:
            target = check[kind](target)
            if target is None:
                return None
        return Intervention(kind, workshop, target, amount)

    def _code(self, row: int | None, column: str, group: str, written: str) -> str | None:
        names = self.process_names if group == "process" else self.product_names
        code = names.get(written, names.get(normal(written)))
        if code is None:
            known = self.processes if group == "process" else self.products
            key, args = unknown_code(group, written, known, names, "routings.csv")
            self.problem(row, column, key, **args)
        return code

    def _level(self, row: int | None, column: str, written: str) -> str | None:
        value = number(written)
        if value is None or value != int(value) or not 1 <= value <= 5:
            self.problem(row, column, "problem.whole_between", value=written, low=1, high=5)
            return None
        return str(int(value))


def unknown_field(written: str, names: Mapping[str, str]) -> tuple[str, dict[str, Any]]:
    """What an unknown column or key is told: the field it looks like (``names``: every accepted
    name, normalized, to its field), else every field."""
    guess = nearest(written, names)
    if guess is not None:
        return "sweep.unknown_field_near", {"value": written, "suggestion": guess}
    return "sweep.unknown_field", {"value": written, "fields": list(dict.fromkeys(names.values()))}
