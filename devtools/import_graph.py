"""``python -m devtools.import_graph``: which app imports which, and every import that breaks the layers.

The layers (DESIGN §2, README "Map of the apps") are enforced by import-linter's contracts in
``pyproject.toml`` (``lint-imports``, run by ``make test``). This command prints the graph
those contracts look at, one line per pair of apps with the number of import statements, and
lists each statement that goes up a layer, across to a sibling or to another app's
``_underscore`` name. It exits 1 when it finds one, so it can be run before a commit.

It reads the same graph as import-linter (grimp), so imports inside functions count too.
"""

import argparse
import ast
import sys
from collections import Counter
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parent.parent

# Bottom to top; apps on one rung are independent siblings.
LAYERS = [("core",), ("partners",), ("accounts",), ("cms",), ("search", "courses"), ("certifications",), ("home",)]
RANK = {app: rung for rung, apps in enumerate(LAYERS) for app in apps}


def app_of(module: str) -> str:
    return module.split(".")[0]


def import_edges(graph) -> list[tuple[str, str, int, str]]:
    """``(importer, imported, line, source)`` for every import statement from one app into another."""
    edges = []
    for module in sorted(graph.modules):
        for imported in sorted(graph.find_modules_directly_imported_by(module)):
            if app_of(module) == app_of(imported):
                continue
            for detail in graph.get_import_details(importer=module, imported=imported):
                edges.append((module, imported, detail["line_number"], detail["line_contents"]))
    return edges


def underscore_imports() -> list[tuple[str, int, str]]:
    """``from <other app>... import _name``: another app's private name, found in the source."""
    found = []
    for app in RANK:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            tree = ast.parse(path.read_text(), filename=str(path))
            for node in ast.walk(tree):
                if not isinstance(node, ast.ImportFrom) or not node.module or node.level:
                    continue
                target = app_of(node.module)
                private_module = any(part.startswith("_") for part in node.module.split(".") if part != "__init__")
                private_names = [alias.name for alias in node.names if alias.name.startswith("_")]
                if target in RANK and target != app and (private_module or private_names):
                    relative = path.relative_to(ROOT)
                    found.append((str(relative), node.lineno, f"from {node.module} import {', '.join(private_names)}"))
    return found


def breaks_layers(importer: str, imported: str) -> bool:
    return RANK[imported] >= RANK[importer]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quiet", action="store_true", help="Only the imports that break the layers.")
    args = parser.parse_args(argv)

    sys.path.insert(0, str(ROOT))
    graph = grimp.build_graph(*RANK)
    edges = import_edges(graph)

    pairs = Counter((app_of(importer), app_of(imported)) for importer, imported, _line, _source in edges)
    if not args.quiet:
        print("App imports (importer -> imported: statements), layers from the bottom:")
        print("  " + " < ".join(" | ".join(apps) for apps in LAYERS))
        for (importer, imported), count in sorted(pairs.items(), key=lambda item: (RANK[item[0][0]], item[0])):
            mark = "  BREAKS LAYERS" if breaks_layers(importer, imported) else ""
            print(f"  {importer:>15} -> {imported:<15} {count:4d}{mark}")

    broken = [edge for edge in edges if breaks_layers(app_of(edge[0]), app_of(edge[1]))]
    private = underscore_imports()
    for importer, imported, line, source in broken:
        print(f"layer: {importer}:{line} imports {imported}: {source}")
    for path, line, source in private:
        print(f"private: {path}:{line}: {source}")
    if not args.quiet:
        print(f"{len(broken)} import(s) against the layers, {len(private)} of another app's private names.")
    return 1 if broken or private else 0


if __name__ == "__main__":
    sys.exit(main())
