"""Each export opened again with the tools its users' programs use (openpyxl, pandas, pyogrio)."""
from __future__ import annotations

import dataclasses
import io
import json
import zipfile
from datetime import datetime, timezone

import openpyxl
import pandas as pd
import pyogrio
import pytest

from fupin_geo import config
from fupin_geo.analysis import tables
from fupin_geo.data import export, public_facts, schema

HOSTILE_NAMES = ["=1+1", "<img src=x onerror=alert(1)>", "{{7*7}}", "上\n下村", "长" * 5000,
                 "@SUM(A1)", "-2+3", "![x](http://a.b/x.png)"]
WRITTEN = datetime(2019, 12, 31, 18, 30, tzinfo=timezone.utc)


def aquaculture_row(id_: str, wkt: str) -> dict:
    return dict(id=id_, name=f"网箱{id_}", kind="深水网箱", county_code="440882", geometry_wkt=wkt, area_mu=12.5)


@pytest.fixture
def small(make_dataset):
    """Two villages and three aquaculture areas by hand, two of them with broken WKT (which
    validation refuses: put in afterwards, as if they had got past it)."""
    valid = make_dataset(
        villages=[{"code": "440882100202", "name": "=1+1", "clean_village": True, "households": 307},
                  {"code": "440882100207", "name": "乾山村", "lon": 110.25, "lat": 20.5}],
        aquaculture=[aquaculture_row("A1", "POLYGON ((110 20, 110.1 20, 110.1 20.1, 110 20))")],
    )
    broken = pd.DataFrame([aquaculture_row("A2", "POINT (1 2"), aquaculture_row("A3", "not wkt")]
                          ).assign(quarter=valid.quarter, source=config.DEMO_SOURCE)
    return dataclasses.replace(valid, aquaculture=pd.concat([valid.aquaculture, broken], ignore_index=True))


