"""The build backend of matcher: setuptools, and one rule of its own.

``pip install matcher`` (a wheel, an sdist, ``pip install .``) gives the library with its
few dependencies; the extras ``views`` and ``service`` add the rest. An editable install
of a checkout (``pip install -e .``, the README's Quickstart) is the whole product: it
also depends on everything those extras name. The hooks of an editable build set
``MATCHER_BUILD_WHOLE=1`` for ``setup.py``, which reads it; every other hook is
setuptools' own.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from setuptools import build_meta
from setuptools.build_meta import *  # noqa: F403  (every hook not redefined below)


@contextmanager
def _whole_product() -> Iterator[None]:
    before = os.environ.get("MATCHER_BUILD_WHOLE")
    os.environ["MATCHER_BUILD_WHOLE"] = "1"
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("MATCHER_BUILD_WHOLE", None)
        else:
            os.environ["MATCHER_BUILD_WHOLE"] = before


def _editable(hook: Callable[..., Any]) -> Callable[..., Any]:
    def run(*args: Any, **kwargs: Any) -> Any:
        with _whole_product():
            return hook(*args, **kwargs)

    run.__name__ = hook.__name__
    run.__doc__ = hook.__doc__
    return run


get_requires_for_build_editable = _editable(build_meta.get_requires_for_build_editable)
prepare_metadata_for_build_editable = _editable(build_meta.prepare_metadata_for_build_editable)
build_editable = _editable(build_meta.build_editable)
