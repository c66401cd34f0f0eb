"""Geometry layer: coordinate systems (WGS-84 / GCJ-02 / BD-09), the display shift for a
basemap, the basemaps themselves and distances. Imports only `config` and `data`.
"""
