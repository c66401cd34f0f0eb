"""Colours as a viewer tells them apart, and the legends a rendered map carries.

`delta_e` is the CIE 1976 colour difference in CIELAB (sRGB, D65). Two colours that mean
different things on one map must differ by at least DISTINCT: about 2 is the smallest
difference anyone notices; pairs that read as "the same colour" across a room (省级 #e66101
beside 畜牧 #D55E00: 6.7; 购销 #009E73 beside 已联结 #1a9641: 23.5) stay below 30.
"""
from __future__ import annotations

import itertools
import json
import re

DISTINCT = 30.0


def lab(color: str) -> tuple[float, float, float]:
    value = color.lstrip("#")
    rgb = [int(value[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    fx, fy, fz = f(x), f(y), f(z)
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def delta_e(a: str, b: str) -> float:
    return sum((p - q) ** 2 for p, q in zip(lab(a), lab(b))) ** 0.5


def too_close(palettes: dict[str, dict[str, str]]) -> list[tuple]:
    """Pairs of colours of different meanings (palettes) closer than DISTINCT."""
    return [(m1, l1, c1, m2, l2, c2, round(delta_e(c1, c2), 1))
            for (m1, p1), (m2, p2) in itertools.combinations(palettes.items(), 2)
            for l1, c1 in p1.items() for l2, c2 in p2.items() if delta_e(c1, c2) < DISTINCT]


def legends(page: str) -> dict[str, list[tuple[str, str | None]]]:
    """Every legend of a rendered map by title: its (label, colour) entries, colour None for
    an empty ring."""
    found = {}
    for raw in re.findall(r"div\.innerHTML = (\"(?:[^\"\\]|\\.)*\")", page):
        markup = json.loads(raw)
        title = re.match(r"<b>([^<]*)</b>", markup).group(1)
        entries = re.findall(r'<span class="swatch" style="([^"]*)"></span>([^<]*)</div>', markup)
        found[title] = [(label, (re.match(r"background:(#[0-9a-fA-F]{6})$", style) or [None, None])[1])
                        for style, label in entries]
    return found

