"""Where each name goes so that no two names overlap at a given zoom.

Names of close places (柳州's 城中/鱼峰/柳南/柳北, 湛江's 赤坎/霞山/坡头/麻章) fall on one another
when both cities fit one map. Each name first tries the eight places right beside its point
(east first, as names sit elsewhere in the app); a name that finds none free is moved further
out, away from the crowd, and joined to its point by a leader line. The rule is greedy and
deterministic: the same names and zoom always give the same placement.

All sizes are CSS pixels; boxes are (left, top, right, bottom) relative to the point.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

TILE_PX = 256  # Web Mercator: the world is 256 × 2**zoom pixels wide
# Must match .fupin-placed-label (elements/placed_labels.py): one CJK glyph is as wide as the
# font is high; the padding keeps the white halo inside the box.
FONT_PX = 13
PAD_PX = 2
LINE_PX = 16
GAP_PX = 3  # between a point and its name, and between two names
DOT_PX = 5  # half the side of the square kept free around every point (arc ends are dots)
# Leader lines: rings of this spacing, out to where a name would no longer read as its place's.
RING_PX = 12
MAX_RINGS = 12
DIRECTIONS = 16
CROWD_PX = 80  # points closer than this pull a moved name away from them


@dataclass(frozen=True)
class Placement:
    dx: float  # the name box's left edge relative to the point, px
    dy: float  # its top edge
    leader: bool  # drawn with a line back to the point

    def box(self, width: float, height: float) -> tuple[float, float, float, float]:
        return (self.dx, self.dy, self.dx + width, self.dy + height)


# East of the point, centred on it vertically: where a name goes when nothing is in the way.
FIRST_CHOICE = Placement(float(GAP_PX), -LINE_PX / 2, False)


def text_size(text: str) -> tuple[float, float]:
    """The name box's width and height: full-width glyphs, half width for ASCII."""
    glyphs = sum(0.6 if ord(ch) < 128 else 1.0 for ch in text)
    return math.ceil(glyphs * FONT_PX) + 2 * PAD_PX, LINE_PX


def project(lon: float, lat: float, zoom: float) -> tuple[float, float]:
    """Web Mercator pixel position (x right, y down) at `zoom`, as Leaflet computes it."""
    scale = TILE_PX * 2.0**zoom
    siny = math.sin(math.radians(lat))
    x = (lon + 180.0) / 360.0 * scale
    y = (0.5 - math.log((1 + siny) / (1 - siny)) / (4 * math.pi)) * scale
    return x, y


def _beside(width: float, height: float, gap: float = GAP_PX) -> list[Placement]:
    """The eight places right beside the point, in order of preference."""
    g, w, h = gap, width, height
    spots = [
        (g, -h / 2),  # east
        (-w - g, -h / 2),  # west
        (g, -h - g + 2),  # north-east
        (g, g - 2),  # south-east
        (-w - g, -h - g + 2),  # north-west
        (-w - g, g - 2),  # south-west
        (-w / 2, -h - g),  # north
        (-w / 2, g),  # south
    ]
    return [Placement(float(dx), float(dy), False) for dx, dy in spots]


def _away(width: float, height: float, heading: float, gap: float = GAP_PX,
          ring: float = RING_PX) -> list[Placement]:
    """Places on rings around the point, each ring's directions ordered by how close they
    come to `heading` (radians, screen coordinates): away from the crowd first."""
    angles = [2 * math.pi * k / DIRECTIONS for k in range(DIRECTIONS)]
    angles.sort(key=lambda a: (abs(math.remainder(a - heading, 2 * math.pi)), a))
    spots = []
    for number in range(1, MAX_RINGS + 1):
        reach = gap + number * ring
        for angle in angles:
            ux, uy = math.cos(angle), math.sin(angle)
            # the box's centre sits far enough out along the ray for its near side to be at `reach`
            cx = ux * (reach + width / 2 * abs(ux))
            cy = uy * (reach + height / 2 * abs(uy))
            spots.append(Placement(round(cx - width / 2, 1), round(cy - height / 2, 1), True))
    return spots


def _overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _segment_hits(x0, y0, x1, y1, box) -> bool:
    """Whether the segment (x0, y0)–(x1, y1) passes through `box` (Liang–Barsky clipping)."""
    dx, dy = x1 - x0, y1 - y0
    low, high = 0.0, 1.0
    for p, q in ((-dx, x0 - box[0]), (dx, box[2] - x0), (-dy, y0 - box[1]), (dy, box[3] - y0)):
        if p == 0:
            if q < 0:
                return False
        else:
            t = q / p
            if p < 0:
                low = max(low, t)
            else:
                high = min(high, t)
            if low > high:
                return False
    return True


def leader_end(placement: Placement, width: float, height: float) -> tuple[float, float]:
    """Where a leader line meets the name box: the box point nearest the point (0, 0)."""
    left, top, right, bottom = placement.box(width, height)
    return min(max(0.0, left), right), min(max(0.0, top), bottom)


