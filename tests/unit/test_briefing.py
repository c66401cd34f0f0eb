"""The briefing: the deck reopened with python-pptx, the PDF read back (text, fonts, pages),
a page of each rendered to PNG, no missing glyphs, and the `briefing` command."""
from __future__ import annotations

import datetime
import io
import re
import shutil
import subprocess
import warnings

import pytest
from click.testing import CliRunner
from fontTools.ttLib import TTCollection
from pptx import Presentation
from pptx.oxml.ns import qn
from pypdf import PdfReader

from fupin_geo import cli, config
from fupin_geo.report import briefing as briefings
from fupin_geo.report import content
from fupin_geo.report.content import DEMO_NOTICE

CJK = re.compile(r"[\u4e00-\u9fff]")
TODAY = datetime.date(2019, 12, 20)


@pytest.fixture(scope="session")
def city(demo_datasets):
    """The city briefing of 2019Q4, both files; maps drawn with warnings recorded."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        made, files = briefings.make(demo_datasets[-1], [d.quarter for d in demo_datasets], None,
                                     ("pptx", "pdf"), today=TODAY)
    return made, files, [str(w.message) for w in caught]


def test_sections_say_what_the_meeting_needs(city):
    made, _, _ = city
    titles = [s.title for s in made.sections]
    assert titles[0] == "湛江市产业扶贫工作简报（全市）"
    for wanted in ("全市指标对照工作方案目标", "分县情况", "全市贫困村一村一品分布", "全市联农带农覆盖",
                   "全市基础设施短板", "湛柳协作结对与往来", "湛柳协作概况"):
        assert wanted in titles
    assert made.sections[0].subtitle == "数据季度：2019Q4 · 生成日期：2019年12月20日"
    assert all(s.demo for s in made.sections)  # every page of demo data says so


def test_head_counts_in_the_briefing_have_no_decimals(city, demo_datasets):
    made, _, _ = city
    (overview,) = [s for s in made.sections if s.title == "湛柳协作概况"]
    flows = demo_datasets[-1].cooperation_flows
    people = flows[flows["kind"] == "劳务协作"]["amount"].sum()
    assert f"劳务协作（人）：{people:,.0f}" in overview.lines
    assert not any(re.search(r"（人）：[\d,]+\.\d", line) for line in overview.lines)
    # amounts keep their one decimal (12,745.7, not 12745.7 or 12,745)
    assert any(re.fullmatch(r"帮扶资金（万元）：[\d,]+\.\d", line) for line in overview.lines)


def test_no_glyph_is_missing_from_the_maps_and_charts(city):
    _, _, caught = city
    assert not [m for m in caught if "missing from font" in m or "Glyph" in m]


def test_deck_reopens_with_titles_pictures_table_chart(city):
    made, files, _ = city
    deck = Presentation(io.BytesIO(files["pptx"]))
    slides = list(deck.slides)
    assert len(slides) == len(made.sections)
    for slide, section in zip(slides, made.sections):
        texts = [shape.text_frame.text for shape in slide.shapes if shape.has_text_frame]
        assert texts[0] == section.title
        if section.demo:
            assert any(DEMO_NOTICE in t for t in texts)
        pictures = [s for s in slide.shapes if s.shape_type == 13]  # MSO_SHAPE_TYPE.PICTURE
        assert len(pictures) == (1 if section.kind == "map" else 0)
        if section.kind == "table":
            (table,) = [s.table for s in slide.shapes if s.has_table]
            assert [c.text for c in table.rows[0].cells] == list(section.table.columns)
        if section.kind == "chart":
            (chart,) = [s.chart for s in slide.shapes if s.has_chart]
            assert list(chart.plots[0].categories) == section.categories
    county_slide = slides[[s.title for s in made.sections].index("分县情况")]
    (table,) = [s.table for s in county_slide.shapes if s.has_table]
    assert {r.cells[0].text for r in list(table.rows)[1:]} >= {"遂溪县", "雷州市", "廉江市"}


def test_every_chinese_run_names_the_east_asian_face(city):
    _, files, _ = city
    deck = Presentation(io.BytesIO(files["pptx"]))
    runs = 0
    for slide in deck.slides:
        for run in slide.shapes._spTree.iter(qn("a:r")):
            text = run.find(qn("a:t")).text or ""
            if CJK.search(text):
                runs += 1
                properties = run.find(qn("a:rPr"))
                assert properties is not None and properties.get("lang") == "zh-CN", text
                assert properties.find(qn("a:ea")).get("typeface") == config.BRIEFING_EA_FONT, text
    assert runs > 50
    theme = next(r.target_part.blob for r in deck.slide_masters[0].part.rels.values()
                 if r.reltype.endswith("/theme")).decode()
    assert theme.count(f'<a:ea typeface="{config.BRIEFING_EA_FONT}"/>') == 2  # major and minor


def test_pdf_pages_text_and_embedded_fonts(city, tmp_path):
    made, files, _ = city
    reader = PdfReader(io.BytesIO(files["pdf"]))
    assert len(reader.pages) == len(made.sections)
    text = "\n".join(page.extract_text() for page in reader.pages)
    for section in made.sections:
        assert section.title in text
    assert "第 1 页 / 共" in text and "演示数据" in reader.pages[4].extract_text()
    path = tmp_path / "briefing.pdf"
    path.write_bytes(files["pdf"])
    if not shutil.which("pdffonts"):
        pytest.fail("pdffonts is missing: bash scripts/test.sh installs poppler-utils")
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in fonts.splitlines()[2:]]
    assert rows and any("Noto-Sans-CJK-SC" in row[0] for row in rows)
    assert all(row[-5] == "yes" for row in rows), fonts  # the "emb" column


def test_every_character_is_in_the_font(city):
    """No .notdef (tofu): each character of the PDF's text exists in the Noto CJK SC face."""
    _, files, _ = city
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(files["pdf"])).pages)
    collection = TTCollection(str(config.CJK_FONT_FILE))
    face = next(f for f in collection.fonts if "SC" in f["name"].getDebugName(1))
    cmap = face.getBestCmap()
    missing = {c for c in text if not c.isspace() and ord(c) not in cmap}
    assert not missing


