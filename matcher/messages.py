"""Explanations as a key and raw arguments, rendered in English here and in other languages by the pages.

The optimizer explains its answers (why a workshop is in a group, why an order
is not filled, what a shortlist entry offers) as :class:`Message` objects. Their
English text is rendered from :data:`ENGLISH`, the one place that holds its
wording; the browser pages hold a template per key (``msg.<key>``) in each
language catalogue and render the same arguments with the language's number
format and words for processes and products; :meth:`Message.say` renders them
the same way here. The errors a user may see carry messages too
(:attr:`matcher.errors.MatcherError.messages`), so that a service says them
in its reader's language.

A template is text with fields:

- ``{name}``: the argument as is (a whole number plainly, a fraction as ``%g``,
  a list joined with commas);
- ``{name:format}``: the argument in one of :data:`FORMATS`;
- ``{name|one|other}``: ``one`` when the argument is 1, else ``other`` (the pages
  follow the plural rules of their language).

Some keys are parts of others (``cause.*``, ``change.*``, ``part.*``): they
render the items of a ``causes``, ``changes``, ``required`` or ``names`` field.

Examples
--------
>>> m = Message("reason.can_deliver", {"workshops": 1, "week": 2.0})
>>> m.text
'1 workshop can deliver by week 2.'
>>> m.to_dict()
{'key': 'reason.can_deliver', 'args': {'workshops': 1, 'week': 2.0}}
>>> Message("reason.process_split", {"process": "sewing", "workshops": 2,
...     "split": [{"workshop_id": "A", "units": 1200}, {"workshop_id": "B", "units": 300}]}).text
'sewing: split among 2 workshops (A 1,200, B 300).'
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from typing import Any, ClassVar

__all__ = [
    "ENGLISH",
    "FORMATS",
    "LANGUAGES",
    "Message",
    "catalogue",
    "change_message",
    "fill",
    "format_number",
    "language_of",
    "paired_texts",
    "say_all",
]

#: Languages a message can be said in, the default of the pages first.
LANGUAGES = ("es", "en")

#: The English template of every message key.
ENGLISH: dict[str, str] = {
    # Why a workshop is in a group (per member).
    "why.makes": (
        "Makes {work:process_units} units: {used:min} min of its {free:min} min free by week {week} "
        "({share:pct})."
    ),
    "why.makes_no_free_minutes": (
        "Makes {work:process_units} units: {used:min} min of its {free:min} min free by week {week}."
    ),
    "why.backup": "Backup: kept free to step in if a member drops out.",
    "why.tied": "Tied to {tied:ties}.",
    "why.no_tie": "No tie to another member.",
    "why.leader": "Leads the group (it has said it can lead).",
    "why.mainly_makes": "Mainly makes {product:product}.",
    # Why a group was chosen (per filled order).
    "reason.can_deliver": "{workshops} {workshops|workshop|workshops} can deliver by week {week}.",
    "reason.process_alone": "{process:process}: all by {workshop_id}.",
    "reason.process_split": "{process:process}: split among {workshops} workshops ({split:workshop_units}).",
    "reason.process_split_lots": (
        "{process:process}: split among {workshops} workshops in lots of at least {lot:n} units "
        "({split:workshop_units})."
    ),
    "reason.all_linked": (
        "Every member is linked to the others through existing ties ({pairs} tied {pairs|pair|pairs})."
    ),
    "reason.all_tied_parts": (
        "Every member is tied to another member ({pairs} tied {pairs|pair|pairs}), "
        "but the ties form {parts} separate parts."
    ),
    "reason.some_tied": (
        "{tied} of {members} members are tied to another member ({pairs} tied {pairs|pair|pairs}); "
        "the others have no tie inside the group."
    ),
    "reason.none_tied": "No two members are tied to each other.",
    # What solving found of a group linked by ties that could take the order instead
    # (after the reasons above, for a group not linked by ties).
    "reason.connected_alternative": (
        "The smallest group linked by ties that could fill the order has {size} "
        "{size|workshop|workshops} (cohesion required, with the minutes the other orders leave free)."
    ),
    "reason.connected_alternative_at_most": (
        "A group linked by ties of {size} {size|workshop|workshops} could fill the order (cohesion "
        "required, with the minutes the other orders leave free); a smaller one was not ruled out in "
        "the time given."
    ),
    "reason.connected_alternative_none": (
        "No group linked by ties could fill the order within its group-size limit, with the minutes "
        "the other orders leave free (checked by solving)."
    ),
    "reason.connected_alternative_unknown": (
        "Whether a group linked by ties could fill the order was not settled in the time given to "
        "explanations."
    ),
    "reason.leads_alone": "{leader} takes the order alone and has said it can lead a group.",
    "reason.leads": (
        "{leader} leads: of the {willing} members that have said they can lead, it has the strongest "
        "ties inside the group."
    ),
    "reason.leads_as_tied": (
        "{leader} leads: none of the {willing} members that have said they can lead has stronger ties "
        "inside the group, and none as strongly tied has more work in it."
    ),
    "reason.leads_most_work": (
        "{leader} leads: none of the {willing} members that have said they can lead has a tie inside "
        "the group, and none of them has more work in it."
    ),
    "reason.leads_only": "{leader} leads: the only member that has said it can lead.",
    "reason.leads_near": (
        "{leader} leads: it has said it can lead and is within {hops} tie {hops|step|steps} of every "
        "member, as the leader rule requires."
    ),
    "reason.no_leader": "No member has said it can lead; the group still needs someone to head it.",
    "reason.uses": "Uses {used:min} min of the {free:min} min its members have free by week {week}.",
    "reason.feasible_with": "Feasible with {changes:changes} (each checked by solving).",
    # Why an order is not (fully) filled.
    "diagnose.only": "Only {filled:n} of {quantity:n} units can be made.",
    "diagnose.no_maker": "No workshop in the cluster makes {product:product}.",
    "diagnose.none_eligible": (
        "Of the {makers} {makers|workshop|workshops} that {makers|makes|make} {product:product}, "
        "none can take it: {causes:causes}."
    ),
    "diagnose.no_process": "No eligible workshop does {process:process}.",
    "diagnose.short": (
        "{process:process} needs {need:min} min by week {week}; {workshops} eligible "
        "{workshops|workshop does|workshops do} it, with {have:min} min free by then."
    ),
    "diagnose.lot": (
        "{process:process} in lots of at least {lot:n} units: {workshops} eligible "
        "{workshops|workshop|workshops} can take a lot by week {week}, {units:n} of the {quantity:n} "
        "units in all; a smaller lot would help."
    ),
    "diagnose.cap": (
        "With at most {cap} {cap|workshop|workshops}, at most {units:n} units of {process:process} "
        "can be made by week {week}; a larger group cap would help."
    ),
    "diagnose.other_orders": (
        "Alone it could be filled, but its workshops' minutes go to other orders ({orders:names}), "
        "which fill more units in all."
    ),
    "diagnose.conflicts": (
        "Conflicts between eligible workshops ({pairs} {pairs|pair|pairs}) and the other rules leave "
        "no valid group."
    ),
    "diagnose.required": (
        "No group of the eligible workshops covers every process and keeps what is required: "
        "{required:required}."
    ),
    "diagnose.no_cover": "The eligible workshops cannot cover every process together within the rules.",
    # Why eligible workshops cannot take an order (items of diagnose.none_eligible).
    "cause.quality": "{workshops} below quality {min_quality}",
    "cause.formality": "{workshops} without tax registration (the order requires it)",
    "cause.territory": "{workshops} outside {territories:list}",
    "cause.capacity": "{workshops} with no free minutes",
    "cause.process": "{workshops} doing none of its processes",
    "cause.specialisation": "{workshops} mainly making something else (specialisation is required)",
    # One change that would let an order be filled (items of reason.feasible_with).
    "change.due_weeks": "due date week {value}",
    "change.max_group_size": "a group of up to {value} workshops",
    "change.territory": "{value} allowed",
    "change.min_quality": "minimum quality {value}",
    "change.require_formal": "informal workshops allowed",
    "change.conflict": "the conflict between {a} and {b} resolved",
    "change.rule": "{value:rule} preferred instead of required",
    "change.no_min_group_size": "no minimum group size",
    "change.min_lot": "lots of at least {value:n} units",
    "change.no_min_lot": "lots of any size",
    # Shortlist entries and notes.
    "shortlist.single": (
        "Does every process ({processes:processes}) and has {free:min} min free by week {week} "
        "for the {needed:min} needed."
    ),
    "shortlist.not_main_product": "Makes {product:product}, though not as its main product.",
    "shortlist.group": "{size} workshops make the whole order together by week {week}.",
    "shortlist.group_process": "{process:process}: {refs:list}.",
    "shortlist.group_linked": (
        "{tied} of {pairs} member {pairs|pair|pairs} tied; all linked through existing ties."
    ),
    "shortlist.group_parts": (
        "{tied} of {pairs} member {pairs|pair|pairs} tied; in {parts} parts not linked by ties."
    ),
    "shortlist.group_leader": "{ref} can lead the group.",
    "shortlist.group_no_leader": "No member has said it can lead.",
    "shortlist.group_leader_withheld": (
        "A member can lead the group; which one is withheld so that no profile points to one workshop."
    ),
    "shortlist.group_free": "Members have {free:min} min free by then for the {needed:min} needed.",
    "shortlist.no_single": "No single workshop can take the whole order alone.",
    "shortlist.small_pool": (
        "Fewer than {k} {k|workshop|workshops} of the cluster could take part in this order; none is shown, "
        "so that none is singled out. A coordinator can follow it up."
    ),
    "shortlist.small_cells": (
        "Some of the reasons concern fewer than {k} {k|workshop|workshops} and are not shown, so that "
        "none is singled out; a coordinator can tell them."
    ),
    "shortlist.pool": (
        "Groups were searched among the {candidates:n} best placed of the {eligible:n} workshops "
        "that could join one; a longer time limit searches more."
    ),
    "shortlist.time_limit": (
        "The time limit ({seconds} s) ended the search for groups after {groups}; more may exist."
    ),
    "shortlist.reliability_unknown": (
        "Reliability is unknown: the dataset records no delivery history; it is left out of the totals."
    ),
    "shortlist.reliability_unknown_for": (
        "Reliability is unknown for {refs:list} (no delivery history recorded); "
        "it is left out of their totals."
    ),
    "shortlist.anonymity": (
        "Every profile fits at least {k} {k|workshop|workshops} of the cluster: a quality may be shown "
        "as a band and a field withheld (—), so that no profile points to one workshop; scores count "
        "what the profile shows."
    ),
    "shortlist.anonymity_short": (
        "No profile of {refs:list} can fit {k} workshops of the cluster (it is too small, or few of its "
        "workshops do the work asked of them): only what all its workshops share is shown."
    ),
    # Parts of lists.
    "part.names_more": "{names} and {count} more",
    "part.or_with": ", or with ",
    "part.min_group_size": "at least {min_group_size} members",
    # Errors a user may see (``MatcherError.messages``): options, ids, data and solvers.
    "option.at_least": "{name} must be a whole number >= {low}, got {got}",
    "option.number_at_least": "{name} must be a number >= {low}, got {got}",
    "option.seconds_at_least": "{name} must be a number of seconds >= {low}, got {got}",
    "option.seconds_above": "{name} must be a number of seconds > {low}, got {got}",
    "option.share": "{name} must be a number in (0, 1], got {got}",
    "option.one_of": "{name} must be one of {choices:list}, got {got}",
    "option.level": "{name} must be off, preferred, required, got {got}",
    "option.level_preferred": "{name} must be off or preferred, got {got}",
    "option.type": "{name} must be a {kind}",
    "option.min_lot": "{name} must be a whole number >= 0 (0: no lots), got {got}",
    "option.priority": "priority of order {order_id} must be a number > 0, got {got}",
    "option.min_above_small": (
        "min_group_size {min_group_size} is above small_max {small_max} with small required: "
        "no group could be both"
    ),
    "option.min_above_cap": (
        "order {order_id}: min_group_size {min_group_size} is above its group-size cap of {cap}; "
        "no group could be both"
    ),
    "option.unknown_rule": "unknown rule '{name}'; rules are {rules:list}",
    "option.unknown_setting": (
        "unknown rule or parameter '{name}'; rules: {rules:list}; parameters: {parameters:list}"
    ),
    "option.in_order": "order {order_id}: {problem:message}",
    "option.no_orders": "the dataset has no orders; add them in orders.csv",
    "option.no_routing": "order {order_id}: no routing for product {product}; add it to routings.csv",
    "option.not_in_run": (
        "{what} name {count|order|orders} {orders:list} that {count|is|are} not matched in this run; "
        "orders: {run:list}"
    ),
    "option.same_wave": "compare two different waves, got '{wave}' twice",
    "option.empty_scope": "no workshop is in the scope asked",
    "option.empty_group": "a group needs at least one workshop id",
    "option.date": "{name} must be a date written YYYY-MM-DD, got {got}",
    "unknown.id": "unknown {what} {count|id|ids} {ids:list}",
    "unknown.workshop": "unknown workshop {count|id|ids} {ids:list}",
    "unknown.order": "unknown order {count|id|ids} {ids:list}",
    "unknown.territory": "unknown territory {ids:list}",
    "unknown.organization": "unknown organization {ids:list}",
    "unknown.wave": "unknown survey wave {ids:list}",
    "unknown.attribute": "unknown workshop {count|attribute|attributes} {ids:list}",
    "data.problems": "{count:n} {count|problem|problems} in the data",
    # What is wrong with a dataset (``matcher.errors.Problem``), where (``problem.at_*``), and the
    # lines of ``matcher validate``.
    "problem.at_row": "{file} row {row}: {message}",
    "problem.at_column": "{file}, column {column}: {message}",
    "problem.at_row_column": "{file} row {row}, column {column}: {message}",
    "problem.no_path": "does not exist; give a folder of CSV files or an .xlsx workbook",
    "problem.not_dataset": "is neither a folder of CSV files nor an .xlsx workbook",
    "problem.unreadable": "cannot be read: {reason}",
    "problem.not_utf8": (
        "read as Latin-1/Windows-1252 because it is not UTF-8; save it as 'CSV UTF-8' to be sure accents "
        "are right"
    ),
    "problem.empty_file": "the file is empty; it needs at least a header row",
    "problem.not_csv": "cannot be read as CSV: {reason}",
    "problem.unclosed_quote": 'a quote (") opens a cell that never closes; close it or take it out',
    "problem.row_cells_comma": (
        "the row has {cells} cells but the header row has {columns}; a cell that holds a comma (a decimal"
        ' comma, a list) must be in quotes, like "0,5"'
    ),
    "problem.row_cells_semicolon": (
        "the row has {cells} cells but the header row has {columns}; in a file separated by semicolons a "
        'list in a cell must be in quotes ("cutting;sewing") or separated by commas (cutting,sewing)'
    ),
    "problem.not_workbook": "cannot be read as an .xlsx workbook: {reason}",
    "problem.empty_sheet": "the sheet is empty; it needs a header row",
    # A dataset over a reading limit (``matcher.io._limits``).
    "problem.limit_parts": (
        "the workbook holds {count:n} {count|part|parts}, more than the {limit:n} a workbook may have"
    ),
    "problem.limit_part": (
        "the part {part} is {size:n} MiB uncompressed, above the limit of {limit:n} MiB; send the data "
        "as CSV files"
    ),
    "problem.limit_ratio": (
        "the part {part} expands {ratio:n} times when uncompressed, above the limit of {limit:n}: it is "
        "not a spreadsheet as spreadsheet programs write them"
    ),
    "problem.limit_uncompressed": (
        "the workbook is {size:n} MiB uncompressed, above the limit of {limit:n} MiB; send the data as "
        "CSV files"
    ),
    "problem.limit_rows": "the sheet has more than {limit:n} rows, the most a sheet may have",
    "problem.limit_row": (
        "a row of the sheet takes more than {limit:n} KiB, more than a row within the limits on columns "
        "and cell length may take"
    ),
    "problem.limit_columns": (
        "has cells beyond column {letter}: {limit:n} columns are the most a sheet or file may have"
    ),
    "problem.limit_text": (
        "holds a text of more than {limit:n} characters between two tags, longer than a cell may be"
    ),
    "problem.limit_cell": "the cell holds {length:n} characters, above the limit of {limit:n} (as in Excel)",
    "problem.no_workshops_file": "the file is missing; every dataset needs workshops ({names:list})",
    "problem.no_workshops_sheet": "the sheet is missing; every dataset needs workshops ({names:list})",
    "problem.same_file": "{names:list} are the same file; keep one of them",
    "problem.unknown_file_near": "is not a file of the dataset and is not read; did you mean {suggestion}?",
    "problem.missing_column": (
        "required column is missing from the header row (it may also be headed {aliases:list})"
    ),
    "problem.missing_column_near": (
        'required column is missing from the header row; is "{header}" a misspelling of {suggestion}?'
    ),
    "problem.missing_due": (
        "give a due_weeks column (weeks from the planning date) or a due_date column (the day it is due)"
    ),
    "problem.column_twice": 'the column is given twice ("{first}" and "{second}"); keep one of them',
    "problem.unknown_column_near": "unknown column, kept as an extra column; did you mean {suggestion}?",
    "problem.required_empty": "is required but empty",
    "problem.not_whole": '"{value}" is not a whole number',
    "problem.not_number": '"{value}" is not a number',
    "problem.date_not_number": '"{value}" is a date, not a number',
    "problem.date_in_due_weeks": (
        '"{value}" is a date, not a number of weeks; give it in a due_date column instead (counted from '
        "the planning date {as_of:date})"
    ),
    "problem.ambiguous": (
        '"{value}" reads as {point:exact} with a decimal point and as {comma:exact} with a decimal comma;'
        " write it without digit grouping, or state the decimal mark the dataset uses"
    ),
    "problem.whole_at_least": "{value} is out of range; use a whole number >= {low}",
    "problem.whole_between": "{value} is out of range; use a whole number >= {low} and <= {high}",
    "problem.number_at_least": "{value} is out of range; use a number >= {low}",
    "problem.number_above": "{value} is out of range; use a number > {low}",
    "problem.number_between": "{value} is out of range; use a number >= {low} and <= {high}",
    "problem.number_above_at_most": "{value} is out of range; use a number > {low} and <= {high}",
    "problem.women_above": "{women} women among {workers} workers; women_workers cannot exceed workers",
    "problem.not_boolean": '"{value}" is not true or false (use true/false, yes/no, si/no or 1/0)',
    "problem.bad_product_code": (
        '"{value}" is not a valid product code; codes are lowercase letters, digits and _ (like '
        "screen_printing)"
    ),
    "problem.bad_process_code": (
        '"{value}" is not a valid process code; codes are lowercase letters, digits and _ (like '
        "screen_printing)"
    ),
    "problem.unknown_product": (
        'unknown product code "{code}"; known: {known:products}; or describe it in {routings}'
    ),
    "problem.unknown_product_near": 'unknown product code "{code}"; did you mean {suggestion:product}?',
    "problem.unknown_process": (
        'unknown process code "{code}"; known: {known:processes}; or describe it in {routings}'
    ),
    "problem.unknown_process_near": 'unknown process code "{code}"; did you mean {suggestion:process}?',
    "problem.unknown_kind": 'unknown tie kind code "{code}"; known: {known:kinds}',
    "problem.unknown_kind_near": 'unknown tie kind code "{code}"; did you mean {suggestion:kinds}?',
    "problem.needs_product": "needs at least one product code",
    "problem.needs_process": "needs at least one process code",
    "problem.unique": '"{value}" is already used on row {first}; ids must be unique',
    "problem.control_in_id": (
        "holds a control character ({character}); ids may hold none, not even a tab or a line break"
    ),
    "problem.control_in_text": (
        "holds a control character ({character}) that no workbook can store; remove it"
    ),
    "problem.machines": (
        'machines are written type:count separated by ; (like straight_stitch:3;overlock:1), got "{value}"'
    ),
    "problem.unknown_tie_end": 'unknown workshop "{value}"; every tie must join workshops listed in {file}',
    "problem.self_tie": "a workshop cannot be tied to itself",
    "problem.tie_twice": "the same {kind:kinds} tie between {a} and {b} is already on row {first}",
    "problem.tie_twice_wave": (
        "the same {kind:kinds} tie between {a} and {b} in wave {wave} is already on row {first}"
    ),
    "problem.firm_without_file": 'firm "{value}" is given but there is no {file} listing firms',
    "problem.unknown_firm": 'unknown firm "{value}"; add it to {file}',
    "problem.no_routing": "no routing for product {product:product}; add it to {file}",
    "problem.territory_unknown": "no workshop is in {territories:list}; the order can only go to listed ones",
    "problem.step_not_in_routing": (
        "{process} is not in the routing of {product}; give its minutes as {process}:minutes"
    ),
    "problem.step_minutes": 'minutes of {process} must be a number > 0, got "{value}"',
    "problem.unknown_contact": 'unknown workshop "{value}"; contacts must be of listed workshops',
    "problem.half_position": "give both lat and lon, or neither",
    "problem.more_rows": "{count:n} more {count|row has|rows have} the same problem as those listed",
    "problem.not_date": '"{value}" is not a date; write it as 2025-09-30 or 30/09/2025',
    "problem.due_not_after": "the due date {date:date} is not after the planning date {as_of:date}",
    "problem.due_disagree": (
        "due_weeks {weeks} and due_date {date:date} disagree: that date is {computed} weeks after the "
        "planning date {as_of:date}; keep one of them"
    ),
    "problem.due_missing": "is required but empty; give due_weeks or due_date",
    "validate.valid": "valid {source} ({counts})",
    "validate.rows": "{file}: {rows:n} {rows|row|rows}",
    "validate.warnings": "{count:n} {count|warning|warnings}:",
    "validate.problems": "{count:n} {count|problem|problems} — nothing was loaded:",
    "validate.problems_in": "{count:n} {count|problem|problems} in {source} — nothing was loaded:",
    "validate.fix": "Fix these in the spreadsheet and run the command again.",
    "validate.decimal_hint": (
        "Some numbers can be read two ways: state the decimal mark of the dataset with --decimal-comma "
        "(2.000 is two thousand, 0,5 is a half) or --decimal-point (2,000 is two thousand, 0.5 is a "
        "half)."
    ),
    "solver.none": "no solver is installed to match with; ask the administrator to install HiGHS",
    "solver.unavailable": "the solver {solver} is not installed here; installed: {available:list}",
    "solver.failed": (
        "the solver failed and gave no usable answer; try again, or tell the administrator "
        "(the details are in the log)"
    ),
}

#: Most ids a ``names`` field shows before "and N more".
NAMES_SHOWN = 6

_FIELD = re.compile(r"\{(\w+)(?::(\w+)|\|([^{}|]*)\|([^{}|]*))?\}")


def format_number(value: float, lang: str = "en", *, digits: int | None = None) -> str:
    """A number as people of a language read it: grouped thousands, the language's decimal mark.

    ``digits`` rounds to that many decimals (trailing zeros dropped); without
    it a whole number is shown whole and a fraction with up to two decimals.

    Examples
    --------
    >>> format_number(30000, "es"), format_number(30000, "en")
    ('30.000', '30,000')
    >>> format_number(1.5, "es"), format_number(2550.4, "en", digits=0)
    ('1,5', '2,550')
    >>> format_number(1.7999999999999998, "en")
    '1.8'
    """
    places = 2 if digits is None else digits
    if isinstance(value, int) and not isinstance(value, bool):
        text = f"{value:,}"
    else:
        text = f"{float(value):,.{places}f}"
        if "." in text:
            text = text.rstrip("0").rstrip(".")
        if text == "-0":
            text = "0"
    if language_of(lang) == "es":
        text = text.translate(str.maketrans({",": ".", ".": ","}))
    return text


def _plain(value: Any, lang: str = "en") -> str:
    if lang != "en" and isinstance(value, int | float) and not isinstance(value, bool):
        return format_number(value, lang)
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, list | tuple):
        return ", ".join(_plain(v, lang) for v in value)
    return str(value)


def _names(ids: list[str], args: Mapping[str, Any], lang: str = "en") -> str:
    shown = ", ".join(ids[:NAMES_SHOWN])
    if len(ids) <= NAMES_SHOWN:
        return shown
    return _render("part.names_more", {"names": shown, "count": len(ids) - NAMES_SHOWN}, lang)


def _changes(changes: list[Mapping[str, Any]], args: Mapping[str, Any], lang: str = "en") -> str:
    said = (change_message(c["kind"], c["value"]) for c in changes)
    return _render("part.or_with", {}, lang).join(_render(m.key, m.args, lang) for m in said)


def _causes(causes: list[Mapping[str, Any]], args: Mapping[str, Any], lang: str = "en") -> str:
    return "; ".join(
        _render(f"cause.{c['cause']}", {**args, "workshops": c["workshops"]}, lang) for c in causes
    )


def _required(codes: list[str], args: Mapping[str, Any], lang: str = "en") -> str:
    return ", ".join(
        _render("part.min_group_size", args, lang) if c == "min_group_size" else _word("rule", c, lang, False)
        for c in codes
    )


def _date(value: str, lang: str) -> str:
    """An ISO date (``2025-09-30``) as a language writes it (``30/09/2025`` in Spanish)."""
    if lang == "en" or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(value)):
        return str(value)
    year, month, day = str(value).split("-")
    return f"{day}/{month}/{year}"


def _exact(value: float, lang: str) -> str:
    """A number in full with the language's decimal mark and no digit grouping (``11520``, ``11,52``)."""
    text = str(value) if isinstance(value, int) else f"{float(value):.6f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") if language_of(lang) == "es" else text


