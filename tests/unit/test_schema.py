"""schema.validate: types are coerced, and every bad record is named in Chinese."""
from __future__ import annotations

import pandas as pd
import pytest

from fupin_geo import config
from fupin_geo.data import schema
from fupin_geo.data.schema import SchemaError

GOOD_VILLAGE = dict(
    code="440882101201", name="北和村", county_code="440882", town_code="440882101",
    lon=110.1, lat=20.9, position_quality="近似", households=300, poor_households=40,
    poor_people=120, poor_households_in_coop=20, labour_households=30,
    labour_households_in_project=10, poor_labourers=45, trained_labourers=20, toilet_rate=0.9,
    clean_village=True, model_village=False, irrigation_project=False,
    quarter="2019Q4", source=config.DEMO_SOURCE,
)


def villages(*overrides: dict) -> pd.DataFrame:
    # object columns, as an importer builds them: Arrow strings cannot even hold a lone surrogate
    return pd.DataFrame([{**GOOD_VILLAGE, **o} for o in overrides], dtype=object)


def error_of(entity, frame) -> SchemaError:
    with pytest.raises(SchemaError) as raised:
        schema.validate(entity, frame)
    return raised.value


# --- coercion ------------------------------------------------------------------------------
def test_text_from_a_ledger_is_coerced_to_the_column_types():
    # What an Excel/CSV ledger delivers: everything as text, 是/否 for booleans.
    raw = {k: str(v) for k, v in GOOD_VILLAGE.items()}
    raw.update(households="300", poor_households="40.0", toilet_rate="0.9",
               clean_village="是", model_village="否", irrigation_project="")
    clean = schema.validate(schema.VILLAGES, pd.DataFrame([raw]))
    row = clean.iloc[0]
    assert clean["households"].dtype == "int64" and row["households"] == 300
    assert row["poor_households"] == 40
    assert clean["toilet_rate"].dtype == "float64" and row["toilet_rate"] == pytest.approx(0.9)
    assert clean["clean_village"].dtype == bool
    assert (bool(row["clean_village"]), bool(row["model_village"]), bool(row["irrigation_project"])) == (
        True, False, False)
    assert clean.columns.tolist() == schema.VILLAGES.column_names


@pytest.mark.parametrize("text, expected", [("true", True), ("1", True), ("√", True), ("是", True),
                                            ("false", False), ("0", False), ("否", False)])
def test_boolean_spellings(text, expected):
    clean = schema.validate(schema.VILLAGES, villages({"clean_village": text}))
    assert bool(clean["clean_village"].iloc[0]) is expected


def test_text_is_stripped_and_an_optional_column_may_be_empty():
    park = dict(id=" P1 ", name="产业园", level="省", product="菠萝", county_code="440825", lon=110.2,
                lat=20.4, year="2019", lead_enterprises=None, quarter="2019Q4", source="x")
    clean = schema.validate(schema.PARKS, pd.DataFrame([park]))
    assert clean["id"].iloc[0] == "P1"
    assert clean["year"].iloc[0] == 2019
    assert pd.isna(clean["lead_enterprises"].iloc[0])


def test_empty_frame_of_each_entity_has_its_columns():
    for entity in schema.ENTITIES:
        frame = schema.empty(entity)
        assert frame.empty and frame.columns.tolist() == entity.column_names


# --- errors name the entity, the record and the field ----------------------------------------
def test_non_numeric_poor_households_names_village_key_name_and_field():
    error = error_of(schema.VILLAGES, villages({}, {"code": "440882101202", "name": "南兴村",
                                                   "poor_households": "四十"}))
    assert len(error.errors) == 1
    text = str(error)
    assert "贫困村" in text  # the entity
    assert "第2条" in text and "440882101202" in text and "南兴村" in text  # the record
    assert "「贫困户数」" in text and "整数" in text and "四十" in text  # the field and value
    assert "北和村" not in text  # the good record is not blamed


def test_a_fraction_is_not_a_household_count():
    text = str(error_of(schema.VILLAGES, villages({"poor_households": 12.5})))
    assert "「贫困户数」" in text and "整数" in text


def test_an_eleven_digit_village_code_is_rejected():
    bad = "44088210120"  # 11 digits
    text = str(error_of(schema.VILLAGES, villages({"code": bad})))
    assert "「村代码」格式不对" in text and bad in text


def test_unknown_product_category_is_named_with_the_allowed_ones():
    frame = pd.DataFrame([dict(village_code="440882101201", product="菠萝", category="水果",
                               quarter="2019Q4", source="x")])
    text = str(error_of(schema.PRODUCTS, frame))
    assert "一村一品" in text and "440882101201/菠萝" in text
    assert "「类别」" in text and "水果" in text
    for allowed in config.PRODUCT_CATEGORIES:
        assert allowed in text


def test_duplicate_key_in_one_quarter_is_an_error_but_not_across_quarters():
    text = str(error_of(schema.VILLAGES, villages({}, {"name": "同码村"})))
    assert "重复记录" in text and "440882101201" in text and "第2条" in text
    # the same village in two quarters is two versions, not a duplicate
    assert len(schema.validate(schema.VILLAGES, villages({}, {"quarter": "2019Q3"}))) == 2


def test_missing_column_is_named_by_its_chinese_label():
    frame = villages({}).drop(columns=["poor_households", "toilet_rate"])
    error = error_of(schema.VILLAGES, frame)
    text = str(error)
    assert "贫困村" in text and "表头" in text
    assert "贫困户数" in text and "无害化卫生户厕普及率" in text


