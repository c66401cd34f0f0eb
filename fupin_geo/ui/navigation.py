"""What app.py does on every run after its navigation, before the page runs."""
from __future__ import annotations

from . import session
from .edge import navigation


def setup_page() -> None:
    """Mark the run as app.py's (for edge.navigation) and make the map assets available."""
    navigation.mark_run_through_app()
    session.vendor_assets()