def _word(group: str, code: Any, lang: str, in_sentence: bool = True) -> str:
    """A code in a language's words (English keeps codes, as the command line shows them)."""
    if lang == "en":
        return str(code)
    words = catalogue(lang).get(f"{group}.{code}")
    if words is None:
        return str(code).replace("_", " ")
    return words.lower() if in_sentence else words


#: How a ``{name:format}`` field shows its argument, ``FORMATS[name](value, args, lang)``.
#: English keeps codes (processes, products, rules, tie kinds) as codes; other
#: languages say them in the words of their catalogue.
FORMATS: dict[str, Callable[..., str]] = {
    "n": lambda v, a, lang="en": format_number(v, lang, digits=0),  # a whole number, grouped
    "min": lambda v, a, lang="en": format_number(round(v), lang),  # minutes, rounded and grouped
    "pct": lambda v, a, lang="en": f"{v:.0%}" if lang == "en" else f"{round(100 * v)} %",  # a share
    "process": lambda v, a, lang="en": _word("process", v, lang),
    "product": lambda v, a, lang="en": _word("product", v, lang),
    "rule": lambda v, a, lang="en": _word("rule", v, lang, False),
    "list": lambda v, a, lang="en": ", ".join(v),  # ids, references or territories
    "processes": lambda v, a, lang="en": ", ".join(_word("process", p, lang) for p in v),
    "kinds": lambda v, a, lang="en": ", ".join(_word("kind", k, lang) for k in v),  # tie kinds
    "names": _names,  # ids, the first NAMES_SHOWN then part.names_more
    "workshop_units": lambda v, a, lang="en": ", ".join(
        f"{i['workshop_id']} {format_number(i['units'], lang)}" for i in v
    ),
    "process_units": lambda v, a, lang="en": ", ".join(
        f"{_word('process', i['process'], lang)} {format_number(i['units'], lang)}" for i in v
    ),
    "ties": lambda v, a, lang="en": "; ".join(
        f"{i['workshop_id']} ({', '.join(_word('kind', k, lang) for k in i['kinds'])})" for i in v
    ),
    "causes": _causes,  # cause.* items, each with the message's arguments and its count
    "changes": _changes,  # change.* items joined by part.or_with
    "required": _required,  # rule codes, and part.min_group_size
    "message": lambda v, a, lang="en": _render(v["key"], v["args"], lang),  # a message inside, {key, args}
    "role": lambda v, a, lang="en": catalogue(lang).get(f"role.{v}", str(v)),  # a user's role, in words
    "status": lambda v, a, lang="en": catalogue(lang).get(f"job.{v}", str(v)),  # a job's status, in words
    "date": lambda v, a, lang="en": _date(v, lang),  # an ISO date, as the language writes dates
    "exact": lambda v, a, lang="en": _exact(v, lang),  # a number in full, without digit grouping
    "products": lambda v, a, lang="en": ", ".join(_word("product", p, lang) for p in v),
}


