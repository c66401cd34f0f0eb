"""湛江产业扶贫地图: the page list and the shared sidebar, nothing else."""
import streamlit as st

# st.navigation comes before anything slow: on a fresh server Streamlit first treats the
# pages/ folder as a legacy multipage app and shows its file names as navigation until
# this call (its documented switch to st.Page mode) replaces them with the Chinese names.
page = st.navigation(
    [
        st.Page("pages/overview.py", title="总览", icon=":material/dashboard:", default=True),
        st.Page("pages/industry_map.py", title="产业地图", icon=":material/map:"),
    ]
)

from fupin_geo import ui  # noqa: E402  (after the navigation, see above)

ui.setup_page()
ui.sidebar()
page.run()
