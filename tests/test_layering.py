"""The import rule: ``cases`` (the complaint and its lifecycle) and the staff-side packages
read ``cases``, never the bot; ``bot`` reads them, so any import back would be a cycle."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def bot_imports(package: Path) -> list[str]:
    """Each import of ``bot`` (or a module in it) under the folder ``package``, as
    "folder/file:line"."""
    found = []
    for path in sorted(package.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            if any(name == "bot" or name.startswith("bot.") for name in names):
                found.append(f"{path.relative_to(package.parent)}:{node.lineno}")
    return found


@pytest.mark.parametrize("package", ["cases", "console", "ops", "privacy"])
def test_package_never_imports_the_bot(package: str) -> None:
    assert (ROOT / package / "__init__.py").is_file()
    assert bot_imports(ROOT / package) == []


def test_the_check_sees_an_import_of_the_bot(tmp_path: Path) -> None:
    # The rule above would pass vacuously if the walk missed imports: show it finds them,
    # at module level and inside a function, in both spellings.
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "a.py").write_text("import bot.slots\n", encoding="utf-8")
    (package / "b.py").write_text("def f():\n    from bot import state\n", encoding="utf-8")
    (package / "c.py").write_text("from bottle import x\nfrom .bot import y\n", encoding="utf-8")
    assert bot_imports(package) == ["pkg/a.py:1", "pkg/b.py:2"]
