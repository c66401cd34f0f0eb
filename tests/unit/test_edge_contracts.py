"""Contract tests of the framework workarounds (ui/edge/, listed in its __init__.py).

Each checks, on the installed packages, what one workaround relies on, and fails naming the
module to revisit. A bump of a pinned version that keeps these passing needs nothing more from
the workarounds than the version in each module's first docstring line; the other tests
(AppTests, browser tests) check that the workarounds still do their job.
"""
from __future__ import annotations

import ast
import functools
import importlib
import importlib.metadata
import inspect
import re
from pathlib import Path

import folium
import pytest
import streamlit as st
from branca.element import MacroElement
from jinja2 import Template

from fupin_geo import config
from fupin_geo.maps.elements import OfflineMap, safe_json
from fupin_geo.maps.elements.raw_script import RawScriptMixin
from fupin_geo.ui.edge import presentation, uploader
from fupin_geo.ui.edge.view_sync import ViewSync

REPO = config.REPO_DIR
EDGE = REPO / "fupin_geo" / "ui" / "edge"

# Each workaround and the packages whose internals it relies on.
WORKAROUNDS = {
    "fupin_geo/ui/edge/navigation.py": ("streamlit",),
    "fupin_geo/ui/edge/presentation.py": ("streamlit",),
    "fupin_geo/ui/edge/uploader.py": ("streamlit",),
    "fupin_geo/ui/edge/view_sync.py": ("streamlit", "streamlit-folium"),
    "fupin_geo/ui/edge/below_map.py": ("streamlit", "streamlit-folium"),
    "fupin_geo/maps/elements/raw_script.py": ("branca",),
}


def revisit(module: str, why: str) -> str:
    return f"{why}: revisit {module} (a workaround, see fupin_geo/ui/edge/__init__.py)"


def pinned(package: str) -> str:
    for raw in (REPO / "requirements.txt").read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if line.lower().startswith(f"{package.lower()}=="):
            return line.split("==", 1)[1]
    raise AssertionError(f"{package} is not pinned in requirements.txt")


def first_line(module: str) -> str:
    return ast.get_docstring(ast.parse((REPO / module).read_text(encoding="utf-8"))).splitlines()[0]


@functools.cache
def package_js(package: str) -> dict[str, str]:
    """Every JavaScript file of an installed package's frontend, by name."""
    root = Path(importlib.import_module(package).__file__).parent
    return {p.name: p.read_text(encoding="utf-8", errors="replace") for p in root.rglob("*.js")}


def streamlit_js() -> str:
    return "\n".join(package_js("streamlit").values())


def quoted(name: str) -> re.Pattern:
    """`name` as a whole string in minified JavaScript (an attribute value or a class name)."""
    return re.compile(rf"[`\"' ]{re.escape(name)}[`\"' ]")


# --- every workaround: listed, and written against the installed, pinned versions ----------------------
def test_every_module_in_edge_is_listed_and_has_a_contract():
    listed = ast.get_docstring(ast.parse((EDGE / "__init__.py").read_text(encoding="utf-8")))
    for path in EDGE.glob("*.py"):
        if path.name != "__init__.py":
            module = str(path.relative_to(REPO))
            assert f"- {path.name}:" in listed, f"{module} is not listed in ui/edge/__init__.py"
            assert module in WORKAROUNDS, f"{module} has no entry in this file's WORKAROUNDS"
    for module in WORKAROUNDS:
        assert (REPO / module).exists(), module


@pytest.mark.parametrize("module", WORKAROUNDS)
def test_written_against_the_installed_pinned_versions(module):
    line = first_line(module)
    assert line.startswith("Works around "), revisit(
        module, f"its first line {line!r} does not say what it works around")
    for package in WORKAROUNDS[module]:
        pin, installed = pinned(package), importlib.metadata.version(package)
        assert installed == pin, revisit(module, f"{package} {installed} is installed, requirements.txt pins {pin}")
        assert f"{package} {pin}".lower() in line.lower(), revisit(
            module, f"its first line names no {package} {pin} (the pinned version it was checked against)")


# --- navigation: the legacy pages/ mode and st.navigation as its switch ----------------------------------
NAVIGATION = "fupin_geo/ui/edge/navigation.py"


