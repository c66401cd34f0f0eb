"""The records of one quarter, validated: what every page, map, briefing and export reads."""
from __future__ import annotations

from dataclasses import dataclass, fields

import pandas as pd

from .. import config
from . import schema


@dataclass
class Dataset:
    """All entities of one quarter, validated. Never changed once made (fupin_geo.memo relies
    on it): derive new frames, or make a new Dataset with dataclasses.replace."""

    quarter: str
    villages: pd.DataFrame
    products: pd.DataFrame
    town_industries: pd.DataFrame
    parks: pd.DataFrame
    park_villages: pd.DataFrame
    enterprises: pd.DataFrame
    cooperatives: pd.DataFrame
    aquaculture: pd.DataFrame
    linkages: pd.DataFrame
    pairings: pd.DataFrame
    cooperation_projects: pd.DataFrame
    city_stats: pd.DataFrame
    village_infrastructure: pd.DataFrame
    measure_status: pd.DataFrame
    # --- 湛柳协作 flows (issue 10) ---
    cooperation_flows: pd.DataFrame

    def frames(self) -> dict[str, pd.DataFrame]:
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name != "quarter"}

    def records_by_source(self) -> list[tuple[str, int, int]]:
        """(entity label, records from public sources, invented demo records) for every
        entity that has records."""
        counts = []
        for entity in schema.ENTITIES:
            frame = getattr(self, entity.table)
            demo = int((frame["source"] == config.DEMO_SOURCE).sum())
            if len(frame):
                counts.append((entity.label, len(frame) - demo, demo))
        return counts

    @property
    def demo_records(self) -> int:
        """How many records in this quarter are invented demo data."""
        return sum(int((f["source"] == config.DEMO_SOURCE).sum()) for f in self.frames().values())

    @classmethod
    def from_frames(cls, quarter: str, frames: dict[str, pd.DataFrame]) -> "Dataset":
        """Validate every frame (raises schema.SchemaError naming the bad records, among them
        any record of another quarter)."""
        dataset, errors = cls.checked(quarter, frames)
        if errors:
            raise schema.SchemaError(errors)
        return dataset

    @classmethod
    def checked(cls, quarter: str, frames: dict[str, pd.DataFrame]
                ) -> tuple["Dataset", list[schema.RecordError]]:
        """The records of every frame that pass validation, and an error naming each one
        that does not (those are left out)."""
        checked, errors = {}, []
        for entity in schema.ENTITIES:
            frame = frames.get(entity.table)
            if frame is None:
                checked[entity.table] = schema.empty(entity)
            else:
                checked[entity.table], problems = schema.check(entity, frame, quarter)
                errors += problems
        return cls(quarter=quarter, **checked), errors