def open_workbook(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


@pytest.fixture(scope="module")
def demo_book(dataset) -> openpyxl.Workbook:
    """The demo's 2019Q4 written once and opened again (read-only for the tests)."""
    return open_workbook(export.workbook(dataset, written=WRITTEN))


# --- xlsx ----------------------------------------------------------------------------------
def test_workbook_has_the_info_sheet_then_one_sheet_per_entity_in_schema_order(demo_book):
    book = demo_book
    assert book.sheetnames == ["说明"] + [e.label for e in schema.ENTITIES]
    assert book.sheetnames[1:4] == ["贫困村", "一村一品", "一镇一业"]


def test_workbook_headers_are_the_chinese_labels_and_rows_are_the_records(dataset, demo_book):
    book = demo_book
    for entity in schema.ENTITIES:
        sheet = book[entity.label]
        header = [c.value for c in sheet[1]]
        assert header == [c.label for c in entity.all_columns], entity.table
        assert header[-3:] == ["季度", "数据来源", "填报季度"]
        assert sheet.max_row == 1 + len(dataset.frames()[entity.table]), entity.table
        assert sheet.freeze_panes == "A2"


def test_workbook_keeps_codes_as_text_and_writes_yes_no_and_numbers(small):
    sheet = open_workbook(export.workbook(small))["贫困村"]
    header = [c.value for c in sheet[1]]
    first = {h: c for h, c in zip(header, sheet[2])}
    code = first["村代码"]
    assert code.value == "440882100202" and code.data_type == "s" and code.number_format == "@"
    assert first["县区代码"].value == "440882" and first["县区代码"].data_type == "s"
    assert first["干净整洁村"].value == "是"
    second = {h: c.value for h, c in zip(header, sheet[3])}
    assert second["干净整洁村"] == "否"
    assert first["总户数"].value == 307 and first["总户数"].data_type == "n"
    assert second["经度"] == 110.25 and second["纬度"] == 20.5
    assert first["季度"].value == "2019Q4" and first["数据来源"].value == config.DEMO_SOURCE


def test_workbook_writes_any_name_as_literal_text(make_dataset):
    data = make_dataset(villages=[{"name": name} for name in HOSTILE_NAMES])
    sheet = open_workbook(export.workbook(data))["贫困村"]
    cells = [row[1] for row in sheet.iter_rows(min_row=2)]
    assert [c.value for c in cells] == HOSTILE_NAMES
    assert {c.data_type for c in cells} == {"s"}  # never a formula ("f")


def test_info_sheet_names_quarter_source_date_and_demo_counts(make_dataset):
    real = make_dataset(villages=[{}, {}], source="县农业农村局台账")
    book = open_workbook(export.workbook(real, source="测试来源", written=WRITTEN))
    rows = [tuple(c for c in r if c is not None) for r in book["说明"].iter_rows(values_only=True)]
    facts = {r[0]: r[1] for r in rows if len(r) == 2}
    assert facts["季度"] == "2019Q4"
    assert facts["数据来源"] == "测试来源"
    assert facts["写出时间"].startswith("2019-12-31 18:30")
    assert facts["演示数据"] == "没有演示数据记录"
    counts = {r[0]: r[1:] for r in rows if len(r) >= 3 and r[0] in {e.label for e in schema.ENTITIES}}
    assert counts["贫困村"] == (2, 0, "县农业农村局台账")
    assert counts["合作社"] == (0, 0)


def test_info_sheet_counts_demo_records_per_entity(dataset, demo_book):
    rows = list(demo_book["说明"].iter_rows(values_only=True))
    counts = {r[0]: (r[1], r[2]) for r in rows if r[0] in {e.label for e in schema.ENTITIES}}
    # demo: every village is invented but the publicly named ones (one row each)
    villages = len(dataset.villages)
    assert counts["贫困村"] == (villages, villages - len(public_facts.NAMED_POVERTY_VILLAGES))
    for entity in schema.ENTITIES:
        frame = dataset.frames()[entity.table]
        assert counts[entity.label] == (len(frame), int((frame["source"] == "演示数据").sum()))


def test_every_sheet_title_is_a_legal_excel_title():
    for entity in schema.ENTITIES:
        assert len(entity.label) <= 31 and not set(entity.label) & set(":\\/?*[]"), entity.label


# --- csv -----------------------------------------------------------------------------------
def test_csv_zip_holds_one_file_per_entity_readable_with_utf8_sig(dataset):
    archive = zipfile.ZipFile(io.BytesIO(export.csv_zip(dataset)))
    assert archive.namelist() == [f"{e.table}.csv" for e in schema.ENTITIES] + ["说明.txt"]
    for entity in schema.ENTITIES:
        raw = archive.read(f"{entity.table}.csv")
        assert raw.startswith(b"\xef\xbb\xbf"), entity.table  # BOM: Excel and WPS read UTF-8
        frame = pd.read_csv(io.BytesIO(raw), encoding="utf-8-sig", dtype=str, keep_default_na=False)
        assert list(frame.columns) == [c.label for c in entity.all_columns]
        assert len(frame) == len(dataset.frames()[entity.table])
    villages = pd.read_csv(archive.open("villages.csv"), encoding="utf-8-sig", dtype=str)
    assert set(villages["村代码"]) == set(dataset.villages["code"])
    assert set(villages["干净整洁村"]) <= {"是", "否"}
    assert "贫困村" in archive.read("说明.txt").decode("utf-8-sig")


def test_csv_defuses_formulas(small):
    archive = zipfile.ZipFile(io.BytesIO(export.csv_zip(small)))
    villages = pd.read_csv(archive.open("villages.csv"), encoding="utf-8-sig", dtype=str)
    assert villages["村名"].tolist() == ["'=1+1", "乾山村"]


# --- GeoJSON and GeoPackage ----------------------------------------------------------------
def test_geojson_has_every_village_with_its_properties(dataset):
    result = export.villages_geojson(dataset)
    assert result.skipped == ()
    collection = json.loads(result.data)
    assert collection["type"] == "FeatureCollection"
    features = collection["features"]
    assert len(features) == len(dataset.villages)
    first = dataset.villages.iloc[0]
    feature = next(f for f in features if f["properties"]["code"] == first["code"])
    assert feature["geometry"] == {"type": "Point", "coordinates": [first["lon"], first["lat"]]}
    assert feature["properties"]["name"] == first["name"]
    assert feature["properties"]["clean_village"] is bool(first["clean_village"])
    assert set(feature["properties"]) == set(schema.VILLAGES.column_names)


def test_geopackage_has_a_layer_per_spatial_entity_in_wgs84(dataset, tmp_path):
    result = export.geopackage(dataset)
    path = tmp_path / "q4.gpkg"
    path.write_bytes(result.data)
    layers = dict(pyogrio.list_layers(path))
    assert set(layers) == {"villages", "parks", "enterprises", "cooperatives", "aquaculture"}
    assert layers["villages"] == "Point"
    for name in layers:
        info = pyogrio.read_info(path, layer=name)
        assert info["crs"] == "EPSG:4326", name
        assert info["features"] == len(dataset.frames()[name]), name
    villages = pyogrio.read_dataframe(path, layer="villages")
    assert villages["code"].tolist() == dataset.villages["code"].tolist()
    assert villages.geometry.x.round(5).tolist() == dataset.villages["lon"].round(5).tolist()


def test_bad_wkt_is_skipped_and_named_not_a_crash(small, tmp_path):
    result = export.geopackage(small)
    path = tmp_path / "small.gpkg"
    path.write_bytes(result.data)
    assert pyogrio.read_info(path, layer="aquaculture")["features"] == 1
    assert len(result.skipped) == 2
    assert "水产养殖 [A2]（网箱A2）" in result.skipped[0] and "POINT (1 2" in result.skipped[0]
    assert "[A3]" in result.skipped[1]


def test_spatial_entities_follow_the_schema():
    names = [e.table for e in export.spatial_entities()]
    assert names[:5] == ["villages", "parks", "enterprises", "cooperatives", "aquaculture"]


# --- tables shown on a page ----------------------------------------------------------------
def test_village_table_workbook_and_csv_keep_codes(dataset):
    table = tables.village_table(dataset)
    sheet = open_workbook(export.table_workbook(table, "村庄列表")).active
    assert sheet.title == "村庄列表"
    header = [c.value for c in sheet[1]]
    assert header == list(table.columns)
    codes = [row[header.index("代码")] for row in sheet.iter_rows(min_row=2)]
    assert [c.value for c in codes] == table["代码"].tolist()
    assert {c.data_type for c in codes} == {"s"}
    assert [c.value for c in sheet[2]][header.index("贫困户")] == table["贫困户"].iloc[0]
    frame = pd.read_csv(io.BytesIO(export.table_csv(table)), encoding="utf-8-sig", dtype={"代码": str})
    assert frame["代码"].tolist() == table["代码"].tolist()
    assert list(frame.columns) == list(table.columns)


def test_unknown_format_is_a_chinese_error(dataset):
    with pytest.raises(export.ExportError, match="不支持的导出格式"):
        export.export(dataset, "pdf")
