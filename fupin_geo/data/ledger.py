"""Importing a ledger file end to end: read it safely, validate it, merge it onto the quarter
(data.ledger_merge: a file changes only the records it names), show what would change, and
commit it as a new revision without ever overwriting a revision it did not see.

Coordinates typed in GCJ-02 or BD-09 are converted to WGS-84 by fupin_geo.geo (the floor
below data), handed to the validator as a function.
"""
from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass
from typing import Callable

import pandas as pd

from .. import config
from . import audit, diff, geodata, ledger_import, ledger_merge, schema, spreadsheet, upload_limits
from .dataset import Dataset
from .ledger_merge import Replacement
from .store import StaleRevision, Store, StoreError
from ..geo import coords

FileRefused = spreadsheet.FileRefused
# How often a commit is re-checked against a newer revision before it gives up (each retry
# means another writer saved the same quarter within the last moments).
COMMIT_ATTEMPTS = 5


@dataclass
class Preview:
    """A checked file: its problems and, when it can be committed, what it would change."""

    file_name: str
    sha256: str
    quarter: str
    ledger: ledger_import.Ledger
    merge: ledger_merge.Merge | None  # None while the file itself has errors
    base_revision: int | None  # the revision the merge was made on (None: a new quarter)
    base: Dataset | None  # what the merge was made on (a new quarter: the carried-over start)
    replacement: Replacement = Replacement()
    delete_dependants: bool = False

    @property
    def ok(self) -> bool:
        return self.ledger.ok and self.merge is not None and self.merge.ok

    @property
    def dataset(self) -> Dataset | None:
        return self.merge.dataset if self.ok else None

    @property
    def changes(self) -> diff.Diff | None:
        return self.merge.changes if self.ok else None

    @property
    def unchanged(self) -> bool:
        return self.ok and self.merge.unchanged

    @property
    def deleted(self) -> pd.DataFrame:
        return self.merge.deleted if self.merge is not None else pd.DataFrame(columns=ledger_merge.DELETED_COLUMNS)

    @property
    def mass_deletion(self) -> bool:
        return self.ok and self.merge.mass_deletion

    @property
    def carried_from(self) -> str | None:
        return self.merge.carried_from if self.merge is not None else None


def converter(system: str):
    """`to_wgs84(lons, lats)` for a file in `system` (one of config.COORD_SYSTEMS), or None."""
    if system not in config.COORD_SYSTEMS:
        raise ValueError(f"未知坐标系“{system}”，可选：{'、'.join(config.COORD_SYSTEMS)}")
    if system == "WGS-84":
        return None
    return lambda lons, lats: coords.convert(lons, lats, system, "WGS-84")


def summary_lines(preview: Preview) -> list[str]:
    """What the import will do, in sentences for the page and the command line (the
    deletions themselves are listed from `preview.deleted`)."""
    if not preview.ok:
        return []
    merge = preview.merge
    lines = []
    if merge.carried_from:
        lines.append(f"{preview.quarter} 是新的季度：以 {merge.carried_from} 的全部记录为基础，用本文件更新；"
                     f"本文件没有列出的记录沿用 {merge.carried_from} 的数据（并注明）。")
    if merge.reporting_counties:
        names = "、".join(geodata.county_name(c) for c in merge.reporting_counties)
        lines.append(f"本文件填报的县区：{names}。")
    for row in merge.kept.to_dict("records"):
        lines.append(f"本文件未包含{row['县区']}的 {row['条数']} 条「{row['表']}」记录：{row['记录']}，已保留。")
    if len(merge.deleted):
        counts = merge.deleted["表"].value_counts(sort=False)
        by_table = "、".join(f"{label} {count} 条" for label, count in counts.items())
        lines.append(f"将删除 {len(merge.deleted)} 条记录（{by_table}），清单见下。")
    else:
        lines.append("不会删除任何记录。")
    if merge.unchanged:
        lines.append("与当前版本相比没有变化，不会保存新版本。")
    elif merge.changes.empty and merge.reported:
        lines.append(f"记录内容没有变化；{merge.reported} 条记录将标为本季度已填报。")
    return lines


def base_for(store: Store, quarter: str) -> tuple[Dataset | None, int | None, str | None]:
    """(what an import into `quarter` is merged onto, its revision, the quarter it was carried
    over from): the quarter's latest revision, or for a new quarter the latest quarter before
    it carried over (None when there is none)."""
    available = store.quarters()
    if quarter in available:
        revision = store.latest_revision(quarter)
        return store.load(quarter, revision), revision, None
    earlier = [q for q in available if q < quarter]
    if not earlier:
        return None, None, None
    return ledger_merge.carry_over(store.load(earlier[-1]), quarter), None, earlier[-1]


