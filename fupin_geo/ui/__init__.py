"""The only package that talks to Streamlit. This module: caching wrappers and the widgets
every page shares; page-specific panels live beside it (industry.py)."""
from __future__ import annotations

import inspect
import re
from dataclasses import dataclass

import folium
import streamlit as st
from streamlit_folium import st_folium

from .. import config
from ..analysis import indicators
from ..analysis.indicators import Kpi
from ..analysis.profile import VillageProfile
from ..data import geodata, ledger_merge
from ..data.schema import RecordError
from ..data.store import Dataset, Store, StoreError
from ..geo.display import WGS84_DISPLAY, Display
from ..maps import assets, common
from . import login

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
        st.error(md(error), icon=":material/error:")
        st.stop()


@st.cache_data(show_spinner=False, ttl=config.DATA_VERSION_TTL_S)
def _data_version(url: str) -> int:
    return _store(url).data_version()


def data_version() -> int:
    """The ledger's change counter, read at most every DATA_VERSION_TTL_S seconds.

    Cached data below are keyed by it: a write through any process (another replica, an
    import on the command line) changes it, and this process reads afresh on its next rerun.
    """
    store()
    try:
        return _data_version(config.database_url())
    except StoreError as error:
        st.error(md(error), icon=":material/error:")
        st.stop()


@st.cache_data(show_spinner=False, max_entries=config.CACHED_VERSIONS)
def _quarters(url: str, version: int) -> list[str]:
    return _store(url).quarters()


# A resource, not cache_data: every rerun and session gets the same Dataset object (no copy
# unpickled per run), so what analysis.memo keeps for it is found again on the next rerun.
# Datasets are never changed in place (see data.store.Dataset).
@st.cache_resource(show_spinner="正在读取数据……", max_entries=config.CACHED_DATASETS)
def _loaded(url: str, quarter: str, version: int) -> tuple[Dataset, list[RecordError]]:
    return _store(url).load_checked(quarter)


@st.cache_data(show_spinner=False, max_entries=config.CACHED_VERSIONS)
def _reporting_line(url: str, quarter: str, version: int) -> str | None:
    return ledger_merge.reporting_line(_loaded(url, quarter, version)[0])


def _dataset(url: str, quarter: str, version: int | None = None) -> Dataset:
    """The quarter's records that pass validation (the rest: skipped_records_warning), as of
    data version `version` (the current one when None)."""
    return _loaded(url, quarter, data_version() if version is None else version)[0]


def quarters() -> list[str]:
    store()
    return _quarters(config.database_url(), data_version())


def can_edit() -> bool:
    """May this session change shared things (saved views)? Only an editor or admin logged in
    on the 数据管理 page (ui.login holds that session's login)."""
    return login.editor() is not None


def ensure_app_navigation() -> None:
    """Call first in every page file.

    On a fresh server Streamlit treats the pages/ folder as an old-style multipage app until
    some session has called st.navigation: a first visit straight to a page's URL then runs
    that page without app.py (no page config, no shared sidebar, file names as navigation).
    Such a run calls st.navigation itself, which is Streamlit's documented switch to st.Page
    mode for the whole server, and runs again, this time through app.py (which then opens
    the page the URL names).
    """
    # app.py marks each of its runs; the mark is used up here, so a later run that skips
    # app.py (a fresh process's first visit, or every AppTest run) is noticed again.
    if st.session_state.pop(_THROUGH_APP, False):
        return
    if st.session_state.get(_SWITCHED):
        return  # switched on the run before and still not through app.py: never loop
    st.session_state[_SWITCHED] = True
    page_file = inspect.stack(context=0)[1].filename  # the page that called us
    # The URL's page must be in the list and not be its default (which lives at "/"),
    # or Streamlit reports "Page not found" for it.
    st.navigation([st.Page(_never_run, default=True), st.Page(page_file)], position="hidden")
    st.rerun()


def _never_run() -> None:
    """Stands in for app.py's default page in ensure_app_navigation's switch; never runs."""


# Set by setup_page (app.py) in every session: its pages then run through app.py.
_THROUGH_APP = "_fupin_through_app"
_SWITCHED = "_fupin_switched_to_navigation"


def setup_page() -> None:
    """What app.py does on every run after its navigation (which also sets the page config)."""
    st.session_state[_THROUGH_APP] = True
    st.session_state.pop(_SWITCHED, None)
    _vendor_assets()


