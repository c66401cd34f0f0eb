"""What a person sees in an st.dataframe of an AppTest run: the text of each cell (as the
Styler formatted it), its background colour, and the column settings."""
from __future__ import annotations

import json
import re

import pandas as pd
import pyarrow as pa

from fupin_geo.ui import tables

# "#T_x_row0_col1, #T_x_row2_col1 { background-color: #fddbc7 }"
_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
_CELL = re.compile(r"_row(\d+)_col(\d+)")
COLOUR_OF = {tables.MET_BACKGROUND: "green", tables.MISSED_BACKGROUND: "red"}


def shown(element) -> pd.DataFrame:
    """The cells' text (the Styler's display values), with the table's column names."""
    styler = element.proto.arrow_data.styler
    assert styler.display_values, "the table has no Styler: its numbers are not formatted"
    text = pa.ipc.open_stream(styler.display_values).read_pandas()
    text.columns = element.value.columns
    return text.reset_index(drop=True)


def colours(element) -> pd.DataFrame:
    """Per cell "green", "red" or None, from the Styler's background colours."""
    value = element.value
    found = [[None] * len(value.columns) for _ in range(len(value))]
    for selectors, body in _RULE.findall(element.proto.arrow_data.styler.styles):
        background = re.search(r"background-color:\s*(#[0-9a-fA-F]{6})", body)
        if not background:
            continue
        for row, column in _CELL.findall(selectors):
            found[int(row)][int(column)] = COLOUR_OF.get(background.group(1).lower(), background.group(1))
    return pd.DataFrame(found, columns=value.columns, dtype=object)


def column_config(element) -> dict:
    return json.loads(element.proto.columns or "{}")
