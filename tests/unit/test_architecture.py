"""The shape DESIGN.md asks for, checked on the source rather than promised in a README."""
from __future__ import annotations

import ast
import importlib.metadata
import re

import pytest

from fupin_geo import config

REPO = config.REPO_DIR
PACKAGE = REPO / "fupin_geo"
PAGE_MAX_LINES = 150
# streamlit_folium imports streamlit itself, so it counts as talking to Streamlit too.
STREAMLIT_MODULES = {"streamlit", "streamlit_folium"}


def imported_roots(path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    roots = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.add(node.module.split(".")[0])
    return roots


PACKAGE_MODULES = sorted(PACKAGE.rglob("*.py"))
PAGES = sorted((REPO / "pages").glob("*.py"))


def test_the_parser_sees_imports_of_every_form(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("import streamlit as st\nfrom streamlit_folium import st_folium\n"
                      "def f():\n    import streamlit.components.v1\nfrom . import config\n")
    assert imported_roots(sample) == {"streamlit", "streamlit_folium"}


@pytest.mark.parametrize("path", PACKAGE_MODULES, ids=lambda p: str(p.relative_to(REPO)))
def test_only_ui_imports_streamlit(path):
    used = imported_roots(path) & STREAMLIT_MODULES
    if PACKAGE / "ui" not in path.parents:
        assert not used, f"{path.relative_to(REPO)} imports {used}; only the fupin_geo/ui package may"


def test_the_package_has_the_modules_the_design_names():
    # a module's name, or a sub-package's (ui/ holds the Streamlit code)
    names = {p.stem if p.stem != "__init__" else p.parent.name for p in PACKAGE_MODULES}
    assert {"config", "geodata", "coords", "schema", "store", "demo", "indicators", "maps",
            "assets", "ui", "cli"} <= names
    assert len(PACKAGE_MODULES) > 10


# The layers of DESIGN.md, top first: a module imports only from its own layer and those
# above it (config from anywhere). Top-level modules other than config (cli, __main__) sit
# below every layer: they wire everything together.
LAYERS = ("geo", "data", "analysis", "maps", "report", "ui")
# config: settings; memo: the per-dataset cache that analysis and maps share. Neither imports
# another module of fupin_geo (test_the_ground_floor_imports_nothing_of_ours).
ANYWHERE = {"config", "memo", "__init__"}


def layer_of(path) -> int:
    """Index of the layer a module of fupin_geo belongs to (len(LAYERS) for cli/__main__)."""
    parts = path.relative_to(PACKAGE).parts
    if len(parts) == 1:
        return -1 if path.stem in ANYWHERE else len(LAYERS)
    return LAYERS.index(parts[0])


def imported_fupin_targets(path) -> set[str]:
    """First component under fupin_geo of every fupin_geo module `path` imports."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = list(path.relative_to(REPO).with_suffix("").parts[:-1])  # e.g. fupin_geo, maps
    targets = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[:len(package) - node.level + 1] + (node.module.split(".") if node.module else [])
            else:
                base = (node.module or "").split(".")
            if base[:1] != ["fupin_geo"]:
                continue
            if len(base) > 1:
                targets.add(base[1])
            else:  # from fupin_geo import x / from .. import x
                targets |= {alias.name for alias in node.names}
        elif isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                if parts[0] == "fupin_geo" and len(parts) > 1:
                    targets.add(parts[1])
    return targets


def target_layer(name: str) -> int:
    if name in LAYERS:
        return LAYERS.index(name)
    return -1 if name in ANYWHERE else len(LAYERS)


@pytest.mark.parametrize("path", PACKAGE_MODULES, ids=lambda p: str(p.relative_to(REPO)))
def test_layers_import_only_from_layers_above(path):
    own = layer_of(path)
    for target in imported_fupin_targets(path):
        assert target_layer(target) <= own, (
            f"{path.relative_to(REPO)} (layer {LAYERS[own] if 0 <= own < len(LAYERS) else 'top'}) "
            f"imports fupin_geo.{target}, a layer below it")


def test_every_module_sits_in_a_layer():
    for path in PACKAGE_MODULES:
        parts = path.relative_to(PACKAGE).parts
        assert len(parts) == 1 or parts[0] in LAYERS, path


def test_the_layer_check_sees_a_violation(tmp_path, monkeypatch):
    # a data module that imports the map layer, written where the check looks
    fake_pkg = tmp_path / "fupin_geo" / "data"
    fake_pkg.mkdir(parents=True)
    bad = fake_pkg / "bad.py"
    bad.write_text("from ..maps import base\nfrom .. import config\nfrom fupin_geo.ui import md\n")
    monkeypatch.setitem(globals(), "REPO", tmp_path)
    monkeypatch.setitem(globals(), "PACKAGE", tmp_path / "fupin_geo")
    assert imported_fupin_targets(bad) == {"maps", "config", "ui"}
    assert layer_of(bad) == LAYERS.index("data")
    assert target_layer("maps") > layer_of(bad)


@pytest.mark.parametrize("path", [*PAGES, REPO / "app.py"], ids=lambda p: str(p.relative_to(REPO)))
def test_pages_stay_thin(path):
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) < PAGE_MAX_LINES, f"{path.name} has {len(lines)} lines"


def test_there_are_pages():
    assert PAGES, "pages/ is empty"


def test_pages_do_not_reach_around_the_domain_package():
    for path in [*PAGES, REPO / "app.py"]:
        roots = imported_roots(path)
        assert not roots & {"sqlalchemy", "sqlite3", "requests", "urllib", "httpx"}, path.name


def test_no_warning_is_silenced():
    for path in [*PACKAGE_MODULES, *PAGES, REPO / "app.py"]:
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"filterwarnings\(\s*[\"']ignore", text), path.name
        assert not re.search(r"simplefilter\(\s*[\"']ignore", text), path.name


def requirement_lines(name: str) -> list[str]:
    lines = []
    for raw in (REPO / name).read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if line and not line.startswith("-r "):
            lines.append(line)
    return lines


PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]+\])?==[0-9][0-9A-Za-z.+!-]*$")


def test_requirements_pin_every_line():
    lines = requirement_lines("requirements.txt")
    assert len(lines) >= 5
    for line in lines:
        assert PIN.match(line), f"not pinned with ==: {line!r}"


def test_the_pin_pattern_rejects_loose_lines():
    for loose in ("streamlit", "streamlit>=1.0", "folium~=0.20", "pandas==3.*", "x==1.0; extra"):
        assert not PIN.match(loose), loose


def test_installed_versions_are_the_pinned_ones():
    for line in requirement_lines("requirements.txt"):
        name, version = PIN.match(line).group(1), line.split("==", 1)[1]
        assert importlib.metadata.version(name) == version, name


UI_MODULE_MAX_LINES = 200  # a module a newcomer reads in one sitting


@pytest.mark.parametrize("path", [p for p in PACKAGE_MODULES if PACKAGE / "ui" in p.parents],
                         ids=lambda p: str(p.relative_to(REPO)))
def test_ui_modules_stay_small(path):
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) <= UI_MODULE_MAX_LINES, f"{path.relative_to(REPO)} has {len(lines)} lines"


def private_imports(path) -> list[str]:
    """Names starting with _ that `path` imports from another module of fupin_geo."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return [f"{'.' * node.level}{node.module or ''}:{alias.name}"
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and (node.level or (node.module or "").startswith("fupin_geo"))
            for alias in node.names if alias.name.startswith("_") and alias.name != "__future__"]


@pytest.mark.parametrize("path", PACKAGE_MODULES, ids=lambda p: str(p.relative_to(REPO)))
def test_no_module_imports_another_ones_private_names(path):
    assert not private_imports(path), f"{path.relative_to(REPO)} imports private names"


def test_the_private_import_check_sees_one(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("from __future__ import annotations\nfrom . import _dataset, md\n"
                      "from ..data.store import Store as _Store\n")
    assert private_imports(sample) == [".:_dataset"]


@pytest.mark.parametrize("name", ["config", "memo"])
def test_the_ground_floor_imports_nothing_of_ours(name):
    assert not imported_fupin_targets(PACKAGE / f"{name}.py")


def module_name(path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(path, known: set[str]) -> set[str]:
    """Every module of fupin_geo that `path` imports, at the top or inside a function
    (`from . import x` counts as importing the submodule x when there is one)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = module_name(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            base = (package[:len(package) - node.level + 1] if node.level else []) + \
                   (node.module.split(".") if node.module else [])
            base_name = ".".join(base)
            for alias in node.names:
                found.add(f"{base_name}.{alias.name}" if f"{base_name}.{alias.name}" in known else base_name)
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
    return {m for m in found if m in known}


def import_cycles(paths) -> list[list[str]]:
    """The import cycles among `paths` (a package's __init__ re-exporting its modules is not one:
    importing a package's module runs the package first anyway)."""
    modules = {module_name(p): p for p in paths}
    graph = {name: {m for m in imported_modules(path, set(modules))
                    if not (name.startswith(m + ".") and modules[m].name == "__init__.py")}
             for name, path in modules.items()}
    cycles, state = [], {}

    def visit(name, trail):
        state[name] = "open"
        for target in sorted(graph[name]):
            if state.get(target) == "open":
                cycles.append(trail[trail.index(target):] + [target] if target in trail else [name, target])
            elif target not in state:
                visit(target, trail + [target])
        state[name] = "done"

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    return cycles


def test_no_import_cycle_anywhere():
    assert import_cycles(PACKAGE_MODULES) == []


def test_the_cycle_check_sees_one_inside_a_package(tmp_path, monkeypatch):
    package = tmp_path / "fupin_geo" / "data"
    package.mkdir(parents=True)
    (tmp_path / "fupin_geo" / "__init__.py").write_text("")
    (package / "__init__.py").write_text("")
    (package / "store.py").write_text("def seed():\n    from . import demo\n")
    (package / "demo.py").write_text("from .store import seed\n")
    monkeypatch.setitem(globals(), "REPO", tmp_path)
    assert import_cycles(sorted((tmp_path / "fupin_geo").rglob("*.py"))) == [
        ["fupin_geo.data.demo", "fupin_geo.data.store", "fupin_geo.data.demo"]]
