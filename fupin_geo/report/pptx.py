"""The briefing as a PowerPoint deck (python-pptx): native, editable tables and charts,
maps as PNG pictures, and Chinese text that keeps its typeface in PowerPoint and WPS.

`font.name` sets only the Latin face; without an East Asian face Chinese falls back to 宋体
in PowerPoint and to something else in WPS. So every run carries `<a:ea>` and lang zh-CN,
and the theme's fonts name the same East Asian face.

The slides are 16:9 and say so (python-pptx's template is 4:3); colours come from style.py and
tables, cut into pages already, from tables.py, as in the PDF.
"""
from __future__ import annotations

import io

from lxml import etree
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches, Pt

from .. import config
from . import style
from .content import DEMO_NOTICE, Briefing, Section

# 16:9, PowerPoint's widescreen size (13.333 × 7.5 in), exactly.
WIDTH, HEIGHT = Emu(12_192_000), Emu(6_858_000)
MARGIN = Inches(0.5)
TITLE_SIZE, BODY_SIZE, TABLE_SIZE = Pt(30), Pt(20), Pt(13)


def _color(color: str) -> RGBColor:
    return RGBColor(*style.rgb(color))


DARK, ACCENT, NOTICE, MUTED = (_color(c) for c in (style.TEXT, style.ACCENT, style.NOTICE, style.MUTED))
# A table row: its lines of 13 pt text (微软雅黑 and Noto CJK set about 1.4 lines per em) and
# the cell's top and bottom margins; tables.PAGE_LINES of them fit under a slide's title.
TABLE_LINE = Pt(18.5)
TABLE_CELL_MARGIN = Inches(0.05)


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
    _box(slide, MARGIN, HEIGHT - Inches(0.45), Inches(7), Inches(0.35), [footer], Pt(11), color=MUTED)
    if section.demo:
        _box(slide, Inches(7.2), HEIGHT - Inches(0.45), WIDTH - Inches(7.2) - MARGIN, Inches(0.35),
             [DEMO_NOTICE], Pt(11), bold=True, color=NOTICE, align=PP_ALIGN.RIGHT)
    return slide


BODY_TOP = Inches(1.2)
BODY_HEIGHT = HEIGHT - BODY_TOP - Inches(0.7)
NOTE_TOP = HEIGHT - Inches(0.95)  # a table's note, above the footer


def _fill(cell, color: str) -> None:
    cell.fill.solid()
    cell.fill.fore_color.rgb = _color(color)


def _rules(cell) -> None:
    """Thin grey lines round a cell, as in the PDF (the template's table style draws white)."""
    properties = cell._tc.get_or_add_tcPr()
    for tag in ("a:lnL", "a:lnR", "a:lnT", "a:lnB"):
        line = properties.find(qn(tag))
        if line is not None:
            properties.remove(line)
        line = etree.SubElement(properties, qn(tag), w=str(Pt(0.5)), cap="flat", cmpd="sng", algn="ctr")
        fill = etree.SubElement(line, qn("a:solidFill"))
        etree.SubElement(fill, qn("a:srgbClr"), val=style.TABLE_RULE.lstrip("#").upper())
    # the fill must come after the lines in the schema's order
    for fill in properties.findall(qn("a:solidFill")):
        properties.remove(fill)
        properties.append(fill)


def _row_height(lines: int) -> int:
    return int(TABLE_LINE * lines + 2 * TABLE_CELL_MARGIN)


def _table(slide, section: Section) -> None:
    table_layout = section.table_layout()
    rows, columns = len(table_layout.rows) + 1, len(table_layout.header)
    heights = [_row_height(table_layout.header_lines)] + [_row_height(n) for n in table_layout.row_lines]
    width = WIDTH - 2 * MARGIN
    shape = slide.shapes.add_table(rows, columns, MARGIN, BODY_TOP, width, sum(heights))
    table = shape.table
    table.first_row = True
    table.horz_banding = False
    for c, share in enumerate(table_layout.widths):
        table.columns[c].width = int(width * share)
    for r, height in enumerate(heights):
        table.rows[r].height = height
    cells = [table_layout.header] + table_layout.rows
    for r, texts in enumerate(cells):
        for c, text in enumerate(texts):
            cell = table.cell(r, c)
            cell.margin_top = cell.margin_bottom = TABLE_CELL_MARGIN
            cell.vertical_anchor = MSO_ANCHOR.MIDDLE
            align = PP_ALIGN.RIGHT if table_layout.numeric[c] else PP_ALIGN.LEFT
            if r == 0:
                _text(cell.text_frame, [text], TABLE_SIZE, bold=True, color=_color(style.TABLE_HEAD_TEXT),
                      align=align)
                _fill(cell, style.TABLE_HEAD)
            else:
                _text(cell.text_frame, [text], TABLE_SIZE, align=align)
                _fill(cell, style.TABLE_STRIPE if r % 2 == 0 else style.TABLE_BODY)
            _rules(cell)
    if section.note:  # at the foot of the page: a renderer that grows a row cannot push it
        _box(slide, MARGIN, NOTE_TOP, WIDTH - 2 * MARGIN, Inches(0.4), [section.note], Pt(13), color=MUTED)


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
    for index, series in enumerate(chart.plots[0].series):
        color = style.GOAL if section.goals is not None and series.name == "目标" else style.series_color(index)
        series.format.fill.solid()
        series.format.fill.fore_color.rgb = _color(color)
    if section.unit:
        chart.value_axis.has_title = True
        _text(chart.value_axis.axis_title.text_frame, [section.unit], Pt(14))
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
        _box(slide, MARGIN, BODY_TOP + height, WIDTH - 2 * MARGIN, Inches(0.4), [section.note], Pt(12), color=MUTED)


def _widescreen(presentation) -> None:
    """16:9 slides, said so: python-pptx's template is 4:3 and its size keeps type="screen4x3"
    (PowerPoint then shows 4:3 in its slide size dialog); its masters' boxes widen with it."""
    stretch = WIDTH / presentation.slide_width
    presentation.slide_width, presentation.slide_height = WIDTH, HEIGHT
    size = presentation.part._element.find(qn("p:sldSz"))
    size.attrib.pop("type", None)
    for master in presentation.slide_masters:
        for shapes in [master.shapes, *(layout.shapes for layout in master.slide_layouts)]:
            for shape in shapes:
                # only boxes of their own: a layout's placeholder without one takes its master's
                properties = getattr(shape._element, "spPr", None)
                if properties is not None and properties.xfrm is not None:
                    shape.left, shape.width = int(shape.left * stretch), int(shape.width * stretch)


def build(briefing: Briefing) -> bytes:
    presentation = Presentation()
    _widescreen(presentation)
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
