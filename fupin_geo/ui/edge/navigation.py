"""Works around Streamlit 1.67.0's legacy pages/ mode on a fresh server's first visit to a page.

On a fresh server Streamlit treats the pages/ folder as an old-style multipage app until some
session has called st.navigation: a first visit straight to a page's URL then runs that page
without app.py (no page config, no shared sidebar, file names as navigation). Such a run calls
st.navigation itself, which is Streamlit's documented switch to st.Page mode for the whole
server, and runs again, this time through app.py (which then opens the page the URL names).
"""
from __future__ import annotations

import inspect

import streamlit as st


def ensure_app_navigation() -> None:
    """Call first in every page file: a run that skipped app.py switches to it (see above)."""
    # app.py marks each of its runs; the mark is used up here, so a later run that skips
    # app.py (a fresh process's first visit, or every AppTest run) is noticed again.
    if st.session_state.pop(_THROUGH_APP, False):
        return
    if st.session_state.get(_SWITCHED):
        return  # switched on the run before and still not through app.py: never loop
    st.session_state[_SWITCHED] = True
    page_file = inspect.stack(context=0)[1].filename  # the page that called us
    # The URL's page must be in the list and not be its default (which lives at "/"),
    # or Streamlit reports "Page not found" for it.
    st.navigation([st.Page(_never_run, default=True), st.Page(page_file)], position="hidden")
    st.rerun()


def _never_run() -> None:
    """Stands in for app.py's default page in ensure_app_navigation's switch; never runs."""


# Set by mark_run_through_app (app.py) in every session: its pages then run through app.py.
_THROUGH_APP = "_fupin_through_app"
_SWITCHED = "_fupin_switched_to_navigation"


def mark_run_through_app() -> None:
    """app.py's part, on every run after its navigation: the page that runs next came through it."""
    st.session_state[_THROUGH_APP] = True
    st.session_state.pop(_SWITCHED, None)