def check(store: Store, file_name: str, data: bytes, quarter: str, coord_system: str = "WGS-84",
          swap_fix: bool = False, progress: Callable[[float, str], None] | None = None,
          replacement: Replacement = Replacement(), delete_dependants: bool = False,
          replace_quarter: bool = False) -> Preview:
    """Read and validate `data` as `quarter`'s ledger (see _check); the memory the reading and
    checking took is given back to the system afterwards, refused or not."""
    try:
        return _check(store, file_name, data, quarter, coord_system, swap_fix, progress, replacement,
                      delete_dependants, replace_quarter)
    finally:  # after _check's frame (the workbook's rows, calamine's sheets) is gone
        upload_limits.release_memory()


def _check(store: Store, file_name: str, data: bytes, quarter: str, coord_system: str,
           swap_fix: bool, progress: Callable[[float, str], None] | None,
           replacement: Replacement, delete_dependants: bool, replace_quarter: bool) -> Preview:
    """Read and validate `data` as `quarter`'s ledger and merge it onto the quarter; nothing is
    written. Raises FileRefused when the file is not a usable spreadsheet.
    `replacement`: the counties (or the whole quarter) whose records the file replaces, so
    that those it does not list are deleted; `delete_dependants`: delete the records that
    point at deleted ones too, instead of refusing; `replace_quarter`: a file whose 季度
    column names another quarter is taken as `quarter`'s."""
    sha = hashlib.sha256(data).hexdigest()
    if progress:
        progress(0.0, "正在打开文件")
    workbook = spreadsheet.read(file_name, data)
    base, revision, carried_from = base_for(store, quarter) if schema.is_quarter(quarter) else (None, None, None)
    ledger = ledger_import.validate_workbook(workbook, quarter, previous=base,
                                             to_wgs84=converter(coord_system), swap_fix=swap_fix,
                                             progress=progress, replace_quarter=replace_quarter)
    datum_hint(ledger, coord_system)
    merge = _merge(ledger, base, replacement, delete_dependants, carried_from) if ledger.ok else None
    return Preview(file_name, sha, quarter, ledger, merge, revision, base, replacement, delete_dependants)


def _merge(ledger: ledger_import.Ledger, base: Dataset | None, replacement: Replacement,
           delete_dependants: bool, carried_from: str | None) -> ledger_merge.Merge:
    """The file merged onto `base`; what it cannot do becomes problems of the ledger."""
    merge = ledger_merge.merge(base, ledger.quarter, ledger.frames, ledger.deletions, replacement,
                               delete_dependants, carried_from)
    for dangling in merge.dangling:
        reference = dangling.reference
        child, parent = schema.BY_TABLE[reference.child], schema.BY_TABLE[reference.parent]
        sheet = ledger.sheet_title(reference.child)
        column = child.column(reference.column).label
        from_file = [(record, row) for record, row in zip(dangling.records, dangling.rows) if row is not None]
        for record, row in from_file:
            ledger.problems.append(ledger_import.Problem(
                ledger_import.ERROR, sheet, int(row), column, record,
                f"「{parent.label}」中没有这条记录所引用的{column}（文件和当前数据中都没有）"))
        orphans = [record for record, row in zip(dangling.records, dangling.rows) if row is None]
        if orphans:
            ledger.problems.append(ledger_import.Problem(
                ledger_import.ERROR, ledger.sheet_title(reference.parent), None, column,
                "", f"删除后，「{child.label}」中有 {len(orphans)} 条记录仍引用已删除的{parent.label}："
                    f"{ledger_merge.named(orphans)}。请在文件中一并删除它们（“删除”列填“是”），"
                    "或选择“同时删除引用被删记录的记录”"))
    for error in merge.invalid:
        ledger.problems.append(ledger_import.Problem(ledger_import.ERROR, error.entity, None, "", error.record,
                                                     error.message))
    return merge


def commit(store: Store, preview: Preview, user: str, note: str = "",
           confirm_mass_deletion: bool = False) -> int:
    """Write a checked file as a new revision of its quarter (one transaction); its number.

    If another revision landed since the file was checked, the file is merged again onto
    that one, unless both touched the same records: then nothing is written and StoreError
    says who changed what in between. Never a silent overwrite."""
    if not preview.ok:
        raise StoreError("文件还有错误，不能导入；请按问题清单修改后重新上传。")
    if preview.unchanged:
        raise StoreError("与当前版本相比没有变化，未保存新版本。")
    if preview.mass_deletion and not confirm_mass_deletion:
        raise StoreError(f"本次导入将删除 {len(preview.deleted)} 条记录：请先核对删除清单并确认删除。")
    current = preview
    for _ in range(COMMIT_ATTEMPTS):
        try:
            return store.save(current.dataset, author=user, kind="导入",
                              note=note or f"导入 {preview.file_name}", file_name=preview.file_name,
                              file_sha256=preview.sha256, expected_latest=current.base_revision,
                              audit=dict(username=user, action="导入", detail=_summary(current)))
        except StaleRevision:
            current = _recheck(store, preview, current)
    raise StoreError("该季度的数据正被频繁修改，本次未导入；请稍后重新核对文件。")


