"""Analysis layer: indicators, filters, search, profiles, tables and rankings.

Plain pandas/shapely in, frames out; nothing here draws or knows about Streamlit.
Imports `config`, `data` and `geo`.
"""
