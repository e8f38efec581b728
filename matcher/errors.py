"""The one error hierarchy of the library.

Every error a user can cause derives from :class:`MatcherError`; the CLI and the
service turn these into one clear message (or an HTTP status) and never show a
traceback for them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from matcher.messages import ENGLISH, Message, fill, language_of, say_all

__all__ = [
    "InvalidDataError",
    "InvalidOptionError",
    "LimitExceededError",
    "MatcherError",
    "MissingExtraError",
    "Problem",
    "SchedulerUnavailableError",
    "SolverFailed",
    "SolverUnavailable",
    "UnknownIdError",
]


class MatcherError(Exception):
    """Base class of every error the library raises on purpose.

    An error a user may see carries its :attr:`messages` (keys and arguments, as
    :class:`~matcher.messages.Message`) and says itself in the user's language
    with :meth:`say`; ``str(exc)`` stays English, for the command line and logs.
    Given messages alone, the English text is theirs, joined by ``"; "``.

    Examples
    --------
    >>> err = InvalidOptionError(messages=[Message("option.at_least", {"name": "top", "low": 1, "got": "0"})])
    >>> str(err)
    'top must be a whole number >= 1, got 0'
    >>> err.say("es")
    'El valor de top debe ser un número entero mayor o igual a 1; se recibió 0'
    >>> MatcherError("only English").say("es")
    'only English'
    """

    def __init__(self, *args: object, messages: Iterable[Message] = ()) -> None:
        said = tuple(messages)
        if not args and said:
            args = ("; ".join(m.text for m in said),)
        super().__init__(*args)
        self.messages: tuple[Message, ...] = said

    def say(self, lang: str = "en") -> str:
        """The error in a language of :data:`~matcher.messages.LANGUAGES` (English text without messages)."""
        return say_all(self.messages, lang) if self.messages else str(self)


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with a dataset, located as a spreadsheet user sees it.

    Parameters
    ----------
    file : str
        File name as the user knows it (``"workshops.csv"``, ``"talleres.csv"``);
        for a workbook, the workbook and the sheet (``"cluster.xlsx:workshops"``).
    row : int or None
        Row number as the spreadsheet shows it (the header is row 1), or None
        when the problem concerns the whole file or a column.
    column : str or None
        Column name, or None when the problem concerns a whole row or file.
    message : str
        What is wrong and what to do, in a coordinator's words (English).
    key, args : str or None, mapping
        The message as a key of :data:`~matcher.messages.ENGLISH` and its
        arguments, so that it can be said in other languages (:meth:`say`);
        :meth:`of` makes a problem from them. They take no part in comparisons.

    Examples
    --------
    >>> str(Problem("workshops.csv", 14, "workers", '"tres" is not a whole number'))
    'workshops.csv row 14, column workers: "tres" is not a whole number'
    >>> p = Problem.of("talleres.csv", 14, "trabajadores", "problem.not_whole", value="tres")
    >>> p.message
    '"tres" is not a whole number'
    >>> p.say("es")
    'talleres.csv fila 14, columna trabajadores: "tres" no es un número entero'
    """

    file: str
    row: int | None
    column: str | None
    message: str
    key: str | None = field(default=None, compare=False)
    args: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def of(cls, file: str, row: int | None, column: str | None, key: str, /, **args: Any) -> Problem:
        """A problem whose message is a key of :data:`~matcher.messages.ENGLISH` and its arguments."""
        said = Message(key, args)
        return cls(file, row, column, said.text, key, said.args)

    def __str__(self) -> str:
        return self.say("en")

    def said(self, lang: str = "en") -> str:
        """The message alone in a language (English when it has no key)."""
        lang = language_of(lang)
        if self.key is None or lang == "en":
            return self.message
        return fill(Message(self.key, self.args).template(lang), self.args, lang)

    def say(self, lang: str = "en") -> str:
        """The whole line in a language: where (file, row, column in its words), then what."""
        lang = language_of(lang)
        message = self.said(lang)
        where = {"file": self.file, "row": self.row, "column": self.column, "message": message}
        if self.row is not None and self.column is not None:
            return fill(Message("problem.at_row_column").template(lang), where, lang)
        if self.row is not None:
            return fill(Message("problem.at_row").template(lang), where, lang)
        if self.column is not None:
            return fill(Message("problem.at_column").template(lang), where, lang)
        return f"{self.file}: {message}"

    def to_dict(self, lang: str | None = None) -> dict[str, Any]:
        """Plain JSON-ready form, in a language (English by default), with the one-line text under
        ``"text"`` and, when the problem has them, its message key and arguments."""
        lang = language_of(lang or "en")
        data: dict[str, Any] = {
            "file": self.file,
            "row": self.row,
            "column": self.column,
            "message": self.said(lang),
            "text": self.say(lang),
        }
        if self.key is not None:
            data.update(key=self.key, args=dict(self.args))
        return data


