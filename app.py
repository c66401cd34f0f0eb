"""湛江产业扶贫地图: the page list and the shared sidebar, nothing else."""
import streamlit as st

from fupin_geo import ui

ui.setup_page()
page = st.navigation(
    [
        st.Page("pages/overview.py", title="总览", icon=":material/dashboard:", default=True),
        st.Page("pages/industry_map.py", title="产业地图", icon=":material/map:"),
        st.Page("pages/cooperation.py", title="湛柳协作", icon=":material/handshake:"),
    ]
)
ui.sidebar()
page.run()
