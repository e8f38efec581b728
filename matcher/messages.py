"""Explanations as a key and raw arguments, rendered in English here and in other languages by the pages.

The optimizer explains its answers (why a workshop is in a group, why an order
is not filled, what a shortlist entry offers) as :class:`Message` objects. The
template of every key is in the one catalogue (:mod:`matcher.catalogue`):
``msg.<key>`` in ``en.json`` is the English, :data:`ENGLISH`; ``es.json``
holds the Spanish. The browser pages render the same arguments with the same
templates; :meth:`Message.say` renders them here, with the language's number
format and words for processes and products. The errors a user may see carry
messages too (:attr:`matcher.errors.MatcherError.messages`), so that a service
says them in its reader's language. The template syntax (``{name}``,
``{name:format}``, ``{name|one|other}``) is described in :mod:`matcher.catalogue`.

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

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from matcher.catalogue import (
    FORMATS,
    LANGUAGES,
    Templates,
    catalogue,
    change_key,
    fill,
    format_number,
    language_of,
    template,
)

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
    "sentence",
]

#: The English template of every message key: the ``msg.*`` keys of the catalogue's ``en.json``.
ENGLISH: Mapping[str, str] = Templates("msg")


def _json_ready(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _json_ready(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_ready(v) for v in value]
    return value


#: A template that begins with a value written as given (``{name}``, ``{workshop}``: an option's
#: name, a workshop's id), not with a word said in the language (``{process:process}``).
_VALUE_FIRST = re.compile(r"^\{\w+\}")


def sentence(template: str, text: str) -> str:
    """``text``, filled from ``template``, as a sentence: its first letter capitalised, unless it
    begins with a value, kept as written.

    Examples
    --------
    >>> sentence("{process:process}: all by {workshop}", "corte: todo YAG-1")
    'Corte: todo YAG-1'
    >>> sentence("{name} debe ser una fecha", "as_of debe ser una fecha")
    'as_of debe ser una fecha'
    """
    return text if _VALUE_FIRST.match(template) else text[:1].upper() + text[1:]


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
        if language_of(lang) == "en":
            return self.TEMPLATES[self.key]
        return template(self.key, lang, self.NAMESPACE)

    @property
    def text(self) -> str:
        """The message in English."""
        return fill(self.TEMPLATES[self.key], self.args)

    def say(self, lang: str = "en") -> str:
        """The message in a language of :data:`LANGUAGES`, as the pages say it.

        English comes from :data:`ENGLISH`; another language from its
        catalogue (``msg.<key>``), with that language's number format and words
        for codes (processes, products, rules, tie kinds). The first letter is
        capitalised, as the pages show a sentence, unless the sentence begins
        with a value (a workshop's id, an option's name), kept as written.

        Examples
        --------
        >>> m = Message("reason.can_deliver", {"workshops": 2, "week": 1.5})
        >>> m.say("es")
        '2 talleres pueden entregar para la semana 1,5.'
        >>> Message("diagnose.only", {"filled": 1200, "quantity": 30000}).say("es")
        'Solo se pueden hacer 1.200 de 30.000 unidades.'
        >>> m.say("en") == m.text
        True
        >>> Message("option.date", {"name": "as_of", "got": "30/09"}).say("es")
        'as_of debe ser una fecha escrita AAAA-MM-DD; se recibió 30/09'
        """
        if lang == "en":
            return self.text
        template = self.template(lang)
        return sentence(template, fill(template, self.args, language_of(lang)))

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
    >>> say_all([Message("option.date", {"name": "as_of", "got": "30/09"})], "es")
    'as_of debe ser una fecha escrita AAAA-MM-DD; se recibió 30/09'
    """
    lang = language_of(lang)
    messages = list(messages)
    text = sep.join(fill(m.template(lang), m.args, lang) for m in messages)
    return text if lang == "en" or not messages else sentence(messages[0].template(lang), text)


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
    return Message(*change_key(kind, value))


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
