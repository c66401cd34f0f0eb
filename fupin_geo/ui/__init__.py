"""The only package that talks to Streamlit.

Where things are:
- session.py: the database, the quarter being viewed and its records (the one caching path);
- navigation.py: what app.py does on every run; sidebar.py: the shared sidebar;
- widgets.py: demo banner, county filter, figure and KPI cards, village card;
- text.py: text from data, URLs or users shown literally (md);
- mapview.py: a folium map in a page and its clicks; login.py: this browser's login;
- panels/: one module per page (panels/industry.py for pages/industry_map.py, ...);
- edge/: workarounds of framework internals, each listed in edge/__init__.py.

This module only re-exports what pages call as `ui.name`.
"""
from __future__ import annotations

from . import login
from .login import can_edit
from .mapview import clicked_village, new_clicked_village, show_map
from .edge.navigation import ensure_app_navigation
from .navigation import setup_page
from .session import (all_datasets, current_dataset, data_version, previous_kpis, quarter_kpis, quarters,
                      skipped_records_warning, store)
from .sidebar import sidebar
from .text import md, source_addresses
from .widgets import (CARD, COUNTY_FILTER_LABEL, DEMO_BANNER, KPI_CARDS, Figure, card_key, county_filter,
                      demo_banner, figure_cards, kpi_cards, village_card)

__all__ = [
    "CARD", "COUNTY_FILTER_LABEL", "DEMO_BANNER", "KPI_CARDS", "Figure", "all_datasets", "can_edit", "card_key",
    "clicked_village", "county_filter", "current_dataset", "data_version", "demo_banner",
    "ensure_app_navigation", "figure_cards", "kpi_cards", "login", "md", "new_clicked_village",
    "previous_kpis", "quarter_kpis", "quarters", "setup_page", "show_map", "sidebar", "skipped_records_warning",
    "source_addresses", "store", "village_card",
]