class InvalidDataError(MatcherError):
    """A dataset breaks the contract; carries **every** problem found.

    Examples
    --------
    >>> err = InvalidDataError([Problem("ties.csv", 3, "kind", "unknown kind")])
    >>> len(err.problems)
    1
    """

    def __init__(self, problems: Iterable[Problem], *, source: str | None = None):
        self.problems: tuple[Problem, ...] = tuple(problems)
        self.source = source
        n = len(self.problems)
        head = f"{source}: " if source else ""
        first = f": {self.problems[0]}" if self.problems else ""
        said = Message("data.problems", {"count": n})
        super().__init__(f"{head}{n} problem{'s' if n != 1 else ''} in the dataset{first}", messages=[said])


class LimitExceededError(InvalidDataError):
    """A dataset exceeds a reading limit (:mod:`matcher.io`): refused whole, at the first excess.

    ``size`` is true when the limit is on a size in bytes (a workbook or one of
    its parts uncompressed), false when it is on the content (rows, columns, a
    cell's length, the compression ratio, the number of parts).

    Examples
    --------
    >>> err = LimitExceededError(Problem.of("c.xlsx:workshops", None, None, "problem.limit_rows", limit=10))
    >>> str(err.problems[0]), err.size
    ('c.xlsx:workshops: the sheet has more than 10 rows, the most a sheet may have', False)
    """

    def __init__(self, problem: Problem, *, size: bool = False) -> None:
        super().__init__([problem], source=problem.file)
        self.size = size


class UnknownIdError(MatcherError, KeyError):
    """An id asked for does not exist; the message names what does.

    Examples
    --------
    >>> str(UnknownIdError("order", ["X9"], ["O1", "O2"]))
    'unknown order id X9; known order ids: O1, O2'
    """

    def __init__(self, what: str, asked: Sequence[str], known: Sequence[str], *, limit: int = 20):
        self.what = what
        self.asked = tuple(asked)
        self.known = tuple(known)
        shown = ", ".join(list(self.known)[:limit])
        if len(self.known) > limit:
            shown += f", ... ({len(self.known)} in all)"
        ids = ", ".join(self.asked)
        plural = "s" if len(self.asked) != 1 else ""
        msg = f"unknown {what} id{plural} {ids}; known {what} ids: {shown or '(none)'}"
        # What a user is told names only the ids asked: a service must not list what its caller may not see.
        key = f"unknown.{what}" if f"unknown.{what}" in ENGLISH else "unknown.id"
        said = Message(key, {"what": what, "ids": list(self.asked), "count": len(self.asked)})
        super().__init__(msg, messages=[said])

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0])


class InvalidOptionError(MatcherError, ValueError):
    """An option is out of range or contradicts another; raised before any work."""


class MissingExtraError(MatcherError):
    """What was asked needs an optional part of matcher that is not installed.

    The message names the extra and the command that installs it (:mod:`matcher.extras`).
    """


class SchedulerUnavailableError(MatcherError):
    """The Dask scheduler named (``--scheduler``, ``MATCHER_SCHEDULER``) could not be reached;
    nothing was run. The message names the address and what the connection said."""


class SolverUnavailable(MatcherError):
    """The requested solver is not installed; the message lists the ones that are."""


class SolverFailed(MatcherError):
    """The solver crashed or returned no usable answer.

    ``str(exc)`` gives the details (for the log and the command line); a user is
    told only that it failed and what to do.
    """

    def __init__(self, *args: object, messages: Iterable[Message] = ()) -> None:
        super().__init__(*args, messages=tuple(messages) or (Message("solver.failed"),))