def test_navigation_legacy_pages_mode_and_its_switch_are_there():
    from streamlit.commands import navigation
    from streamlit.runtime import pages_manager
    from streamlit.runtime.scriptrunner import script_runner

    assert hasattr(pages_manager.PagesManager, "uses_pages_directory"), revisit(
        NAVIGATION, "Streamlit no longer has its legacy pages/ mode: the workaround may be unnecessary")
    assert "PagesManager.uses_pages_directory = False" in inspect.getsource(navigation.navigation), revisit(
        NAVIGATION, "st.navigation no longer switches the server out of the legacy pages/ mode")
    assert "if PagesManager.uses_pages_directory:" in inspect.getsource(script_runner), revisit(
        NAVIGATION, "a run no longer depends on the legacy pages/ mode the way the workaround expects")


def test_navigation_calls_what_the_pinned_streamlit_accepts():
    position = inspect.signature(st.navigation).parameters["position"]
    assert "'hidden'" in str(position.annotation), revisit(NAVIGATION, "st.navigation has no position='hidden'")
    page = inspect.signature(st.Page).parameters
    assert {"page", "default"} <= set(page), revisit(NAVIGATION, "st.Page(page, default=) changed")
    assert "Callable" in str(page["page"].annotation), revisit(NAVIGATION, "st.Page no longer takes a function")


# --- presentation: Streamlit's page structure and st.html's scripts ---------------------------------------
PRESENTATION = "fupin_geo/ui/edge/presentation.py"
STYLE = presentation.style("fupin_present_bar", "fupin_card")


def test_the_style_names_exist_in_the_installed_streamlit_frontend():
    test_ids = set(re.findall(r'data-testid="(\w+)"', STYLE))
    classes = set(re.findall(r"\.(st[A-Z]\w+)", STYLE))
    assert {"stSidebar", "stMainBlockContainer", "stElementContainer"} <= test_ids and "stSelectbox" in classes
    bundle = streamlit_js()
    missing = sorted(n for n in test_ids | classes if not quoted(n).search(bundle))
    assert not missing, revisit(PRESENTATION, f"the installed Streamlit frontend has no {missing}")


def test_keyed_elements_get_the_st_key_class():
    assert "st-key-" in STYLE
    # the frontend's class for a keyed element: `st-key-` + the key
    assert re.search(r"[`\"']st-key-[`\"']\s*\+", streamlit_js()), revisit(
        PRESENTATION, "Streamlit no longer gives a keyed element the class st-key-<key>")


def test_st_html_runs_the_arrow_keys_script_in_the_page():
    assert "unsafe_allow_javascript" in inspect.signature(st.html).parameters, revisit(
        PRESENTATION, "st.html has no unsafe_allow_javascript")
    # the frontend's st.html, with scripts allowed, re-creates each <script> so that it runs
    runs = [name for name, text in package_js("streamlit").items()
            if "unsafeAllowJavascript" in text and re.search(r"createElement\(\s*[`\"']script[`\"']", text)]
    assert runs, revisit(PRESENTATION, "the installed Streamlit's st.html no longer runs scripts it is allowed to")


def test_the_app_uses_no_deprecated_component_html():
    """components.v1.html / iframe are deprecated ("removed after 2026-06-01"): st.html and
    st.iframe replace them, so that a Streamlit bump stays a version bump."""
    calls = re.compile(r"components(?:\.v1)?\.(?:html|iframe)\("
                       r"|from streamlit\.components\.v1 import[^\n]*\b(?:html|iframe)\b")
    used = [str(p.relative_to(REPO)) for p in [*(REPO / "fupin_geo").rglob("*.py"), *(REPO / "pages").glob("*.py")]
            if calls.search(p.read_text(encoding="utf-8"))]
    assert not used, f"{used} call the deprecated streamlit.components.v1.html / iframe"
    assert calls.search("import streamlit.components.v1 as components\ncomponents.html('<b>', height=0)")


# --- below_map: the map frames' title, st_folium's globals, Leaflet's _loaded ----------------------
BELOW_MAP = "fupin_geo/ui/edge/below_map.py"
REPORTER = (EDGE / "map_drawn" / "index.html").read_text(encoding="utf-8")


