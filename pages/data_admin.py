"""数据管理: log in, then import ledgers, compare and restore revisions, place villages, read the audit log."""
import streamlit as st

from fupin_geo import ui
from fupin_geo.ui.panels import data_admin

ui.ensure_app_navigation()

st.title("数据管理")
st.caption("季度台账的导入、版本和操作日志。浏览地图不需要登录。")
user = data_admin.current_user()
if user is None:
    data_admin.login_form()
    st.stop()

data_admin.user_bar(user)
dataset = ui.current_dataset()
ui.demo_banner(dataset)
upload, progress, versions, locate, log, blank = st.tabs(
    ["导入台账", "填报进度", "版本", "在地图上定位", "操作日志", "模板"])
with upload:
    data_admin.import_panel(user)
with progress:
    data_admin.reporting_panel()
with versions:
    data_admin.revisions_panel(user)
with locate:
    data_admin.locate_panel(user, dataset)
with log:
    data_admin.audit_panel(user)
with blank:
    data_admin.template_panel()