@pytest.mark.parametrize("override, label", [
    ({"toilet_rate": 1.2}, "「无害化卫生户厕普及率」不应大于 1"),
    ({"households": -1}, "「总户数」不应小于 0"),
    ({"lon": 10.0}, "「经度」不应小于 73"),
    ({"position_quality": "大概"}, "「位置精度」应为 实测/地图标注/近似 之一"),
    ({"quarter": "2019Q5"}, "「季度」格式不对"),
    ({"name": ""}, "缺少「村名」"),
    ({"clean_village": "也许"}, "「干净整洁村」应为是/否"),
])
def test_each_kind_of_bad_value_is_described(override, label):
    assert label in str(error_of(schema.VILLAGES, villages(override)))


def test_all_bad_records_are_reported_at_once_and_long_lists_are_cut():
    frame = villages(*({"code": f"4408821012{i:02d}", "poor_households": "x"} for i in range(25)))
    error = error_of(schema.VILLAGES, frame)
    assert len(error.errors) == 25
    text = str(error)
    assert text.count("「贫困户数」") == 20 and "另有 5 处错误" in text


def test_schema_error_is_a_value_error():
    assert issubclass(SchemaError, ValueError)


# --- values that once slipped through or ended in a traceback -------------------------------
@pytest.mark.parametrize("override, label", [
    ({"lon": "nan"}, "「经度」应为数字"),  # the 总览 map lost every village: Invalid LatLng
    ({"lat": "inf"}, "「纬度」应为数字"),
    ({"toilet_rate": float("-inf")}, "「无害化卫生户厕普及率」应为数字"),
    ({"name": "   "}, "缺少「村名」"),
    ({"name": "\u3000"}, "缺少「村名」"),  # ideographic space
    ({"name": "\u200b"}, "缺少「村名」"),  # zero-width space
    ({"code": "٤٤٠٨٨٢١٠١٢٠١"}, "「村代码」格式不对"),  # Arabic-Indic digits match \d
    ({"code": "４４０８８２１０１２０１"}, "「村代码」格式不对"),  # full-width digits
    ({"county_code": "４４０８８２"}, "「县区代码」格式不对"),
    ({"quarter": "２０１９Q4"}, "「季度」格式不对"),
    ({"county_code": "999999"}, "「县区代码」不是湛江市的县区代码"),  # was KeyError 未知区县代码
    ({"county_code": "450202"}, "「县区代码」不是湛江市的县区代码"),  # a 柳州 district
    ({"households": 1e20}, "「总户数」超出可保存的范围"),  # was OverflowError
    ({"households": "1e20"}, "「总户数」超出可保存的范围"),
    ({"households": 10**400}, "「总户数」应为整数"),
    ({"households": "-5"}, "「总户数」不应小于 0"),
    ({"name": "官\ud800湖村"}, "「村名」含有无法保存的字符"),  # was UnicodeEncodeError
    ({"name": "官\x00湖村"}, "「村名」含有无法保存的字符"),
])
def test_values_that_used_to_slip_through_are_schema_errors(override, label):
    error = error_of(schema.VILLAGES, villages(override))
    text = str(error)
    assert label in text, text
    text.encode("utf-8")  # the message itself can be printed and stored


def test_a_bad_value_in_the_message_is_cut_and_printable():
    text = str(error_of(schema.VILLAGES, villages({"code": "x" * 5000, "name": "\ud800" * 3})))
    assert len(text) < 400 and "x" * schema.SHOWN_CHARS + "…" in text
    assert "\\ud800" in text
    text.encode("utf-8")


@pytest.mark.parametrize("wkt, label", [
    ("POINT (1 2", "不是有效的 WKT 几何"),  # was GEOSException in the map
    ("POINT EMPTY", "是空几何"),
    ("POINT (1 2)", "坐标不在中国经纬度范围内"),
    ("POLYGON ((110 20, 110.1 20, 110.1 nan, 110 20))", "坐标不在中国经纬度范围内"),
])
def test_aquaculture_geometry_must_parse_and_lie_in_range(wkt, label):
    site = dict(id="A1", name="网箱", kind="深水网箱", county_code="440882", geometry_wkt=wkt, area_mu=10,
                quarter="2019Q4", source="x")
    assert label in str(error_of(schema.AQUACULTURE, pd.DataFrame([site])))
    good = schema.validate(schema.AQUACULTURE, pd.DataFrame([site | {"geometry_wkt": "POINT (110.1 20.9)"}]))
    assert good["geometry_wkt"].tolist() == ["POINT (110.1 20.9)"]


def test_pairings_know_which_city_each_code_belongs_to():
    pair = dict(zj_county_code="440823", lz_county_code="450224", quarter="2019Q4", source="x")
    assert len(schema.validate(schema.PAIRINGS, pd.DataFrame([pair]))) == 1
    text = str(error_of(schema.PAIRINGS, pd.DataFrame([pair | {"zj_county_code": "450224"}])))
    assert "「湛江县区」不是湛江市的县区代码" in text


def test_check_keeps_the_good_records_and_names_the_bad():
    frame = villages({}, {"code": "440882101202", "name": "坏村", "lon": "abc"},
                     {"code": "440882101203", "name": "好村"}, {"code": "440882101203", "name": "重复村"})
    clean, errors = schema.check(schema.VILLAGES, frame)
    assert clean["code"].tolist() == ["440882101201", "440882101203"]
    assert clean["lon"].dtype == "float64" and clean.index.tolist() == [0, 1]
    assert [(e.record, e.message.split("，")[0]) for e in errors] == [
        ("第2条 [440882101202]（坏村）", "「经度」应为数字"), ("第4条 [440882101203]（重复村）", "重复记录")]