def test_streamlit_titles_a_component_frame_with_the_components_name():
    import streamlit_folium

    name = streamlit_folium._component_func.name
    assert f'iframe[title="{name}"]' in REPORTER, revisit(
        BELOW_MAP, f"st_folium's component is now called {name!r}: the reporter looks for other frames")
    # the component frame: `componentName:b` taken from the element, then `title:b` on the iframe
    titled = [text for text in package_js("streamlit").values()
              if (named := re.search(r"componentName:(\w+)", text)) and re.search(
                  rf"stCustomComponentV1`[^)]*?title:{re.escape(named.group(1))}[,}}]", text)]
    assert titled, revisit(BELOW_MAP, "Streamlit no longer titles a component's iframe with the component's name")


def test_st_folium_still_sets_what_the_reporter_reads():
    bundle = "\n".join(package_js("streamlit_folium").values())
    for read in ("window.map", "__GLOBAL_DATA__", "last_feature_group"):
        assert read in REPORTER, f"the reporter no longer reads {read}: update this test"
        assert read in bundle, revisit(BELOW_MAP, f"streamlit-folium's frontend no longer has {read}")


def test_leaflet_marks_a_loaded_map():
    from fupin_geo.maps import assets

    folder, _ = assets.package_dir("leaflet")
    assert "_loaded" in REPORTER
    assert re.search(r"this\._loaded\s*=\s*(?:true|!0)", (folder / "leaflet.js").read_text(encoding="utf-8")), \
        revisit(BELOW_MAP, "the vendored Leaflet no longer sets map._loaded")


def test_only_pages_call_below_map():
    """Panels are handed drawn()'s answer: the workaround stays at the page level."""
    callers = [str(p.relative_to(REPO)) for p in (REPO / "fupin_geo").rglob("*.py")
               if p.name != "below_map.py" and re.search(r"\bbelow_map\b", p.read_text(encoding="utf-8"))
               and "import below_map" in p.read_text(encoding="utf-8")]
    assert not callers, f"{callers} import below_map: let the page ask drawn() and hand the answer down"
    assert any("below_map.ready(" in p.read_text(encoding="utf-8") for p in (REPO / "pages").glob("*.py"))


# --- uploader: the file uploader's English and the names it is selected by ---------------------------
UPLOADER = "fupin_geo/ui/edge/uploader.py"


def test_the_uploader_names_exist_in_the_installed_streamlit_frontend():
    css = uploader.style(20, ["xlsx"])
    test_ids = set(re.findall(r'data-testid="([\w-]+)"', css))
    assert test_ids == {uploader.DROPZONE, uploader.INSTRUCTIONS, "stBaseButton-secondary", "stMarkdownContainer"}
    bundle = streamlit_js()
    missing = sorted(n for n in test_ids - {"stBaseButton-secondary"} if not quoted(n).search(bundle))
    assert not missing, revisit(UPLOADER, f"the installed Streamlit frontend has no {missing}")
    # a button's test id is made from its kind; the uploader's button is a secondary one
    (source,) = [text for name, text in package_js("streamlit").items() if uploader.INSTRUCTIONS in text]
    assert "`stBaseButton-${" in bundle and re.search(r"kind:\w+\.SECONDARY", source), revisit(
        UPLOADER, "the uploader's button is no longer a secondary BaseButton (data-testid stBaseButton-secondary)")


def test_the_uploader_still_writes_the_english_that_is_replaced():
    """If Streamlit translates or rewords these, the style sheet may hide the wrong text."""
    (source,) = [text for name, text in package_js("streamlit").items() if "stFileUploaderDropzoneInstructions" in text]
    assert "`Upload`" in source and "} per file`" in source, revisit(
        UPLOADER, "the uploader's button or limit line no longer say what the style sheet writes over")
    assert '"' not in uploader.limit_text(20, ["xlsx", "csv"]).replace("“", "").replace("”", "")


# --- view_sync: Streamlit's URL writes, the same-origin frame, st_folium's map variable ---------------
VIEW_SYNC = "fupin_geo/ui/edge/view_sync.py"