def test_a_pdf_page_renders_to_png(city, tmp_path, artifacts_dir):
    _, files, _ = city
    path = tmp_path / "briefing.pdf"
    path.write_bytes(files["pdf"])
    subprocess.run(["pdftoppm", "-r", "60", "-f", "1", "-l", "5", "-png", str(path), str(artifacts_dir / "briefing")],
                   check=True)
    pngs = sorted(artifacts_dir.glob("briefing-*.png"))
    assert len(pngs) >= 5
    from PIL import Image

    with Image.open(pngs[0]) as cover:
        darkest, _ = cover.convert("L").getextrema()
        assert darkest < 100  # drawn text, not a blank page


@pytest.fixture(scope="session")
def artifacts_dir():
    folder = config.REPO_DIR / "tests" / "artifacts"
    folder.mkdir(exist_ok=True)
    return folder


def test_county_code_accepts_names_short_names_and_codes():
    assert content.county_code("遂溪县") == content.county_code("遂溪") == content.county_code("440823") == "440823"
    assert content.county_code("全市") is None
    with pytest.raises(KeyError):
        content.county_code("<img src=x>")


def test_briefing_command(seeded_db_url, monkeypatch, tmp_path):
    monkeypatch.setenv(config.DB_URL_ENV, seeded_db_url)
    runner = CliRunner()
    out = tmp_path / "suixi.pptx"
    result = runner.invoke(cli.main, ["briefing", "--county", "遂溪县", "--quarter", "2019Q4", "--format", "pptx",
                                      "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "遂溪县" in result.output
    deck = Presentation(str(out))
    assert deck.slides[0].shapes[0].text_frame.text == "湛江市产业扶贫工作简报（遂溪县）"
    unknown = runner.invoke(cli.main, ["briefing", "--county", "北京市", "--out", str(tmp_path / "x.pdf")])
    assert unknown.exit_code == 2 and "没有名为“北京市”" in unknown.output and "Traceback" not in unknown.output
    quarter = runner.invoke(cli.main, ["briefing", "--quarter", "2030Q1", "--out", str(tmp_path / "x.pdf")])
    assert quarter.exit_code == 2 and "没有 2030Q1 的数据" in quarter.output
    fmt = runner.invoke(cli.main, ["briefing", "--format", "docx", "--out", str(tmp_path / "x.docx")])
    assert fmt.exit_code == 2


# --- one slide size, one colour scheme, one table for both formats ---------------------------
HEX = re.compile(r"#[0-9a-fA-F]{6}\b")


def _scheme() -> set[str]:
    from fupin_geo.report import style

    colours = {v for k, v in vars(style).items() if k.isupper() and isinstance(v, str) and HEX.fullmatch(v)}
    return {c.upper() for c in colours | set(style.SERIES)}


def test_slides_are_16_9_and_say_so_and_every_shape_fits(city):
    _, files, _ = city
    deck = Presentation(io.BytesIO(files["pptx"]))
    width, height = deck.slide_width, deck.slide_height
    assert width * 9 == height * 16  # exactly 16:9
    size = deck.part._element.find(qn("p:sldSz"))
    assert size.get("type") in (None, "custom")  # not "screen4x3", as python-pptx's template says
    for number, slide in enumerate(deck.slides, start=1):
        for shape in slide.shapes:
            assert shape.left >= 0 and shape.top >= 0, (number, shape.name)
            assert shape.left + shape.width <= width and shape.top + shape.height <= height, (number, shape.name)
    for layout in deck.slide_layouts:  # the masters' boxes were widened, not left 4:3 on the left
        placed = [s for s in layout.shapes if s.left is not None and s.width is not None]
        assert all(s.left + s.width <= width for s in placed)
    title = next(s for s in deck.slide_masters[0].shapes if s.is_placeholder and s.placeholder_format.type == 1)
    assert title.left + title.width > 0.8 * width


def test_both_formats_take_their_colours_from_the_one_scheme(city):
    from fupin_geo.report import pdf, style

    made, files, _ = city
    deck = Presentation(io.BytesIO(files["pptx"]))
    used = set()
    for slide in deck.slides:
        used |= {f"#{c}" for c in re.findall(r'srgbClr val="([0-9A-Fa-f]{6})"', slide.shapes._spTree.xml)}
        for shape in slide.shapes:
            if shape.has_chart:
                used |= {f"#{c}" for c in re.findall(r'srgbClr val="([0-9A-Fa-f]{6})"',
                                                      shape.chart._chartSpace.xml)}
    assert used and {c.upper() for c in used} <= _scheme()
    css = pdf.html_document(made).split("</style>")[0]
    assert {c.upper() for c in HEX.findall(css)} <= _scheme()
    # the same header and stripes in both
    (table,) = [s.table for s in deck.slides[1].shapes if s.has_table]
    fill = lambda cell: f"#{cell.fill.fore_color.rgb}"  # noqa: E731
    assert fill(table.cell(0, 0)).upper() == style.TABLE_HEAD.upper()
    assert fill(table.cell(1, 0)).upper() == style.TABLE_BODY.upper()
    assert fill(table.cell(2, 0)).upper() == style.TABLE_STRIPE.upper()
    assert f"th {{ background: {style.TABLE_HEAD}" in css and f"background: {style.TABLE_STRIPE}" in css
    # chart series: the deck's native chart and the PDF's picture in the same order of colours
    chart_slide = [s for s, sec in zip(deck.slides, made.sections) if sec.title == "湛柳协作按年份"][0]
    (chart,) = [s.chart for s in chart_slide.shapes if s.has_chart]
    fills = [f"#{series.format.fill.fore_color.rgb}".upper() for series in chart.plots[0].series]
    assert fills == [style.series_color(i).upper() for i in range(len(fills))]


def test_the_pdf_charts_draw_in_the_scheme_colours():
    from PIL import Image

    from fupin_geo.report import static_maps, style

    png = static_maps.bar_chart(["2018", "2019"], {"甲": [3.0, 4.0], "乙": [2.0, 1.0]}, "万元")
    with Image.open(io.BytesIO(png)) as image:
        colours = {c for _, c in image.convert("RGB").getcolors(1 << 20)}
    assert style.rgb(style.series_color(0)) in colours and style.rgb(style.series_color(1)) in colours


def _long_briefing(rows: int) -> content.Briefing:
    import pandas as pd

    frame = pd.DataFrame({"村": [f"第{i:02d}村" for i in range(rows)], "贫困户": [1000 + i for i in range(rows)],
                          "占比": [f"{50 + i / 10:.1f}%" for i in range(rows)]})
    sections = [content.Section("封面", "cover", subtitle="x"),
                content.Section("长表", "table", table=frame, note="注")]
    return content.Briefing("长表简报", "全市", "2019Q4", TODAY, content.paginate(sections))


def test_a_table_one_row_too_long_is_shared_evenly_by_two_pages_in_both_formats():
    from fupin_geo.report import pdf, pptx, tables

    rows = tables.PAGE_LINES  # one header line and one row more than a page holds
    briefing = _long_briefing(rows)
    pages = [s for s in briefing.sections if s.kind == "table"]
    assert [s.title for s in pages] == ["长表（1/2）", "长表（2/2）"]
    assert [len(s.table) for s in pages] == [rows // 2, rows - rows // 2]  # not 13 + 1
    deck = Presentation(io.BytesIO(pptx.build(briefing)))
    shown = []
    for slide in list(deck.slides)[1:]:
        (frame,) = [s for s in slide.shapes if s.has_table]
        table = frame.table
        note = next(s for s in slide.shapes if s.has_text_frame and s.text_frame.text == "注")
        assert frame.top + frame.height <= note.top  # the rows, at the height they were given, clear it
        cells = [[c.text for c in row.cells] for row in table.rows]
        assert cells[0] == ["村", "贫困户", "占比"]
        shown.append(cells[1:])
    assert [len(p) for p in shown] == [len(s.table) for s in pages]
    assert shown[0][0] == ["第00村", "1,000", "50.0%"]  # the texts tables.py gives, in both
    reader = PdfReader(io.BytesIO(pdf.build(briefing)))
    assert len(reader.pages) == 3
    for page, cells in zip(reader.pages[1:], shown):
        text = page.extract_text()
        assert all(row[0] in text and row[1] in text for row in cells)
        assert not any(other[0] in text for other in sum(shown, []) if other not in cells)


def test_a_short_table_stays_on_one_page():
    from fupin_geo.report import tables

    briefing = _long_briefing(tables.PAGE_LINES - 1)
    assert [s.title for s in briefing.sections if s.kind == "table"] == ["长表"]
