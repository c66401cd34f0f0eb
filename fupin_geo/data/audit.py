"""The audit log: who did what, when, from which file (imports, restores, edits, logins)."""
from __future__ import annotations

import math
from datetime import datetime, timedelta, timezone

import pandas as pd
import sqlalchemy as sa

from .export import table_workbook
from .store import AUDIT, Store, now_iso

# Times are stored as UTC ISO strings and shown in 北京时间 (UTC+8, no daylight saving).
BEIJING = timezone(timedelta(hours=8))
TIME_SHOWN = "%Y-%m-%d %H:%M:%S"
# Shown for a value an entry does not have (a login has no quarter, revision or file).
MISSING = "—"
AUDIT_LABELS = {"at": "时间（北京时间）", "username": "用户", "action": "操作", "detail": "内容",
                "quarter": "季度", "revision": "版本", "file_name": "文件", "file_sha256": "文件 SHA-256"}


def beijing_time(iso: str | None) -> str:
    """A stored UTC ISO time as 北京时间, "2026-12-07 21:34:05" (MISSING when there is none)."""
    if not iso:
        return MISSING
    moment = datetime.fromisoformat(str(iso))
    if moment.tzinfo is None:  # stored without an offset: UTC all the same
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(BEIJING).strftime(TIME_SHOWN)


def record(store: Store, username: str, action: str, detail: str = "", **extra) -> None:
    row = dict(at=now_iso(), username=username, action=action, detail=detail, **extra)
    store.write(lambda c: c.execute(sa.insert(AUDIT), [row]))


def entries(store: Store, limit: int | None = None) -> pd.DataFrame:
    """Newest first, with Chinese column names, times in 北京时间 and MISSING for what an
    entry does not have."""
    query = sa.select(*(AUDIT.c[name] for name in AUDIT_LABELS)).order_by(AUDIT.c.id.desc())
    if limit:
        query = query.limit(limit)
    rows = store.read(lambda c: c.execute(query).mappings().all())
    frame = pd.DataFrame([dict(r) for r in rows], columns=list(AUDIT_LABELS))
    frame["at"] = frame["at"].map(beijing_time)
    for name in ("revision", "quarter", "file_name", "file_sha256"):
        frame[name] = pd.Series([_or_missing(v) for v in frame[name]], dtype=object)
    return frame.rename(columns=AUDIT_LABELS)


def _or_missing(value):
    """MISSING for an empty value; a revision number (a float beside NaN) as an int."""
    if value is None or value == "" or (isinstance(value, float) and math.isnan(value)):
        return MISSING
    return int(value) if isinstance(value, float) else value


def workbook(store: Store) -> bytes:
    """The log as an .xlsx; text stays text (a file name starting with = is no formula)."""
    return table_workbook(entries(store), "操作日志")
