"""Reading one coordinate the way clerks write them: decimal degrees or degrees-minutes-seconds
(``21°16′12″``, ``21 16 12``, ``21度16分12秒``, ``北纬21°16.2′``, ``110°E``)."""
from __future__ import annotations

import math
import re
import unicodedata

_HEMISPHERE = {"N": 1, "E": 1, "S": -1, "W": -1, "北纬": 1, "东经": 1, "南纬": -1, "西经": -1}
_MARKS = re.compile(r"[°º˚度′'’‘分″\"”“秒:]|''")
_NUMBER = re.compile(r"[-+]?\d+(?:\.\d+)?")


class CoordinateError(ValueError):
    """A value that is not a coordinate (message in Chinese)."""


def parse_coordinate(value) -> float | None:
    """Degrees as a float; None for an empty cell; CoordinateError for anything else."""
    if value is None or isinstance(value, bool):
        if value is None:
            return None
        raise CoordinateError("应为经纬度数值")
    if isinstance(value, (int, float)):
        if not math.isfinite(value):
            raise CoordinateError("应为经纬度数值")
        return float(value)
    text = unicodedata.normalize("NFKC", str(value)).strip()
    if not text:
        return None
    sign = 1
    for word, factor in _HEMISPHERE.items():
        if text.upper().startswith(word) or text.upper().endswith(word):
            sign = factor
            text = text[len(word):] if text.upper().startswith(word) else text[: -len(word)]
            text = text.strip()
            break
    parts = _NUMBER.findall(text)
    leftover = _NUMBER.sub(" ", _MARKS.sub(" ", text)).strip(" ,，")
    if not parts or leftover or len(parts) > 3:
        raise CoordinateError(f"“{value}”不是经纬度（应为 21.27 或 21°16′12″）")
    numbers = [float(p) for p in parts]
    if any(n < 0 for n in numbers[1:]) or any(n >= 60 for n in numbers[1:]):
        raise CoordinateError(f"“{value}”的分、秒应在 0–60 之间")
    if len(numbers) > 1 and not all(float(p).is_integer() for p in parts[:len(parts) - 1]):
        raise CoordinateError(f"“{value}”只有最后一部分可以带小数")
    degrees = abs(numbers[0]) + sum(n / 60 ** i for i, n in enumerate(numbers[1:], start=1))
    negative = numbers[0] < 0 or parts[0].startswith("-")
    return sign * (-degrees if negative else degrees)
