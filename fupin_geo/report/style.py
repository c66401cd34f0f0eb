"""The briefing's one colour scheme: the deck (pptx.py), the PDF (pdf.py) and the charts drawn
for the PDF (static_maps.bar_chart) all take their colours from here, so the two formats of
one briefing look alike. Colours are "#rrggbb"."""
from __future__ import annotations

TEXT = "#2b2b2b"
MUTED = "#666666"  # footers and page numbers
ACCENT = "#b3261e"  # the organisation's name, the rule under titles
NOTICE = "#9a5b00"  # the demo-data notice
TABLE_HEAD = "#6b5b4b"  # the county lines' brown, as on the maps
TABLE_HEAD_TEXT = "#ffffff"
TABLE_BODY = "#ffffff"
TABLE_STRIPE = "#f6f3ee"  # every second row
TABLE_RULE = "#bbbbbb"
# Okabe–Ito: told apart with every common colour-vision deficiency and in greyscale print.
SERIES = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7")
GOAL = ACCENT  # the plan's target beside each bar


def series_color(index: int) -> str:
    return SERIES[index % len(SERIES)]


def rgb(color: str) -> tuple[int, int, int]:
    """(r, g, b) of "#rrggbb"."""
    return int(color[1:3], 16), int(color[3:5], 16), int(color[5:7], 16)
