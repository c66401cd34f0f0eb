"""湛江产业扶贫地图: the page list and the shared sidebar, nothing else."""
import streamlit as st

from fupin_geo import ui
from fupin_geo.ui import presentation

ui.setup_page()
pages = [
    st.Page("pages/overview.py", title="总览", icon=":material/dashboard:", default=True),
    st.Page("pages/industry_map.py", title="产业地图", icon=":material/map:"),
    st.Page("pages/cooperation.py", title="湛柳协作", icon=":material/handshake:"),
    st.Page("pages/briefing.py", title="会议简报", icon=":material/slideshow:"),
]
page = st.navigation(pages)
ui.sidebar()
presentation.save_form(page)
presentation.bar({p.url_path: p for p in pages})
page.run()
