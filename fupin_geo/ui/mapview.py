"""Showing a folium map in a page (st_folium) and reading its clicks."""
from __future__ import annotations

import folium
import streamlit as st
from streamlit_folium import st_folium

from .. import config
from ..data.dataset import Dataset
from ..geo.display import WGS84_DISPLAY, Display
from ..maps import common

CLICK_RETURNS = ("last_object_clicked",)

# A move asked again is sent this far off the last one, in degrees and zoom levels: st_folium
# only moves a shown map when centre or zoom differ from what it was last sent. 1e-7 degree
# is 1 cm; Leaflet snaps the zoom to config.ZOOM_SNAP, so the zoom's nudge never shows.
_MOVE_NUDGE_DEG = 1e-7
_MOVE_NUDGE_ZOOM = 1e-3


def show_map(m: folium.Map, key: str, layers: list[folium.FeatureGroup | None] | None = None,
             center: tuple[float, float] | None = None, zoom: float | None = None, *,
             again: bool = False, returned_objects: tuple[str, ...] = CLICK_RETURNS) -> dict:
    """Show a map; only clicks rerun the page (pans and zooms do not).

    THE RULE for every page: the base map `m` must not depend on filters, layer switches,
    the quarter or a selection. st_folium's component key is a hash of the base map's
    script: any change in it (a fitBounds of the filtered villages, a layer, a legend) makes
    the browser throw the map's iframe away and build a new one (seconds at 20,000 villages).
    Build `m` from what only a rebuild may change (the basemap) and pass the rest as:
    - `layers` (None entries skipped): swapped in and out of the shown map, no rebuild;
    - `center` (lat, lon as drawn) and `zoom`: the map moves there whenever they differ
      from the last ones sent, and stays where the user panned otherwise. To move to a
      fitted extent use `geo.display.fit_view`, not `fitBounds`. `again=True` moves even
      to the same place as last time (a repeated search after the user panned away).
    tests/browser/test_map_iframes.py checks the rule by counting iframes.
    `returned_objects`: what st_folium reports; add "last_clicked" to learn of clicks on the
    empty map too (still no rerun on pan or zoom).
    """
    groups = [g for g in layers or [] if g is not None]
    if center is not None:
        center, zoom = _move(key, (float(center[0]), float(center[1])), zoom, again)
    return st_folium(m, key=key, height=config.MAP_HEIGHT, use_container_width=True,
                     returned_objects=list(returned_objects), feature_group_to_add=groups or None,
                     center=center, zoom=zoom) or {}


def _move(key: str, center: tuple[float, float], zoom: float | None,
          again: bool) -> tuple[tuple[float, float], float | None]:
    """The centre and zoom to send: alternately exact and nudged for each new request, so a
    request differs from the one before it, and a request repeated unchanged does not."""
    state_key = f"_show_map_move_{key}"
    last_center, last_zoom, count = st.session_state.get(state_key, (None, None, 0))
    if again or (center, zoom) != (last_center, last_zoom):
        count += 1
    st.session_state[state_key] = (center, zoom, count)
    if count % 2:
        center = (center[0] + _MOVE_NUDGE_DEG, center[1])
        zoom = None if zoom is None else zoom + _MOVE_NUDGE_ZOOM
    return center, zoom


def clicked_village(dataset: Dataset, result: dict, display: Display = WGS84_DISPLAY) -> str | None:
    clicked = result.get("last_object_clicked")
    if not clicked:
        return None
    return common.village_at(dataset, clicked["lat"], clicked["lng"], display=display)


def new_clicked_village(dataset: Dataset, result: dict, seen_key: str,
                        display: Display = WGS84_DISPLAY) -> str | None:
    """The village of a click not acted on before, else None.

    st_folium returns its last click on every rerun; acting on it again would undo a village
    chosen since (e.g. in a search box). The raw click is remembered under `seen_key`.
    """
    click = result.get("last_object_clicked")
    if click == st.session_state.get(seen_key):
        return None
    st.session_state[seen_key] = click
    return clicked_village(dataset, result, display)
