"""Importing a ledger file end to end: read it safely, validate it as a quarter's data, show
what would change, and commit it as a new revision.

This sits in the analysis layer because it joins two layers: validation lives in
fupin_geo.data (ledger_import, spreadsheet), and converting GCJ-02/BD-09 coordinates to WGS-84
lives in fupin_geo.geo, which data may not import. The converter is handed to the validator.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Callable

from .. import config
from ..data import diff, ledger_import, spreadsheet
from ..data.store import Dataset, Store, StoreError
from ..geo import coords

FileRefused = spreadsheet.FileRefused


@dataclass
class Preview:
    """A checked file: its problems and, when it can be committed, what it would change."""

    file_name: str
    sha256: str
    quarter: str
    ledger: ledger_import.Ledger
    dataset: Dataset | None  # None while there are errors
    changes: diff.Diff | None
    base_revision: int | None  # the revision the diff was made against

    @property
    def ok(self) -> bool:
        return self.dataset is not None


def converter(system: str):
    """`to_wgs84(lons, lats)` for a file in `system` (one of config.COORD_SYSTEMS), or None."""
    if system not in config.COORD_SYSTEMS:
        raise ValueError(f"未知坐标系“{system}”，可选：{'、'.join(config.COORD_SYSTEMS)}")
    if system == "WGS-84":
        return None
    return lambda lons, lats: coords.convert(lons, lats, system, "WGS-84")


def check(store: Store, file_name: str, data: bytes, quarter: str, coord_system: str = "WGS-84",
          swap_fix: bool = False, progress: Callable[[float, str], None] | None = None) -> Preview:
    """Read and validate `data` as `quarter`'s ledger; nothing is written.
    Raises FileRefused when the file is not a usable spreadsheet."""
    sha = hashlib.sha256(data).hexdigest()
    if progress:
        progress(0.0, "正在打开文件")
    workbook = spreadsheet.read(file_name, data)
    base = store.latest_revision(quarter)
    previous = store.load(quarter) if base is not None else None
    ledger = ledger_import.validate_workbook(workbook, quarter, previous=previous,
                                             to_wgs84=converter(coord_system), swap_fix=swap_fix,
                                             progress=progress)
    datum_hint(ledger, coord_system)
    dataset = changes = None
    if ledger.ok:
        dataset = ledger.dataset
        changes = diff.compare(previous, dataset)
    return Preview(file_name, sha, quarter, ledger, dataset, changes, base)


def commit(store: Store, preview: Preview, user: str, note: str = "") -> int:
    """Write a checked file as a new revision of its quarter (one transaction); its number.
    Another import landing meanwhile is kept: this one becomes the revision after it."""
    if not preview.ok:
        raise StoreError("文件还有错误，不能导入；请按问题清单修改后重新上传。")
    counts = preview.changes.counts() if preview.changes is not None else None
    summary = "" if counts is None or counts.empty else "；".join(
        f"{r['表']} 新增{r['新增']} 删除{r['删除']} 修改{r['修改']}" for r in counts.to_dict("records"))
    return store.save(preview.dataset, author=user, kind="导入", note=note or f"导入 {preview.file_name}",
                      file_name=preview.file_name, file_sha256=preview.sha256,
                      audit=dict(username=user, action="导入",
                                 detail=f"{preview.quarter} 导入 {preview.file_name}" + (f"（{summary}）" if summary else "")))


def place_village(store: Store, quarter: str, code: str, lon: float, lat: float, user: str) -> int:
    """Set a village's position (clicked on the map, WGS-84) as a new revision of `quarter`."""
    from ..data import geodata

    county = geodata.county_of_point(lon, lat)
    current = store.load(quarter)
    villages = current.villages.copy()
    found = villages["code"] == code
    if not found.any():
        raise ValueError(f"{quarter} 中没有村代码 {code}")
    if county is None or not str(county).startswith(config.ZHANJIANG[:4]):
        raise ValueError("所点位置不在湛江市陆地范围内，未保存；请在村所在处点击。")
    name = villages.loc[found, "name"].iloc[0]
    villages.loc[found, ["lon", "lat"]] = [round(lon, config.COORD_DECIMALS), round(lat, config.COORD_DECIMALS)]
    villages.loc[found, "position_quality"] = "地图标注"
    updated = Dataset.from_frames(quarter, {**current.frames(), "villages": villages})
    return store.save(updated, author=user, kind="编辑", note=f"在地图上标注 {name} 的位置",
                      audit=dict(username=user, action="编辑",
                                 detail=f"{quarter} {name}（{code}）位置改为 {lon:.5f}, {lat:.5f}"))


