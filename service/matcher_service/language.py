"""The language a request is answered in: ``?lang=``, else ``Accept-Language``, else English.

The pages send their language (Spanish unless the reader chose English) with
every call; an API client says it with ``Accept-Language``
(``es-PY,es;q=0.9,en;q=0.8``). A client that asks for no language the
service has is answered in English, the language of the API's reference.

Examples
--------
>>> preferred_language("en-GB,en;q=0.9,es;q=0.8")
'en'
>>> preferred_language("fr-FR, de;q=0.5"), preferred_language(None)
('en', 'en')
>>> preferred_language("fr;q=1, en;q=0.2, es;q=0.7")
'es'
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from matcher.messages import LANGUAGES

__all__ = ["DEFAULT_LANGUAGE", "Language", "preferred_language", "request_language"]

#: The language of an answer when the request asks for none the service has.
DEFAULT_LANGUAGE = "en"


def _base(tag: str) -> str:
    return tag.strip().replace("_", "-").split("-", 1)[0].lower()


def preferred_language(header: str | None) -> str:
    """The language of :data:`~matcher.messages.LANGUAGES` an ``Accept-Language`` header prefers most."""
    best, best_q = DEFAULT_LANGUAGE, -1.0
    for part in (header or "").split(","):
        tag, _, params = part.partition(";")
        lang = _base(tag)
        if lang not in LANGUAGES:
            continue
        q = 1.0
        for param in params.split(";"):
            name, _, value = param.partition("=")
            if name.strip() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        # Earlier tags win ties, as the header lists them in the client's order.
        if q > best_q and q > 0:
            best, best_q = lang, q
    return best


def request_language(request: Request) -> str:
    """The language to answer a request in (``?lang=`` first, then ``Accept-Language``)."""
    asked = _base(request.query_params.get("lang") or "")
    if asked in LANGUAGES:
        return asked
    return preferred_language(request.headers.get("accept-language"))


#: A route's parameter for the language of its answer.
Language = Annotated[str, Depends(request_language)]
