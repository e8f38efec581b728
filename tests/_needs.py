"""What a test needs from the machine (a browser, a database server), and what happens without it.

On a machine without it the tests that need it are skipped, each saying the
one command that enables it, so that the README's test command ends green on
a fresh machine. Under ``CI=true`` (``.ci/run`` sets it) nothing may be
skipped for a missing tool: the test fails with the same message.
"""

from __future__ import annotations

import os
from typing import NoReturn

import pytest

__all__ = ["unavailable"]


def unavailable(what: str, enable: str) -> NoReturn:
    """Skip the calling test (or fixture) because ``what`` is missing, naming the command
    ``enable`` that provides it; fail instead under ``CI=true``."""
    message = f"{what}; to run these tests: {enable}"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{message} (CI=true: no test may be skipped)", pytrace=False)
    pytest.skip(message)
