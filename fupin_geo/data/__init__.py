"""Data layer: the schema, the store (SQLite by default), the demo data and the geodata loader.

Imports only `fupin_geo.config`; every other layer may import it.
"""
