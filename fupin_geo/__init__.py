"""湛江产业扶贫地图: the domain package (no streamlit imports outside fupin_geo/ui/)."""
