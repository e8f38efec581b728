"""A griffe extension for the API reference: the docstrings' Sphinx roles as links.

The library's numpydoc docstrings name other objects with Sphinx roles
(``:func:`network_report```, ``:class:`~matcher.model.Cluster```). Markdown
would show them as typed; this extension turns each into an optional
cross-reference of mkdocs-autorefs: a link when the object has a page in the
reference, plain code when it has none (a private module, a file), never a
warning.
"""

from __future__ import annotations

import re
from typing import Any

import griffe

ROLE = re.compile(r":(?:py:)?(?:func|class|meth|attr|data|mod|obj|exc|const|file):`([^`]+)`")


def _identifier(obj: griffe.Object, target: str) -> str:
    """The full path of ``target`` as named in ``obj``'s docstring (itself when it cannot be resolved)."""
    if target.startswith("matcher"):
        return target
    head, _, rest = target.partition(".")
    scope: griffe.Object | None = obj
    while scope is not None:
        try:
            path = scope.resolve(head)
        except (griffe.NameResolutionError, AttributeError, KeyError):
            scope = scope.parent
            continue
        return f"{path}.{rest}" if rest else path
    return target


def _link(obj: griffe.Object, match: re.Match) -> str:
    text = match[1].strip()
    if text.startswith("~"):
        text = text[1:]
        shown = text.rsplit(".", 1)[-1]
    else:
        shown = text
    return f'<autoref identifier="{_identifier(obj, text)}" optional><code>{shown}</code></autoref>'


class SphinxRoles(griffe.Extension):
    """Rewrite the Sphinx roles of every docstring of the package once it is loaded."""

    def on_package(self, *, pkg: griffe.Module, **kwargs: Any) -> None:
        todo: list[griffe.Object] = [pkg]
        while todo:
            obj = todo.pop()
            if obj.docstring is not None and ":" in obj.docstring.value:
                obj.docstring.value = ROLE.sub(lambda m, obj=obj: _link(obj, m), obj.docstring.value)
            todo += [member for member in obj.members.values() if not member.is_alias]
