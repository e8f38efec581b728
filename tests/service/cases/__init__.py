"""Authorization cases, one module per router; each module defines ``CASES``."""

from __future__ import annotations

import importlib
import pkgutil

from tests.service.matrix import Case


def all_cases() -> list[Case]:
    """Every case of every module in this package."""
    cases: list[Case] = []
    for info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{info.name}")
        cases.extend(module.CASES)
    return cases
