"""The dependencies of the matcher distribution (the rest is in pyproject.toml).

A wheel depends on the library's few packages (``LIBRARY``); the extras in
pyproject.toml add the pages (``views``) and the web service (``service``). An
editable install of a checkout is the whole product and depends on those too:
tools/build_backend.py sets ``MATCHER_BUILD_WHOLE=1`` for its hooks.
"""

import os
import tomllib
from pathlib import Path

from setuptools import setup

#: What ``pip install matcher`` brings: the library, ``matcher validate``, ``analyze``,
#: ``match``, ``shortlist``, ``generate`` and ``demo``.
LIBRARY = [
    "networkx>=3.2",
    "igraph>=0.11",
    "numpy>=1.26",
    "pandas>=2.1",
    "scipy>=1.11",
    "pulp[highs]>=3.3,<3.4",
    "openpyxl>=3.1",
    "typer>=0.12",
    "rich>=13",
    "packaging>=23",  # reading the installed extras (matcher.extras)
]


def whole_product() -> list[str]:
    """Everything the ``views`` and ``service`` extras name."""
    project = tomllib.loads(Path(__file__).with_name("pyproject.toml").read_text(encoding="utf-8"))["project"]
    extras = project["optional-dependencies"]
    return [r for name in ("views", "service") for r in extras[name] if not r.startswith("matcher[")]


setup(install_requires=LIBRARY + (whole_product() if os.environ.get("MATCHER_BUILD_WHOLE") == "1" else []))
