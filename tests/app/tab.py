"""The app as AppTest runs it, for pages that draw part of themselves after their map."""
from __future__ import annotations

from streamlit.testing.v1 import AppTest

from fupin_geo import config
from fupin_geo.ui.edge import below_map

APP = config.REPO_DIR / "app.py"


def app_test(timeout: float = 60) -> AppTest:
    """The app in a tab that has already drawn a map, so each page draws all of itself in
    its first run. In a browser the map's frame reports that (fupin_geo.ui.edge.below_map);
    AppTest has no browser. tests/app/test_below_map.py tests a tab's first visit."""
    at = AppTest.from_file(str(APP), default_timeout=timeout)
    at.session_state[below_map.MAP_DRAWN] = True
    return at
