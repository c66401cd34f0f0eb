"""What a page reads: the database, the quarter being viewed and its records.

The one caching path of the app: the Store is a process-wide resource, the data version is
read at most every DATA_VERSION_TTL_S seconds, and each (quarter, data version) has one
Dataset object, shared by every rerun and session. What is derived from a dataset is kept
on that object (fupin_geo.memo.per_dataset), so a panel computes from the dataset it is
handed and finds the result again on the next rerun.

The quarter is owned here: the sidebar's selector (quarter_selector) writes it, every page
asks quarter() or current_dataset(), and a slideshow switches it with choose_quarter().
"""
from __future__ import annotations

import streamlit as st

from .. import config
from ..analysis import indicators
from ..analysis.indicators import Kpi
from ..data import demo, ledger_merge
from ..data.schema import RecordError
from ..data.dataset import Dataset
from ..data.store import Store, StoreError
from ..maps import assets
from .text import md

# The selector's widget key: only this module reads or writes it (tests find the box by it).
QUARTER_WIDGET = "quarter"


@st.cache_resource(show_spinner=False)
def vendor_assets() -> list[str]:
    """Leaflet and the other scripts and styles, copied once per process to be served locally."""
    return assets.ensure_vendor_assets()


@st.cache_resource(show_spinner="正在打开数据库……")
def _store(url: str) -> Store:
    store = Store(url)
    demo.ensure_seeded(store)
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


def forget_cached_data() -> None:
    """After a write by this session: the next read sees it at once, not after the TTL."""
    st.cache_data.clear()


@st.cache_data(show_spinner=False, max_entries=config.CACHED_VERSIONS)
def _quarters(url: str, version: int) -> list[str]:
    return _store(url).quarters()


def quarters() -> list[str]:
    """Every quarter with data, oldest first."""
    store()
    return _quarters(config.database_url(), data_version())


# A resource, not cache_data: every rerun and session gets the same Dataset object (no copy
# unpickled per run), so what fupin_geo.memo keeps for it is found again on the next rerun.
# Datasets are never changed in place (see data.dataset.Dataset).
@st.cache_resource(show_spinner="正在读取数据……", max_entries=config.CACHED_DATASETS)
def _loaded(url: str, quarter: str, version: int) -> tuple[Dataset, list[RecordError]]:
    return _store(url).load_checked(quarter)


def quarter() -> str | None:
    """The quarter this session views: the one chosen in the sidebar, else the latest."""
    available = quarters()
    chosen = st.session_state.get(QUARTER_WIDGET)
    if chosen in available:
        return chosen
    return available[-1] if available else None


def choose_quarter(value: str) -> None:
    """View `value` from the next run on (the sidebar's selector follows)."""
    st.session_state[QUARTER_WIDGET] = value


def quarter_selector() -> str | None:
    """The sidebar's 数据季度 box; returns the quarter chosen."""
    available = quarters()
    st.selectbox("数据季度", options=available, index=len(available) - 1, key=QUARTER_WIDGET,
                 help="每个季度是一份数据版本；默认显示最新季度。")
    return quarter()


# The counties chosen on any page, shared by all of them: a planner who chose 雷州市 on one
# page finds it chosen on the next. Not a widget key: Streamlit drops a widget's state when
# a page without that widget runs, and each page draws its own county widget.
_COUNTIES = "fupin_counties"


def counties() -> tuple[str, ...]:
    """The county codes chosen (empty: every county)."""
    return tuple(st.session_state.get(_COUNTIES, ()))


def choose_counties(codes) -> None:
    st.session_state[_COUNTIES] = tuple(codes or ())


def reporting_line(value: str) -> str | None:
    """Which counties of quarter `value` still show an earlier quarter's figures, or None."""
    return _reporting_line(config.database_url(), value, data_version())


@st.cache_data(show_spinner=False, max_entries=config.CACHED_VERSIONS)
def _reporting_line(url: str, value: str, version: int) -> str | None:
    return ledger_merge.reporting_line(_loaded(url, value, version)[0])


def current_dataset() -> Dataset:
    """The viewed quarter's records that pass validation; the rest are named in one warning."""
    store()
    chosen = quarter()
    if chosen is None:
        st.error("数据库中还没有可用的季度数据。", icon=":material/error:")
        st.stop()
    try:
        dataset, skipped = _loaded(config.database_url(), chosen, data_version())
    except StoreError as error:
        st.error(md(error), icon=":material/error:")
        st.stop()
    skipped_records_warning(skipped)
    return dataset


def quarter_kpis(dataset: Dataset) -> list[Kpi]:
    """The plan's KPIs of `dataset`'s quarter; the reports counted are those made by then."""
    return indicators.compute_kpis(dataset, indicators.reported_by(quarters(), dataset.quarter))


def previous_kpis(dataset: Dataset) -> list[Kpi] | None:
    """The KPIs of the quarter before `dataset`'s (for the cards' change), None for the first."""
    before = indicators.previous_quarter(quarters(), dataset.quarter)
    if before is None:
        return None
    return quarter_kpis(_loaded(config.database_url(), before, data_version())[0])


def all_datasets() -> list[Dataset]:
    """Every quarter's data, oldest first (for history charts)."""
    url, version = config.database_url(), data_version()
    return [_loaded(url, q, version)[0] for q in quarters()]


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
