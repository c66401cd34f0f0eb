"""What a person reads on the KPI cards (fupin_geo.ui.kpi_cards) of an AppTest run."""
from __future__ import annotations

import re
from dataclasses import dataclass

from fupin_geo import config, ui

# ":red-badge[:material/arrow_downward: text]" or ":gray[text]" -> colour, icon, text
_DIRECTIVE = re.compile(r"^:([\w-]+)\[(?::material/(\w+): )?(.*)\]$", re.S)
_ESCAPED = re.compile(r"\\(.)")


@dataclass(frozen=True)
class Card:
    label: str
    value: str
    gap: str | None      # the badge's text, None without a value
    colour: str | None   # "green-badge" when met, "red-badge" below the goal
    help: str


def _read(markdown: str) -> tuple[str | None, str]:
    found = _DIRECTIVE.match(markdown)
    if not found:
        return None, _ESCAPED.sub(r"\1", markdown)
    return found.group(1), _ESCAPED.sub(r"\1", found.group(3))


def kpi_cards(at) -> list[Card]:
    """The cards in the plan's order of targets (the order compute_kpis returns them in)."""
    cards = []
    for target in config.TARGETS:
        try:
            block = at.get_by_key(f"{ui.KPI_CARD}{target.key}")
        except KeyError:
            continue
        label, *badge = block.markdown
        colour, gap = _read(badge[0].value) if badge else (None, None)
        cards.append(Card(label=_read(label.value)[1], value=_read(block.header[0].value)[1],
                          gap=gap, colour=colour, help=label.proto.help))
    return cards
