"""What the service says to its users, as message keys: English here, other languages in the catalogues.

Every error answer, detail and job message of the service is an
:class:`ApiMessage`: a key of :data:`ENGLISH` and its raw arguments, said in
the request's language (:mod:`matcher_service.language`) when the answer is written.
The other languages' templates are those of the pages' catalogues
(``matcher/views/static/i18n/<lang>.json``) under ``api.<key>``, with the
fields of :mod:`matcher.messages` (``{name}``, ``{name:format}``,
``{name|one|other}``). A message names no route or HTTP method: a person
reads it on a page.

Examples
--------
>>> m = ApiMessage("orders.not_found", {"order_id": "O5"})
>>> m.text, m.say("es")
('no order O5', 'No existe el pedido O5')
>>> ApiMessage("firms.in_use", {"firm_id": "F1", "orders": 1, "accounts": 2}).say("es")
'La empresa líder F1 todavía tiene 1 pedido y 2 cuentas de usuario; bórrelos o páselos a otra primero'
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from matcher.messages import Message

__all__ = ["ENGLISH", "ApiMessage", "InvalidValue", "said"]

#: The English template of every key of the service.
ENGLISH: dict[str, str] = {
    # Signing in and roles.
    "auth.sign_in": "sign in first (a bearer token or an API key)",
    "auth.bad_header": "the Authorization header must be 'Bearer <token>'",
    "auth.token_expired": "the token is unknown or expired; sign in again",
    "auth.key_expired": "the API key is unknown or expired",
    "auth.key_outlives": "an API key made with an API key expires no later than it ({latest})",
    "auth.disabled": "the account is disabled",
    "auth.forbidden": "your role ({role:role}) may not do this",
    "auth.throttled": "too many failed sign-ins; try again in {seconds} s",
    "auth.wrong_password": "wrong user name or password",
    "auth.no_key": "no API key {key_id}",
    "auth.not_signed_out": (
        "you are still signed in: the database cannot take changes just now, so the token "
        "stays valid. Try again in {seconds} s"
    ),
    # Accounts.
    "users.not_found": "no user {user_id}",
    "users.taken": "the user name {username} is taken",
    "users.last_admin": "{username} is the last active admin; make another admin first",
    "users.disabled": "user {user_id} is disabled; activate it before giving it a key",
    "users.role_one_of": "role must be one of {roles:list}",
    "users.needs_territory": "the role {role:role} needs at least one territory",
    "users.no_territories": "the role {role:role} has no territories",
    "users.needs_organization": "the role {role:role} needs an organization",
    "users.no_organization": "the role {role:role} has no organization",
    "users.needs_firm": "the role {role:role} needs a firm",
    "users.no_firm": "the role {role:role} has no firm",
    "users.unknown_organization": "unknown organization {organization_id}",
    "users.unknown_firm": "unknown lead firm {firm_id}",
    # Organizations and lead firms.
    "organizations.not_found": "no organization {organization_id}",
    "organizations.exists": "organization {organization_id} already exists",
    "organizations.in_use": (
        "organization {organization_id} still has {members} member {members|workshop|workshops} and "
        "{accounts} user {accounts|account|accounts}; take them out of it first"
    ),
    "firms.not_found": "no lead firm {firm_id}",
    "firms.exists": "lead firm {firm_id} already exists",
    "firms.name_only": "a lead firm may change only its name; ask a coordinator for the rest",
    "firms.in_use": (
        "lead firm {firm_id} still has {orders} {orders|order|orders} and {accounts} user "
        "{accounts|account|accounts}; delete or reassign them first"
    ),
    # Workshops, ties and products.
    "workshops.not_found": "no workshop {workshop_id}",
    "workshops.exists": "workshop {workshop_id} already exists",
    "workshops.id_unavailable": "the id {workshop_id} cannot be used; choose another",
    "workshops.outside": "territory {territory} is outside your scope",
    "workshops.unknown_products": (
        "unknown {count|product|products} {products:list}; describe {count|it|them} in the routings first"
    ),
    "workshops.unknown_processes": "unknown {count|process|processes} {processes:list}",
    "workshops.women_above_workers": (
        "{women} women among {workers} workers; women_workers cannot exceed workers"
    ),
    "workshops.machines": "machine counts must be whole numbers >= 0",
    "ties.not_found": "no tie {tie_id}",
    "ties.unknown_kind": "unknown tie kind '{kind}'; use one of {kinds:list}",
    "ties.self": "a workshop cannot be tied to itself",
    "ties.unknown_workshop": "unknown workshop {workshop_id}",
    "ties.unknown_workshop_seen": "unknown workshop {workshop_id} among the workshops you can see",
    "ties.duplicate": (
        "the same {kind:kinds} tie between {source} and {target} is already tie {tie_id}; "
        "change that one instead"
    ),
    "ties.duplicate_in_wave": (
        "the same {kind:kinds} tie between {source} and {target} in wave {wave} is already tie {tie_id}; "
        "change that one instead"
    ),
    # Orders and matching jobs.
    "orders.not_found": "no order {order_id}",
    "orders.exists": "order {order_id} already exists",
    "orders.id_unavailable": "the id {order_id} cannot be used; choose another",
    "orders.unknown_product": "unknown product '{product}'; describe it in the routings first",
    "orders.no_routing": "no routing for product {product}; add it to the routings",
    "orders.unknown_process": "unknown process code '{process}'",
    "orders.step_minutes": "minutes of {process} must be a number > 0, got {got}",
    "orders.not_in_routing": (
        "{process} is not in the routing of {product}; give its minutes as {process}:minutes"
    ),
    "orders.both_due": "give due_weeks or due_date, not both",
    "orders.due_before": "due_date {due_date:date} must come after the planning date {as_of:date}",
    "orders.as_of_alone": "as_of is the date due_date is counted from; give due_date with it",
    "orders.no_due": "give due_weeks (weeks from now) or due_date",
    "orders.outside": (
        "territories {territories:list} are outside your scope; list at least one of yours, or none"
    ),
    "orders.own_firm": "a lead firm places orders for its own firm only ({firm_id})",
    "jobs.not_found": "no job {job_id}",
    "jobs.no_order_in_scope": "there is no order in your scope to match",
    "jobs.not_in_run": "order {order_id} is not in this run",
    "jobs.finished": "job {job_id} already finished ({status:status}); there is nothing to cancel",
    "job.queued": "queued",
    "job.reading": "reading data",
    "job.solving": "solving",
    "job.storing": "solved; storing the result",
    "job.done": "done",
    "job.failed": "failed",
    "job.cancelled": "cancelled on request",
    "job.cancel_requested": "cancel requested; the result will be discarded",
    "job.service_stopped": "the service stopped while the job ran; submit it again",
    # Shortlists and contacts.
    "shortlists.not_found": "no shortlist {shortlist_id}",
    "contacts.none": "no contact you may read for this workshop",
    "contacts.no_ref": "the shortlist has no reference {ref}",
    "contacts.one_of": "one of {refs:list}",
    "contacts.no_refs": "the shortlist names no workshop",
    "contacts.group": "{ref} is a group; ask for its members one at a time",
    "contacts.no_firm": "the shortlist's order has no lead firm to release a contact to",
    "contacts.gone": "the workshop behind {ref} is no longer in the data",
    "contacts.asked": "this workshop's contact was already asked for (request {release_id}, still waiting)",
    "contacts.released": "this workshop's contact was already released (request {release_id})",
    "contacts.request_not_found": "no contact request {release_id}",
    # Analysis and the pages' data.
    "analysis.no_scope": "there is no workshop in your scope",
    "analysis.no_territory": "no territory {territory}",
    "views.no_job": "no finished matching job {job_id}",
    "views.no_run": (
        "order {order_id} has no proposal yet: no finished matching run includes it; match it first"
    ),
    "ui.no_file": "no file {name}",
    "public.method": (
        "Cells with fewer than {threshold} workshops are suppressed; in each breakdown with a suppressed "
        "cell the smallest other cells are suppressed too until at least two cells holding at least "
        "{threshold} workshops together are, so no suppressed cell can be recovered from the totals by "
        "subtraction. Totals are over all workshops (suppressed when fewer than {threshold}). "
        "A workshop counts once in each product it makes. Counts are rounded to a multiple of "
        "{rounding}, and the summary is refreshed at most every {minutes} min, so that two summaries "
        "do not tell one change apart."
    ),
    # Imports and exports.
    "data.one_workbook": "send one .xlsx workbook alone, or CSV files without a workbook",
    "data.unexpected_file": (
        "unexpected {count|file|files} {names:list}; send {expected:list} or one .xlsx workbook"
    ),
    "data.sent_twice": "{names:list} sent twice",
    "data.outside": "{count} {count|row|rows} outside your scope",
    "data.outside_territory": "territory {territory} is outside your territories ({scope:list})",
    "data.taken_outside": "the id {workshop_id} cannot be used; choose another",
    "data.firm_outside": "firm {firm_id} is in {territory}, outside your scope",
    "data.firm_taken": "the id {firm_id} cannot be used; choose another",
    "data.order_taken": "the id {order_id} cannot be used; choose another",
    "data.order_outside": "order {order_id} reaches outside your territories ({scope:list})",
    "data.shared_routing": "the routing of {product:product} is shared by every territory; ask an admin",
    "data.clash": "the dataset clashes with stored data; nothing was imported",
    # What every route may answer.
    "invalid.input": "invalid input: {problems}",
    "invalid.not_null": "cannot be null",
    "invalid.not_null_fields": "{fields:list} cannot be null",
    "invalid.value": "invalid value",
    "invalid.missing": "Field required",
    "invalid.extra": "Extra inputs are not permitted",
    "invalid.number": "Input should be a valid number",
    "invalid.whole_number": "Input should be a valid integer",
    "invalid.text": "Input should be a valid string",
    "invalid.boolean": "Input should be a valid boolean",
    "invalid.list": "Input should be a valid list",
    "invalid.object": "Input should be a valid dictionary",
    "invalid.date": "Input should be a valid date",
    "invalid.finite": "Input should be a finite number",
    "invalid.greater_than": "Input should be greater than {limit}",
    "invalid.at_least": "Input should be greater than or equal to {limit}",
    "invalid.less_than": "Input should be less than {limit}",
    "invalid.at_most": "Input should be less than or equal to {limit}",
    "invalid.too_short": "should have at least {limit} {limit|item|items}",
    "invalid.too_long": "should have at most {limit} {limit|item|items}",
    "invalid.text_too_short": "should have at least {limit} {limit|character|characters}",
    "invalid.text_too_long": "should have at most {limit} {limit|character|characters}",
    "invalid.pattern": "does not have the expected form",
    "invalid.control_in_id": (
        "holds a control character ({character}); ids may hold none, not even a tab or a line break"
    ),
    "invalid.control_in_text": (
        "holds a control character ({character}) that no workbook can store; remove it"
    ),
    "invalid.choice": "Input should be {expected}",
    "invalid.json": "the body is not valid JSON",
    "limit.page": "limit {limit} is above the largest page size {largest}",
    "limit.at_most": "at most {largest}",
    "limit.body": "the request body is above the limit of {limit:n} bytes",
    "version.required": (
        "send If-Match with the ETag from your last read (or the object's version in the body)"
    ),
    "version.stale": "{key} is at version {current}; your copy is older. Read it again and retry",
    "version.mismatch": "{key} is at version {current}, not {sent}; read it again and retry",
    "version.changed": "it was changed by someone else meanwhile; read it again",
    "idempotency.length": "Idempotency-Key must be 1 to 128 characters",
    "idempotency.reused": "this Idempotency-Key was used for a different request",
    "error.clash": "the change clashes with existing data",
    "error.no_address": "nothing is found at this address",
    "error.method": "this address does not take this kind of request",
    "error.http": "the request could not be answered (HTTP {status})",
    "error.incident": "unexpected failure; quote incident {incident} to the administrator",
    "error.cannot_write": (
        "the database cannot take changes just now (it is full or read-only); nothing was saved. "
        "Try again in {seconds} s"
    ),
    "error.unreachable": "the database does not answer just now; try again in {seconds} s",
}


class ApiMessage(Message):
    """A sentence of the service: a key of :data:`ENGLISH` and its raw arguments.

    Other languages' templates are ``api.<key>`` in the catalogues.

    Examples
    --------
    >>> ApiMessage("jobs.not_found", {"job_id": "J1"}).say("es")
    'No existe el trabajo J1'
    >>> ApiMessage("orders.gone")
    Traceback (most recent call last):
    ...
    ValueError: unknown message key 'orders.gone'; keys are listed in matcher_service.messages.ENGLISH
    """

    TEMPLATES: ClassVar[Mapping[str, str]] = ENGLISH
    NAMESPACE: ClassVar[str] = "api"
    LISTED_IN: ClassVar[str] = "matcher_service.messages.ENGLISH"


def said(key: str, **args: Any) -> ApiMessage:
    """``ApiMessage(key, args)`` with the arguments as keywords.

    Examples
    --------
    >>> said("workshops.not_found", workshop_id="W9").text
    'no workshop W9'
    """
    return ApiMessage(key, args)


class InvalidValue(ValueError):
    """A validator's refusal that says itself in every language (pydantic keeps it as the error's cause).

    Examples
    --------
    >>> str(InvalidValue(said("workshops.machines")))
    'machine counts must be whole numbers >= 0'
    """

    def __init__(self, message: Message) -> None:
        super().__init__(message.text)
        self.message = message
