"""A missing tool skips its tests with the command that enables it, and fails them under CI=true."""

from __future__ import annotations

import pytest

from tests._needs import unavailable


def test_a_missing_tool_skips_with_the_command_that_enables_it(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(
        pytest.skip.Exception, match=r"no Chromium; to run these tests: apt-get install chromium"
    ):
        unavailable("no Chromium", "apt-get install chromium")


def test_under_ci_a_missing_tool_fails(monkeypatch):
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match=r"CI=true: no test may be skipped"):
        unavailable("no Chromium", "apt-get install chromium")
