"""No import circle anywhere in dacwallet: whatever imports what (at the top, inside a function or under
TYPE_CHECKING), following the imports from a module never leads back to it."""

from __future__ import annotations

from pathlib import Path

import grimp
import pytest


def import_cycles(package: str) -> list[tuple[str, ...]]:
    """Each circle of ``package`` once, as a chain of modules that starts and ends at the same one."""
    graph = grimp.build_graph(package, cache_dir=None)
    circles: dict[frozenset[str], tuple[str, ...]] = {}
    for importer in sorted(graph.modules):
        for imported in sorted(graph.find_modules_directly_imported_by(importer)):
            back = graph.find_shortest_chain(importer=imported, imported=importer)
            if back is not None:
                circle = (importer, *back)
                circles.setdefault(frozenset(circle), circle)
    return sorted(circles.values())


def test_dacwallet_has_no_import_cycle() -> None:
    circles = [" -> ".join(c) for c in import_cycles("dacwallet")]
    assert circles == [], "import circles:\n" + "\n".join(circles)


def test_a_circle_through_a_function_level_import_is_found(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    package = tmp_path / "circled"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "first.py").write_text("from circled.second import helper\n")
    (package / "second.py").write_text("def helper():\n    from circled import first\n    return first\n")
    (package / "third.py").write_text("import circled.first\n")  # imports into the circle, not part of it
    monkeypatch.syspath_prepend(str(tmp_path))
    assert import_cycles("circled") == [("circled.first", "circled.second", "circled.first")]
