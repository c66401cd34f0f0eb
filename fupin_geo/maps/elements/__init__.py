"""Map elements: one module each, each rendering only local assets and escaped text."""
from .arc_layer import ArcLayer
from .geojson_layer import GeoJsonLayer
from .labels import Labels
from .legend import Legend
from .line_layer import LineLayer
from .offline_map import OfflineMap
from .point_layer import PointLayer

__all__ = ["ArcLayer", "GeoJsonLayer", "Labels", "Legend", "LineLayer", "OfflineMap", "PointLayer"]