def _summary(preview: Preview) -> str:
    counts = preview.changes.counts()
    summary = "；".join(f"{r['表']} 新增{r['新增']} 删除{r['删除']} 修改{r['修改']}"
                       for r in counts.to_dict("records"))
    if preview.carried_from:
        summary = f"新季度，以 {preview.carried_from} 的数据为基础" + (f"；{summary}" if summary else "")
    return f"{preview.quarter} 导入 {preview.file_name}" + (f"（{summary}）" if summary else "")


def _touched(preview: Preview) -> set[tuple[str, str]]:
    """(table label, record key) of every record the file adds, changes or deletes."""
    touched = set()
    for table, frame in preview.ledger.frames.items():
        entity = schema.BY_TABLE[table]
        touched |= {(entity.label, key) for key in ledger_merge.keys(entity, frame)}
    for table, frame in preview.ledger.deletions.items():
        entity = schema.BY_TABLE[table]
        touched |= {(entity.label, key) for key in ledger_merge.keys(entity, frame)}
    for label, record in zip(preview.deleted["表"], preview.deleted["记录"]):
        touched.add((label, str(record).split("（", 1)[0]))
    return touched


def _recheck(store: Store, preview: Preview, current: Preview) -> Preview:
    """`preview`'s file merged onto the quarter's latest revision, or StoreError naming who
    changed the same records since `current` was made."""
    revision = store.latest_revision(preview.quarter)
    latest = store.load(preview.quarter, revision)
    between = diff.compare(current.base, latest, ignore=("quarter", "reported_quarter"))
    changed = {(label, str(record).split("（", 1)[0]): str(record)
               for label, record in zip(between.rows["表"], between.rows["记录"])}
    merged = _merge(dataclasses.replace(preview.ledger, problems=list(preview.ledger.problems)), latest,
                    preview.replacement, preview.delete_dependants, None)
    candidate = dataclasses.replace(current, merge=merged, base_revision=revision, base=latest)
    clash = sorted({changed[key] for key in changed.keys() & (_touched(preview) | _touched(candidate))})
    if clash or not candidate.ok or len(candidate.deleted) > len(preview.deleted):
        newer = [r for r in store.revisions(preview.quarter) if current.base_revision is None
                 or r.revision > current.base_revision]
        who = "；".join(f"{r.author} 于 {audit.beijing_time(r.created_at)}（北京时间）保存了第 {r.revision} 版"
                       f"（{r.kind}：{r.note}）" for r in newer)
        what = f"，其中也修改了本文件涉及的记录：{ledger_merge.named(clash)}" if clash else ""
        raise StoreError(f"在您核对文件之后，{who}{what}。为避免覆盖对方的修改，本次未导入；"
                         "请重新核对文件（核对结果会以最新版本为准）。")
    return candidate


def place_village(store: Store, quarter: str, code: str, lon: float, lat: float, user: str) -> int:
    """Set a village's position (clicked on the map, WGS-84) as a new revision of `quarter`.
    Only that village's position changes: a revision saved meanwhile by someone else is kept."""
    county = geodata.county_of_point(lon, lat)
    if county is None or not str(county).startswith(config.ZHANJIANG[:4]):
        raise ValueError("所点位置不在湛江市陆地范围内，未保存；请在村所在处点击。")
    for _ in range(COMMIT_ATTEMPTS):
        revision = store.latest_revision(quarter)
        current = store.load(quarter, revision)
        villages = current.villages.copy()
        found = villages["code"] == code
        if not found.any():
            raise ValueError(f"{quarter} 中没有村代码 {code}")
        name = villages.loc[found, "name"].iloc[0]
        villages.loc[found, ["lon", "lat"]] = [round(lon, config.COORD_DECIMALS), round(lat, config.COORD_DECIMALS)]
        villages.loc[found, "position_quality"] = "地图标注"
        updated = Dataset.from_frames(quarter, {**current.frames(), "villages": villages})
        try:
            return store.save(updated, author=user, kind="编辑", note=f"在地图上标注 {name} 的位置",
                              expected_latest=revision,
                              audit=dict(username=user, action="编辑",
                                         detail=f"{quarter} {name}（{code}）位置改为 {lon:.5f}, {lat:.5f}"))
        except StaleRevision:
            continue  # another revision landed: apply the same one change to it
    raise StoreError("该季度的数据正被频繁修改，位置未保存；请稍后再试。")

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
            title = ledger.sheet_title("villages")
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
