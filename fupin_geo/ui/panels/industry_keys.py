"""The 产业地图's session-state keys, shared by its panels (industry, industry_search)."""

# Session-state keys of the page's widgets; the URL is read into them on the page's first run.
IND = "industry"
IND_INIT, IND_VIEW, IND_FILTER = f"{IND}_init", f"{IND}_view", f"{IND}_initial_filter"
IND_COUNTIES, IND_TOWNS, IND_CATEGORIES, IND_PRODUCTS = (
    f"{IND}_counties", f"{IND}_towns", f"{IND}_categories", f"{IND}_products")
IND_BASEMAP, IND_MEASURE, IND_VILLAGE, IND_SEARCH, IND_FLY = (
    f"{IND}_basemap", f"{IND}_measure", f"{IND}_village", f"{IND}_search", f"{IND}_fly")
IND_PICK, IND_CLICKED, IND_ROUND, IND_AGAIN = (
    f"{IND}_pick", f"{IND}_clicked", f"{IND}_search_round", f"{IND}_again")
# Where the map was last sent (lat, lon, zoom; WGS-84) and the filter it was sent for.
IND_TARGET, IND_TARGET_FILTER = f"{IND}_target", f"{IND}_target_filter"
IND_GAP, IND_LAYERS, IND_TABLE_OPEN = f"{IND}_gap", f"{IND}_layers", f"{IND}_table_open"
# A searched village the filters leave out (not selected: the map has no point for it), and
# the button that clears the filters to show it.
IND_OUTSIDE, IND_SHOW_OUTSIDE = f"{IND}_outside", f"{IND}_show_outside"
FILTER_KEYS = (IND_COUNTIES, IND_TOWNS, IND_CATEGORIES, IND_PRODUCTS)
FLY_ZOOM = 12  # close enough to tell neighbouring villages apart, with the town around