def test_streamlit_writes_the_url_through_history_functions():
    writers = [name for name, text in package_js("streamlit").items()
               if "queryParams" in text and "history.pushState(" in text and "history.replaceState(" in text]
    assert writers, revisit(VIEW_SYNC, "Streamlit no longer writes query parameters through history.pushState / "
                                       "replaceState, which view_sync wraps")


def test_component_frames_are_same_origin_with_scripts():
    policies = [text for text in package_js("streamlit").values() if "allow-same-origin" in text]
    assert any("allow-scripts" in text for text in policies), revisit(
        VIEW_SYNC, "Streamlit's component frames are no longer same-origin with scripts: the map cannot reach the URL")
    import streamlit_folium

    assert streamlit_folium._component_func._path, revisit(VIEW_SYNC, "streamlit-folium's frame is no longer served "
                                                                      "by the app itself")


def test_st_folium_runs_the_sync_bound_to_its_map():
    from streamlit_folium import _get_map_string

    m = OfflineMap(bounds=(109.65, 20.21, 110.97, 21.96))
    ViewSync().add_to(m)
    m.get_root().render()
    script = _get_map_string(m)
    assert "var map_div = L.map(" in script and "})(map_div);" in script, revisit(
        VIEW_SYNC, "st_folium no longer names the map map_div or drops the sync's script")
    bundle = "\n".join(package_js("streamlit_folium").values())
    assert "window.map = map_div" in bundle and 'createElement("script")' in bundle, revisit(
        VIEW_SYNC, "streamlit-folium's frontend no longer runs the map's script as a page script with map_div")


# --- raw_script: branca's second template pass and the internals used to skip it ----------------------
RAW_SCRIPT = "fupin_geo/maps/elements/raw_script.py"
LITERAL = "{{ 7*7 }} {% if x %} 官湖村"


class Probe(RawScriptMixin):
    """An element whose header, html and script all carry text that looks like a template."""

    _template = Template("{% macro header(this, kwargs) %}<style>/* {{ this.text }} */</style>{% endmacro %}"
                         "{% macro html(this, kwargs) %}<div>{{ this.text }}</div>{% endmacro %}"
                         "{% macro script(this, kwargs) %}var probe = {{ this.text_json }};{% endmacro %}")

    def __init__(self):
        super().__init__()
        self.text = LITERAL
        self.text_json = safe_json.dumps(LITERAL)


def test_branca_still_renders_macros_the_way_raw_script_copies():
    source = inspect.getsource(MacroElement.render)
    parts = re.findall(r"module\.__dict__\.get\(\s*\"(\w+)\"", source)
    assert parts == ["header", "html", "script"], revisit(RAW_SCRIPT, f"branca's MacroElement.render renders {parts}")
    assert re.search(r"figure\.script\.add_child\(\s*Element\(script\(self, kwargs\)\)", source), revisit(
        RAW_SCRIPT, "branca's MacroElement.render no longer wraps a script in Element(...): the workaround may be "
                    "unnecessary, or must follow the new render")
    assert "self._children" in source, revisit(RAW_SCRIPT, "branca's MacroElement.render no longer walks _children")


def test_raw_script_output_stays_literal_in_the_page_and_in_st_folium():
    from streamlit_folium import _get_header, _get_html, _get_map_string

    m = folium.Map(tiles=None)
    Probe().add_to(m)
    page = m.get_root().render()
    header, html, script = _get_header(m), _get_html(m), _get_map_string(m)
    for where, text in (("page", page), ("st_folium header", header), ("st_folium html", html)):
        assert LITERAL in text, revisit(RAW_SCRIPT, f"the {where} evaluated the text as a template or lost it")
    assert safe_json.dumps(LITERAL) in script and safe_json.dumps(LITERAL) in page, revisit(
        RAW_SCRIPT, "the script's text did not reach the page or st_folium as it is")


def test_the_probe_would_fail_without_raw_script():
    """branca's own render evaluates the same text: the contract above can fail."""

    class Plain(MacroElement):
        _template = Probe._template

        def __init__(self):
            super().__init__()
            self.text, self.text_json = "{{ 7*7 }}", safe_json.dumps("{{ 7*7 }}")

    m = folium.Map(tiles=None)
    Plain().add_to(m)
    assert "{{ 7*7 }}" not in m.get_root().render()
