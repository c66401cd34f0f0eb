"""One call from data to a briefing file: content once, then the deck or the PDF (or both)."""
from __future__ import annotations

import datetime
from typing import Callable

from ..data.dataset import Dataset
from . import content, pdf, pptx

FORMATS = {"pptx": "PowerPoint 演示文稿", "pdf": "PDF 文档"}
MIME = {"pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "pdf": "application/pdf"}


def file_name(briefing: content.Briefing, fmt: str) -> str:
    return f"产业扶贫简报_{briefing.scope}_{briefing.quarter}.{fmt}"


def render(briefing: content.Briefing, fmt: str) -> bytes:
    if fmt not in FORMATS:
        raise ValueError(f"未知格式 {fmt}")
    return pptx.build(briefing) if fmt == "pptx" else pdf.build(briefing)


def make(dataset: Dataset, quarters: list[str], county: str | None, formats: tuple[str, ...],
         today: datetime.date | None = None,
         progress: Callable[[float, str], None] | None = None) -> tuple[content.Briefing, dict[str, bytes]]:
    """The briefing's content and its files, one per format."""
    tell = progress or (lambda share, text: None)
    briefing = content.build(dataset, quarters, county, today=today, progress=tell)
    files = {}
    for index, fmt in enumerate(formats):
        tell(0.85 + 0.15 * index / len(formats), FORMATS[fmt])
        files[fmt] = render(briefing, fmt)
    tell(1.0, "完成")
    return briefing, files
