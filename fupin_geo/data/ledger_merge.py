"""What a checked ledger file does to a quarter: the records it updates, the ones it deletes
(only when asked), the ones it leaves alone, and whether every reference stays whole.

The rule (the ledger is the bureau's record, so a write changes only what it names):

- a sheet updates or adds the records it lists, matched by key; every other record stays,
  whatever its county, and so does every table the file does not hold;
- a record is deleted only when the file asks for exactly that: a row whose 删除 column says
  是, or a replacement the user chose (`Replacement`: these counties, or the whole quarter,
  of the tables in the file); every deletion is listed before anything is written;
- no record may point at a village, park, enterprise or cooperative the quarter no longer
  has: such a file is refused with the referring records named, unless the user asked for
  the dependants to be deleted too (then they are listed as deletions);
- a new quarter starts from the latest quarter before it (`carry_over`): records keep the
  quarter they were last reported in (schema.REPORTED), so pages can say which counties have
  reported and which still show last quarter's figures.

Pure pandas over dataset.Dataset: nothing here reads or writes the database.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from .. import config
from . import diff, geodata, schema
from .ledger_import import ROW
from .dataset import Dataset

# Above either bound a deletion needs a second, explicit confirmation (page: a checkbox;
# command line: --yes): ten records is more than a clerk removes by hand in a quarter, and
# 5 % of a table is more than one county's yearly change.
MASS_DELETION_RECORDS = 10
MASS_DELETION_SHARE = 0.05
MASS_DELETION_TEXT = f"{MASS_DELETION_RECORDS} 条或某表的 {MASS_DELETION_SHARE:.0%}"
# How many records a message names before it says "等 N 个".
NAMED_IN_MESSAGE = 10
# Columns of the deletion and kept-record tables shown before an import.
DELETED_COLUMNS = ["表", "县区", "记录", "原因"]
KEPT_COLUMNS = ["表", "县区", "条数", "记录"]


@dataclass(frozen=True)
class Replacement:
    """Which records of the tables in the file the file replaces (records it does not list
    are deleted): those of `counties` (6-digit codes), or all of them with `everything`."""

    counties: frozenset[str] = frozenset()
    everything: bool = False

    @property
    def any(self) -> bool:
        return self.everything or bool(self.counties)

    def covers(self, county) -> bool:
        return self.everything or (county is not None and county in self.counties)

    def describe(self) -> str:
        if self.everything:
            return "替换整个季度"
        return "替换" + "、".join(geodata.county_name(c) for c in sorted(self.counties))


@dataclass(frozen=True)
class Reference:
    """`child.column` holds a key of `parent` (for linkages: only where source_type is `kind`)."""

    child: str
    column: str
    parent: str
    kind: str | None = None


REFERENCES = (
    Reference("products", "village_code", "villages"),
    Reference("park_villages", "village_code", "villages"),
    Reference("park_villages", "park_id", "parks"),
    Reference("cooperatives", "village_code", "villages"),
    Reference("linkages", "village_code", "villages"),
    Reference("linkages", "source_id", "enterprises", kind="企业"),
    Reference("linkages", "source_id", "parks", kind="产业园"),
    Reference("linkages", "source_id", "cooperatives", kind="合作社"),
    Reference("village_infrastructure", "village_code", "villages"),
)


@dataclass
class Dangling:
    """Records that would point at a record the quarter no longer has."""

    reference: Reference
    records: list[str]  # described as in the preview ("440823115207（官湖村）")
    rows: list[int | None]  # Excel rows of the file's own records, else None


@dataclass
class Merge:
    """The quarter as it would be after the import, and what the import does to it."""

    quarter: str
    dataset: Dataset | None  # None when the result is refused (dangling, or invalid)
    carried_from: str | None  # a new quarter: the quarter whose records it starts from
    deleted: pd.DataFrame  # DELETED_COLUMNS
    kept: pd.DataFrame  # KEPT_COLUMNS: records of the file's counties the file does not list
    dangling: list[Dangling] = field(default_factory=list)
    invalid: list[schema.RecordError] = field(default_factory=list)
    changes: diff.Diff | None = None
    reported: int = 0  # records now reported in this quarter that were not before
    reporting_counties: tuple[str, ...] = ()  # counties whose records the file lists
    base_sizes: dict[str, int] = field(default_factory=dict)  # records per table before

    @property
    def ok(self) -> bool:
        return self.dataset is not None

    @property
    def unchanged(self) -> bool:
        """Nothing to save: no record added, deleted or changed, none newly reported."""
        return self.ok and self.carried_from is None and self.changes.empty and self.reported == 0

    @property
    def mass_deletion(self) -> bool:
        if len(self.deleted) > MASS_DELETION_RECORDS:
            return True
        for label, count in self.deleted["表"].value_counts().items():
            table = _table_of_label(label)
            if count > MASS_DELETION_SHARE * max(1, self.base_sizes.get(table, 0)):
                return True
        return False


def _table_of_label(label: str) -> str:
    return next(e.table for e in schema.ENTITIES if e.label == label)


# --- counties and keys ----------------------------------------------------------------------
def record_counties(entity: schema.Entity, frame: pd.DataFrame) -> pd.Series:
    """The 湛江 county (6-digit code) each record belongs to; None for citywide tables."""
    for column in ("county_code", "zj_county_code"):
        if column in entity.column_names:
            return frame[column].astype(object)
    if "village_code" in entity.column_names:
        return frame["village_code"].astype(object).str[:6]
    return pd.Series([None] * len(frame), index=frame.index, dtype=object)


def keys(entity: schema.Entity, frame: pd.DataFrame) -> pd.Series:
    """Each record's key as one string (the same as diff's record labels begin with)."""
    if frame.empty:
        return pd.Series([], index=frame.index, dtype=object)
    text = frame[entity.key[0]].astype(str)
    for name in entity.key[1:]:
        text = text + "/" + frame[name].astype(str)
    return text.astype(object)


def describe(entity: schema.Entity, frame: pd.DataFrame) -> list[str]:
    labels = keys(entity, frame)
    if entity.title:
        labels = labels + "（" + frame[entity.title].astype(str) + "）"
    return labels.tolist()


def named(items: list[str], unit: str = "条") -> str:
    """Up to NAMED_IN_MESSAGE items joined, and how many more."""
    shown = "、".join(items[:NAMED_IN_MESSAGE])
    more = len(items) - NAMED_IN_MESSAGE
    return shown + (f" 等 {len(items)} {unit}" if more > 0 else "")


def _county_label(code) -> str:
    return geodata.county_name(code) if code else "全市"


# --- a new quarter --------------------------------------------------------------------------
def carry_over(previous: Dataset, quarter: str) -> Dataset:
    """`previous`'s records as the start of `quarter`: each keeps the quarter it was last
    reported in (its own quarter where it does not say)."""
    frames = {}
    for name, frame in previous.frames().items():
        reported = frame["reported_quarter"].astype(object).where(frame["reported_quarter"].notna(), previous.quarter)
        frames[name] = frame.assign(quarter=quarter, reported_quarter=reported)
    return Dataset.from_frames(quarter, frames)


def reported_in(frame: pd.DataFrame, quarter: str) -> pd.Series:
    """Which records were reported in `quarter` (empty reported_quarter: their own quarter)."""
    reported = frame["reported_quarter"].astype(object)
    return reported.where(frame["reported_quarter"].notna(), frame["quarter"]) == quarter


# --- the merge ------------------------------------------------------------------------------
def merge(base: Dataset | None, quarter: str, file_frames: dict[str, pd.DataFrame],
          deletions: dict[str, pd.DataFrame] | None = None, replacement: Replacement = Replacement(),
          delete_dependants: bool = False, carried_from: str | None = None) -> Merge:
    """`file_frames` (table -> the file's validated records, with ROW = their Excel rows)
    applied to `base` (the quarter now, or for a new quarter the carried-over one; None:
    empty). `deletions`: table -> key columns of the rows marked 删除 (with ROW)."""
    deletions = deletions or {}
    base_frames = base.frames() if base is not None else {e.table: schema.empty(e) for e in schema.ENTITIES}
    merged: dict[str, pd.DataFrame] = {}
    deleted_parts, kept_parts = [], []
    file_rows: dict[str, dict[str, int]] = {}  # table -> key -> Excel row, of the file's records
    reporting = set()
    for entity in schema.ENTITIES:
        before = base_frames[entity.table]
        incoming = file_frames.get(entity.table)
        if incoming is None:
            merged[entity.table] = before
            continue
        incoming = incoming.assign(quarter=quarter, reported_quarter=quarter)
        incoming_keys = keys(entity, incoming)
        file_rows[entity.table] = dict(zip(incoming_keys, incoming[ROW])) if ROW in incoming else {}
        before_keys = keys(entity, before)
        counties = record_counties(entity, before)
        file_counties = set(record_counties(entity, incoming).dropna())
        reporting |= file_counties
        marked = deletions.get(entity.table)
        marked_keys = set(keys(entity, marked)) if marked is not None and len(marked) else set()
        listed = before_keys.isin(set(incoming_keys))
        asked = before_keys.isin(marked_keys) & ~listed
        replaced = ~listed & ~asked & counties.map(replacement.covers).astype(bool)
        for mask, reason in ((asked, "文件中“删除”列为“是”"), (replaced, replacement.describe())):
            if mask.any():
                gone = before[mask.to_numpy()]
                deleted_parts.append(pd.DataFrame({
                    "表": entity.label, "县区": [_county_label(c) for c in counties[mask]],
                    "记录": describe(entity, gone), "原因": reason}))
        stays = ~(listed | asked | replaced)
        not_listed = stays & counties.isin(file_counties)
        if not_listed.any():
            quiet = before[not_listed.to_numpy()]
            for county, group in quiet.groupby(counties[not_listed].to_numpy()):
                kept_parts.append(pd.DataFrame({"表": [entity.label], "县区": [_county_label(county)],
                                                "条数": [len(group)], "记录": [named(describe(entity, group), "条")]}))
        merged[entity.table] = pd.concat([before[stays.to_numpy()], incoming.drop(columns=[ROW], errors="ignore")],
                                         ignore_index=True)
    deleted = pd.concat(deleted_parts, ignore_index=True) if deleted_parts else pd.DataFrame(columns=DELETED_COLUMNS)
    kept = pd.concat(kept_parts, ignore_index=True) if kept_parts else pd.DataFrame(columns=KEPT_COLUMNS)
    merged, dependants, dangling = _references(base_frames, merged, file_rows, delete_dependants)
    if dependants:
        deleted = pd.concat([deleted, pd.DataFrame(dependants, columns=DELETED_COLUMNS)], ignore_index=True)
    result = Merge(quarter, None, carried_from, deleted, kept, dangling=dangling,
                   reporting_counties=tuple(sorted(reporting)),
                   base_sizes={name: len(frame) for name, frame in base_frames.items()})
    if dangling:
        return result
    dataset, invalid = Dataset.checked(quarter, merged)
    if invalid:
        result.invalid = invalid
        return result
    result.dataset = dataset
    result.changes = diff.compare(base, dataset, ignore=("quarter", "reported_quarter"))
    result.reported = _newly_reported(base_frames, dataset, quarter)
    return result


def _newly_reported(base_frames: dict[str, pd.DataFrame], dataset: Dataset, quarter: str) -> int:
    count = 0
    for entity in schema.ENTITIES:
        after = dataset.frames()[entity.table]
        before = base_frames[entity.table]
        now = set(keys(entity, after[reported_in(after, quarter)]))
        then = set(keys(entity, before[reported_in(before, quarter)])) if len(before) else set()
        count += len(now - then)
    return count


def _parents(frames: dict[str, pd.DataFrame], reference: Reference) -> set:
    parent = schema.BY_TABLE[reference.parent]
    return set(frames[reference.parent][parent.key[0]].astype(str))


def _pointing(frame: pd.DataFrame, reference: Reference, parents: set) -> pd.Series:
    """Which rows of the child frame point at a key not in `parents`."""
    if frame.empty:
        return pd.Series([], dtype=bool)
    values = frame[reference.column].astype(str)
    missing = ~values.isin(parents) & frame[reference.column].notna()
    if reference.kind is not None:
        missing &= frame["source_type"] == reference.kind
    return missing


def _new_breaks(base_frames, merged, reference: Reference) -> pd.Series:
    """Which child records of `merged` point at a record it does not have, where they did not
    already before the import (a reference broken before is not the import's doing)."""
    entity = schema.BY_TABLE[reference.child]
    before = base_frames[reference.child]
    broken_before = set(keys(entity, before[_pointing(before, reference, _parents(base_frames, reference))]))
    frame = merged[reference.child]
    missing = _pointing(frame, reference, _parents(merged, reference))
    return missing & ~keys(entity, frame).isin(broken_before)


def _references(base_frames, merged, file_rows, delete_dependants):
    """Dangling references of the merged quarter that the import would create: the file's
    own records pointing nowhere, and records left pointing at deleted ones (deleted too
    with `delete_dependants`, else reported)."""
    dependants: list[list[str]] = []
    changed = delete_dependants
    while changed:  # deleting a cooperative's village deletes the cooperative, then its linkages
        changed = False
        for reference in REFERENCES:
            entity = schema.BY_TABLE[reference.child]
            frame = merged[reference.child]
            from_file = keys(entity, frame).isin(set(file_rows.get(reference.child, {})))
            orphaned = _new_breaks(base_frames, merged, reference) & ~from_file
            if orphaned.any():
                gone = frame[orphaned.to_numpy()]
                parent = schema.BY_TABLE[reference.parent].label
                for county, label in zip(record_counties(entity, gone), describe(entity, gone)):
                    dependants.append([entity.label, _county_label(county), label, f"所引用的{parent}已删除"])
                merged[reference.child] = frame[~orphaned.to_numpy()].reset_index(drop=True)
                changed = True
    dangling = []
    for reference in REFERENCES:
        entity = schema.BY_TABLE[reference.child]
        bad = merged[reference.child][_new_breaks(base_frames, merged, reference).to_numpy()]
        if len(bad):
            rows = file_rows.get(reference.child, {})
            dangling.append(Dangling(reference, describe(entity, bad), [rows.get(k) for k in keys(entity, bad)]))
    return merged, dependants, dangling


# --- who has reported ----------------------------------------------------------------------
REPORTED, PARTLY, CARRIED = "已填报", "部分填报", "未填报"


def reporting_status(dataset: Dataset) -> pd.DataFrame:
    """Per 湛江 county: how many of its records were reported in the dataset's quarter and
    how many still hold an earlier quarter's figures (and which quarter)."""
    parts = []
    for entity in schema.ENTITIES:
        frame = dataset.frames()[entity.table]
        if len(frame):
            parts.append(pd.DataFrame({"county": record_counties(entity, frame).to_numpy(),
                                       "now": reported_in(frame, dataset.quarter).to_numpy(),
                                       "reported": frame["reported_quarter"].astype(object).to_numpy()}))
    records = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=["county", "now", "reported"])
    out = []
    for code in geodata.counties(config.ZHANJIANG)["adcode"]:
        mine = records[records["county"] == code]
        now = int(mine["now"].sum())
        old = len(mine) - now
        since = "、".join(sorted(set(mine.loc[~mine["now"].astype(bool), "reported"].dropna()))) or "—"
        status = CARRIED if now == 0 and old else PARTLY if old else REPORTED
        out.append({"县区": geodata.county_name(code), "状态": status, "本季度填报记录": now,
                    "沿用记录": old, "沿用自": since})
    return pd.DataFrame(out)


def reporting_line(dataset: Dataset) -> str | None:
    """One sentence for under a quarter selector, or None when every county has reported."""
    status = reporting_status(dataset)
    if (status["状态"] == REPORTED).all():
        return None
    groups = {kind: status.loc[status["状态"] == kind, "县区"].tolist() for kind in (REPORTED, PARTLY, CARRIED)}
    since = sorted({q for text in status["沿用自"] for q in text.split("、") if q != "—"})
    parts = [f"{dataset.quarter}：已填报 {len(groups[REPORTED])} 个县区" +
             (f"（{'、'.join(groups[REPORTED])}）" if groups[REPORTED] else "")]
    if groups[PARTLY]:
        parts.append(f"部分填报 {len(groups[PARTLY])} 个（{'、'.join(groups[PARTLY])}）")
    if groups[CARRIED]:
        parts.append(f"未填报 {len(groups[CARRIED])} 个（{'、'.join(groups[CARRIED])}）")
    return "；".join(parts) + f"。未填报的记录沿用 {'、'.join(since)} 的数据"