# --- a file in another coordinate system -------------------------------------------------------
# Forgetting --coords GCJ-02 on a 高德 file moves every village 500–600 m (in 湛江; BD-09 about
# 1 km). Such a file is told from a file of re-measured positions by comparing the villages it
# moved with their known positions read in each other system.
# At least this many moved villages: one or two real moves can land anywhere, five or more all
# landing where another system's reading puts them are the datum, not chance.
DATUM_MIN_VILLAGES = 5
# A village moved when it is farther than this from its known position (coordinates are kept
# to 5 decimals, about 1 m: an unchanged row does not count, a re-measured one does).
DATUM_MOVED_M = 20.0
# It fits another system when read in that system it is within this of its known position:
# well below the 500 m shift, well above the ~1 m of rounding and conversion.
DATUM_MATCH_M = 100.0
# Share of the moved villages that must fit: the others may have moved for real.
DATUM_SHARE = 0.8
DATUM_SOURCES = {"WGS-84": "GPS、天地图或奥维地图", "GCJ-02": "高德地图或腾讯地图", "BD-09": "百度地图"}


def datum_hint(ledger: ledger_import.Ledger, coord_system: str) -> None:
    """A hint (once) when the file's villages sit where reading their numbers in another
    coordinate system would put their known positions (those of `ledger.base`)."""
    import numpy as np

    if ledger.base is None or "villages" not in ledger.imported or "villages" not in ledger.frames:
        return
    columns = ["code", "lon", "lat", "position_quality"]
    read = ledger.frames["villages"][columns]
    read = read[read["position_quality"] != "近似"]  # placed by the import, not the file's numbers
    pairs = read.merge(ledger.base.villages[["code", "lon", "lat"]], on="code", suffixes=("", "_known"))
    pairs = pairs.dropna(subset=["lon", "lat", "lon_known", "lat_known"])
    if len(pairs) < DATUM_MIN_VILLAGES:
        return
    lon, lat = pairs["lon"].to_numpy(float), pairs["lat"].to_numpy(float)
    known = pairs["lon_known"].to_numpy(float), pairs["lat_known"].to_numpy(float)
    moved = _metres(lon, lat, *known) > DATUM_MOVED_M
    if moved.sum() < DATUM_MIN_VILLAGES:
        return
    # the numbers as the file wrote them: the import converted them from coord_system
    typed = coords.convert(lon[moved], lat[moved], "WGS-84", coord_system)
    for system in config.COORD_SYSTEMS:
        if system == coord_system:
            continue
        as_system = coords.convert(*typed, system, "WGS-84")
        off = _metres(*as_system, known[0][moved], known[1][moved])
        if np.mean(off <= DATUM_MATCH_M) >= DATUM_SHARE:
            shift = float(np.median(_metres(lon[moved], lat[moved], known[0][moved], known[1][moved])))
            title = next((t for t, layout in ledger.layouts.items() if layout.table == "villages"), "贫困村")
            ledger.problems.append(ledger_import.Problem(
                ledger_import.HINT, title, None, "经度、纬度", "",
                f"{int(moved.sum())} 个村的位置都比当前数据中同一村的位置偏了约 {shift:.0f} 米，而按 {system} "
                f"坐标读取就与当前位置相符：文件中的坐标可能取自{DATUM_SOURCES[system]}。"
                f"请把“文件中的坐标系”选为 {system} 后重新核对（命令行：--coords {system}）。"))
            return


def _metres(lon1, lat1, lon2, lat2):
    import numpy as np

    from ..geo import distances

    x1, y1 = distances.project(lon1, lat1)
    x2, y2 = distances.project(lon2, lat2)
    return np.hypot(np.asarray(x2) - x1, np.asarray(y2) - y1)
