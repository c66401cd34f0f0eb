"""Fixtures of the AppTest tier."""
from __future__ import annotations

import pytest
from streamlit.runtime.pages_manager import PagesManager


@pytest.fixture
def navigation_mode(monkeypatch):
    """Runs go through app.py's st.navigation at once, as on a real server.

    AppTest starts every run in the old pages/ mode (it resets the flag); the page then
    reruns through app.py (ui.ensure_app_navigation), and that rerun drops a button's or a
    form's click that is read from its return value. A real server switches that mode off
    once, at its first run: do the same here.
    """
    original = PagesManager.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", init)
