"""What the service says to its users, as message keys of the one catalogue (``api.<key>``).

Every error answer, detail and job message of the service is an
:class:`ApiMessage`: a key of :data:`ENGLISH` and its raw arguments, said in
the request's language (:mod:`matcher_service.language`) when the answer is written.
Its templates in every language, English included, are those of the catalogue
(``matcher/views/static/i18n/<lang>.json``, see :mod:`matcher.catalogue`) under
``api.<key>``, with the fields ``{name}``, ``{name:format}`` and
``{name|one|other}``. A message names no route or HTTP method: a person reads
it on a page.

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

from matcher.catalogue import Templates
from matcher.messages import Message

__all__ = ["ENGLISH", "ApiMessage", "InvalidValue", "said"]

#: The English template of every key of the service: the ``api.*`` keys of the catalogue's ``en.json``.
ENGLISH: Mapping[str, str] = Templates("api")


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
