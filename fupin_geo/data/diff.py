"""What changes between two data sets of a quarter: records added, removed, and changed
field by field. Used for the import preview and to compare two revisions."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from . import schema

DIFF_COLUMNS = ["表", "记录", "变化", "字段", "原值", "新值"]
ADDED, REMOVED, CHANGED = "新增", "删除", "修改"


@dataclass
class Diff:
    rows: pd.DataFrame  # DIFF_COLUMNS, one row per added/removed record or changed field

    def counts(self) -> pd.DataFrame:
        """Per table: records added, removed, changed (a changed record counted once)."""
        if self.rows.empty:
            return pd.DataFrame(columns=["表", ADDED, REMOVED, CHANGED])
        unique = self.rows.drop_duplicates(["表", "记录", "变化"])
        table = unique.pivot_table(index="表", columns="变化", values="记录", aggfunc="count", fill_value=0)
        for kind in (ADDED, REMOVED, CHANGED):
            if kind not in table:
                table[kind] = 0
        order = [e.label for e in schema.ENTITIES if e.label in table.index]
        return table.loc[order, [ADDED, REMOVED, CHANGED]].reset_index()

    @property
    def empty(self) -> bool:
        return self.rows.empty


def _key_text(frame: pd.DataFrame, key: tuple[str, ...]) -> pd.Series:
    result = frame[key[0]].astype(str)
    for name in key[1:]:
        result = result + "/" + frame[name].astype(str)
    return result


def _same(a: pd.Series, b: pd.Series) -> pd.Series:
    both_missing = a.isna() & b.isna()
    if pd.api.types.is_float_dtype(a) and pd.api.types.is_float_dtype(b):
        close = (a - b).abs() <= 1e-9
        return both_missing | close.fillna(False)
    return both_missing | (a.astype(object) == b.astype(object)).fillna(False)


def compare(old, new, ignore: tuple[str, ...] = ("quarter",)) -> Diff:
    """The difference from Dataset `old` to Dataset `new` (either may be None = empty)."""
    parts = []
    for entity in schema.ENTITIES:
        before = old.frames()[entity.table] if old is not None else schema.empty(entity)
        after = new.frames()[entity.table] if new is not None else schema.empty(entity)
        key = list(entity.key)
        a = before.assign(_k=_key_text(before, entity.key)).set_index("_k")
        b = after.assign(_k=_key_text(after, entity.key)).set_index("_k")
        title = entity.title
        added = b.index.difference(a.index)
        removed = a.index.difference(b.index)
        for keys, frame, kind in ((added, b, ADDED), (removed, a, REMOVED)):
            if len(keys):
                label = _record_labels(frame.loc[keys], title)
                parts.append(pd.DataFrame({"表": entity.label, "记录": label, "变化": kind,
                                           "字段": "", "原值": "", "新值": ""}))
        common = a.index.intersection(b.index)
        if len(common):
            ac, bc = a.loc[common], b.loc[common]
            labels = _record_labels(bc, title)
            for column in entity.all_columns:
                if column.name in ignore or column.name in key:
                    continue
                differs = ~_same(ac[column.name], bc[column.name])
                if differs.any():
                    parts.append(pd.DataFrame({
                        "表": entity.label, "记录": labels[differs.to_numpy()], "变化": CHANGED,
                        "字段": column.label,
                        "原值": ac.loc[differs, column.name].astype(object).map(_shown).to_numpy(),
                        "新值": bc.loc[differs, column.name].astype(object).map(_shown).to_numpy(),
                    }))
    rows = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=DIFF_COLUMNS)
    return Diff(rows[DIFF_COLUMNS])


def _record_labels(frame: pd.DataFrame, title: str | None) -> pd.Series:
    keys = pd.Series(frame.index.astype(str), index=frame.index)
    if title:
        keys = keys + "（" + frame[title].astype(str) + "）"
    return keys.to_numpy()


def _shown(value) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value)
