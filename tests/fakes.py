"""Stand-ins shared by the tests."""
from __future__ import annotations


class FakeFolium:
    """Stands in for st_folium (monkeypatched onto `fupin_geo.ui`): records each call's
    arguments and returns the last click on every run, the way the component keeps returning
    its last value. Like st_folium it returns only the keys the call asked for in
    `returned_objects` (all of them when it asked for none).

    `object_at` / `click_object`: a click on a village or another object of the map
    (`last_object_clicked`); `map_at` / `click_map`: a click anywhere on the map
    (`last_clicked`). Positions are (lat, lng)."""

    def __init__(self, object_at: tuple[float, float] | None = None,
                 map_at: tuple[float, float] | None = None):
        self.calls: list[dict] = []
        self.clicks: dict[str, dict | None] = {"last_object_clicked": None, "last_clicked": None}
        if object_at is not None:
            self.click_object(*object_at)
        if map_at is not None:
            self.click_map(*map_at)

    def click_object(self, lat: float, lng: float) -> None:
        self.clicks["last_object_clicked"] = {"lat": float(lat), "lng": float(lng)}

    def click_map(self, lat: float, lng: float) -> None:
        self.clicks["last_clicked"] = {"lat": float(lat), "lng": float(lng)}

    def __call__(self, fig, **kwargs):
        self.calls.append({"fig": fig, **kwargs})
        asked = kwargs.get("returned_objects")
        return {key: value for key, value in self.clicks.items() if asked is None or key in asked}
