"""What a person reads on the figure cards (fupin_geo.ui.figure_cards, kpi_cards) of an AppTest run."""
from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from fupin_geo import config, ui

# ":red-badge[:material/arrow_downward: text]" or ":gray[text]" -> colour, icon, text
_DIRECTIVE = re.compile(r"^:([\w-]+)\[(?::material/(\w+): )?(.*)\]$", re.S)
_ESCAPED = re.compile(r"\\(.)")
_CHANGE = re.compile(r"^:material/(\w+): (.*)$", re.S)


@dataclass(frozen=True)
class Card:
    label: str
    value: str
    gap: str | None      # the badge's text, None without a goal or a value
    colour: str | None   # "green-badge" when met, "red-badge" below the goal, "gray-badge": 规划参考
    help: str
    change: str | None = None  # the change since the last quarter, apart from the gap
    change_icon: str | None = None  # its arrow (a material icon name)


def _parts(markdown: str) -> tuple[str | None, str | None, str]:
    found = _DIRECTIVE.match(markdown)
    if not found:
        return None, None, _ESCAPED.sub(r"\1", markdown)
    return found.group(1), found.group(2), _ESCAPED.sub(r"\1", found.group(3))


def _read(markdown: str) -> tuple[str | None, str]:
    colour, _, text = _parts(markdown)
    return colour, text


BADGES = (":green-badge[", ":red-badge[", ":gray-badge[")


def _card(block) -> Card:
    label, *lines = block.markdown
    badges = [_parts(line.value) for line in lines if line.value.startswith(BADGES)]
    colour, _, gap = badges[0] if badges else (None, None, None)
    # the change since last quarter: a caption ":material/arrow_upward: 较上季 +2.0 点"
    changes = [_CHANGE.match(caption.value) for caption in block.caption]
    icon, change = (changes[0].group(1), _ESCAPED.sub(r"\1", changes[0].group(2))) if changes else (None, None)
    return Card(label=_read(label.value)[1], value=_read(block.header[0].value)[1],
                gap=gap, colour=colour, help=label.proto.help, change=change, change_icon=icon)


def cards(at, group: str) -> list[Card]:
    """The cards of one row group (ui.figure_cards' `group`), in their order on the page."""
    found = []
    for place in itertools.count():
        try:
            found.append(_card(at.get_by_key(ui.card_key(group, place))))
        except KeyError:
            return found


def card_values(at, group: str) -> dict[str, str]:
    """label -> value of one group's cards."""
    return {card.label: card.value for card in cards(at, group)}


def kpi_cards(at) -> list[Card]:
    """The KPI cards in the plan's order of targets (the order compute_kpis returns them in)."""
    found = []
    for target in config.TARGETS:
        try:
            found.append(_card(at.get_by_key(ui.card_key(ui.KPI_CARDS, target.key))))
        except KeyError:
            continue
    return found