def language_of(lang: str | None) -> str:
    """The language of :data:`LANGUAGES` that a tag asks for (``es-PY`` → ``es``); English otherwise.

    Examples
    --------
    >>> language_of("es-PY"), language_of("EN_us"), language_of("fr"), language_of(None)
    ('es', 'en', 'en', 'en')
    """
    base = (lang or "").replace("_", "-").split("-", 1)[0].strip().lower()
    return base if base in LANGUAGES else "en"


@functools.cache
def catalogue(lang: str) -> Mapping[str, str]:
    """The words of a language: the catalogue the pages use (``matcher/views/static/i18n/<lang>.json``).

    Examples
    --------
    >>> catalogue("es")["process.sewing"]
    'Costura'
    """
    path = resources.files("matcher").joinpath("views", "static", "i18n", f"{language_of(lang)}.json")
    return json.loads(path.read_text(encoding="utf-8"))


def _template(key: str, lang: str) -> str:
    if lang == "en":
        return ENGLISH[key]
    return catalogue(lang).get(f"msg.{key}", ENGLISH[key])


def fill(template: str, args: Mapping[str, Any], lang: str = "en") -> str:
    """A template's fields filled with ``args`` in a language (the fields are described above).

    Examples
    --------
    >>> fill("{n:n} {n|row|rows}", {"n": 1}), fill("{n:n} {n|fila|filas}", {"n": 2500}, "es")
    ('1 row', '2.500 filas')
    """

    def one_field(match: re.Match[str]) -> str:
        name, form, one, other = match.groups()
        value = args[name]
        if one is not None:
            return one if value == 1 else other
        return _plain(value, lang) if form is None else FORMATS[form](value, args, lang)

    return _FIELD.sub(one_field, template)