def sidebar() -> None:
    """The sidebar every page shares: the title and the quarter being viewed."""
    available = quarters()
    with st.sidebar:
        st.markdown(f"### {config.APP_TITLE}")
        st.selectbox("数据季度", options=available, index=len(available) - 1, key=QUARTER_KEY,
                     help="每个季度是一份数据版本；默认显示最新季度。")
        quarter = st.session_state.get(QUARTER_KEY)
        if quarter in available:
            line = _reporting_line(config.database_url(), quarter, data_version())
            if line:  # a quarter some counties have not reported yet shows last quarter's figures
                st.caption(md(line), help="新季度以上一季度的数据为基础；各县区导入本季度台账后更新。"
                                          "详见“数据管理 › 填报进度”。")


def current_dataset() -> Dataset:
    store()
    available = quarters()
    if not available:
        st.error("数据库中还没有可用的季度数据。", icon=":material/error:")
        st.stop()
    quarter = st.session_state.get(QUARTER_KEY)
    if quarter not in available:
        quarter = available[-1]
    try:
        dataset, skipped = _loaded(config.database_url(), quarter, data_version())
    except StoreError as error:
        st.error(md(error), icon=":material/error:")
        st.stop()
    skipped_records_warning(skipped)
    return dataset


# Enough lines to see what is wrong and where, short enough to leave the page visible.
SKIPPED_SHOWN = 8


def skipped_records_warning(errors: list[RecordError]) -> None:
    """One message naming the stored records a page leaves out because they are unusable."""
    if not errors:
        return
    records = list(dict.fromkeys((e.entity, e.record) for e in errors))
    lines = [f"- {md(e)}" for e in errors[:SKIPPED_SHOWN]]
    if len(errors) > SKIPPED_SHOWN:
        lines.append(f"- ……另有 {len(errors) - SKIPPED_SHOWN} 处问题")
    st.warning(f"数据库中有 {len(records)} 条记录无法使用，本页已跳过它们，其余数据照常显示。"
               "请改正这些记录：\n" + "\n".join(lines), icon=":material/report:")


def demo_banner(dataset: Dataset) -> None:
    """Says which records are invented and which come from public sources, by kind."""
    counts = indicators.records_by_source(dataset)  # kept: it compares every record's source
    demo_records = sum(n for _, _, n in counts)
    if not demo_records:
        return
    public = "、".join(f"{label} {n}" for label, n, _ in counts if n)
    invented = "、".join(f"{label} {n}" for label, _, n in counts if n)
    st.warning(
        f"**演示数据**：本页显示的贫困村名单、户数、产业和指标均为程序生成的演示数据"
        f"（{demo_records} 条记录），不是湛江市农业农村局的真实数据。"
        "县区边界和村名来自公开数据。  \n"
        + (f"**来自公开资料**（名称、级别、年份；来源写在每条记录中，位置为近似）：{md(public)}。  \n"
           if public else "")
        + f"**程序编造**：{md(invented)}。",
        icon=":material/science:",
    )


COUNTY_FILTER_LABEL = "县（市、区）"
COUNTY_FILTER_HELP = "不选即全部县区；点击县区名称选中，再点一次取消，可多选。"


def county_filter(counties: list[str], key: str, help: str = "") -> list[str]:
    """The county filter of every page: a pill per county code, shown by name.

    The city's nine counties fit on one row, so a click chooses one: no list to open or name
    to type, and the change reaches the server at once (a multiselect sent it 0.1 s after the
    Enter key; bench/README.md, 产业地图 in a browser)."""
    chosen = st.pills(COUNTY_FILTER_LABEL, counties, selection_mode="multi", key=key,
                      format_func=geodata.county_name, help=f"{help}{COUNTY_FILTER_HELP}")
    return list(chosen or [])


# Every figure card's container key starts with CARD (presentation mode sizes the cards by
# it): f"{CARD}{group}_{name}", name being the card's place in its row of cards, or for the
# KPI cards (group KPI_CARDS) the target's key.
CARD = "card_"
KPI_CARDS = "kpi"


def card_key(group: str, name) -> str:
    return f"{CARD}{group}_{name}"


@dataclass(frozen=True)
class Figure:
    """One number on a card: its label (`help` on hover), its value and, against a goal, the
    gap to it: a green badge when `met`, red below it."""
    label: str
    value: str
    help: str | None = None
    gap: str | None = None
    met: bool = False


