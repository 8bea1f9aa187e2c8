"""The import graph of Tonearm's rooms, read from the source (no module is imported).

    python -m scripts.import_graph   # the arrows between rooms, and any going the wrong way

A room is a top-level package (`config`, `media_pipeline`) or a topic of `core` (`core.catalog`,
`core.uploads`, ...). The rules checked: `media_pipeline` is infrastructure and imports
nothing from `core`; `core.recommendations` is a leaf that the rooms it reads from (catalog,
library, playlists, insights, accounts, processing) never import, so that training and its
numpy never sit on their paths. Exits 1 when an import breaks one.
"""

import ast
import sys
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("config", "core", "media_pipeline")
# Imports that infrastructure must never make: (importing room prefix, imported room prefix).
FORBIDDEN = (
    ("media_pipeline", "core"),
    *(
        (f"core.{room}", "core.recommendations")
        for room in ("catalog", "library", "playlists", "insights", "accounts", "processing")
    ),
)


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def room(module: str) -> str:
    parts = module.split(".")
    return ".".join(parts[:2]) if parts[0] == "core" and len(parts) > 1 else parts[0]


def imports_of(path: Path) -> Iterator[tuple[int, str]]:
    """(line, module) of every import in the file, at any depth (functions included)."""
    tree = ast.parse(path.read_text(), filename=str(path))
    package = module_name(path) if path.name == "__init__.py" else module_name(path.parent)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            yield node.lineno, target


def source_files() -> Iterator[Path]:
    for package in PACKAGES:
        yield from sorted((ROOT / package).rglob("*.py"))


def edges() -> dict[tuple[str, str], list[str]]:
    """(from room, to room) -> where ("path:line"), for imports between different rooms."""
    found: dict[tuple[str, str], list[str]] = defaultdict(list)
    for path in source_files():
        source_room = room(module_name(path))
        for line, target in imports_of(path):
            if target.split(".")[0] not in PACKAGES:
                continue
            target_room = room(target)
            if target_room != source_room:
                found[(source_room, target_room)].append(f"{path.relative_to(ROOT)}:{line}")
    return dict(found)


def imports_into(target_room: str) -> list[tuple[str, str]]:
    """("path:line", module) of every import of a module of `target_room` from another room."""
    found = []
    for path in source_files():
        if room(module_name(path)) == target_room:
            continue
        for line, target in imports_of(path):
            if room(target) == target_room:
                found.append((f"{path.relative_to(ROOT)}:{line}", target))
    return found


def violations(graph: dict[tuple[str, str], list[str]] | None = None) -> list[str]:
    """Each import that goes against FORBIDDEN, as "path:line imports room"."""
    graph = edges() if graph is None else graph
    return [
        f"{place} imports {target}"
        for (source, target), places in sorted(graph.items())
        for place in places
        if any(
            (source == a or source.startswith(a + "."))
            and (target == b or target.startswith(b + "."))
            for a, b in FORBIDDEN
        )
    ]


def main() -> int:
    graph = edges()
    for (source, target), places in sorted(graph.items()):
        print(f"{source} -> {target}  ({len(places)})")
    wrong = violations(graph)
    for line in wrong:
        print(f"WRONG WAY: {line}", file=sys.stderr)
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
