"""No module of the library or the service is longer than 500 lines: past that, a module holds
more than one topic and is split along its seams (a module may become a package)."""

from __future__ import annotations

from pathlib import Path

import matcher
import matcher_service

ROOT = Path(matcher.__file__).resolve().parent
SERVICE = Path(matcher_service.__file__).resolve().parent
MAX_LINES = 500


def line_count(path: Path) -> int:
    """Lines of a source file (a last line without a newline counts too)."""
    return len(path.read_text(encoding="utf-8").splitlines())


def too_long(root: Path, limit: int = MAX_LINES) -> dict[str, int]:
    """Each ``.py`` file under ``root`` longer than ``limit`` lines, by path relative to ``root``'s parent."""
    return {
        path.relative_to(root.parent).as_posix(): lines
        for path in sorted(root.rglob("*.py"))
        if (lines := line_count(path)) > limit
    }


def test_the_check_counts_lines_and_names_each_long_module(tmp_path):
    package = tmp_path / "pkg"
    (package / "sub").mkdir(parents=True)
    (package / "short.py").write_text("x = 1\n" * 3, encoding="utf-8")
    (package / "sub" / "long.py").write_text("x = 1\n" * 4, encoding="utf-8")
    (package / "sub" / "unended.py").write_text("x = 1\n" * 3 + "x = 1", encoding="utf-8")
    (package / "notes.txt").write_text("x\n" * 9, encoding="utf-8")
    assert too_long(package, limit=3) == {"pkg/sub/long.py": 4, "pkg/sub/unended.py": 4}


def test_no_library_module_is_over_500_lines():
    found = too_long(ROOT)
    listed = "\n".join(f"  {path}: {lines} lines" for path, lines in sorted(found.items()))
    assert not found, f"modules over {MAX_LINES} lines (split them along their seams):\n{listed}"


def test_no_service_module_is_over_500_lines():
    found = too_long(SERVICE)
    listed = "\n".join(f"  {path}: {lines} lines" for path, lines in sorted(found.items()))
    assert not found, f"modules over {MAX_LINES} lines (split them along their seams):\n{listed}"