def figure_cards(figures: list[Figure], group: str, per_row: int, *, border: bool = True,
                 names: list | None = None) -> None:
    """Figures as cards in rows of `per_row`: the label, the value large, the gap as a badge.

    Markdown and a header in a container rather than st.metric: the front end has the code
    for those from the start, while st.metric's loads with the page's first elements, and on
    a tab's first page the map and the cards waited for it (bench/README.md, "Map
    pages as a tab's first page": the cards now come with the shell)."""
    names = list(range(len(figures))) if names is None else names
    for start in range(0, len(figures), per_row):
        row = zip(st.columns(per_row), figures[start:start + per_row], names[start:start + per_row])
        for column, figure, name in row:
            with column.container(border=border, gap="xsmall", height="stretch", key=card_key(group, name)):
                st.markdown(f":gray[{md(figure.label)}]", help=figure.help)
                st.header(md(figure.value), anchor=False)
                if figure.gap:
                    colour, arrow = ("green", "arrow_upward") if figure.met else ("red", "arrow_downward")
                    st.markdown(f":{colour}-badge[:material/{arrow}: {md(figure.gap)}]")


def kpi_cards(kpis: list[Kpi], per_row: int = 5) -> None:
    """The plan's KPIs as cards: the target's name (its wording on hover), the value, and the
    gap to the goal, red below it and green once met."""
    figure_cards([Figure(kpi.target.label, kpi.formatted(), gap=_gap_text(kpi), met=bool(kpi.met),
                         help=f"{kpi.target.description}（工作方案{kpi.target.plan_item}）。"
                              f"{kpi.goal_text()}；当前 {kpi.numerator:,.0f} / {kpi.denominator:,.0f}。")
                  for kpi in kpis], KPI_CARDS, per_row, names=[kpi.target.key for kpi in kpis])


def _gap_text(kpi: Kpi) -> str | None:
    if kpi.value is None:
        return None
    if kpi.met:
        return f"达标 · {kpi.goal_text()}"
    if kpi.target.unit == "%":
        return f"-{(kpi.target.goal - kpi.value) * 100:.1f}点 · {kpi.goal_text()}"
    return f"-{kpi.target.goal - kpi.value:g}{kpi.target.unit} · {kpi.goal_text()}"


CLICK_RETURNS = ("last_object_clicked",)

# A move asked again is sent this far off the last one, in degrees and zoom levels: st_folium
# only moves a shown map when centre or zoom differ from what it was last sent. 1e-7 degree
# is 1 cm; Leaflet snaps the zoom to config.ZOOM_SNAP, so the zoom's nudge never shows.
_MOVE_NUDGE_DEG = 1e-7
_MOVE_NUDGE_ZOOM = 1e-3


def show_map(m: folium.Map, key: str, layers: list[folium.FeatureGroup | None] | None = None,
             center: tuple[float, float] | None = None, zoom: float | None = None, *,
             again: bool = False, returned_objects: tuple[str, ...] = CLICK_RETURNS) -> dict:
    """Show a map; only clicks rerun the page (pans and zooms do not).

    THE RULE for every page: the base map `m` must not depend on filters, layer switches,
    the quarter or a selection. st_folium's component key is a hash of the base map's
    script: any change in it (a fitBounds of the filtered villages, a layer, a legend) makes
    the browser throw the map's iframe away and build a new one (seconds at 20,000 villages).
    Build `m` from what only a rebuild may change (the basemap) and pass the rest as:
    - `layers` (None entries skipped): swapped in and out of the shown map, no rebuild;
    - `center` (lat, lon as drawn) and `zoom`: the map moves there whenever they differ
      from the last ones sent, and stays where the user panned otherwise. To move to a
      fitted extent use `geo.display.fit_view`, not `fitBounds`. `again=True` moves even
      to the same place as last time (a repeated search after the user panned away).
    tests/browser/test_map_iframes.py checks the rule by counting iframes.
    `returned_objects`: what st_folium reports; add "last_clicked" to learn of clicks on the
    empty map too (still no rerun on pan or zoom).
    """
    groups = [g for g in layers or [] if g is not None]
    if center is not None:
        center, zoom = _move(key, (float(center[0]), float(center[1])), zoom, again)
    return st_folium(m, key=key, height=config.MAP_HEIGHT, use_container_width=True,
                     returned_objects=list(returned_objects), feature_group_to_add=groups or None,
                     center=center, zoom=zoom) or {}


