"""会议简报: presentation mode over the saved views, and the one-click briefing (PPTX, PDF)."""
import streamlit as st

from fupin_geo import ui
from fupin_geo.ui.panels import briefing as panel

ui.ensure_app_navigation()

dataset = ui.current_dataset()
st.title("会议简报")
ui.demo_banner(dataset)
panel.views_panel()
st.divider()
panel.export_panel(dataset)
