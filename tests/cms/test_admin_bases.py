"""The admin bases other apps build on (``cms.gating.admin``, ``core.reports``) register nothing when imported.

Wagtail imports every app's ``wagtail_hooks`` once Django is set up, so whether an import
registers is read from the source: no project module these bases import, directly or
through other project modules, is a ``wagtail_hooks`` module or cms's own admin
(``cms.admin``), and none of them calls Wagtail's registration functions.
"""

import ast
from pathlib import Path

import pytest

PROJECT_APPS = {"core", "partners", "cms", "courses", "certifications", "search", "home"}
REGISTERING_CALLS = {"register", "register_snippet", "register_permission_policy"}


ROOT = Path(__file__).resolve().parents[2]


def _path(module: str) -> Path | None:
    """The source file of a project module, found without importing anything; ``None`` if it is no module."""
    base = ROOT.joinpath(*module.split("."))
    for path in (base.with_suffix(".py"), base / "__init__.py"):
        if path.is_file():
            return path
    return None


def _project_imports(module: str, tree: ast.Module) -> set[str]:
    package = module if _path(module).name == "__init__.py" else module.rpartition(".")[0]
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1] + ([base] if base else []))
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return {name for name in names if name.split(".")[0] in PROJECT_APPS and _path(name)}


def _imported_project_modules(root: str) -> dict[str, ast.Module]:
    """``root`` and every project module it imports, directly or not, with its parsed source."""
    seen, todo = {}, [root]
    while todo:
        module = todo.pop()
        if module in seen or (path := _path(module)) is None:
            continue
        seen[module] = tree = ast.parse(path.read_text())
        todo.extend(_project_imports(module, tree))
        todo.extend(module.rsplit(".", depth)[0] for depth in range(1, module.count(".") + 1))  # its packages
    return seen


def _module_level_calls(tree: ast.Module) -> set[str]:
    """Names of the functions called by a module's own statements (not inside its functions or classes)."""
    names = set()
    for statement in tree.body:
        if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            decorators = statement.decorator_list
            nodes = [node for decorator in decorators for node in ast.walk(decorator)]
        else:
            nodes = list(ast.walk(statement))
        for node in nodes:
            if isinstance(node, ast.Call):
                func = node.func
                names.add(func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", ""))
    return names


@pytest.mark.parametrize("base", ["cms.gating.admin", "core.reports"])
def test_importing_an_admin_base_registers_nothing(base):
    modules = _imported_project_modules(base)
    assert base in modules
    assert not [name for name in modules if name.endswith("wagtail_hooks")]
    assert not [name for name in modules if name == "cms.admin" or name.startswith("cms.admin.")]
    registering = {name: REGISTERING_CALLS & _module_level_calls(tree) for name, tree in modules.items()}
    assert not {name: calls for name, calls in registering.items() if calls}


def test_the_report_bases_import_no_project_app():
    assert {name.split(".")[0] for name in _imported_project_modules("core.reports")} == {"core"}
