"""The one catalogue of words and sentences, and its template language.

Every text a person reads — the pages' words, the library's explanations and
errors (``msg.<key>``), the service's answers (``api.<key>``) — is in one
JSON file per language, ``matcher/views/static/i18n/<lang>.json`` (a flat
object, key → text, both files with the same keys). Python reads them here;
the pages read the same files (inlined in each page) in
``matcher/views/static/js/i18n.js``. The English templates of the library
and the service are the ``msg.*`` and ``api.*`` keys of ``en.json``:
:data:`matcher.messages.ENGLISH`, :data:`matcher_service.messages.ENGLISH`.

Template syntax
---------------
A template is text with fields in braces:

``{name}``
    the argument as is: text as written; a number in the language's format
    (grouped thousands, up to two decimals: ``1.234,5`` in Spanish); a list
    joined with ``", "``.
``{name:format}``
    the argument in one of :data:`FORMATS`: ``n`` (a whole number, grouped),
    ``min`` (minutes, rounded), ``pct`` (a share as a percentage), ``process``,
    ``product``, ``rule`` (a code in the language's words: the catalogue's
    ``<group>.<code>``, lower case inside a sentence), ``list``, ``processes``,
    ``products``, ``kinds`` (lists), ``names`` (ids, the first six then
    ``part.names_more``), ``workshop_units``, ``process_units``, ``ties``,
    ``causes``, ``changes``, ``required`` (items said with the ``cause.*``,
    ``change.*`` and ``part.*`` templates), ``message`` (a message inside
    another, ``{"key", "args"}``), ``role``, ``status`` (a user's role, a job's
    status in words), ``date`` (an ISO date as the language writes dates),
    ``exact`` (a number in full, without grouping).
``{name|one|other}``
    ``one`` when the argument is 1, else ``other`` (the language's plural
    rules for ``one``; the texts hold no braces or bars).

Nothing else is special: no escapes, no nesting. The library's English
(``Message.text``, what the command line prints) keeps codes as codes and
plain numbers as Python writes them (``words=False``); every other text — any
language on the pages, Spanish everywhere — says codes in words and numbers
in the language's format (``words=True``). The pages' formatter gives the same
text as :func:`fill` with ``words=True`` (``tests/test_catalogue_parity.py``
runs both on a table of cases).

Examples
--------
>>> fill("{n:n} {n|row|rows}", {"n": 1}), fill("{n:n} {n|fila|filas}", {"n": 2500}, "es")
('1 row', '2.500 filas')
>>> fill("{p:process} ({s:pct})", {"p": "pattern_making", "s": 0.25}, "en", words=True)
'pattern making (25%)'
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any

__all__ = [
    "FIELD",
    "FORMATS",
    "LANGUAGES",
    "NAMES_SHOWN",
    "Templates",
    "catalogue",
    "change_key",
    "fill",
    "format_number",
    "language_of",
    "template",
]

#: Languages of the catalogue, the default of the pages first.
LANGUAGES = ("es", "en")
#: Most ids a ``names`` field shows before "and N more".
NAMES_SHOWN = 6
#: A field of a template: ``{name}``, ``{name:format}`` or ``{name|one|other}``.
FIELD = re.compile(r"\{(\w+)(?::(\w+)|\|([^{}|]*)\|([^{}|]*))?\}")


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
    """Every text of a language: ``matcher/views/static/i18n/<lang>.json``, read once.

    Examples
    --------
    >>> catalogue("es")["process.sewing"]
    'Costura'
    """
    path = resources.files("matcher").joinpath("views", "static", "i18n", f"{language_of(lang)}.json")
    return json.loads(path.read_text(encoding="utf-8"))


class Templates(Mapping[str, str]):
    """The English templates under one prefix of the catalogue (``msg``, ``api``), keyed without it.

    Read from ``en.json`` when first used (not when imported).

    Examples
    --------
    >>> Templates("msg")["why.no_tie"]
    'No tie to another member.'
    """

    def __init__(self, namespace: str) -> None:
        self.namespace = namespace

    @functools.cached_property
    def _table(self) -> dict[str, str]:
        prefix = f"{self.namespace}."
        return {k.removeprefix(prefix): v for k, v in catalogue("en").items() if k.startswith(prefix)}

    def __getitem__(self, key: str) -> str:
        return self._table[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._table)

    def __len__(self) -> int:
        return len(self._table)

    def __repr__(self) -> str:
        return f"Templates({self.namespace!r})"


def template(key: str, lang: str, namespace: str = "msg") -> str:
    """The template of ``<namespace>.<key>`` in a language, else in English.

    Examples
    --------
    >>> template("why.no_tie", "es")
    'No tiene lazos con otro miembro.'
    """
    name = f"{namespace}.{key}"
    text = catalogue(lang).get(name)
    return catalogue("en")[name] if text is None else text


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


@dataclass(frozen=True)
class _Voice:
    """How a text is said: its language, and whether codes and plain numbers are in its words."""

    lang: str
    words: bool


def _plain(value: Any, voice: _Voice) -> str:
    if voice.words and isinstance(value, int | float) and not isinstance(value, bool):
        return format_number(value, voice.lang)
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, list | tuple):
        return ", ".join(_plain(v, voice) for v in value)
    return str(value)


def _word(group: str, code: Any, voice: _Voice, in_sentence: bool = True) -> str:
    """A code in a language's words (the library's English keeps codes, as the command line shows them)."""
    if not voice.words:
        return str(code)
    words = catalogue(voice.lang).get(f"{group}.{code}")
    if words is None:
        return str(code).replace("_", " ")
    return words.lower() if in_sentence else words


def _render(key: str, args: Mapping[str, Any], voice: _Voice) -> str:
    return _fill(template(key, voice.lang), args, voice)


def change_key(kind: str, value: Any) -> tuple[str, dict[str, Any]]:
    """The message key and arguments for one change that would let an order be filled.

    Examples
    --------
    >>> change_key("conflict", ["A", "B"])
    ('change.conflict', {'value': ['A', 'B'], 'a': 'A', 'b': 'B'})
    """
    if kind == "rule" and value == "min_group_size":
        return "change.no_min_group_size", {"value": value}
    if kind == "min_lot" and value <= 1:  # whole garments: a lot of 1 is no lot
        return "change.no_min_lot", {"value": value}
    if kind == "conflict":
        return "change.conflict", {"value": value, "a": value[0], "b": value[1]}
    return f"change.{kind}", {"value": value}


def _names(ids: list[str], args: Mapping[str, Any], voice: _Voice) -> str:
    shown = ", ".join(ids[:NAMES_SHOWN])
    if len(ids) <= NAMES_SHOWN:
        return shown
    return _render("part.names_more", {"names": shown, "count": len(ids) - NAMES_SHOWN}, voice)


def _changes(changes: list[Mapping[str, Any]], args: Mapping[str, Any], voice: _Voice) -> str:
    said = (change_key(c["kind"], c["value"]) for c in changes)
    return _render("part.or_with", {}, voice).join(_render(key, a, voice) for key, a in said)


def _causes(causes: list[Mapping[str, Any]], args: Mapping[str, Any], voice: _Voice) -> str:
    return "; ".join(
        _render(f"cause.{c['cause']}", {**args, "workshops": c["workshops"]}, voice) for c in causes
    )


def _required(codes: list[str], args: Mapping[str, Any], voice: _Voice) -> str:
    def one(code: str) -> str:
        if code == "min_group_size":
            return _render("part.min_group_size", args, voice)
        return _word("rule", code, voice, in_sentence=False)

    return ", ".join(one(c) for c in codes)


def _date(value: str, voice: _Voice) -> str:
    """An ISO date (``2025-09-30``) as a language writes it (``30/09/2025`` in Spanish)."""
    if voice.lang == "en" or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(value)):
        return str(value)
    year, month, day = str(value).split("-")
    return f"{day}/{month}/{year}"


def _exact(value: float, voice: _Voice) -> str:
    """A number in full with the language's decimal mark and no digit grouping (``11520``, ``11,52``)."""
    text = str(value) if isinstance(value, int) else f"{float(value):.6f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") if voice.lang == "es" else text