def place(points: Sequence[tuple[float, float, str]], zoom: float) -> list[Placement]:
    """One placement per (lon, lat, name) on a web map at `zoom`, no two name boxes
    overlapping and no box on another point."""
    return place_boxes([project(lon, lat, zoom) for lon, lat, _ in points],
                       [text_size(text) for _, _, text in points])


def place_boxes(xy: Sequence[tuple[float, float]], sizes: Sequence[tuple[float, float]],
                scale: float = 1.0) -> list[Placement]:
    """One placement per point (pixels, y down) for a name box of the given (width, height):
    no two boxes overlapping and no box on another point. `scale` is the size of a CSS pixel
    in these pixels (a picture drawn at a higher resolution spaces its names alike)."""
    gap, dot, ring, crowd_px = GAP_PX * scale, DOT_PX * scale, RING_PX * scale, CROWD_PX * scale
    count = len(xy)
    dots = [(x - dot, y - dot, x + dot, y + dot) for x, y in xy]
    taken: list[tuple[float, float, float, float]] = []  # absolute boxes
    leaders: list[tuple[float, float, float, float]] = []
    result: list[Placement | None] = [None] * count

    def absolute(i: int, p: Placement):
        (x, y), (w, h) = xy[i], sizes[i]
        return (x + p.dx, y + p.dy, x + p.dx + w, y + p.dy + h)

    def free(i: int, p: Placement, strict: bool) -> bool:
        box = absolute(i, p)
        grown = (box[0] - gap, box[1] - gap, box[2] + gap, box[3] + gap)
        if any(_overlap(grown, t) for t in taken):
            return False
        if any(_overlap(box, d) for j, d in enumerate(dots) if j != i):
            return False
        if not strict:
            return True
        if any(_segment_hits(*line, box) for line in leaders):
            return False
        if p.leader:
            x, y = xy[i]
            ex, ey = leader_end(p, *sizes[i])
            line = (x, y, x + ex, y + ey)
            if any(_segment_hits(*line, t) for t in taken):
                return False
            # a point almost on this one cannot be kept clear of this one's line
            if any(_segment_hits(*line, d) for j, d in enumerate(dots)
                   if j != i and math.hypot(xy[j][0] - x, xy[j][1] - y) > 2 * dot):
                return False
        return True

    def take(i: int, p: Placement) -> None:
        taken.append(absolute(i, p))
        if p.leader:
            x, y = xy[i]
            ex, ey = leader_end(p, *sizes[i])
            leaders.append((x, y, x + ex, y + ey))
        result[i] = p

    def neighbours(i: int) -> list[int]:
        x, y = xy[i]
        return [j for j, (u, v) in enumerate(xy) if j != i and math.hypot(u - x, v - y) < crowd_px]

    # names whose first choice collides with no other name's first choice keep it; the rest
    # are placed around them, the least crowded first (they have the most room nearby)
    first = [_beside(*sizes[i], gap)[0] for i in range(count)]
    clear = [i for i in range(count)
             if not any(_overlap(absolute(i, first[i]), absolute(j, first[j])) for j in range(count) if j != i)
             and not any(_overlap(absolute(i, first[i]), d) for j, d in enumerate(dots) if j != i)]
    for i in clear:
        take(i, first[i])
    for i in sorted(set(range(count)) - set(clear), key=lambda i: (len(neighbours(i)), i)):
        x, y = xy[i]
        crowd = neighbours(i)
        heading = 0.0
        if crowd:
            cx = sum(xy[j][0] for j in crowd) / len(crowd)
            cy = sum(xy[j][1] for j in crowd) / len(crowd)
            heading = math.atan2(y - cy, x - cx) if (cx, cy) != (x, y) else 0.0
        candidates = _beside(*sizes[i], gap) + _away(*sizes[i], heading, gap, ring)
        # leader lines clear of names and points if possible; in a dense crowd, names clear at least
        chosen = next((c for c in candidates if free(i, c, strict=True)), None) \
            or next((c for c in candidates if free(i, c, strict=False)), None)
        if chosen is None:
            raise ValueError(f"no room for name {i} near ({x:.0f}, {y:.0f})")
        take(i, chosen)
    return [p for p in result if p is not None]


def place_by_zoom(points: Sequence[tuple[float, float, str]], min_zoom: float, max_zoom: float,
                  step: float) -> list[tuple[float, list[Placement]]]:
    """Placements from `min_zoom` up in `step`s, until every name sits at its first choice
    (from then on, closer zooms only spread the points further apart)."""
    steps = []
    zoom = min_zoom
    while zoom <= max_zoom + 1e-9:
        placements = place(points, zoom)
        steps.append((zoom, placements))
        if all(p == FIRST_CHOICE for p in placements):
            break
        zoom = round(zoom + step, 6)
    return steps
