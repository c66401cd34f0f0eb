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
