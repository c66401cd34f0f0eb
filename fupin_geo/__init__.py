"""湛江产业扶贫地图: the domain package (no streamlit imports except in ui.py)."""
