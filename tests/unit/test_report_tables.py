"""report/tables.py: the briefing tables' texts, column widths and pages, shared by both formats."""
from __future__ import annotations

import math

import pandas as pd
import pytest

from fupin_geo.report import tables
from fupin_geo.report.tables import cell_text, layout, pages


def sizes(found) -> list[int]:
    return [len(r) for r in found]


@pytest.mark.parametrize("rows, room, expected", [
    (13, 13, [13]),
    (14, 13, [7, 7]),  # filled in order this would be 13 + 1
    (15, 14, [7, 8]),
    (27, 13, [9, 9, 9]),  # not 13 + 13 + 1
    (100, 13, [12, 13, 12, 13, 12, 13, 12, 13]),
])
def test_rows_are_shared_evenly_by_the_fewest_pages(rows, room, expected):
    found = pages([1] * rows, room)
    assert sizes(found) == expected
    assert [r.start for r in found[1:]] == [r.stop for r in found[:-1]]  # every row once, in order
    assert len(found) == math.ceil(rows / room)


def test_tall_rows_count_by_their_lines():
    heights = [1, 1, 5, 1, 1, 1, 6, 1, 1, 1, 1, 1, 1]  # 22 lines
    found = pages(heights, 13)
    assert len(found) == 2
    assert all(sum(heights[r.start:r.stop]) <= 13 for r in found)
    assert min(sizes(found)) > 1


def test_a_row_taller_than_a_page_still_gets_one():
    assert sizes(pages([20, 1], 13)) == [1, 1]
    assert sizes(pages([], 13)) == [0]


def test_cells_read_the_same_in_both_formats():
    assert cell_text(4858) == "4,858"
    assert cell_text(2166.04) == "2,166.0"
    assert cell_text(float("nan")) == cell_text(None) == tables.MISSING
    assert cell_text(True) == "是" and cell_text("第 2 项") == "第 2 项"


def test_numbers_align_right_and_keep_their_width_while_text_wraps():
    frame = pd.DataFrame({
        "说明": ["很长的说明文字" * 12, "短"],
        "贫困户": [4858, 1],
        "占比": ["67.7%", tables.MISSING],
    })
    shape = layout(frame)
    assert shape.numeric == [False, True, True]
    assert sum(shape.widths) == pytest.approx(1.0)
    assert shape.row_lines[0] > 1 and shape.row_lines[1] == 1  # the long text wraps, in lines
    assert tables.lines("4,858", shape.widths[1]) == 1  # numbers never wrap
    page = shape.page(range(1, 2))
    assert page.rows == [["短", "1", tables.MISSING]] and page.widths == shape.widths
