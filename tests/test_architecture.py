"""The generator's layout is its pipeline: these checks keep it so.

- Dependencies run one way: cli -> publish -> site -> crossref -> catalog -> model,
  and importer -> catalog. No module imports a later stage.
- No import cycle between modules, and no import of the generator inside a
  function (the way a cycle used to be hidden). One exception, DEFERRED: the
  command line imports the importer in the commands that run it, so that a
  build does not pay for importing it (the cycle and stage checks still see
  these imports).
- No module over MAX_MODULE_LINES lines; no function over MAX_FUNCTION_LINES
  unless its docstring says why ("Long because: …").
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "generator"
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60

BASE = {"model", "errors"}
# Imports of the generator a function may make (module -> the modules it may import inside a function): the
# commands of the command line that need the importer import it when they run (0.1 s of CPU a build saves).
DEFERRED = {"generator.cli": {"generator.importer.command"}}
# What each stage (the first part of a module's name under generator/) may import from the generator.
ALLOWED = {
    "errors": set(),
    "model": set(),
    "catalog": {"catalog"} | BASE,
    "importer": {"importer", "catalog"} | BASE,
    "crossref": {"crossref", "catalog"} | BASE,
    "site": {"site", "crossref", "catalog"} | BASE,
    "publish": {"publish", "site", "crossref", "catalog"} | BASE,
    "hooks": {"publish", "site", "catalog"} | BASE,
    "cli": {"publish", "site", "crossref", "catalog", "importer"} | BASE,
    "__main__": {"cli"},
    "__init__": set(),
}


def _module(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _stage(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _imports(tree: ast.AST, module: str, is_package: bool) -> list[tuple[str, ast.stmt]]:
    """(imported generator module, statement) for every import of the generator in `tree`."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, node) for alias in node.names if alias.name.split(".")[0] == "generator"]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = module.split(".") if is_package else module.split(".")[:-1]
                base = ".".join(anchor[: len(anchor) - node.level + 1] + ([base] if base else []))
            if base.split(".")[0] == "generator":
                found += [(f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base, node)
                          for alias in node.names]
    return found


SOURCES = {path: ast.parse(path.read_text(encoding="utf-8")) for path in sorted(PACKAGE.rglob("*.py"))}
MODULES = {_module(path) for path in SOURCES}
GRAPH = {
    _module(path): {name for name, _ in _imports(tree, _module(path), path.name == "__init__.py")} - {_module(path)}
    for path, tree in SOURCES.items()
}


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_no_module_imports_a_later_stage(path: Path) -> None:
    module = _module(path)
    allowed = ALLOWED[_stage(module)] | {_stage(module)}
    wrong = sorted(name for name in GRAPH[module] if _stage(name) not in allowed)
    assert not wrong, f"{module} ({_stage(module)}) imports {wrong}: a later stage or another branch of the pipeline"


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_no_import_of_the_generator_hides_inside_a_function(path: Path) -> None:
    tree = SOURCES[path]
    hidden = []
    for function in ast.walk(tree):
        if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            hidden += [f"line {node.lineno}: {name}" for name, node in _imports(function, _module(path), False)
                       if name not in DEFERRED.get(_module(path), set())]
    assert not hidden, f"{path.name}: imports inside functions: {hidden}"


def test_there_is_no_import_cycle() -> None:
    done: set[str] = set()

    def visit(module: str, trail: list[str]) -> None:
        if module in trail:
            raise AssertionError("import cycle: " + " -> ".join([*trail[trail.index(module):], module]))
        if module in done or module not in GRAPH:
            return
        for name in sorted(GRAPH[module]):
            visit(name, [*trail, module])
        done.add(module)

    for module in sorted(GRAPH):
        visit(module, [])


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_modules_and_functions_stay_readable(path: Path) -> None:
    lines = path.read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_MODULE_LINES, f"{path.name} has {lines} lines: split it by concern"
    for node in ast.walk(SOURCES[path]):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            length = node.end_lineno - node.lineno + 1
            reason = "Long because:" in (ast.get_docstring(node) or "")
            assert length <= MAX_FUNCTION_LINES or reason, (
                f"{path.name}: {node.name} is {length} lines: split it, or say why in its docstring ('Long because: …')")


def test_the_checks_see_the_whole_package() -> None:
    """Guards the guards: the walk finds every stage and the imports between them."""
    assert {_stage(m) for m in MODULES} >= {"catalog", "importer", "crossref", "site", "publish", "cli", "hooks", "model"}
    assert "generator.catalog.load" in GRAPH["generator.catalog"]
    assert "generator.site" in GRAPH["generator.hooks"]
