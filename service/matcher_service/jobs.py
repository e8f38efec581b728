"""Background jobs (matching runs, mentoring runs, upgrade plans): what a job is and says.

A job row holds its status (``queued``, ``running``, ``done``, ``failed``,
``cancelled``), progress in [0, 1], a message, and the result once done. The
message is a key of :data:`matcher_service.messages.ENGLISH` and the error the
messages of the failure (:func:`stored`), so that a job is read in the
reader's language whatever the language it was started in (:func:`said_stored`).

A job runs in a worker process, never in the web process: the job runner of
one of the service processes claims it (:mod:`matcher_service.job_runner`) and
a local worker process or a Dask worker runs it (:mod:`matcher_service.job_worker`).
A queued job cancelled never runs; a running one is asked to stop, its task
stops at its next progress report, and a task that does not report within a
grace period (a solver cannot be interrupted mid-solve) has its worker stopped.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterable
from typing import Any

from matcher.messages import Message
from matcher_service.errors import joined
from matcher_service.messages import ENGLISH, ApiMessage

__all__ = ["FINISHED", "MATCH", "MENTORING", "PLAN", "Task", "new_job_id", "said_stored", "stored"]

#: The kind of job that matches groups to orders (``POST /jobs/match``).
MATCH = "match"
#: The kind of job that forms mentoring circles (``POST /jobs/mentoring``).
MENTORING = "mentoring"
#: The kind of job that plans upgrades (``POST /jobs/plan``).
PLAN = "plan"

#: What a job of one kind runs: ``task(cluster, params, report)`` -> its JSON result. ``report(progress,
#: message)`` writes the job's progress and answers False when the job should stop (it was cancelled).
#: A worker process imports it: a function at the top level of a module.
Task = Callable[..., dict[str, Any]]

#: The statuses of a job that ended.
FINISHED = ("done", "failed", "cancelled")


def new_job_id() -> str:
    """A new random job id."""
    return uuid.uuid4().hex


#: The message tables a stored message may come from, by the catalogue prefix of their languages.
_TABLES: dict[str, type[Message]] = {Message.NAMESPACE: Message, ApiMessage.NAMESPACE: ApiMessage}


def stored(messages: Iterable[Message]) -> str:
    """Messages as the text a job stores (JSON: each message's table, key and arguments).

    Examples
    --------
    >>> stored([ApiMessage("job.service_stopped")])
    '[{"in": "api", "key": "job.service_stopped", "args": {}}]'
    """
    return json.dumps([{"in": m.NAMESPACE, **m.to_dict()} for m in messages], ensure_ascii=False)


def said_stored(text: str | None, lang: str) -> str | None:
    """A job's stored message or error in a language: a key of the service, :func:`stored` messages,
    or a text stored as is (older rows), which is given back unchanged.

    Examples
    --------
    >>> said_stored("job.solving", "es"), said_stored(stored([ApiMessage("job.done")]), "en")
    ('Calculando', 'done')
    >>> said_stored("seeded by hand", "es")
    'seeded by hand'
    """
    if text is None:
        return None
    if text in ENGLISH:
        return ApiMessage(text).say(lang)
    if text.startswith("[{"):
        try:
            items = json.loads(text)
            return joined([_TABLES[i["in"]](i["key"], i["args"]) for i in items], lang)
        except (ValueError, KeyError, TypeError):  # not messages after all: said as it was stored
            pass
    return text
