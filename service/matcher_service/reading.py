"""How the service's computed answers read: numbers rounded for people, sentences in the reader's language.

Matching results, shortlists, network analyses and the pages' data are
computed in floating point; :func:`for_people` rounds their figures where
they leave the service, by what a figure is (its key):

- minutes (``minutes``, ``*_minutes``, ``used``, ``free``, ``needed``,
  ``need``, ``have``, ``available``, ``capacity``): to 0.1 min;
- shares, read as percentages (``share``, ``*_share``, ``utilisation``,
  ``largest_utilisation``, ``overall``, ``gap``, ``progress``, and every part
  of a shortlist's ``score``): to 0.01, i.e. 1 %;
- money (``budget``, ``cost``, and any key ending in ``_cost``): to 0.01, so that
  a budget or a cost reads as the programme wrote it;
- seconds (``seconds``, ``time_seconds``, ``explain_seconds``) and the solver's objective values
  (``objective``, ``bound``, ``value``): to 0.1;
- every other measure (centralities, densities, modularity, assortativity,
  E-I index ...): to 3 significant digits, so that a small betweenness stays
  above zero and no broker reads as 0.

Kept exactly as computed or stored, because a client needs them exactly:
what a client sends back or sent (the ``options`` and ``params`` of a run,
``rules``, ``score_weights``, ``time_limit``, ``resolution``, ``seed``, an
``order`` as described, ``due_weeks`` and the due ``week`` of a message),
and what the pages draw rather than read (the layout's ``x``/``y``,
territory centroids' ``lat``/``lon``). Ids, codes, counts and units are whole
numbers and untouched. NaN and infinities become ``null`` (JSON has neither).
Stored data (workshops, orders, products) is answered as it was written: it is
read back and sent again with ``If-Match``.

For a language other than English the library's sentences beside their
messages (``reasons``/``reason_messages``, ``why``/``why_messages``,
``notes``/``note_messages``) are said in that language; the messages stay
as they are, for a client that says them itself.

Examples
--------
>>> for_people({"minutes": 1.7999999999999998, "share": 0.99612, "betweenness": 1.4184e-05})
{'minutes': 1.8, 'share': 1.0, 'betweenness': 1.42e-05}
>>> for_people({"options": {"fairness_share": 0.6000001}, "gap": float("nan")})
{'options': {'fairness_share': 0.6000001}, 'gap': None}
>>> member = {"why": ["No tie to another member."], "why_messages": [{"key": "why.no_tie", "args": {}}]}
>>> for_people(member, "es")["why"]
['No tiene lazos con otro miembro.']
"""

from __future__ import annotations

import math
from typing import Any

from matcher.messages import ENGLISH, Message

__all__ = ["AMOUNTS", "EXACT", "MINUTES", "MONEY", "SHARES", "SIGNIFICANT", "for_people", "rounded"]

#: Keys whose value (and everything inside it) is answered exactly.
EXACT = frozenset(
    {
        "options", "params", "rules", "score_weights", "time_limit", "resolution", "seed", "order",
        "due_weeks", "week", "x", "y", "lat", "lon",
    }
)  # fmt: skip
#: Keys of minutes (and any key ending in ``_minutes``): to 0.1.
MINUTES = frozenset({"minutes", "used", "free", "needed", "need", "have", "available", "capacity"})
#: Keys of shares (and any key ending in ``_share``, every part of a ``score``): to 0.01.
SHARES = frozenset({"share", "utilisation", "largest_utilisation", "overall", "gap", "progress"})
#: Keys of money (and any key ending in ``_cost``): to 0.01.
MONEY = frozenset({"budget", "cost"})
#: Keys of seconds and of the solver's objective values: to 0.1.
AMOUNTS = frozenset({"seconds", "time_seconds", "explain_seconds", "objective", "bound", "value"})
#: Significant digits of every other measure.
SIGNIFICANT = 3

#: Sentences beside their messages in the library's results.
SAID = {"reasons": "reason_messages", "why": "why_messages", "notes": "note_messages"}


def rounded(value: float, key: str | None, *, share: bool = False) -> float | None:
    """One figure rounded by what its key says it is (see above); None for NaN and infinities.

    Examples
    --------
    >>> rounded(32507.200000000004, "free_minutes"), rounded(0.0498, "capacity", share=True)
    (32507.2, 0.05)
    >>> rounded(0.7726680324715295, "modularity"), rounded(-49.599999999999994, "value")
    (0.773, -49.6)
    >>> rounded(1234.5, "budget"), rounded(1100.0000000002, "portfolio_cost")
    (1234.5, 1100.0)
    """
    if not math.isfinite(value):
        return None
    name = key or ""
    money = name in MONEY or name.endswith("_cost")
    if share or money or name in SHARES or name.endswith("_share"):
        out = round(value, 2)
    elif name in MINUTES or name.endswith("_minutes") or name in AMOUNTS:
        out = round(value, 1)
    elif value == 0:
        out = 0.0
    else:
        out = float(f"{value:.{SIGNIFICANT}g}")
    return out + 0.0  # no -0.0


def for_people(value: Any, lang: str = "en", *, key: str | None = None, share: bool = False) -> Any:
    """A JSON-ready answer as people read it: figures rounded, the library's sentences in ``lang``."""
    if isinstance(value, bool) or value is None or isinstance(value, int | str):
        return value
    if isinstance(value, float):
        return rounded(value, key, share=share)
    if isinstance(value, list | tuple):
        return [for_people(v, lang, key=key, share=share) for v in value]
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            if k in EXACT:
                out[k] = _finite(v)
            else:
                out[k] = for_people(v, lang, key=k, share=share or k == "score")
        if lang != "en":
            for texts, messages in SAID.items():
                if isinstance(out.get(texts), list) and isinstance(out.get(messages), list):
                    out[texts] = _said(out[texts], out[messages], lang)
        return out
    return value


def _finite(value: Any) -> Any:
    """``value`` unrounded, with NaN and infinities as None."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    return value


def _said(texts: list[Any], messages: list[Any], lang: str) -> list[Any]:
    """The texts said in ``lang`` from their messages (a text whose message is unknown stays as it is)."""
    if len(texts) != len(messages):
        return texts
    out = []
    for text, m in zip(texts, messages, strict=True):
        known = isinstance(m, dict) and m.get("key") in ENGLISH and isinstance(m.get("args", {}), dict)
        out.append(Message(m["key"], m.get("args") or {}).say(lang) if known else text)
    return out
