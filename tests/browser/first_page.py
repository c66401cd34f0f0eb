"""A tab's first map page watched from its first script on (fupin_geo.ui.edge.below_map): the map
frames added, whether the line standing in for the rest showed, and what was drawn when it went."""
from __future__ import annotations

import json

from fupin_geo import ui

MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'

_WATCH = """
if (window.top === window) {
    const [frame, waiting, card] = %s;
    window.__mapFrames = 0;
    window.__waitingShown = false;
    window.__whenWaitingGone = null;
    window.__reports = [];  // at each report of below_map's reporter: were the page's maps drawn?
    const drawn = f => { try { const w = f.contentWindow;
        return Boolean(w.map && w.map._loaded && "last_feature_group" in (w.__GLOBAL_DATA__ || {}));
    } catch (e) { return false; } };
    window.addEventListener("message", e => {
        const from = [...document.querySelectorAll('iframe[title$="map_drawn"]')]
            .find(f => f.contentWindow === e.source);
        if (!from || !e.data || e.data.type !== "streamlit:setComponentValue") return;
        const maps = [...document.querySelectorAll(frame)];
        window.__reports.push(maps.length > 0 && maps.every(drawn));
    });
    new MutationObserver(records => {
        for (const r of records) for (const n of r.addedNodes) {
            if (n.nodeType !== 1) continue;
            window.__mapFrames += n.matches(frame) ? 1 : n.querySelectorAll(frame).length;
        }
        const shown = [...document.querySelectorAll('[data-testid="stCaptionContainer"]')]
            .some(c => c.innerText.includes(waiting));
        if (shown) window.__waitingShown = true;
        else if (window.__waitingShown && window.__whenWaitingGone === null) {
            const map = document.querySelector(frame).contentDocument;
            window.__whenWaitingGone = {
                shapes: map.querySelectorAll('path.leaflet-interactive').length,
                cards: document.querySelectorAll(`[class*="st-key-${card}"]`).length,
            };
        }
    }).observe(document, {childList: true, subtree: true, characterData: true});
}
"""


def watch(page, waiting: str) -> None:
    """Call before opening the page: `waiting` is (part of) the line that stands in."""
    page.add_init_script(_WATCH % json.dumps([MAP_FRAME, waiting, ui.card_key(ui.KPI_CARDS, "")]))


def seen(page) -> dict:
    """map frames added; whether the line showed; shapes and KPI cards drawn when it went; for
    each report of below_map's reporter, whether every map was drawn when it was sent."""
    return page.evaluate("({frames: window.__mapFrames, waitingShown: window.__waitingShown,"
                         " whenGone: window.__whenWaitingGone, reports: window.__reports})")
