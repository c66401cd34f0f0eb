"""The county filter is one choice for the whole session: chosen on one page, it is chosen on
the next (ui.session.counties), whichever page draws its own county widget."""
from __future__ import annotations

import pytest

from fupin_geo.data import geodata
from fupin_geo.ui.panels import industry_keys, infrastructure, linkage, ranking
from tests.app import tab

LEIZHOU, SUIXI = "440882", "440823"
# page file -> the key of its county widget
PAGES = {
    "pages/underserved.py": ranking.RNK_COUNTIES,
    "pages/linkage.py": linkage.LNK_COUNTIES,
    "pages/infrastructure.py": infrastructure.TABLE_COUNTIES_KEY,
    "pages/industry_map.py": industry_keys.IND_COUNTIES,
}


def open_page(at, page):
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.mark.parametrize("first, then", [("pages/underserved.py", "pages/linkage.py"),
                                         ("pages/linkage.py", "pages/industry_map.py"),
                                         ("pages/industry_map.py", "pages/infrastructure.py")])
def test_a_county_chosen_on_one_page_is_chosen_on_the_next(seeded_db_url, first, then):
    at = open_page(tab.app_test(90).run(), first)
    assert at.pills(key=PAGES[first]).value == []
    at.pills(key=PAGES[first]).select(LEIZHOU).run()
    open_page(at, then)
    assert at.pills(key=PAGES[then]).value == [LEIZHOU]
    # and back: a change on the second page is what the first shows now
    at.pills(key=PAGES[then]).unselect(LEIZHOU).select(SUIXI).run()
    open_page(at, first)
    assert at.pills(key=PAGES[first]).value == [SUIXI]


def test_the_choice_narrows_what_the_next_page_shows(seeded_db_url):
    at = open_page(tab.app_test(90).run(), "pages/infrastructure.py")
    at.pills(key=PAGES["pages/infrastructure.py"]).select(LEIZHOU).run()
    open_page(at, "pages/underserved.py")
    ranked = [d.value for d in at.dataframe if "原因" in d.value.columns][0]
    assert len(ranked) and set(ranked["县（市、区）"]) == {geodata.county_name(LEIZHOU)}
