"""Streamlit's front-end files that hold an element kind's code (fupin_geo.ui.element_code)."""
from __future__ import annotations

from pathlib import Path

import pytest
import streamlit

from fupin_geo.ui import element_code

JS = Path(streamlit.__file__).parent / "static" / "static" / "js"
USED = [element_code.TABLE, element_code.CHART, element_code.DOWNLOAD, element_code.PAGE_LINK,
        element_code.SELECTBOX]


@pytest.mark.parametrize("kind", USED)
def test_each_kind_we_defer_is_found_in_the_installed_front_end(kind):
    # fails when a Streamlit upgrade ships its front end otherwise: then pages load that code
    # only when they draw the elements (slower, not broken), and this module needs a look
    files = element_code.files((kind,))
    module = element_code.modules((kind,))
    assert module and module[0].startswith(f"./{kind}.") and files[0] == module[0]
    assert len(files) > 1  # its own module and the modules it imports
    for file in files:  # relative to the main script, which lies in static/js
        assert (JS / file).resolve().is_file(), file


def test_files_of_several_kinds_come_once_each_with_style_sheets():
    both = element_code.files((element_code.TABLE, element_code.CHART))
    assert len(both) == len(set(both))
    assert set(element_code.files((element_code.TABLE,))) | set(element_code.files((element_code.CHART,))) == set(both)
    assert [f for f in element_code.files((element_code.TABLE,)) if f.endswith(".css")]  # the grid's


def test_an_unknown_kind_or_front_end_gives_nothing(monkeypatch, tmp_path):
    assert element_code.files(("NoSuchElement",)) == [] and element_code.modules(("NoSuchElement",)) == []
    monkeypatch.setattr(element_code, "_STATIC", tmp_path)  # no index.html there
    element_code._files_by_kind.cache_clear()
    try:
        assert element_code.files((element_code.TABLE,)) == []
        (tmp_path / "index.html").write_text('<script type="module" src="./static/js/index.x.js">')
        element_code._files_by_kind.cache_clear()
        assert element_code.modules((element_code.TABLE,)) == []  # named but missing
    finally:
        element_code._files_by_kind.cache_clear()
