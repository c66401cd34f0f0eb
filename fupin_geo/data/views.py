"""Saved views: named page views (page, filters, layers, quarter, map extent) that
presentation mode steps through.

Not an entity of the ledger: a view belongs to no quarter, and replacing the data (a new
quarter, a demo reset) keeps the views. They live in their own table of the same database (store.SAVED_VIEWS).
"""
from __future__ import annotations

import json
from dataclasses import dataclass

import sqlalchemy as sa

from .store import AUDIT, SAVED_VIEWS, Store, StoreError, now_iso

# A view's name is a slide title: one line, short enough for a projector.
NAME_MAX = 60
# URL parameters that belong to presentation mode itself, never to a saved view.
PRESENTATION_PARAMS = ("present", "step")


@dataclass(frozen=True)
class SavedView:
    id: int
    name: str
    page: str
    params: dict[str, str]
    quarter: str | None
    position: int


class SavedViews:
    """The saved views of a store's database, in presentation order."""

    def __init__(self, store: Store):
        self.store = store  # its table: migration 0004 (store.SAVED_VIEWS)

    def all(self) -> list[SavedView]:
        query = sa.select(SAVED_VIEWS).order_by(SAVED_VIEWS.c.position, SAVED_VIEWS.c.id)
        rows = self.store.read(lambda c: c.execute(query).mappings().all())
        return [SavedView(r["id"], r["name"], r["page"], _params(r["params"]), r["quarter"], r["position"])
                for r in rows]

    def add(self, name: str, page: str, params: dict, quarter: str | None, by: str | None = None) -> int:
        """Append a view at the end of the order; returns its id. `by`: the user, written to
        the audit log in the same transaction."""
        name = " ".join(str(name).split())[:NAME_MAX]
        if not name:
            raise StoreError("请给视图起一个名称。")
        clean = {str(k): str(v) for k, v in params.items() if k not in PRESENTATION_PARAMS}

        def work(connection):
            last = connection.execute(sa.select(sa.func.max(SAVED_VIEWS.c.position))).scalar()
            result = connection.execute(sa.insert(SAVED_VIEWS).values(
                name=name, page=str(page), params=json.dumps(clean, ensure_ascii=False),
                quarter=quarter, position=(last or 0) + 1, created=now_iso()))
            _audit(connection, by, "保存视图", name)
            return int(result.inserted_primary_key[0])

        return self.store.write(work)

    def delete(self, view_id: int, by: str | None = None) -> None:
        def work(connection):
            name = _name(connection, view_id)
            if name is not None:
                connection.execute(sa.delete(SAVED_VIEWS).where(SAVED_VIEWS.c.id == int(view_id)))
                _audit(connection, by, "删除视图", name)

        self.store.write(work)

    def move(self, view_id: int, offset: int, by: str | None = None) -> None:
        """Move a view `offset` places earlier (<0) or later (>0) in the order. The order is
        read inside the write transaction, so two moves at once apply one after the other."""
        def work(connection):
            ids = list(connection.execute(sa.select(SAVED_VIEWS.c.id)
                                          .order_by(SAVED_VIEWS.c.position, SAVED_VIEWS.c.id)).scalars())
            if view_id not in ids:
                return
            old = ids.index(view_id)
            ids.insert(min(max(old + offset, 0), len(ids) - 1), ids.pop(old))
            for position, identifier in enumerate(ids, start=1):
                connection.execute(sa.update(SAVED_VIEWS).where(SAVED_VIEWS.c.id == identifier)
                                   .values(position=position))
            _audit(connection, by, "调整视图顺序", _name(connection, view_id))

        self.store.write(work)


def _name(connection, view_id: int) -> str | None:
    return connection.execute(sa.select(SAVED_VIEWS.c.name).where(SAVED_VIEWS.c.id == int(view_id))).scalar()


def _audit(connection, username: str | None, action: str, name: str) -> None:
    """An audit-log row for a change made by a user (none for scripts and tests)."""
    if username:
        connection.execute(sa.insert(AUDIT), [dict(at=now_iso(), username=username, action=action,
                                                   detail=f"视图：{name}")])


def _params(text: str) -> dict[str, str]:
    """A stored parameter set; a damaged one reads as no parameters rather than failing."""
    try:
        value = json.loads(text)
    except (TypeError, ValueError):
        return {}
    return {str(k): str(v) for k, v in value.items()} if isinstance(value, dict) else {}
