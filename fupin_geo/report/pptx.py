"""The briefing as a PowerPoint deck (python-pptx): native, editable tables and charts,
maps as PNG pictures, and Chinese text that keeps its typeface in PowerPoint and WPS.

`font.name` sets only the Latin face; without an East Asian face Chinese falls back to 宋体
in PowerPoint and to something else in WPS. So every run carries `<a:ea>` and lang zh-CN,
and the theme's fonts name the same East Asian face.
"""
from __future__ import annotations

import io

from lxml import etree
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION
from pptx.enum.text import PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches, Pt

from .. import config
from .content import DEMO_NOTICE, Briefing, Section

WIDTH, HEIGHT = Inches(13.333), Inches(7.5)  # 16:9, PowerPoint's default widescreen
MARGIN = Inches(0.5)
TITLE_SIZE, BODY_SIZE, TABLE_SIZE = Pt(30), Pt(20), Pt(13)
DARK = RGBColor(0x2B, 0x2B, 0x2B)
ACCENT = RGBColor(0xB3, 0x26, 0x1E)
NOTICE = RGBColor(0x9A, 0x5B, 0x00)
TABLE_MAX_ROWS = 14  # more rows than this would be unreadable on a projector


def _east_asian(run) -> None:
    """Latin and East Asian typeface and zh-CN on one run."""
    run.font.name = config.BRIEFING_LATIN_FONT
    properties = run._r.get_or_add_rPr()
    properties.set("lang", "zh-CN")
    properties.set("altLang", "en-US")
    for tag in ("a:ea", "a:cs"):
        element = properties.find(qn(tag))
        if element is None:
            element = etree.SubElement(properties, qn(tag))
        element.set("typeface", config.BRIEFING_EA_FONT)


def _text(frame, lines: list[str], size, *, bold: bool = False, color: RGBColor = DARK,
          align=PP_ALIGN.LEFT) -> None:
    frame.word_wrap = True
    for index, line in enumerate(lines):
        paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        paragraph.alignment = align
        run = paragraph.add_run()
        run.text = line
        run.font.size = size
        run.font.bold = bold
        run.font.color.rgb = color
        _east_asian(run)


def _box(slide, left, top, width, height, lines, size, **style):
    shape = slide.shapes.add_textbox(left, top, width, height)
    _text(shape.text_frame, lines, size, **style)
    return shape


def _theme_fonts(presentation) -> None:
    """Name the East Asian face in the theme's major and minor fonts."""
    master = presentation.slide_masters[0]
    for relationship in master.part.rels.values():
        if relationship.reltype.endswith("/theme"):
            theme = etree.fromstring(relationship.target_part.blob)
            for font in theme.iter(qn("a:majorFont"), qn("a:minorFont")):
                font.find(qn("a:latin")).set("typeface", config.BRIEFING_LATIN_FONT)
                font.find(qn("a:ea")).set("typeface", config.BRIEFING_EA_FONT)
            relationship.target_part._blob = etree.tostring(theme, xml_declaration=True,
                                                            encoding="UTF-8", standalone=True)


def _slide(presentation, section: Section, number: int, briefing: Briefing):
    slide = presentation.slides.add_slide(presentation.slide_layouts[6])  # blank
    _box(slide, MARGIN, Inches(0.3), WIDTH - 2 * MARGIN, Inches(0.8), [section.title], TITLE_SIZE, bold=True)
    footer = f"{briefing.title} · 数据季度 {briefing.quarter} · 第 {number} 页"
    _box(slide, MARGIN, HEIGHT - Inches(0.45), Inches(7), Inches(0.35), [footer], Pt(11),
         color=RGBColor(0x66, 0x66, 0x66))
    if section.demo:
        _box(slide, Inches(7.2), HEIGHT - Inches(0.45), WIDTH - Inches(7.2) - MARGIN, Inches(0.35),
             [DEMO_NOTICE], Pt(11), bold=True, color=NOTICE, align=PP_ALIGN.RIGHT)
    return slide


BODY_TOP = Inches(1.2)
BODY_HEIGHT = HEIGHT - BODY_TOP - Inches(0.7)


