"""Baseline for bench/load.py: the same county filter and a village table, nothing else.

What Streamlit itself costs per run (session, script, protocol) on this machine, beside the
产业地图 page. Reads the demo data straight from the store, cached once per process.
"""
import streamlit as st

from fupin_geo.data import geodata
from fupin_geo.data.store import Store


@st.cache_data
def villages():
    return Store().load().villages


table = villages()
chosen = st.multiselect("县（市、区）", sorted(table["county_code"].unique()),
                        format_func=geodata.county_name)
shown = table[table["county_code"].isin(chosen)] if chosen else table
st.markdown(f"村庄列表（{len(shown)} 个）")
st.dataframe(shown[["code", "name", "poor_households"]], hide_index=True)
