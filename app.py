"""湛江产业扶贫地图: the page list and the shared sidebar, nothing else."""
import streamlit as st

from fupin_geo import config  # light: no pandas, maps or database yet

# Page config and navigation come before anything slow. On a fresh server Streamlit first
# treats the pages/ folder as a legacy multipage app and shows its file names as navigation
# until st.navigation (its documented switch to st.Page mode) replaces them. The favicon is
# an image file set before the pages: otherwise the browser fetches the first page's
# :material/ icon from the internet.
st.set_page_config(page_title=config.APP_TITLE, page_icon=str(config.FAVICON), layout="wide")
pages = [
    st.Page("pages/overview.py", title="总览", icon=":material/dashboard:", default=True),
    st.Page("pages/industry_map.py", title="产业地图", icon=":material/map:"),
    st.Page("pages/linkage.py", title="联农带农", icon=":material/hub:"),
    st.Page("pages/underserved.py", title="短板排查", icon=":material/troubleshoot:"),
    st.Page("pages/infrastructure.py", title="基础设施", icon=":material/construction:"),
    st.Page("pages/measures.py", title="工作措施", icon=":material/checklist:"),
    st.Page("pages/quarters.py", title="季度对比", icon=":material/timeline:"),
    st.Page("pages/cooperation.py", title="湛柳协作", icon=":material/handshake:"),
    st.Page("pages/briefing.py", title="会议简报", icon=":material/slideshow:"),
    st.Page("pages/data_admin.py", title="数据管理", icon=":material/admin_panel_settings:"),
]
page = st.navigation(pages)

from fupin_geo import ui  # noqa: E402  (after the navigation, see above)
from fupin_geo.ui.panels import presentation  # noqa: E402

ui.setup_page()
ui.sidebar()
presentation.save_form(page)
presentation.bar({p.url_path: p for p in pages})
page.run()