def _pct(value: float, voice: _Voice) -> str:
    # Spanish puts a no-break space before the sign, as the pages' Intl.NumberFormat does.
    return f"{value:.0%}" if voice.lang == "en" else f"{round(100 * value)}\u00a0%"


#: How a ``{name:format}`` field shows its argument: ``FORMATS[name](value, args, voice)``.
FORMATS: dict[str, Callable[[Any, Mapping[str, Any], _Voice], str]] = {
    "n": lambda v, a, voice: format_number(v, voice.lang, digits=0),  # a whole number, grouped
    "min": lambda v, a, voice: format_number(round(v), voice.lang),  # minutes, rounded and grouped
    "pct": lambda v, a, voice: _pct(v, voice),  # a share
    "process": lambda v, a, voice: _word("process", v, voice),
    "product": lambda v, a, voice: _word("product", v, voice),
    "rule": lambda v, a, voice: _word("rule", v, voice, False),
    "list": lambda v, a, voice: ", ".join(v),  # ids, references or territories
    "processes": lambda v, a, voice: ", ".join(_word("process", p, voice) for p in v),
    "products": lambda v, a, voice: ", ".join(_word("product", p, voice) for p in v),
    "kinds": lambda v, a, voice: ", ".join(_word("kind", k, voice) for k in v),  # tie kinds
    "names": _names,  # ids, the first NAMES_SHOWN then part.names_more
    "workshop_units": lambda v, a, voice: ", ".join(
        f"{i['workshop_id']} {format_number(i['units'], voice.lang)}" for i in v
    ),
    "process_units": lambda v, a, voice: ", ".join(
        f"{_word('process', i['process'], voice)} {format_number(i['units'], voice.lang)}" for i in v
    ),
    "ties": lambda v, a, voice: "; ".join(
        f"{i['workshop_id']} ({', '.join(_word('kind', k, voice) for k in i['kinds'])})" for i in v
    ),
    "causes": _causes,  # cause.* items, each with the message's arguments and its count
    "changes": _changes,  # change.* items joined by part.or_with
    "required": _required,  # rule codes, and part.min_group_size
    "message": lambda v, a, voice: _render(v["key"], v["args"], voice),  # a message inside, {key, args}
    "role": lambda v, a, voice: catalogue(voice.lang).get(f"role.{v}", str(v)),  # a user's role
    "status": lambda v, a, voice: catalogue(voice.lang).get(f"job.{v}", str(v)),  # a job's status
    "date": lambda v, a, voice: _date(v, voice),  # an ISO date, as the language writes dates
    "exact": lambda v, a, voice: _exact(v, voice),  # a number in full, without digit grouping
}


def _fill(text: str, args: Mapping[str, Any], voice: _Voice) -> str:
    def one_field(match: re.Match[str]) -> str:
        name, form, one, other = match.groups()
        value = args[name]
        if one is not None:
            return one if value == 1 else other
        return _plain(value, voice) if form is None else FORMATS[form](value, args, voice)

    return FIELD.sub(one_field, text)


def fill(text: str, args: Mapping[str, Any], lang: str = "en", *, words: bool | None = None) -> str:
    """A template's fields filled with ``args`` in a language (the syntax is described above).

    ``words`` says codes in the language's words and plain numbers in its
    format; by default every language but English does (see above).

    Examples
    --------
    >>> fill("{w} {w|workshop|workshops}, {m:min} min", {"w": 1, "m": 2550.4})
    '1 workshop, 2,550 min'
    >>> fill("{w} {w|taller|talleres}, {m:min} min", {"w": 1200, "m": 2550.4}, "es")
    '1.200 talleres, 2.550 min'
    """
    lang = language_of(lang)
    return _fill(text, args, _Voice(lang, lang != "en" if words is None else words))
