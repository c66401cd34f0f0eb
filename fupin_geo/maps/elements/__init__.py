"""Map elements: one module each, each rendering only local assets and escaped text."""
from .geojson_layer import GeoJsonLayer
from .labels import Labels
from .legend import Legend
from .line_layer import LineLayer
from .offline_map import OfflineMap
from .point_layer import PointLayer
from .view_sync import ViewSync

__all__ = ["GeoJsonLayer", "Labels", "Legend", "LineLayer", "OfflineMap", "PointLayer", "ViewSync"]