def _table(slide, section: Section) -> None:
    frame = section.table.head(TABLE_MAX_ROWS)
    rows, columns = len(frame) + 1, len(frame.columns)
    height = min(BODY_HEIGHT - Inches(0.5), Inches(0.42) * rows)
    shape = slide.shapes.add_table(rows, columns, MARGIN, BODY_TOP, WIDTH - 2 * MARGIN, height)
    table = shape.table
    for c, name in enumerate(frame.columns):
        _text(table.cell(0, c).text_frame, [str(name)], TABLE_SIZE, bold=True, color=RGBColor(0xFF, 0xFF, 0xFF))
    for r, row in enumerate(frame.itertuples(index=False), start=1):
        for c, value in enumerate(row):
            shown = f"{value:,.1f}" if isinstance(value, float) else str(value)
            _text(table.cell(r, c).text_frame, [shown], TABLE_SIZE)
    notes = [section.note] if section.note else []
    if len(section.table) > TABLE_MAX_ROWS:
        notes.append(f"另有 {len(section.table) - TABLE_MAX_ROWS} 行见 PDF 版。")
    if notes:
        _box(slide, MARGIN, BODY_TOP + height + Inches(0.1), WIDTH - 2 * MARGIN, Inches(0.5), notes, Pt(13))


def _chart(slide, section: Section) -> None:
    data = CategoryChartData()
    data.categories = section.categories
    for name, values in section.series.items():
        data.add_series(name, values)
    if section.goals is not None:
        data.add_series("目标", section.goals)
    kind = XL_CHART_TYPE.BAR_CLUSTERED if len(section.categories) > 6 else XL_CHART_TYPE.COLUMN_CLUSTERED
    graphic = slide.shapes.add_chart(kind, MARGIN, BODY_TOP, WIDTH - 2 * MARGIN, BODY_HEIGHT, data)
    chart = graphic.chart
    chart.has_legend = True
    chart.legend.position = XL_LEGEND_POSITION.TOP
    chart.legend.include_in_layout = False
    chart.font.size = Pt(14)
    chart.font.name = config.BRIEFING_LATIN_FONT
    properties = chart._chartSpace.find(".//" + qn("c:txPr") + "//" + qn("a:defRPr"))
    if properties is not None:
        properties.set("lang", "zh-CN")
        etree.SubElement(properties, qn("a:ea")).set("typeface", config.BRIEFING_EA_FONT)
    if kind == XL_CHART_TYPE.BAR_CLUSTERED:
        chart.category_axis.reverse_order = True
    if section.subtitle:
        _box(slide, MARGIN, BODY_TOP - Inches(0.35), WIDTH - 2 * MARGIN, Inches(0.35), [section.subtitle], Pt(14))


def _picture(slide, section: Section) -> None:
    from PIL import Image

    with Image.open(io.BytesIO(section.image)) as image:
        ratio = image.width / image.height
    height = BODY_HEIGHT - (Inches(0.4) if section.note else 0)
    width = int(height * ratio)
    if width > WIDTH - 2 * MARGIN:
        width = WIDTH - 2 * MARGIN
        height = int(width / ratio)
    left = int((WIDTH - width) / 2)
    slide.shapes.add_picture(io.BytesIO(section.image), Emu(left), BODY_TOP, Emu(width), Emu(height))
    if section.note:
        _box(slide, MARGIN, BODY_TOP + height, WIDTH - 2 * MARGIN, Inches(0.4), [section.note], Pt(12))


def build(briefing: Briefing) -> bytes:
    presentation = Presentation()
    presentation.slide_width, presentation.slide_height = WIDTH, HEIGHT
    _theme_fonts(presentation)
    for number, section in enumerate(briefing.sections, start=1):
        slide = _slide(presentation, section, number, briefing)
        if section.kind == "cover":
            _box(slide, MARGIN, Inches(2.6), WIDTH - 2 * MARGIN, Inches(1.2), ["湛江市农业农村局"], Pt(24),
                 color=ACCENT)
            _box(slide, MARGIN, Inches(3.6), WIDTH - 2 * MARGIN, Inches(1), [section.subtitle], BODY_SIZE)
            if briefing.demo:
                _box(slide, MARGIN, Inches(4.6), WIDTH - 2 * MARGIN, Inches(1), [DEMO_NOTICE], BODY_SIZE,
                     bold=True, color=NOTICE)
        elif section.kind == "table":
            _table(slide, section)
        elif section.kind == "chart":
            _chart(slide, section)
        elif section.kind == "map":
            _picture(slide, section)
        else:
            _box(slide, MARGIN, BODY_TOP, WIDTH - 2 * MARGIN, BODY_HEIGHT, section.lines, Pt(24))
    buffer = io.BytesIO()
    presentation.save(buffer)
    return buffer.getvalue()
