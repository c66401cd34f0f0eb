"""The figure cards (fupin_geo.ui.figure_cards) as a person finds them: by their label."""
from __future__ import annotations

from fupin_geo import ui


def card(page, label: str):
    """The card whose label reads `label` exactly."""
    return page.locator(f'[class*="st-key-{ui.CARD}"]').filter(has=page.get_by_text(label, exact=True)).first


def card_value(page, label: str):
    """The large value of that card."""
    return card(page, label).get_by_role("heading")
