"""The audit log: who did what, when, from which file (imports, restores, edits, logins)."""
from __future__ import annotations

import io

import pandas as pd
import sqlalchemy as sa

from .store import AUDIT, Store, now_iso

AUDIT_LABELS = {"at": "时间（UTC）", "username": "用户", "action": "操作", "detail": "内容",
                "quarter": "季度", "revision": "版本", "file_name": "文件", "file_sha256": "文件 SHA-256"}


def record(store: Store, username: str, action: str, detail: str = "", **extra) -> None:
    row = dict(at=now_iso(), username=username, action=action, detail=detail, **extra)
    store.write(lambda c: c.execute(sa.insert(AUDIT), [row]))


def entries(store: Store, limit: int | None = None) -> pd.DataFrame:
    """Newest first, with Chinese column names."""
    query = sa.select(*(AUDIT.c[name] for name in AUDIT_LABELS)).order_by(AUDIT.c.id.desc())
    if limit:
        query = query.limit(limit)
    rows = store.read(lambda c: c.execute(query).mappings().all())
    frame = pd.DataFrame([dict(r) for r in rows], columns=list(AUDIT_LABELS))
    frame["revision"] = frame["revision"].astype("Int64")
    return frame.rename(columns=AUDIT_LABELS)


def workbook(store: Store) -> bytes:
    buffer = io.BytesIO()
    entries(store).to_excel(buffer, sheet_name="操作日志", index=False, engine="openpyxl")
    return buffer.getvalue()
