"""Map layer: map elements (`elements/`, one module each), each page's map builder and the
offline Leaflet assets. Builders return a `folium.Map` and never display it.
Imports `config`, `data`, `geo` and `analysis`.
"""
