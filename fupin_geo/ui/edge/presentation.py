"""Works around Streamlit 1.67.0 having no projector mode: its page structure restyled, arrow keys.

The style names Streamlit's elements by their data-testid attributes and widget classes, which
are not a public API: it hides the sidebar, Streamlit's header and every input widget outside
the presenter bar, and sizes type by the window width, so that 1280×720 and 1920×1080 both read
from the back of a room. The keyboard hook finds the bar's buttons by the `st-key-<key>` class
Streamlit documents for a keyed element. Nothing from data goes into either.
"""
from __future__ import annotations

import json

import streamlit as st

# BAR_KEY: the presenter bar's container; CARD_KEY: the figure cards (ui.figure_cards), shown
# as large as metrics.
_STYLE = """<style>
[data-testid="stSidebar"], [data-testid="stHeader"], [data-testid="stToolbar"] { display: none !important; }
[data-testid="stMainBlockContainer"] { padding: 1.2rem 2.2rem 2rem 2.2rem !important; max-width: 100% !important; }
[data-testid="stMain"] [data-testid="stElementContainer"]:has(> :is(.stMultiSelect, .stSelectbox,
  .stTextInput, .stCheckbox, .stRadio, .stButton, .stDownloadButton,
  [data-testid="stButtonGroup"], .stNumberInput)):not(.st-key-BAR_KEY *) { display: none !important; }
[data-testid="stMain"] :is([data-testid="stMarkdownContainer"], [data-testid="stCaptionContainer"]) :is(p, li) {
  font-size: clamp(18px, 1.5vw, 30px); }
[data-testid="stMain"] :is(h1, h1 *) { font-size: clamp(34px, 3vw, 60px) !important; }
[data-testid="stMain"] :is(h2, h2 *, h3, h3 *) { font-size: clamp(24px, 2vw, 40px) !important; }
[data-testid="stMetricValue"], [data-testid="stMetricValue"] * { font-size: clamp(28px, 2.6vw, 52px) !important; }
[data-testid="stMetricLabel"] p { font-size: clamp(16px, 1.25vw, 26px) !important; }
[class*="st-key-CARD_KEY"] :is(h2, h2 *) { font-size: clamp(28px, 2.6vw, 52px) !important; }
[class*="st-key-CARD_KEY"] [data-testid="stMarkdownContainer"] p { font-size: clamp(16px, 1.25vw, 26px); }
.st-key-BAR_KEY { background: #2b2b2b; border-radius: 0.5rem; padding: 0.4rem 1rem; }
.st-key-BAR_KEY [data-testid="stMarkdownContainer"] p { color: #ffffff; }
.st-key-BAR_KEY button, .st-key-BAR_KEY button * { color: #2b2b2b !important; }
</style>"""


def style(bar: str, card: str) -> str:
    """The <style> block for st.html: `bar` is the presenter bar's key, `card` the figure cards'."""
    return _STYLE.replace("BAR_KEY", bar).replace("CARD_KEY", card)


# Runs in the page itself (st.html, not an iframe). Each run replaces the listener of the one
# before, so there is one however often presentation mode is entered. Keys typed into a field
# are left alone.
_KEYS = """<script>(function (keys) {
var doc = document;
if (window.__fupinPresentKeys) { doc.removeEventListener("keydown", window.__fupinPresentKeys); }
window.__fupinPresentKeys = function (event) {
    var target = event.target;
    if (target && /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName)) { return; }
    var which = {ArrowRight: keys.next, PageDown: keys.next, ArrowLeft: keys.prev, PageUp: keys.prev}[event.key];
    if (!which) { return; }
    var button = doc.querySelector(".st-key-" + which + " button");
    if (button && !button.disabled) { event.preventDefault(); button.click(); }
};
doc.addEventListener("keydown", window.__fupinPresentKeys);
})(KEYS_JSON);</script>"""


def arrow_keys(previous: str, following: str) -> None:
    """→ / PageDown click the button keyed `following`, ← / PageUp the one keyed `previous`."""
    keys = json.dumps({"prev": previous, "next": following}).replace("<", "\\u003c")
    st.html(_KEYS.replace("KEYS_JSON", keys), unsafe_allow_javascript=True)