def _move(key: str, center: tuple[float, float], zoom: float | None,
          again: bool) -> tuple[tuple[float, float], float | None]:
    """The centre and zoom to send: alternately exact and nudged for each new request, so a
    request differs from the one before it, and a request repeated unchanged does not."""
    state_key = f"_show_map_move_{key}"
    last_center, last_zoom, count = st.session_state.get(state_key, (None, None, 0))
    if again or (center, zoom) != (last_center, last_zoom):
        count += 1
    st.session_state[state_key] = (center, zoom, count)
    if count % 2:
        center = (center[0] + _MOVE_NUDGE_DEG, center[1])
        zoom = None if zoom is None else zoom + _MOVE_NUDGE_ZOOM
    return center, zoom


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


# Every ASCII punctuation character (CommonMark lets each be escaped): emphasis, links, images,
# HTML, entities (&lt;), LaTeX ($), directives (:red[...]) and tables all start with one.
_MARKDOWN_SPECIALS = re.compile(r"([!-/:-@\[-`{-~])")
# Anything that starts a new line (and so a new block: a heading ends, a list begins).
_LINE_BREAKS = re.compile("[\r\n\t\v\f\x1c-\x1e\x85\u2028\u2029]+")
# Streamlit's markdown is GFM, which also links bare addresses in the text (its "autolink
# literals": http:// and https://, www. and name@host), after undoing escapes, so escaping
# cannot stop it. A word joiner, which a reader does not see (no space, no line break) and
# GFM counts as neither space nor punctuation, goes inside each of those three patterns: the
# text reads the same and is no longer an address.
_NO_LINK = "\u2060"
_AUTOLINK_PARTS = re.compile(r"(?<=:)(?=//)|(?<=www)(?=\.)|(?=@)", re.IGNORECASE)
# A web address within a record's source, to be shown as text to copy (see source_addresses).
_WEB_ADDRESS = re.compile(r"(?:https?://|www\.)[^\s<>\"'，。；、（）]+", re.IGNORECASE)
_NOT_AT_THE_END = ".,;:!?)]}'"  # a sentence's punctuation after an address


def md(text) -> str:
    """`text` as literal markdown on one line: no emphasis, links (not even a bare address),
    images, HTML, entities or :directives: from data or URLs. Use for every value that did
    not come from our code."""
    one_line = _LINE_BREAKS.sub(" ", str(text))
    printable = one_line.encode("utf-8", "backslashreplace").decode("utf-8")  # lone surrogates
    unlinked = _AUTOLINK_PARTS.sub(_NO_LINK, printable)
    return _MARKDOWN_SPECIALS.sub(r"\\\1", unlinked)


def source_addresses(source) -> None:
    """The web addresses in a record's source, one a line in a box of plain text to copy and
    check before opening: data chooses them, so they are never links (the source's own line,
    through md(), shows them unlinked too). Nothing when the source has none."""
    found = [a.rstrip(_NOT_AT_THE_END) for a in _WEB_ADDRESS.findall("" if source is None else str(source))]
    found = list(dict.fromkeys(found))
    if found:
        st.code("\n".join(found), language=None, wrap_lines=True)


def village_card(profile: VillageProfile) -> None:
    coops = "、".join(profile.cooperatives) or "暂无"
    with st.container(border=True):
        st.markdown(f"#### {md(profile.name)}")
        st.caption(f"{md(profile.county)} · {md(profile.town)} · 代码 {md(profile.code)}")
        st.markdown(
            f"**一村一品**：{md('、'.join(profile.products) or config.NO_INDUSTRY_LABEL)}  \n"
            f"**贫困户**：{profile.poor_households} 户 · {profile.poor_people} 人  \n"
            f"**总户数**：{profile.households} 户  \n"
            f"**合作社**：{md(coops)}（贫困户入社 {profile.poor_households_in_coop} 户）"
        )
        st.caption(f"位置精度：{md(profile.position_quality)} · 数据来源：{md(profile.source)} · "
                   f"季度：{md(profile.quarter)}")
        source_addresses(profile.source)


def all_datasets() -> list[Dataset]:
    """Every quarter's data, oldest first (for history charts)."""
    url, version = config.database_url(), data_version()
    return [_dataset(url, quarter, version) for quarter in quarters()]
