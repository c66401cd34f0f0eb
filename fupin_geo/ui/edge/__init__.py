"""Workarounds of framework internals, one module each, with what it works around.

Each module's first docstring line names the pinned version it is written against;
tests/unit/test_edge_contracts.py fails, naming the module, when the installed version or
what the module relies on no longer matches.

- navigation.py: Streamlit's legacy pages/ mode on a fresh server's first visit to a page.
- presentation.py: Streamlit's page structure (data-testid names) hidden and enlarged for a
  projector, and arrow keys that click the presenter bar's buttons.
- below_map.py: Streamlit showing a tab's first map only with the code of every element
  below it loaded: that content waits until the map reports itself drawn (map_drawn/).
- uploader.py: st.file_uploader's English ("Upload", "20MB per file") written over in Chinese
  by a style sheet on its data-testid names.
- view_sync.py: Streamlit rewriting the page URL, so that the map's extent stays in it.
- maps/elements/raw_script.py (kept in maps/: the map elements use it, and maps may not
  import ui): branca rendering every element's script as a Jinja template a second time.
"""
