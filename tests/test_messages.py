"""Messages: English rendered from one template per key, and a page template per key in each language."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from matcher.messages import ENGLISH, Message, change_message, paired_texts
from matcher.model import Order, Workshop
from matcher.optimize import OrderResult
from matcher.optimize._problem import ineligibility
from matcher.optimize.rules import RULES

MATCHER = Path(__file__).resolve().parents[1] / "matcher"
CATALOGUES = {
    lang: json.loads((MATCHER / "views" / "static" / "i18n" / f"{lang}.json").read_text(encoding="utf-8"))
    for lang in ("es", "en")
}
FIELD = re.compile(r"\{(\w+)(?::(\w+)|\|([^{}|]*)\|([^{}|]*))?\}")

#: One case per key: its arguments and the English the optimizer wrote for them before
#: messages existed (the same f-strings, worked out by hand).
EXAMPLES: list[tuple[str, dict, str]] = [
    (
        "plan.all_filled",
        {"orders": 10},
        "The matcher already fills every order (10 orders); there is nothing to unlock.",
    ),
    (
        "plan.budget_below",
        {"budget": 10, "kind": "introduce", "cost": 60.0},
        "the budget 10 is below the cheapest intervention (introduce, 60); give a budget of at least 60",
    ),
    (
        "plan.budget_number",
        {"got": "-5"},
        "the budget must be a number > 0, got -5",
    ),
    (
        "plan.confirmed",
        {"count": 35, "cost": 21850.0, "units": 20000, "planned": 20000, "orders": ["O10"]},
        "With all 35 interventions applied (cost 21,850), solving every order again fills 20,000 more "
        "units; orders now filled: O10.",
    ),
    (
        "plan.cost_kind",
        {"value": "teleport", "kinds": ["add_hours", "formalise"]},
        "\"teleport\" is not a kind of intervention; kinds are add_hours, formalise",
    ),
    (
        "plan.cost_kind_option",
        {"value": "teleport", "kinds": ["add_hours", "formalise"]},
        "unknown intervention kind 'teleport' in the costs; kinds are add_hours, formalise",
    ),
    (
        "plan.cost_missing_column",
        {"columns": ["kind", "cost"]},
        "required column is missing; a cost table has the columns kind, cost (unit and description optional)",
    ),
    (
        "plan.cost_number",
        {"value": "abc"},
        "\"abc\" is not a cost; give a number > 0",
    ),
    (
        "plan.cost_option",
        {"kind": "formalise", "got": "-1"},
        "the cost of formalise must be a number > 0, got -1",
    ),
    (
        "plan.cost_twice",
        {"value": "add_worker"},
        "the kind \"add_worker\" is given twice; keep one row",
    ),
    (
        "plan.do.add_hours",
        {"workshop_id": "A", "target": "", "amount": 16.0},
        "A works 16 more hours a week per operator",
    ),
    (
        "plan.do.add_worker",
        {"workshop_id": "A", "target": "", "amount": 1},
        "A takes on 1 more operator",
    ),
    (
        "plan.do.formalise",
        {"workshop_id": "A", "target": "", "amount": 1},
        "A registers for tax (RUC)",
    ),
    (
        "plan.do.introduce",
        {"workshop_id": "A", "target": "B", "amount": 1},
        "introduce A and B (a new working tie)",
    ),
    (
        "plan.do.learn_process",
        {"workshop_id": "A", "target": "embroidery", "amount": 1},
        "A learns embroidery",
    ),
    (
        "plan.do.learn_product",
        {"workshop_id": "A", "target": "jeans", "amount": 1},
        "A learns to make jeans",
    ),
    (
        "plan.do.quality_level",
        {"workshop_id": "A", "target": "3", "amount": 1},
        "A reaches quality 3",
    ),
    (
        "plan.no_portfolio",
        {"budget": 5000},
        "No set of interventions found fits in the budget of 5,000.",
    ),
    (
        "plan.none_in_territory",
        {"order_id": "O1", "territories": ["Pilar"]},
        "O1: no workshop is in Pilar, and no intervention moves a workshop.",
    ),
    (
        "plan.not_chosen",
        {"order_id": "O1", "cost": 900.0, "budget": 1000},
        "O1: its set (cost 900) does not fit in the budget of 1,000 beside the sets chosen, which fill "
        "more units.",
    ),
    (
        "plan.not_found",
        {"order_id": "O1", "count": 12, "cost": 8400.0},
        "O1: no set of interventions found fills it; 12 interventions costing 8,400 together were not "
        "enough (checked by solving).",
    ),
    (
        "plan.nothing_to_do",
        {"order_id": "O1"},
        "O1: no intervention addresses what blocks it (the territory asked, a quality gap of more than "
        "one level, or the rules required).",
    ),
    (
        "plan.out_of_time",
        {"order_id": "O1"},
        "O1: the plan's time ran out before a set of interventions that fills it was found; give a "
        "longer time limit.",
    ),
    (
        "plan.over_budget",
        {"order_id": "O10", "cost": 21850.0, "budget": 20000},
        "O10: the cheapest set of interventions found costs 21,850, more than the budget of 20,000.",
    ),
    (
        "plan.short",
        {"count": 2, "cost": 1100.0, "units": 300, "planned": 400, "orders": ["O2"]},
        "With all 2 interventions applied (cost 1,100), solving every order again fills 300 more units, "
        "fewer than the 400 the sets fill one by one; orders now filled: O2.",
    ),
    (
        "why.makes",
        {"work": [{"process": "cutting", "units": 300}, {"process": "sewing", "units": 1200}],
         "used": 2550.0, "free": 6760.0, "week": 2.0, "share": 2550.0 / 6760.0},
        "Makes cutting 300, sewing 1,200 units: 2,550 min of its 6,760 min free by week 2 (38%).",
    ),
    (
        "why.makes_no_free_minutes",
        {"work": [{"process": "sewing", "units": 5}], "used": 10.0, "free": 0.0, "week": 1.5},
        "Makes sewing 5 units: 10 min of its 0 min free by week 1.5.",
    ),
    ("why.backup", {}, "Backup: kept free to step in if a member drops out."),
    (
        "why.tied",
        {"tied": [{"workshop_id": "A", "kinds": ["friendship", "kinship"]},
                  {"workshop_id": "C", "kinds": ["kinship"]}]},
        "Tied to A (friendship, kinship); C (kinship).",
    ),
    ("why.no_tie", {}, "No tie to another member."),
    ("why.leader", {}, "Leads the group (it has said it can lead)."),
    ("why.mainly_makes", {"product": "jeans"}, "Mainly makes jeans."),
    ("reason.can_deliver", {"workshops": 1, "week": 2.0}, "1 workshop can deliver by week 2."),
    ("reason.process_alone", {"process": "cutting", "workshop_id": "MRA-042"}, "cutting: all by MRA-042."),
    (
        "reason.process_split",
        {"process": "packing", "workshops": 2,
         "split": [{"workshop_id": "PIL-053", "units": 5987}, {"workshop_id": "PIL-049", "units": 13}]},
        "packing: split among 2 workshops (PIL-053 5,987, PIL-049 13).",
    ),
    (
        "reason.process_split_lots",
        {"process": "sewing", "workshops": 2, "lot": 300,
         "split": [{"workshop_id": "PIL-090", "units": 2438}, {"workshop_id": "PIL-053", "units": 1667}]},
        "sewing: split among 2 workshops in lots of at least 300 units (PIL-090 2,438, PIL-053 1,667).",
    ),
    (
        "reason.all_linked",
        {"pairs": 1},
        "Every member is linked to the others through existing ties (1 tied pair).",
    ),
    (
        "reason.all_tied_parts",
        {"pairs": 2, "parts": 2},
        "Every member is tied to another member (2 tied pairs), but the ties form 2 separate parts.",
    ),
    (
        "reason.some_tied",
        {"tied": 2, "members": 7, "pairs": 1},
        "2 of 7 members are tied to another member (1 tied pair); the others have no tie inside the group.",
    ),
    ("reason.none_tied", {}, "No two members are tied to each other."),
    (
        "reason.connected_alternative",
        {"size": 6},
        "The smallest group linked by ties that could fill the order has 6 workshops (cohesion required, "
        "with the minutes the other orders leave free).",
    ),
    (
        "reason.connected_alternative_at_most",
        {"size": 1},
        "A group linked by ties of 1 workshop could fill the order (cohesion required, with the minutes "
        "the other orders leave free); a smaller one was not ruled out in the time given.",
    ),
    (
        "reason.connected_alternative_none",
        {},
        "No group linked by ties could fill the order within its group-size limit, with the minutes the "
        "other orders leave free (checked by solving).",
    ),
    (
        "reason.connected_alternative_unknown",
        {},
        "Whether a group linked by ties could fill the order was not settled in the time given to "
        "explanations.",
    ),
    (
        "reason.leads_alone",
        {"leader": "PIL-024"},
        "PIL-024 takes the order alone and has said it can lead a group.",
    ),
    (
        "reason.leads",
        {"leader": "YAG-048", "willing": 2},
        "YAG-048 leads: of the 2 members that have said they can lead, it has the strongest ties inside "
        "the group.",
    ),
    (
        "reason.leads_as_tied",
        {"leader": "YAG-048", "willing": 3},
        "YAG-048 leads: none of the 3 members that have said they can lead has stronger ties inside the "
        "group, and none as strongly tied has more work in it.",
    ),
    (
        "reason.leads_most_work",
        {"leader": "PIL-053", "willing": 2},
        "PIL-053 leads: none of the 2 members that have said they can lead has a tie inside the group, "
        "and none of them has more work in it.",
    ),
    ("reason.leads_only", {"leader": "PIL-053"}, "PIL-053 leads: the only member that has said it can lead."),
    (
        "reason.leads_near",
        {"leader": "A", "hops": 1},
        "A leads: it has said it can lead and is within 1 tie step of every member, as the leader rule "
        "requires.",
    ),
    (
        "reason.no_leader",
        {},
        "No member has said it can lead; the group still needs someone to head it.",
    ),
    (
        "reason.uses",
        {"used": 129600.0, "free": 129747.4, "week": 4.0},
        "Uses 129,600 min of the 129,747 min its members have free by week 4.",
    ),
    (
        "reason.feasible_with",
        {"changes": [{"kind": "due_weeks", "value": 3}, {"kind": "territory", "value": "Pilar"},
                     {"kind": "conflict", "value": ["A", "B"]}, {"kind": "rule", "value": "min_group_size"}]},
        "Feasible with due date week 3, or with Pilar allowed, or with the conflict between A and B "
        "resolved, or with no minimum group size (each checked by solving).",
    ),
    ("diagnose.only", {"filled": 2000, "quantity": 3000}, "Only 2,000 of 3,000 units can be made."),
    ("diagnose.no_maker", {"product": "tee"}, "No workshop in the cluster makes tee."),
    (
        "diagnose.none_eligible",
        {"makers": 1, "product": "tee", "causes": [{"cause": "territory", "workshops": 1}],
         "min_quality": 1, "territories": ["Pilar", "Yaguarón"]},
        "Of the 1 workshop that makes tee, none can take it: 1 outside Pilar, Yaguarón.",
    ),
    ("diagnose.no_process", {"process": "washing"}, "No eligible workshop does washing."),
    (
        "diagnose.short",
        {"process": "sewing", "need": 120000.0, "week": 1.0, "workshops": 28, "have": 76053.20000000001},
        "sewing needs 120,000 min by week 1; 28 eligible workshops do it, with 76,053 min free by then.",
    ),
    (
        "diagnose.cap",
        {"cap": 1, "units": 1500, "process": "sewing", "week": 2.5},
        "With at most 1 workshop, at most 1,500 units of sewing can be made by week 2.5; a larger group "
        "cap would help.",
    ),
    (
        "diagnose.lot",
        {"process": "sewing", "lot": 1500, "workshops": 1, "units": 1800, "quantity": 30000, "week": 3.0},
        "sewing in lots of at least 1,500 units: 1 eligible workshop can take a lot by week 3, 1,800 of "
        "the 30,000 units in all; a smaller lot would help.",
    ),
    (
        "diagnose.other_orders",
        {"orders": ["O1", "O2", "O3", "O4", "O5", "O6", "O7", "O8"]},
        "Alone it could be filled, but its workshops' minutes go to other orders (O1, O2, O3, O4, O5, O6 and "
        "2 more), which fill more units in all.",
    ),
    (
        "diagnose.conflicts",
        {"pairs": 3},
        "Conflicts between eligible workshops (3 pairs) and the other rules leave no valid group.",
    ),
    (
        "diagnose.required",
        {"required": ["leader", "cohesion", "min_group_size"], "min_group_size": 3},
        "No group of the eligible workshops covers every process and keeps what is required: leader, "
        "cohesion, at least 3 members.",
    ),
    (
        "diagnose.no_cover",
        {},
        "The eligible workshops cannot cover every process together within the rules.",
    ),
    ("cause.quality", {"workshops": 2, "min_quality": 5}, "2 below quality 5"),
    ("cause.formality", {"workshops": 1}, "1 without tax registration (the order requires it)"),
    ("cause.territory", {"workshops": 4, "territories": ["Pilar"]}, "4 outside Pilar"),
    ("cause.capacity", {"workshops": 3}, "3 with no free minutes"),
    ("cause.process", {"workshops": 1}, "1 doing none of its processes"),
    (
        "cause.specialisation",
        {"workshops": 2},
        "2 mainly making something else (specialisation is required)",
    ),
    ("change.due_weeks", {"value": 3}, "due date week 3"),
    ("change.max_group_size", {"value": 4}, "a group of up to 4 workshops"),
    ("change.territory", {"value": "Pilar"}, "Pilar allowed"),
    ("change.min_quality", {"value": 2}, "minimum quality 2"),
    ("change.require_formal", {"value": False}, "informal workshops allowed"),
    ("change.conflict", {"value": ["A", "B"], "a": "A", "b": "B"}, "the conflict between A and B resolved"),
    ("change.rule", {"value": "cohesion"}, "cohesion preferred instead of required"),
    ("change.no_min_group_size", {"value": "min_group_size"}, "no minimum group size"),
    ("change.min_lot", {"value": 120}, "lots of at least 120 units"),
    ("change.no_min_lot", {"value": 0}, "lots of any size"),
    (
        "shortlist.single",
        {"processes": ["cutting", "sewing"], "free": 21956.8, "week": 2.0, "needed": 2550.0},
        "Does every process (cutting, sewing) and has 21,957 min free by week 2 for the 2,550 needed.",
    ),
    ("shortlist.not_main_product", {"product": "tee"}, "Makes tee, though not as its main product."),
    (
        "shortlist.group",
        {"size": 5, "week": 4.0},
        "5 workshops make the whole order together by week 4.",
    ),
    ("shortlist.group_process", {"process": "cutting", "refs": ["G1-a", "G1-c"]}, "cutting: G1-a, G1-c."),
    (
        "shortlist.group_linked",
        {"tied": 1, "pairs": 1},
        "1 of 1 member pair tied; all linked through existing ties.",
    ),
    (
        "shortlist.group_parts",
        {"tied": 2, "pairs": 10, "parts": 3},
        "2 of 10 member pairs tied; in 3 parts not linked by ties.",
    ),
    ("shortlist.group_leader", {"ref": "G1-c"}, "G1-c can lead the group."),
    ("shortlist.group_no_leader", {}, "No member has said it can lead."),
    (
        "shortlist.group_leader_withheld",
        {},
        "A member can lead the group; which one is withheld so that no profile points to one workshop.",
    ),
    (
        "shortlist.group_free",
        {"free": 145517.0, "needed": 129600.0},
        "Members have 145,517 min free by then for the 129,600 needed.",
    ),
    ("shortlist.no_single", {}, "No single workshop can take the whole order alone."),
    (
        "shortlist.small_pool",
        {"k": 5},
        "Fewer than 5 workshops of the cluster could take part in this order; none is shown, so that "
        "none is singled out. A coordinator can follow it up.",
    ),
    (
        "shortlist.small_cells",
        {"k": 5},
        "Some of the reasons concern fewer than 5 workshops and are not shown, so that none is "
        "singled out; a coordinator can tell them.",
    ),
    (
        "shortlist.pool",
        {"candidates": 30, "eligible": 1200},
        "Groups were searched among the 30 best placed of the 1,200 workshops that could join one; a "
        "longer time limit searches more.",
    ),
    (
        "shortlist.time_limit",
        {"seconds": 30.0, "groups": 5},
        "The time limit (30 s) ended the search for groups after 5; more may exist.",
    ),
    (
        "shortlist.reliability_unknown",
        {},
        "Reliability is unknown: the dataset records no delivery history; it is left out of the totals.",
    ),
    (
        "shortlist.reliability_unknown_for",
        {"refs": ["S2", "G1"]},
        "Reliability is unknown for S2, G1 (no delivery history recorded); it is left out of their totals.",
    ),
    (
        "shortlist.anonymity",
        {"k": 5},
        "Every profile fits at least 5 workshops of the cluster: a quality may be shown as a band and a "
        "field withheld (—), so that no profile points to one workshop; scores count what the profile shows.",
    ),
    (
        "shortlist.anonymity_short",
        {"k": 5, "refs": ["S2", "G1-b"]},
        "No profile of S2, G1-b can fit 5 workshops of the cluster (it is too small, or few of its "
        "workshops do the work asked of them): only what all its workshops share is shown.",
    ),
    ("part.names_more", {"names": "O1, O2", "count": 3}, "O1, O2 and 3 more"),
    ("part.or_with", {}, ", or with "),
    ("part.min_group_size", {"min_group_size": 2}, "at least 2 members"),
    # Errors a user may see: the texts the library wrote before they were messages.
    ("option.at_least", {"name": "seed", "low": 0, "got": "-1"}, "seed must be a whole number >= 0, got -1"),
    (
        "option.number_at_least",
        {"name": "max_worker_ratio", "low": 1, "got": "0.5"},
        "max_worker_ratio must be a number >= 1, got 0.5",
    ),
    (
        "option.seconds_at_least",
        {"name": "explain_seconds", "low": 0, "got": "-1"},
        "explain_seconds must be a number of seconds >= 0, got -1",
    ),
    (
        "option.seconds_above",
        {"name": "time_limit", "low": 0, "got": "0"},
        "time_limit must be a number of seconds > 0, got 0",
    ),
    ("option.share", {"name": "max_share", "got": "1.5"}, "max_share must be a number in (0, 1], got 1.5"),
    (
        "option.one_of",
        {"name": "solver", "choices": ["auto", "highs", "cbc"], "got": "'gurobi'"},
        "solver must be one of auto, highs, cbc, got 'gurobi'",
    ),
    (
        "option.level",
        {"name": "cohesion", "got": "'always'"},
        "cohesion must be off, preferred, required, got 'always'",
    ),
    ("option.level_preferred", {"name": "cost", "got": "'on'"}, "cost must be off or preferred, got 'on'"),
    ("option.type", {"name": "rules", "kind": "Rules"}, "rules must be a Rules"),
    (
        "option.min_lot",
        {"name": "min_lot", "got": "-5"},
        "min_lot must be a whole number >= 0 (0: no lots), got -5",
    ),
    ("option.priority", {"order_id": "O3", "got": "0"}, "priority of order O3 must be a number > 0, got 0"),
    (
        "option.min_above_small",
        {"min_group_size": 5, "small_max": 3},
        "min_group_size 5 is above small_max 3 with small required: no group could be both",
    ),
    (
        "option.min_above_cap",
        {"order_id": "O1", "min_group_size": 4, "cap": 2},
        "order O1: min_group_size 4 is above its group-size cap of 2; no group could be both",
    ),
    (
        "option.unknown_rule",
        {"name": "speed", "rules": ["cohesion", "leader"]},
        "unknown rule 'speed'; rules are cohesion, leader",
    ),
    (
        "option.unknown_setting",
        {"name": "hops", "rules": ["cohesion"], "parameters": ["leader_hops", "min_lot"]},
        "unknown rule or parameter 'hops'; rules: cohesion; parameters: leader_hops, min_lot",
    ),
    (
        "option.in_order",
        {"order_id": "O2", "problem": {"key": "option.level", "args": {"name": "leader", "got": "'x'"}}},
        "order O2: leader must be off, preferred, required, got 'x'",
    ),
    ("option.no_orders", {}, "the dataset has no orders; add them in orders.csv"),
    (
        "option.no_routing",
        {"order_id": "O4", "product": "kite"},
        "order O4: no routing for product kite; add it to routings.csv",
    ),
    (
        "option.not_in_run",
        {"what": "priorities", "orders": ["O9"], "count": 1, "run": ["O1", "O2"]},
        "priorities name order O9 that is not matched in this run; orders: O1, O2",
    ),
    ("option.same_wave", {"wave": "1"}, "compare two different waves, got '1' twice"),
    ("option.empty_scope", {}, "no workshop is in the scope asked"),
    ("option.empty_group", {}, "a group needs at least one workshop id"),
    ("unknown.id", {"what": "asset", "ids": ["x.js", "y.js"], "count": 2}, "unknown asset ids x.js, y.js"),
    ("unknown.workshop", {"what": "workshop", "ids": ["Z"], "count": 1}, "unknown workshop id Z"),
    ("unknown.order", {"what": "order", "ids": ["O8", "O9"], "count": 2}, "unknown order ids O8, O9"),
    ("unknown.territory", {"what": "territory", "ids": ["West"], "count": 1}, "unknown territory West"),
    ("unknown.organization", {"what": "organization", "ids": ["club"], "count": 1},
     "unknown organization club"),
    ("unknown.wave", {"what": "wave", "ids": ["3"], "count": 1}, "unknown survey wave 3"),
    ("unknown.attribute", {"what": "attribute", "ids": ["age"], "count": 1},
     "unknown workshop attribute age"),
    ("data.problems", {"count": 1}, "1 problem in the data"),
    (
        "solver.none",
        {},
        "no solver is installed to match with; ask the administrator to install HiGHS",
    ),
    (
        "solver.unavailable",
        {"solver": "cbc", "available": ["highs"]},
        "the solver cbc is not installed here; installed: highs",
    ),
    (
        "solver.failed",
        {},
        "the solver failed and gave no usable answer; try again, or tell the administrator "
        "(the details are in the log)",
    ),
    # Dataset problems and the lines of matcher validate.
    (
        "problem.at_row",
        {"file": "ties.csv", "row": 5, "message": "a workshop cannot be tied to itself"},
        "ties.csv row 5: a workshop cannot be tied to itself",
    ),
    (
        "problem.at_column",
        {"file": "orders.csv", "column": "quantity",
         "message": "1,000 more rows have the same problem as those listed"},
        "orders.csv, column quantity: 1,000 more rows have the same problem as those listed",
    ),
    (
        "problem.at_row_column",
        {"file": "workshops.csv", "row": 14, "column": "workers", "message": '"tres" is not a whole number'},
        'workshops.csv row 14, column workers: "tres" is not a whole number',
    ),
    (
        "problem.no_path",
        {},
        "does not exist; give a folder of CSV files or an .xlsx workbook",
    ),
    (
        "problem.not_dataset",
        {},
        "is neither a folder of CSV files nor an .xlsx workbook",
    ),
    (
        "problem.unreadable",
        {"reason": "Permission denied"},
        "cannot be read: Permission denied",
    ),
    (
        "problem.not_utf8",
        {},
        "read as Latin-1/Windows-1252 because it is not UTF-8; save it as 'CSV UTF-8' to be sure "
        "accents are right",
    ),
    (
        "problem.empty_file",
        {},
        "the file is empty; it needs at least a header row",
    ),
    (
        "problem.unclosed_quote",
        {},
        'a quote (") opens a cell that never closes; close it or take it out',
    ),
    (
        "problem.not_csv",
        {"reason": "EOF inside string starting at row 3"},
        "cannot be read as CSV: EOF inside string starting at row 3",
    ),
    (
        "problem.row_cells_comma",
        {"cells": 6, "columns": 5},
        "the row has 6 cells but the header row has 5; a cell that holds a comma (a decimal comma, a "
        'list) must be in quotes, like "0,5"',
    ),
    (
        "problem.row_cells_semicolon",
        {"cells": 7, "columns": 5},
        "the row has 7 cells but the header row has 5; in a file separated by semicolons a list in a "
        'cell must be in quotes ("cutting;sewing") or separated by commas (cutting,sewing)',
    ),
    (
        "problem.not_workbook",
        {"reason": "File is not a zip file"},
        "cannot be read as an .xlsx workbook: File is not a zip file",
    ),
    (
        "problem.empty_sheet",
        {},
        "the sheet is empty; it needs a header row",
    ),
    (
        "problem.limit_parts",
        {"count": 1200, "limit": 1000},
        "the workbook holds 1,200 parts, more than the 1,000 a workbook may have",
    ),
    (
        "problem.limit_part",
        {"part": "xl/styles.xml", "size": 40, "limit": 16},
        "the part xl/styles.xml is 40 MiB uncompressed, above the limit of 16 MiB; send the data as CSV "
        "files",
    ),
    (
        "problem.limit_ratio",
        {"part": "xl/worksheets/sheet1.xml", "ratio": 1012, "limit": 100},
        "the part xl/worksheets/sheet1.xml expands 1,012 times when uncompressed, above the limit of 100: "
        "it is not a spreadsheet as spreadsheet programs write them",
    ),
    (
        "problem.limit_uncompressed",
        {"size": 1300, "limit": 1024},
        "the workbook is 1,300 MiB uncompressed, above the limit of 1,024 MiB; send the data as CSV files",
    ),
    (
        "problem.limit_rows",
        {"limit": 1_100_000},
        "the sheet has more than 1,100,000 rows, the most a sheet may have",
    ),
    (
        "problem.limit_row",
        {"limit": 720},
        "a row of the sheet takes more than 720 KiB, more than a row within the limits on columns and "
        "cell length may take",
    ),
    (
        "problem.limit_columns",
        {"letter": "GR", "limit": 200},
        "has cells beyond column GR: 200 columns are the most a sheet or file may have",
    ),
    (
        "problem.limit_text",
        {"limit": 32_767},
        "holds a text of more than 32,767 characters between two tags, longer than a cell may be",
    ),
    (
        "problem.limit_cell",
        {"length": 40_000, "limit": 32_767},
        "the cell holds 40,000 characters, above the limit of 32,767 (as in Excel)",
    ),
    (
        "problem.no_workshops_file",
        {"names": ["workshops.csv", "talleres.csv"]},
        "the file is missing; every dataset needs workshops (workshops.csv, talleres.csv)",
    ),
    (
        "problem.no_workshops_sheet",
        {"names": ["workshops", "talleres"]},
        "the sheet is missing; every dataset needs workshops (workshops, talleres)",
    ),
    (
        "problem.same_file",
        {"names": ["talleres.csv", "workshops.csv"]},
        "talleres.csv, workshops.csv are the same file; keep one of them",
    ),
    (
        "problem.unknown_file_near",
        {"suggestion": "talleres.csv"},
        "is not a file of the dataset and is not read; did you mean talleres.csv?",
    ),
    (
        "problem.missing_column",
        {"aliases": ["trabajadores"]},
        "required column is missing from the header row (it may also be headed trabajadores)",
    ),
    (
        "problem.missing_column_near",
        {"header": "trabajdores", "suggestion": "trabajadores"},
        'required column is missing from the header row; is "trabajdores" a misspelling of trabajadores?',
    ),
    (
        "problem.missing_due",
        {},
        "give a due_weeks column (weeks from the planning date) or a due_date column (the day it is due)",
    ),
    (
        "problem.column_twice",
        {"first": "territory", "second": "territorio"},
        'the column is given twice ("territory" and "territorio"); keep one of them',
    ),
    (
        "problem.unknown_column_near",
        {"suggestion": "eficiencia"},
        "unknown column, kept as an extra column; did you mean eficiencia?",
    ),
    (
        "problem.required_empty",
        {},
        "is required but empty",
    ),
    (
        "problem.not_whole",
        {"value": "2.5"},
        '"2.5" is not a whole number',
    ),
    (
        "problem.not_number",
        {"value": "90%"},
        '"90%" is not a number',
    ),
    (
        "problem.date_not_number",
        {"value": "2025-01-02"},
        '"2025-01-02" is a date, not a number',
    ),
    (
        "problem.date_in_due_weeks",
        {"value": "30/09/2025", "as_of": "2025-09-02"},
        '"30/09/2025" is a date, not a number of weeks; give it in a due_date column instead (counted '
        "from the planning date 2025-09-02)",
    ),
    (
        "problem.ambiguous",
        {"value": "11.520", "point": 11.52, "comma": 11520.0},
        '"11.520" reads as 11.52 with a decimal point and as 11520 with a decimal comma; write it '
        "without digit grouping, or state the decimal mark the dataset uses",
    ),
    (
        "problem.whole_at_least",
        {"value": "0", "low": 1},
        "0 is out of range; use a whole number >= 1",
    ),
    (
        "problem.whole_between",
        {"value": "7", "low": 1, "high": 5},
        "7 is out of range; use a whole number >= 1 and <= 5",
    ),
    (
        "problem.number_at_least",
        {"value": "-1", "low": 0},
        "-1 is out of range; use a number >= 0",
    ),
    (
        "problem.number_above",
        {"value": "0", "low": 0},
        "0 is out of range; use a number > 0",
    ),
    (
        "problem.number_between",
        {"value": "95", "low": -90, "high": 90},
        "95 is out of range; use a number >= -90 and <= 90",
    ),
    (
        "problem.number_above_at_most",
        {"value": "1.500", "low": 0, "high": 1},
        "1.500 is out of range; use a number > 0 and <= 1",
    ),
    (
        "problem.women_above",
        {"women": 5, "workers": 3},
        "5 women among 3 workers; women_workers cannot exceed workers",
    ),
    (
        "problem.not_boolean",
        {"value": "maybe"},
        '"maybe" is not true or false (use true/false, yes/no, si/no or 1/0)',
    ),
    (
        "problem.bad_product_code",
        {"value": "Bag"},
        '"Bag" is not a valid product code; codes are lowercase letters, digits and _ (like screen_printing)',
    ),
    (
        "problem.bad_process_code",
        {"value": "Heat Press"},
        '"Heat Press" is not a valid process code; codes are lowercase letters, digits and _ (like '
        "screen_printing)",
    ),
    (
        "problem.unknown_product",
        {"code": "coat", "known": ["jeans", "tshirt"], "routings": "routings.csv"},
        'unknown product code "coat"; known: jeans, tshirt; or describe it in routings.csv',
    ),
    (
        "problem.unknown_product_near",
        {"code": "jeanz", "suggestion": "jeans"},
        'unknown product code "jeanz"; did you mean jeans?',
    ),
    (
        "problem.unknown_process",
        {"code": "welding", "known": ["cutting", "sewing"], "routings": "routings.csv"},
        'unknown process code "welding"; known: cutting, sewing; or describe it in routings.csv',
    ),
    (
        "problem.unknown_process_near",
        {"code": "pakcing", "suggestion": "packing"},
        'unknown process code "pakcing"; did you mean packing?',
    ),
    (
        "problem.unknown_kind",
        {"code": "rivalry", "known": ["conflict", "kinship"]},
        'unknown tie kind code "rivalry"; known: conflict, kinship',
    ),
    (
        "problem.unknown_kind_near",
        {"code": "amistd", "suggestion": ["friendship"]},
        'unknown tie kind code "amistd"; did you mean friendship?',
    ),
    (
        "problem.needs_product",
        {},
        "needs at least one product code",
    ),
    (
        "problem.needs_process",
        {},
        "needs at least one process code",
    ),
    (
        "problem.unique",
        {"value": "W2", "first": 3},
        '"W2" is already used on row 3; ids must be unique',
    ),
    (
        "problem.control_in_id",
        {"character": "\\x00"},
        "holds a control character (\\x00); ids may hold none, not even a tab or a line break",
    ),
    (
        "problem.control_in_text",
        {"character": "\\x01"},
        "holds a control character (\\x01) that no workbook can store; remove it",
    ),
    (
        "problem.machines",
        {"value": "overlock"},
        'machines are written type:count separated by ; (like straight_stitch:3;overlock:1), got "overlock"',
    ),
    (
        "problem.unknown_tie_end",
        {"value": "W9", "file": "workshops.csv"},
        'unknown workshop "W9"; every tie must join workshops listed in workshops.csv',
    ),
    (
        "problem.self_tie",
        {},
        "a workshop cannot be tied to itself",
    ),
    (
        "problem.tie_twice",
        {"kind": ["kinship"], "a": "W1", "b": "W2", "first": 4},
        "the same kinship tie between W1 and W2 is already on row 4",
    ),
    (
        "problem.tie_twice_wave",
        {"kind": ["conflict"], "a": "W1", "b": "W2", "wave": "w2", "first": 9},
        "the same conflict tie between W1 and W2 in wave w2 is already on row 9",
    ),
    (
        "problem.firm_without_file",
        {"value": "F1", "file": "lead_firms.csv"},
        'firm "F1" is given but there is no lead_firms.csv listing firms',
    ),
    (
        "problem.unknown_firm",
        {"value": "F2", "file": "lead_firms.csv"},
        'unknown firm "F2"; add it to lead_firms.csv',
    ),
    (
        "problem.no_routing",
        {"product": "bag", "file": "routings.csv"},
        "no routing for product bag; add it to routings.csv",
    ),
    (
        "problem.territory_unknown",
        {"territories": ['"Nowhere"']},
        'no workshop is in "Nowhere"; the order can only go to listed ones',
    ),
    (
        "problem.step_not_in_routing",
        {"process": "embroidery", "product": "tshirt"},
        "embroidery is not in the routing of tshirt; give its minutes as embroidery:minutes",
    ),
    (
        "problem.step_minutes",
        {"process": "sewing", "value": "-1"},
        'minutes of sewing must be a number > 0, got "-1"',
    ),
    (
        "problem.unknown_contact",
        {"value": "W9"},
        'unknown workshop "W9"; contacts must be of listed workshops',
    ),
    (
        "problem.half_position",
        {},
        "give both lat and lon, or neither",
    ),
    (
        "problem.more_rows",
        {"count": 500},
        "500 more rows have the same problem as those listed",
    ),
    (
        "problem.not_date",
        {"value": "fin de mes"},
        '"fin de mes" is not a date; write it as 2025-09-30 or 30/09/2025',
    ),
    (
        "problem.due_not_after",
        {"date": "2025-08-30", "as_of": "2025-09-02"},
        "the due date 2025-08-30 is not after the planning date 2025-09-02",
    ),
    (
        "problem.due_disagree",
        {"weeks": 3, "date": "2025-09-30", "computed": 4.0, "as_of": "2025-09-02"},
        "due_weeks 3 and due_date 2025-09-30 disagree: that date is 4 weeks after the planning date "
        "2025-09-02; keep one of them",
    ),
    (
        "problem.due_missing",
        {},
        "is required but empty; give due_weeks or due_date",
    ),
    (
        "validate.valid",
        {"source": "data/sample", "counts": "workshops.csv: 377 rows"},
        "valid data/sample (workshops.csv: 377 rows)",
    ),
    (
        "validate.rows",
        {"file": "orders.csv", "rows": 1},
        "orders.csv: 1 row",
    ),
    (
        "validate.warnings",
        {"count": 2},
        "2 warnings:",
    ),
    (
        "validate.problems",
        {"count": 1},
        "1 problem — nothing was loaded:",
    ),
    (
        "validate.problems_in",
        {"count": 12, "source": "cooperativa.xlsx"},
        "12 problems in cooperativa.xlsx — nothing was loaded:",
    ),
    (
        "validate.fix",
        {},
        "Fix these in the spreadsheet and run the command again.",
    ),
    (
        "validate.decimal_hint",
        {},
        "Some numbers can be read two ways: state the decimal mark of the dataset with --decimal-comma "
        "(2.000 is two thousand, 0,5 is a half) or --decimal-point (2,000 is two thousand, 0.5 is a "
        "half).",
    ),
    (
        "option.date",
        {"name": "as_of", "got": "30/09"},
        "as_of must be a date written YYYY-MM-DD, got 30/09",
    ),
    (
        "extra.missing",
        {"what": "matcher serve", "extra": "service", "packages": "fastapi, uvicorn"},
        "To use matcher serve, install matcher's service extra (missing: fastapi, uvicorn): "
        "pip install 'matcher[service]'",
    ),
    (
        "dask.unreachable",
        {"address": "tcp://10.0.0.5:8786", "reason": "timed out after 10 s"},
        "No Dask scheduler answers at tcp://10.0.0.5:8786 (timed out after 10 s); start one (dask scheduler) "
        "or leave out --scheduler to work on this machine",
    ),
    (
        "analysis.rows_apart",
        {"workshops": 1000000, "file": "red.parquet"},
        "1,000,000 workshops: the row of each is in red.parquet, not in this report",
    ),
    (
        "analysis.rows_left_out",
        {"workshops": 1000000, "file": None},
        "1,000,000 workshops: too many for a row each in this report; write them with --export FILE.csv "
        "or FILE.parquet",
    ),
    (
        "dask.no_workers",
        {"address": "tcp://10.0.0.5:8786"},
        "The Dask scheduler at tcp://10.0.0.5:8786 has no workers; start some "
        "(dask worker tcp://10.0.0.5:8786) or leave out --scheduler to work on this machine",
    ),
    (
        "betweenness.dask_exact",
        {"workers": 2, "workshops": 40000},
        "computed exactly on a Dask cluster of 2 workers, from every one of the 40,000 workshops as a source",
    ),
    (
        "betweenness.dask_sampled",
        {"workers": 1, "samples": 32},
        "estimated on a Dask cluster of 1 worker from shortest paths out of 32 random sources; "
        "each workshop's standard error is given",
    ),
    (
        "mentor.pair.learns_processes",
        {"mentor": "PIL-017", "trainee": "PIL-100", "processes": ["embroidery", "packing"]},
        "PIL-100 learns embroidery, packing from PIL-017.",
    ),
    (
        "mentor.pair.learns_products",
        {"mentor": "PIL-017", "trainee": "PIL-100", "products": ["jeans"]},
        "PIL-100 learns to make jeans with PIL-017.",
    ),
    (
        "mentor.pair.quality",
        {"mentor": "PIL-017", "trainee": "PIL-100", "mentor_quality": 4, "trainee_quality": 2},
        "PIL-017 works at quality 4, PIL-100 at 2.",
    ),
    (
        "mentor.pair.demand",
        {"count": 2, "orders": ["O10", "O09"], "units": 20242},
        "What it learns is needed by 2 orders (O10, O09) with 20,242 units unfilled or in few hands.",
    ),
    ("mentor.pair.no_demand", {}, "No order that is unfilled or in few hands needs what it learns."),
    ("mentor.pair.tied", {"kinds": ["friendship", "kinship"]}, "Already tied: friendship, kinship."),
    ("mentor.pair.hops", {"hops": 2}, "Not tied directly; 2 steps apart in the network."),
    ("mentor.pair.no_tie", {}, "No tie links them within three steps."),
    ("mentor.pair.organisation", {"organizations": ["ACY"]}, "Both belong to ACY."),
    ("mentor.pair.territory", {"territory": "Pilar"}, "Both work in Pilar."),
    ("mentor.pair.kept", {}, "Already mentoring (an existing mentoring tie): kept."),
    ("mentor.pair.existing", {}, "A mentoring tie between them already exists."),
    ("mentor.pair.pinned", {}, "Pinned by the coordinator."),
    (
        "mentor.circle.sector",
        {"mentor": "PIL-017", "count": 3, "sector": "jeans"},
        "PIL-017 mentors 3 workshops in jeans.",
    ),
    (
        "mentor.circle.mixed",
        {"mentor": "PIL-009", "count": 1},
        "PIL-009 mentors 1 workshop of more than one sector.",
    ),
    ("mentor.circle.pairs", {"new": 1, "kept": 2}, "1 new pair, 2 already mentoring."),
    ("mentor.circle.no_conflict", {}, "No known conflict between any two of its members."),
    (
        "mentor.unpaired.no_mentor_above",
        {"quality": 5},
        "No mentor works at a quality above 5 and does something it lacks.",
    ),
    (
        "mentor.unpaired.no_mentor_sector",
        {"mentors": ["MRA-055", "PIL-017"]},
        "The mentors that could teach it (MRA-055, PIL-017) work in other sectors.",
    ),
    (
        "mentor.unpaired.only_conflict",
        {"mentors": ["YAG-020"]},
        "The mentors that could teach it (YAG-020) are in conflict with it.",
    ),
    (
        "mentor.unpaired.mentors_full",
        {"mentors": ["MRA-042"], "cap": 3},
        "Its possible mentors (MRA-042) are full (3 trainees each).",
    ),
    (
        "mentor.unpaired.other_sector",
        {"mentors": ["PIL-017"]},
        "Its possible mentors (PIL-017) lead circles of another sector.",
    ),
    (
        "mentor.unpaired.conflict_in_circle",
        {"mentors": ["M"]},
        "The circles of its possible mentors (M) hold a workshop it is in conflict with.",
    ),
    (
        "mentor.unpaired.mentors_learning",
        {"mentors": ["PIL-089"]},
        "Its possible mentors (PIL-089) are trainees themselves in this plan.",
    ),
    (
        "mentor.unpaired.not_chosen",
        {"mentors": ["PIL-024", "PIL-062"]},
        "Its possible mentors with room (PIL-024, PIL-062) gain more with other trainees or cannot "
        "fill a circle.",
    ),
    ("mentor.unpaired.no_solution", {}, "No plan was found in the time given."),
    (
        "mentor.note.demand_solved",
        {"status": "feasible", "unfilled": 1, "orders": 10},
        "Demand weighed by solving the orders first: 1 of 10 orders unfilled.",
    ),
    (
        "mentor.note.demand_unsolved",
        {},
        "Demand weighed without solving the orders: every order counted as unfilled.",
    ),
    (
        "mentor.note.no_orders",
        {},
        "The dataset has no orders: pairs are weighed by what is learnt, trust and proximity alone.",
    ),
    (
        "mentor.note.no_mentors",
        {},
        "No workshop can mentor: mark can_lead (or a mentor column) for those that can.",
    ),
    ("mentor.note.declared", {"count": 12}, "Mentors as declared in the mentor column (12 workshops)."),
    ("mentor.note.any_sector", {}, "Circles may mix sectors (the sector rule is off)."),
    (
        "mentor.infeasible",
        {},
        "No plan satisfies the pinned pairs, the kept pairs and the circle sizes together.",
    ),
    (
        "mentor.infeasible_circle",
        {"mentor": "M", "available": 1, "needed": 2},
        "M is pinned, but only 1 workshop could join its circle, which needs 2.",
    ),
    (
        "mentor.pin_conflict",
        {"mentor": "N", "trainee": "B"},
        "pinned pair N:B crosses a conflict tie; a pair is never formed across a conflict",
    ),
    ("mentor.pin_self", {"workshop": "A"}, "a workshop cannot mentor itself: A"),
    (
        "mentor.pin_twice",
        {"trainee": "A", "mentors": ["M", "N"]},
        "A is pinned to more than one mentor: M, N",
    ),
    ("mentor.pin_both", {"workshop": "A"}, "A is pinned both as a mentor and as a trainee"),
    (
        "mentor.pin_full",
        {"mentor": "M", "count": 2, "cap": 1},
        "M is pinned 2 trainees, more than max_trainees 1",
    ),
    (
        "mentor.pin_kept",
        {"trainee": "A", "mentor": "K"},
        "A already has a mentor (K, an existing mentoring tie that is kept); pin that pair or do "
        "not keep existing pairs",
    ),
    (
        "mentor.pin_conflict_pair",
        {"mentor": "M", "a": "A", "b": "B"},
        "pinned trainees A and B of M are in conflict",
    ),
    ("mentor.pin_format", {"got": "'YAG-001'"}, "a pinned pair is MENTOR:TRAINEE, got 'YAG-001'"),
    (
        "mentor.circle_size",
        {"got": "'3-x'"},
        "circle_size must be two whole numbers 2 <= min <= max, got '3-x'",
    ),
    (
        "mentor.pin_trainee_mentors",
        {"trainee": "W0", "trainees": ["W1", "W4"]},
        "W0 already mentors W1, W4 (existing mentoring ties that are kept), "
        "so it cannot be pinned as a trainee",
    ),
    (
        "mentor.pin_conflict_kept",
        {"trainee": "W1", "mentor": "W0", "other": "W4"},
        "pinned trainee W1 of W0 is in conflict with W4, whom W0 already mentors",
    ),
    (
        "mentor.circle_cap",
        {"high": 15, "needed": 14, "cap": 3},
        "circles of up to 15 members need max_trainees >= 14, got 3",
    ),
    (
        "sweep.due_not_positive",
        {"orders": ["O3", "O5"], "count": 2, "weeks": -1.5},
        "leaves orders O3, O5 due at week 0 or before (the earliest at week -1.5); a due date must stay "
        "after week 0",
    ),
    (
        "sweep.export_exists",
        {"path": "out/sweep.csv"},
        "out/sweep.csv already exists; choose another file or allow overwriting it",
    ),
    (
        "sweep.export_folder",
        {"path": "out", "example": "out/sweep.csv"},
        "out is a folder; give a file name such as out/sweep.csv",
    ),
    (
        "sweep.export_no_folder",
        {"path": "out/sweep.csv", "folder": "out"},
        "cannot write out/sweep.csv: the folder out does not exist",
    ),
    (
        "sweep.failed",
        {"reason": "the solver stopped"},
        "the scenario could not be run: the solver stopped",
    ),
    (
        "sweep.file_kind",
        {},
        "is not a file of scenarios; give a .csv file (a row per scenario) or a .toml file "
        "([[scenario]] tables)",
    ),
    (
        "sweep.intervention_format",
        {"value": "add_worker"},
        "\"add_worker\" must be written as matcher plan writes an intervention: KIND:WORKSHOP, "
        "KIND:WORKSHOPxN or KIND:WORKSHOP:TARGET, like add_worker:A1x2 or learn_process:A1:cutting",
    ),
    (
        "sweep.lost",
        {"name": "late orders", "reason": "Attempted to run task on 3 different workers"},
        "the Dask cluster could not run the scenario late orders: every worker that tried died "
        "(Attempted to run task on 3 different workers)",
    ),
    (
        "sweep.no_file",
        {},
        "does not exist; give a file of scenarios, .csv or .toml",
    ),
    (
        "sweep.no_scenarios",
        {},
        "lists no scenario; add a row under the header (CSV) or a [[scenario]] table (TOML)",
    ),
    (
        "sweep.not_toml",
        {"reason": "Expected '=' after a key in a key/value pair (at line 3, column 6)"},
        "cannot be read as TOML: Expected '=' after a key in a key/value pair (at line 3, column 6)",
    ),
    (
        "sweep.processes_or_scheduler",
        {},
        "processes runs the scenarios on this machine and scheduler on a Dask cluster; give one of them, "
        "not both",
    ),
    (
        "sweep.reserved_name",
        {"value": "Baseline"},
        "\"Baseline\" is the name of the run without changes, the first row of every sweep; give the "
        "scenario another name",
    ),
    (
        "sweep.rule_format",
        {"value": "cohesion"},
        "\"cohesion\" must read RULE=VALUE, or ORDER:RULE=VALUE for one order, like cohesion=required or "
        "O3:min_lot=0",
    ),
    (
        "sweep.same_name",
        {"names": ["late"]},
        "more than one scenario is named late; each needs a name of its own (baseline is the run without "
        "changes)",
    ),
    (
        "sweep.tie_format",
        {"value": "A1:B7"},
        "\"A1:B7\" must read WORKSHOP:WORKSHOP:KIND or WORKSHOP:WORKSHOP:KIND:STRENGTH, like A1:B7:kinship:4",
    ),
    (
        "sweep.toml_value",
        {},
        "takes one value (text, a number, true or false), not a list or a table",
    ),
    (
        "sweep.unknown_field",
        {"value": "colour", "fields": ["name", "rules"]},
        "unknown field \"colour\"; a scenario takes name, rules",
    ),
    (
        "sweep.unknown_field_near",
        {"value": "regla", "suggestion": "reglas"},
        "unknown field \"regla\"; did you mean reglas?",
    ),
    (
        "sweep.weeks_format",
        {"value": "soon"},
        "\"soon\" must read WEEKS for every order, or ORDER:WEEKS for one, like 4 or O3:4",
    ),
]  # fmt: skip


def fields(template: str) -> set[tuple[str, str]]:
    """The fields of a template: (name, format), the format ``|`` for a plural choice."""
    return {(name, "|" if one is not None else form or "") for name, form, one, _ in FIELD.findall(template)}


@pytest.mark.parametrize(("key", "args", "english"), EXAMPLES, ids=[e[0] for e in EXAMPLES])
def test_english_is_the_text_the_optimizer_always_wrote(key, args, english):
    message = Message(key, args)
    assert message.text == english
    assert json.loads(json.dumps(message.to_dict())) == {"key": key, "args": json.loads(json.dumps(args))}


def test_every_key_has_an_example():
    assert sorted({key for key, _, _ in EXAMPLES}) == sorted(ENGLISH)


def test_every_key_the_library_writes_is_registered():
    written = set()
    for path in MATCHER.rglob("*.py"):
        if path.name == "messages.py":  # its examples show an unknown key refused
            continue
        written |= set(re.findall(r"Message\(\s*\"([\w.]+)\"", path.read_text(encoding="utf-8")))
    assert len(written) > 40
    assert written - set(ENGLISH) == set()
    # Keys made at run time: the causes an eligible-less order is explained by, and the changes.
    shop = Workshop("W", "T", 1, ("tee",), ("sewing",))
    causes = {
        ineligibility(shop, Order("O", "tee", 1, 1.0, **change), ())
        for change in ({"min_quality": 5}, {"require_formal": True}, {"territories": ("X",)})
    }
    assert causes == {"quality", "formality", "territory"}
    for cause in (*causes, "capacity", "process", "specialisation"):
        assert f"cause.{cause}" in ENGLISH
    kinds = ["due_weeks", "max_group_size", "territory", "min_quality", "require_formal"]
    for kind in kinds:
        assert change_message(kind, 1).key == f"change.{kind}"
    assert change_message("conflict", ["A", "B"]).args == {"value": ["A", "B"], "a": "A", "b": "B"}
    assert change_message("min_lot", 2).key == "change.min_lot"
    assert change_message("min_lot", 0).key == change_message("min_lot", 1).key == "change.no_min_lot"
    for rule in RULES:
        assert change_message("rule", rule).text == f"{rule} preferred instead of required"


def test_unknown_keys_and_disagreeing_texts_are_refused():
    with pytest.raises(ValueError, match=r"unknown message key 'why\.nope'"):
        Message("why.nope")
    with pytest.raises(ValueError, match="the texts and the messages differ"):
        OrderResult(
            "O1", "unfilled", 1, 0, reasons=("Other words.",), reason_messages=(Message("why.no_tie"),)
        )
    derived = OrderResult("O1", "unfilled", 1, 0, reason_messages=(Message("diagnose.no_cover"),))
    assert derived.reasons == (
        "The eligible workshops cannot cover every process together within the rules.",
    )
    assert paired_texts(("Written by hand.",), ()) == ("Written by hand.",)


def test_pages_have_a_template_for_every_key_in_both_languages():
    for lang, catalogue in CATALOGUES.items():
        keys = {key.removeprefix("msg.") for key in catalogue if key.startswith("msg.")}
        assert keys == set(ENGLISH), lang
    # The pages' English is the library's; Spanish has the same fields, each in the same format.
    assert {key: CATALOGUES["en"][f"msg.{key}"] for key in ENGLISH} == ENGLISH
    for key, english in ENGLISH.items():
        spanish = CATALOGUES["es"][f"msg.{key}"]
        names = {name for name, form in fields(english) if form != "|"}
        formats = {(name, form) for name, form in fields(english) if form != "|"}
        assert {(n, f) for n, f in fields(spanish) if f != "|"} == formats, key
        assert {n for n, f in fields(spanish) if f == "|"} <= names | {n for n, f in fields(english)}, key
        if key not in ("shortlist.group_process",):  # only ids and words the page translates
            assert spanish != english, key


def test_spanish_reads_as_spanish():
    es = CATALOGUES["es"]
    assert es["msg.reason.can_deliver"] == (
        "{workshops} {workshops|taller puede|talleres pueden} entregar para la semana {week}."
    )
    for key in ENGLISH:
        words = FIELD.sub("", es[f"msg.{key}"])
        assert not {"workshop", "member", "order", "week"} & set(re.findall(r"[a-z]+", words)), key
