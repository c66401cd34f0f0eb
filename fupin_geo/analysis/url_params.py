"""Parsers of URL query parameters, one per kind of value, for every page and saved view.

A link's text comes from anyone: typed, truncated, edited by hand or made to break a page.
Each parser accepts only what the page can use and returns None (or an empty list) for
anything else — never an error. Digits are ASCII digits only ("²", "٤" and "２" are refused,
though Python's `str.isdigit` and `int` take them), and no value longer than
MAX_VALUE_CHARS is read at all.
"""
from __future__ import annotations

import re
from typing import Collection, Iterable

# Longest parameter value read. The longest real one is a list of every town code of the
# city (about 120 codes of 10 characters with the comma); anything longer is not a link
# the app made, and Python's int() refuses more than 4,300 digits anyway.
MAX_VALUE_CHARS = 2_000
# How much of an ignored value the "已忽略" message repeats: enough to recognise it.
SHOWN_CHARS = 60

YEAR = re.compile(r"[0-9]{4}")
QUARTER = re.compile(r"[0-9]{4}Q[1-4]")
COUNTY = re.compile(r"[0-9]{6}")
TOWN = re.compile(r"[0-9]{9}")
VILLAGE = re.compile(r"[0-9]{12}")
# The map extent "lat,lon,zoom" as the app and the browser write it (five decimals; the
# zoom may be fractional). Bounded digit counts keep the float() calls small.
_NUMBER = r"-?[0-9]{1,3}(?:\.[0-9]{1,12})?"
EXTENT = re.compile(rf"({_NUMBER}),({_NUMBER}),([0-9]{{1,3}}(?:\.[0-9]{{1,12}})?)")


def _last(value):
    """A repeated parameter counts with its last value (as Streamlit's query_params.get)."""
    if isinstance(value, (list, tuple)):
        return value[-1] if value else ""
    return value


def one(value) -> str | None:
    """The text of a parameter; None when missing or too long."""
    value = _last(value)
    if value is None:
        return None
    text = str(value)
    return text if len(text) <= MAX_VALUE_CHARS else None


def choice(value, known: Collection[str]) -> str | None:
    """One of `known` (a city, a 科室, a basemap …), or None."""
    text = one(value)
    return text if text is not None and text in known else None


def year(value, known: Collection[int] | None = None) -> int | None:
    """A four-digit year (among `known` when given), or None."""
    text = one(value)
    if text is None or not YEAR.fullmatch(text):
        return None
    number = int(text)
    return number if known is None or number in known else None


def quarter(value, known: Collection[str] | None = None) -> str | None:
    """A quarter such as "2019Q4" (among `known` when given), or None."""
    text = one(value)
    if text is None or not QUARTER.fullmatch(text):
        return None
    return text if known is None or text in known else None


def county(value, known: Collection[str] | None = None) -> str | None:
    """A six-digit county code (among `known` when given), or None."""
    return _code(value, COUNTY, known)


def town(value, known: Collection[str] | None = None) -> str | None:
    return _code(value, TOWN, known)


def village(value) -> str | None:
    """A twelve-digit village code, or None."""
    return _code(value, VILLAGE, None)


def _code(value, pattern: re.Pattern, known: Collection[str] | None) -> str | None:
    text = one(value)
    if text is None or not pattern.fullmatch(text):
        return None
    return text if known is None or text in known else None


def items(value) -> tuple[str, ...] | None:
    """A comma-separated list, deduplicated, empty items skipped; None when too long."""
    text = one(value)
    if text is None:
        return None
    return tuple(dict.fromkeys(v for v in text.split(",") if v))


def split(value, accept) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A comma-separated list as (the items `accept` keeps, the items it refused). A value
    too long to read is one refused item."""
    found = items(value)
    if found is None:
        return (), (str(_last(value)),)
    kept = tuple(v for v in found if accept(v))
    return kept, tuple(v for v in found if v not in kept)


def counties(value, known: Collection[str] | None = None):
    return split(value, lambda v: county(v, known) is not None)


def towns(value, known: Collection[str] | None = None):
    return split(value, lambda v: town(v, known) is not None)


def names(value, known: Collection[str] | None = None):
    """A list of names (categories, products, flow kinds), among `known` when given."""
    return split(value, lambda v: known is None or v in known)


def layers(value, known: Collection[str]):
    """Map layers: the keys among `known`, in the link's order."""
    return split(value, lambda v: v in known)


def extent(value, min_zoom: float, max_zoom: float) -> tuple[float, float, float] | None:
    """A map extent "lat,lon,zoom" with the zoom clamped to the map's range, or None."""
    text = one(value)
    match = EXTENT.fullmatch(text) if text is not None else None
    if not match:
        return None
    lat, lon, zoom = (float(g) for g in match.groups())
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return lat, lon, min(max(zoom, min_zoom), max_zoom)


def shown(param: str, value) -> str:
    """An ignored parameter as the "已忽略" message names it: the name and the start of its
    value, cut to SHOWN_CHARS characters and to one line."""
    text = _last(value)
    text = " ".join(str(text if text is not None else "").split())
    if len(text) > SHOWN_CHARS:
        text = text[:SHOWN_CHARS] + "…"
    return f"{param}={text}"


def shown_all(param: str, values: Iterable) -> list[str]:
    return [shown(param, v) for v in values]
