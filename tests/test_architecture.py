"""The shape of the code: one app per area, imports pointing one way, no loops.

Read from the source with `ast`, so a new module is checked without being listed."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("press", "contacts")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" not in path.parts:
                found[_module_name(path)] = path
    return found


MODULES = _modules()


def _imports(name: str) -> set[str]:
    """The project modules `name` imports, at module level or inside functions."""
    path = MODULES[name]
    tree = ast.parse(path.read_text(), filename=str(path))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    targets = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base]) if base else ".".join(anchor)
            targets.add(base)
            targets.update(f"{base}.{alias.name}" for alias in node.names)
    return {target for target in targets if target in MODULES and target != name}


GRAPH = {name: _imports(name) for name in MODULES}


def _area(module: str) -> str:
    parts = module.split(".")
    return ".".join(parts[:2]) if parts[0] == "press" and len(parts) > 1 else parts[0]


def _cycles() -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index, low, stack, on_stack, result = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in GRAPH[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                result.append(sorted(component))

    for node in sorted(GRAPH):
        if node not in index:
            visit(node)
    return result


def test_no_import_loops():
    assert _cycles() == []


def test_no_area_imports_the_views_of_another():
    crossing = [
        (module, target)
        for module, targets in GRAPH.items()
        for target in targets
        if target.endswith(".views")
        and _area(target) != _area(module)
        # The root URLconf mounts each area's pages.
        and module != "press.urls"
    ]
    assert crossing == []


@pytest.mark.parametrize("layer", ["views", "admin", "forms", "urls"])
def test_models_never_import_what_sits_above_them(layer):
    offending = [
        (module, target)
        for module, targets in GRAPH.items()
        if module.endswith(".models")
        for target in targets
        if target.endswith(f".{layer}") or ".management." in target
    ]
    assert offending == []


# Plain functions without database access that a model may use to clean a value.
PLAIN_HELPERS = {"press.core.phones", "contacts.cleaning", "press.releases.text"}


def test_models_never_import_domain_modules():
    allowed_suffixes = (".models", ".enums")
    offending = [
        (module, target)
        for module, targets in GRAPH.items()
        if module.endswith(".models")
        for target in targets
        if _area(target) != "press.core"
        and not target.endswith(allowed_suffixes)
        and target not in PLAIN_HELPERS
    ]
    assert offending == []


AREAS = (
    "events",
    "releases",
    "mailings",
    "accreditation",
    "badges",
    "checkin",
    "dashboard",
    "coverage",
)


def test_each_area_is_one_app_folder():
    from django.apps import apps

    labels = {config.name: config.label for config in apps.get_app_configs()}
    for area in AREAS:
        assert labels[f"press.{area}"] == area
        assert (ROOT / "press" / area / "apps.py").exists()
    for gone in ("models", "admin", "views", "urls"):
        assert not (ROOT / "press" / gone).is_dir()


def test_the_readme_map_names_every_app_folder():
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Where the code lives", 1)[1].split("\n## ", 1)[0]
    folders = sorted(
        f"{path.parent.relative_to(ROOT)}/" for path in ROOT.glob("*/apps.py")
    ) + sorted(f"{path.parent.relative_to(ROOT)}/" for path in (ROOT / "press").glob("*/apps.py"))
    missing = [folder for folder in folders if f"| `{folder}` |" not in section]
    assert missing == []


# The newsroom's subscription pages (press.releases.views) create journalists, and a
# journalist's chosen topics are the releases' topics: the one pair of areas still tied
# both ways.
TIED_BOTH_WAYS = {frozenset({"contacts", "press.releases"})}


def test_two_areas_never_import_each_other():
    pairs = {
        (_area(module), _area(target))
        for module, targets in GRAPH.items()
        for target in targets
        if _area(module) != _area(target)
    }
    both_ways = {frozenset(pair) for pair in pairs if pair[::-1] in pairs} - TIED_BOTH_WAYS
    assert both_ways == set()


def test_every_domain_error_shares_the_one_base():
    """A refused action anywhere is a PresseError(code, message)."""
    own_bases = [
        (name, node.name)
        for name, path in MODULES.items()
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.ClassDef)
        and node.name.endswith("Error")
        and node.name != "PresseError"
        and any(isinstance(base, ast.Name) and base.id == "Exception" for base in node.bases)
    ]
    assert own_bases == []


def test_who_did_it_is_declared_by_the_one_field_helper():
    from django.apps import apps
    from django.contrib.auth import get_user_model
    from django.db import models

    user = get_user_model()
    declared_apart = [
        f"{model._meta.label}.{field.name}"
        for config in apps.get_app_configs()
        if config.name.startswith(PACKAGES)
        for model in config.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.ForeignKey)
        and field.related_model is user
        and not (
            field.null
            and field.blank
            and field.remote_field.on_delete is models.SET_NULL
            and field.remote_field.related_name == "+"
        )
    ]
    assert declared_apart == []
