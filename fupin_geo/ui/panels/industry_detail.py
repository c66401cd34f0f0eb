"""Beside and below the 产业地图's map: the basemap it is drawn on, the counts row and the
chosen village's detail."""
from __future__ import annotations

import os

import pandas as pd
import streamlit as st

from ...analysis.profile import VillageProfile
from ...geo import basemaps
from ...maps.industry_view import ViewState
from .. import tables
from ..text import md
from ..widgets import Figure, figure_cards, village_card


def basemap_choice(state: ViewState) -> tuple[basemaps.Basemap, str | None]:
    """The basemap to draw, falling back to the offline one when 天地图 has no key."""
    basemap = basemaps.BASEMAPS[state.basemap]
    token = tianditu_token() if basemap.needs_token else None
    if basemap.needs_token and not token:
        st.warning("未配置天地图密钥，已改用离线底图。请在 .streamlit/secrets.toml 中写入 "
                   "`tianditu_token = \"你的密钥\"`，或设置环境变量 FUPIN_TIANDITU_TOKEN。",
                   icon=":material/key_off:")
        return basemaps.BASEMAPS[basemaps.DEFAULT_BASEMAP], None
    if basemap.online:
        st.info(f"已选在线底图「{basemap.label}」：地图瓦片从互联网加载，内网环境下可能无法显示。",
                icon=":material/public:")
    return basemap, token


def tianditu_token() -> str | None:
    try:
        secret = st.secrets.get("tianditu_token")
    except (FileNotFoundError, KeyError, st.errors.StreamlitSecretNotFoundError):
        secret = None
    return secret or os.environ.get(basemaps.TIANDITU_TOKEN_ENV) or None


def counts_row(counts: dict[str, int], per_row: int | None = None) -> None:
    figure_cards([Figure(label, f"{value:,}") for label, value in counts.items()], "counts",
                 per_row=per_row or len(counts), border=False)


def link_line(link) -> str:
    """One 联农带农 link of the village card as a list item."""
    return (f"- {md(link.带动主体)}（{md(link.类型)}）· {md(link.联结方式)} · "
            f"带动农户 {link.带动农户:,} 户，其中贫困户 {link.其中贫困户:,} 户")


def village_detail(profile: VillageProfile, history) -> None:
    """The card plus linkage, indicators and the quarters' history."""
    village_card(profile)
    if profile.parks:
        st.markdown("**所在产业园范围**：" + md("；".join(profile.parks)))
    if not profile.links.empty:
        st.markdown("**联农带农**")
        # one line per link, wrapped: a table's five columns in the narrow card column were cut
        st.markdown("\n".join(link_line(row) for row in profile.links.itertuples(index=False)))
    st.markdown("**指标**")
    tables.show_short(pd.DataFrame({"指标": list(profile.indicators), "数值": list(profile.indicators.values())}))
    if len(history) > 1:
        st.markdown("**各季度变化**")
        shares = history.drop(columns=["一村一品数"])
        st.line_chart(shares, height=200, y_label="比例", x_label="季度")
