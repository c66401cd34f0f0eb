"""The only package that talks to Streamlit. This module: caching wrappers and the widgets
every page shares; page-specific panels live beside it (industry.py)."""
from __future__ import annotations

import re

import folium
import streamlit as st
from streamlit_folium import st_folium

from .. import config
from ..analysis.indicators import Kpi
from ..analysis.profile import VillageProfile
from ..data.store import Dataset, Store, StoreError
from ..geo.display import WGS84_DISPLAY, Display
from ..maps import assets, common

QUARTER_KEY = "quarter"


@st.cache_resource(show_spinner=False)
def _vendor_assets() -> list[str]:
    return assets.ensure_vendor_assets()


@st.cache_resource(show_spinner="正在打开数据库……")
def _store(url: str) -> Store:
    store = Store(url)
    store.ensure_seeded()
    return store


def store() -> Store:
    """The database of this process; on failure one clear message and the page stops."""
    try:
        return _store(config.database_url())
    except StoreError as error:
        st.error(str(error), icon=":material/error:")
        st.stop()


@st.cache_data(show_spinner=False)
def _quarters(url: str) -> list[str]:
    return _store(url).quarters()


@st.cache_data(show_spinner="正在读取数据……")
def _dataset(url: str, quarter: str) -> Dataset:
    return _store(url).load(quarter)


def quarters() -> list[str]:
    store()
    return _quarters(config.database_url())


def can_edit() -> bool:
    """May this user change shared things (saved views)? Everyone, until logins exist: the
    data management work wires its user check in here."""
    return True


def ensure_app_navigation() -> None:
    """Call first in every page file.

    Until app.py has called st.navigation once in this server process, Streamlit treats the
    pages/ folder as an old-style multipage app: a first visit straight to a page's URL runs
    that page without app.py (no page config, no shared sidebar). Switch the old mode off and
    run again, this time through app.py.
    """
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


def setup_page() -> None:
    # An image file, not a :material/: icon: Streamlit fetches those favicons from the internet.
    st.set_page_config(page_title=config.APP_TITLE, page_icon=str(config.FAVICON), layout="wide")
    _vendor_assets()


def sidebar() -> None:
    """The sidebar every page shares: the title and the quarter being viewed."""
    available = quarters()
    with st.sidebar:
        st.markdown(f"### {config.APP_TITLE}")
        st.selectbox("数据季度", options=available, index=len(available) - 1, key=QUARTER_KEY,
                     help="每个季度是一份数据版本；默认显示最新季度。")


def current_dataset() -> Dataset:
    store()
    available = quarters()
    quarter = st.session_state.get(QUARTER_KEY) or available[-1]
    try:
        return _dataset(config.database_url(), quarter)
    except StoreError as error:
        st.error(str(error), icon=":material/error:")
        st.stop()


def demo_banner(dataset: Dataset) -> None:
    if dataset.demo_records:
        st.warning(
            f"**演示数据**：本页显示的贫困村名单、户数、产业和指标均为程序生成的演示数据"
            f"（{dataset.demo_records} 条记录），不是湛江市农业农村局的真实数据。"
            "县区边界和村名来自公开数据。",
            icon=":material/science:",
        )


def kpi_cards(kpis: list[Kpi], per_row: int = 5) -> None:
    for start in range(0, len(kpis), per_row):
        columns = st.columns(per_row)
        for column, kpi in zip(columns, kpis[start:start + per_row]):
            with column:
                st.metric(kpi.target.label, kpi.formatted(), delta=_gap_text(kpi),
                          delta_color="normal", border=True,
                          help=f"{kpi.target.description}（工作方案{kpi.target.plan_item}）。"
                               f"{kpi.goal_text()}；当前 {kpi.numerator:,.0f} / {kpi.denominator:,.0f}。")


def _gap_text(kpi: Kpi) -> str | None:
    if kpi.value is None:
        return None
    if kpi.met:
        return f"达标 · {kpi.goal_text()}"
    if kpi.target.unit == "%":
        return f"-{(kpi.target.goal - kpi.value) * 100:.1f}点 · {kpi.goal_text()}"
    return f"-{kpi.target.goal - kpi.value:g}{kpi.target.unit} · {kpi.goal_text()}"


def show_map(m: folium.Map, key: str, layers: list[folium.FeatureGroup | None] | None = None,
             center: tuple[float, float] | None = None, zoom: float | None = None) -> dict:
    """Show a map; only clicks rerun the page (pans and zooms do not).

    `layers` (None entries are skipped) are swapped in and out of the shown map without
    redrawing it, and a new `center`/`zoom` moves it: both keep the extent the user chose.
    """
    groups = [g for g in layers or [] if g is not None]
    return st_folium(m, key=key, height=config.MAP_HEIGHT, use_container_width=True,
                     returned_objects=["last_object_clicked"], feature_group_to_add=groups or None,
                     center=center, zoom=zoom) or {}


def clicked_village(dataset: Dataset, result: dict, display: Display = WGS84_DISPLAY) -> str | None:
    clicked = result.get("last_object_clicked")
    if not clicked:
        return None
    return common.village_at(dataset, clicked["lat"], clicked["lng"], display=display)


def new_clicked_village(dataset: Dataset, result: dict, seen_key: str,
                        display: Display = WGS84_DISPLAY) -> str | None:
    """The village of a click not acted on before, else None.

    st_folium returns its last click on every rerun; acting on it again would undo a village
    chosen since (e.g. in a search box). The raw click is remembered under `seen_key`.
    """
    click = result.get("last_object_clicked")
    if click == st.session_state.get(seen_key):
        return None
    st.session_state[seen_key] = click
    return clicked_village(dataset, result, display)


_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def md(text: str) -> str:
    """`text` as literal markdown: no emphasis, links, HTML or :directives: from data."""
    return _MARKDOWN_SPECIALS.sub(r"\\\1", str(text))


def village_card(profile: VillageProfile) -> None:
    coops = "、".join(profile.cooperatives) or "暂无"
    with st.container(border=True):
        st.markdown(f"#### {md(profile.name)}")
        st.caption(f"{md(profile.county)} · {md(profile.town)} · 代码 {profile.code}")
        st.markdown(
            f"**一村一品**：{md('、'.join(profile.products) or config.NO_INDUSTRY_LABEL)}  \n"
            f"**贫困户**：{profile.poor_households} 户 · {profile.poor_people} 人  \n"
            f"**总户数**：{profile.households} 户  \n"
            f"**合作社**：{md(coops)}（贫困户入社 {profile.poor_households_in_coop} 户）"
        )
        st.caption(f"位置精度：{profile.position_quality} · 数据来源：{md(profile.source)} · "
                   f"季度：{profile.quarter}")


def all_datasets() -> list[Dataset]:
    """Every quarter's data, oldest first (for history charts)."""
    url = config.database_url()
    return [_dataset(url, quarter) for quarter in quarters()]