def _render(key: str, args: Mapping[str, Any], lang: str = "en") -> str:
    return fill(_template(key, lang), args, lang)


def _json_ready(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _json_ready(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_ready(v) for v in value]
    return value


@dataclass(frozen=True)
class Message:
    """One explanation: a key of :data:`ENGLISH` and the raw values it speaks of.

    ``args`` holds numbers as numbers, ids, codes and lists (JSON-ready), so a
    page can format them for its language. A subclass speaks from another table
    of English templates (:attr:`TEMPLATES`), its other languages under its own
    prefix of the catalogues (:attr:`NAMESPACE`): the service's messages do.

    Examples
    --------
    >>> Message("reason.uses", {"used": 2550.0, "free": 6760.0, "week": 2.0}).text
    'Uses 2,550 min of the 6,760 min its members have free by week 2.'
    >>> Message("reason.nope")
    Traceback (most recent call last):
    ...
    ValueError: unknown message key 'reason.nope'; keys are listed in matcher.messages.ENGLISH
    """

    #: The English template of every key.
    TEMPLATES: ClassVar[Mapping[str, str]] = ENGLISH
    #: Where the other languages' templates are: ``<NAMESPACE>.<key>`` in the catalogues.
    NAMESPACE: ClassVar[str] = "msg"
    #: Where a reader finds the keys, for the error an unknown key raises.
    LISTED_IN: ClassVar[str] = "matcher.messages.ENGLISH"

    key: str
    args: Mapping[str, Any] = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        if self.key not in self.TEMPLATES:
            raise ValueError(f"unknown message key {self.key!r}; keys are listed in {self.LISTED_IN}")
        object.__setattr__(self, "args", _json_ready(self.args))

    def template(self, lang: str = "en") -> str:
        """The template of the key in a language (English when the catalogue has none)."""
        english = self.TEMPLATES[self.key]
        if language_of(lang) == "en":
            return english
        return catalogue(lang).get(f"{self.NAMESPACE}.{self.key}", english)

    @property
    def text(self) -> str:
        """The message in English."""
        return fill(self.TEMPLATES[self.key], self.args)

    def say(self, lang: str = "en") -> str:
        """The message in a language of :data:`LANGUAGES`, as the pages say it.

        English comes from :data:`ENGLISH`; another language from the pages'
        catalogue (``msg.<key>``), with that language's number format and words
        for codes (processes, products, rules, tie kinds). The first letter is
        capitalised, as the pages show a sentence.

        Examples
        --------
        >>> m = Message("reason.can_deliver", {"workshops": 2, "week": 1.5})
        >>> m.say("es")
        '2 talleres pueden entregar para la semana 1,5.'
        >>> Message("diagnose.only", {"filled": 1200, "quantity": 30000}).say("es")
        'Solo se pueden hacer 1.200 de 30.000 unidades.'
        >>> m.say("en") == m.text
        True
        """
        if lang == "en":
            return self.text
        text = fill(self.template(lang), self.args, language_of(lang))
        return text[:1].upper() + text[1:]

    def to_dict(self) -> dict[str, Any]:
        return {"key": self.key, "args": _json_ready(self.args)}


def say_all(messages: Iterable[Message], lang: str = "en", *, sep: str = "; ") -> str:
    """Several messages as one text in a language, joined by ``sep`` (a sentence: its first letter
    capitalised, except in English, which keeps the library's lower-case error texts).

    Examples
    --------
    >>> said = [Message("option.no_orders"), Message("option.same_wave", {"wave": "1"})]
    >>> say_all(said)
    "the dataset has no orders; add them in orders.csv; compare two different waves, got '1' twice"
    >>> say_all(said[:1], "es")
    'Los datos no tienen pedidos; agréguelos en orders.csv'
    """
    lang = language_of(lang)
    text = sep.join(fill(m.template(lang), m.args, lang) for m in messages)
    return text if lang == "en" else text[:1].upper() + text[1:]


def change_message(kind: str, value: Any) -> Message:
    """The words for one change that would let an order be filled (:class:`matcher.optimize.whatif.Change`).

    Examples
    --------
    >>> change_message("due_weeks", 3).text, change_message("conflict", ["A", "B"]).text
    ('due date week 3', 'the conflict between A and B resolved')
    >>> change_message("rule", "min_group_size").text
    'no minimum group size'
    >>> change_message("min_lot", 1200).text, change_message("min_lot", 0).text
    ('lots of at least 1,200 units', 'lots of any size')
    """
    if kind == "rule" and value == "min_group_size":
        return Message("change.no_min_group_size", {"value": value})
    if kind == "min_lot" and value <= 1:  # whole garments: a lot of 1 is no lot
        return Message("change.no_min_lot", {"value": value})
    if kind == "conflict":
        return Message("change.conflict", {"value": value, "a": value[0], "b": value[1]})
    return Message(f"change.{kind}", {"value": value})


def paired_texts(texts: Iterable[str], messages: Iterable[Message]) -> tuple[str, ...]:
    """The English texts of ``messages``, or ``texts`` when there are no messages.

    Results keep both (the texts for the command line and older readers, the
    messages for the pages): given both, they must say the same.

    Examples
    --------
    >>> paired_texts((), (Message("why.no_tie"),))
    ('No tie to another member.',)
    >>> paired_texts(("Hand written.",), ())
    ('Hand written.',)
    >>> paired_texts(("Other words.",), (Message("why.no_tie"),))
    Traceback (most recent call last):
    ...
    ValueError: the texts and the messages differ: give the messages alone and the texts follow from them
    """
    texts, rendered = tuple(texts), tuple(m.text for m in messages)
    if not rendered:
        return texts
    if texts and texts != rendered:
        raise ValueError(
            "the texts and the messages differ: give the messages alone and the texts follow from them"
        )
    return rendered
