"""A ledger file changes only what it names: other counties, other tables and unlisted records
stay; deletions happen only when asked, are listed first and keep references whole; a new
quarter starts from the last one; two editors never undo each other."""
from __future__ import annotations

import io

import openpyxl
import pandas as pd
import pytest

from fupin_geo.data import ledger
from fupin_geo.data import ledger_merge, schema, template
from fupin_geo.data.ledger_merge import Replacement
from fupin_geo.data.dataset import Dataset
from fupin_geo.data.store import StoreError

QUARTER, NEW_QUARTER = "2019Q4", "2020Q1"
SUIXI, LEIZHOU = "440823", "440882"


@pytest.fixture
def store(q4_store):
    return q4_store


def county_of(table: str, frame: pd.DataFrame) -> pd.Series:
    return ledger_merge.record_counties(schema.BY_TABLE[table], frame)


def only(dataset: Dataset, county: str, tables=None) -> dict[str, pd.DataFrame]:
    """`dataset`'s records of `county` (of `tables`, or all tables)."""
    return {name: frame[(county_of(name, frame) == county).to_numpy()]
            for name, frame in dataset.frames().items() if tables is None or name in tables}


def as_file(quarter: str, frames: dict[str, pd.DataFrame]) -> bytes:
    """A workbook in the export layout holding `frames` (other sheets empty)."""
    return template.workbook(Dataset.from_frames(quarter, {n: f.assign(quarter=quarter) for n, f in frames.items()}))


def others(dataset: Dataset, county: str) -> dict[str, pd.DataFrame]:
    """Every record not of `county`, sorted, without quarter columns: what must not change."""
    out = {}
    for name, frame in dataset.frames().items():
        entity = schema.BY_TABLE[name]
        keep = frame[(county_of(name, frame) != county).to_numpy()]
        kept = keep.drop(columns=["quarter", "reported_quarter"])
        out[name] = kept.sort_values(list(entity.key)).reset_index(drop=True)
    return out


def assert_same(before: dict[str, pd.DataFrame], after: dict[str, pd.DataFrame]) -> None:
    for name in before:
        pd.testing.assert_frame_equal(before[name], after[name], check_dtype=False, obj=name)


def check(store, data: bytes, quarter=QUARTER, **options):
    return ledger.check(store, "台账.xlsx", data, quarter, **options)


def errors(preview) -> list[str]:
    return [p.message for p in preview.ledger.errors]


# --- one sheet filled, one county's file ----------------------------------------------------
def test_the_template_with_only_one_countys_villages_filled_changes_nothing_else(store):
    current = store.load(QUARTER)
    book = openpyxl.load_workbook(io.BytesIO(template.template(current)))  # with example rows
    sheet = book["贫困村"]
    header_row = next(r for r in range(1, 10) if sheet.cell(row=r, column=1).value == "村代码")
    header = [cell.value for cell in sheet[header_row]]
    by_header = {schema.header(c): c.name for c in schema.VILLAGES.all_columns}
    suixi = current.villages[current.villages["county_code"] == SUIXI].copy()
    suixi["households"] += 1  # this quarter's figures
    for record in suixi.to_dict("records"):
        row = []
        for label in header:
            value = record.get(by_header.get(label))
            row.append(("是" if value else "否") if isinstance(value, bool) else
                       (None if value is None or pd.isna(value) else value))
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)

    preview = check(store, buffer.getvalue())
    assert preview.ok, errors(preview)
    assert preview.deleted.empty
    assert preview.ledger.imported == ["villages"]  # sheets of example rows are not imported
    counts = preview.changes.counts().set_index("表")
    assert counts.loc["贫困村", "修改"] == len(suixi) and counts.loc["贫困村", "删除"] == 0
    assert list(counts.index) == ["贫困村"]
    ledger.commit(store, preview, user="遂溪录入员")
    after = store.load(QUARTER)
    assert_same(others(current, SUIXI), others(after, SUIXI))
    for name, frame in current.frames().items():  # no table lost a record
        assert len(after.frames()[name]) == len(frame), name


def test_one_countys_file_updates_that_county_and_keeps_every_other(store):
    current = store.load(QUARTER)
    leizhou = only(current, LEIZHOU)
    leizhou["villages"] = leizhou["villages"].assign(households=leizhou["villages"]["households"] + 5)
    preview = check(store, as_file(QUARTER, leizhou))
    assert preview.ok, errors(preview)
    assert preview.deleted.empty
    ledger.commit(store, preview, user="雷州录入员")
    after = store.load(QUARTER)
    assert_same(others(current, LEIZHOU), others(after, LEIZHOU))
    mine = after.villages[after.villages["county_code"] == LEIZHOU].set_index("code")["households"]
    assert (mine == leizhou["villages"].set_index("code")["households"]).all()


def test_records_of_the_files_county_it_does_not_list_are_kept_and_named(store):
    current = store.load(QUARTER)
    suixi = only(current, SUIXI, ["villages"])["villages"]
    left_out = suixi.iloc[:3]
    preview = check(store, as_file(QUARTER, {"villages": suixi.iloc[3:]}))
    assert preview.ok and preview.deleted.empty
    kept = preview.merge.kept.set_index("表").loc["贫困村"]
    assert kept["县区"] == "遂溪县" and kept["条数"] == 3
    for name in left_out["name"]:
        assert name in kept["记录"]
    assert set(left_out["code"]) <= set(preview.dataset.villages["code"])


# --- deletions: only when asked, listed, references whole ------------------------------------
def marked_for_deletion(frame: pd.DataFrame, table: str, marks: dict[str, str]) -> bytes:
    """An .xlsx of `frame` in the export layout with a 删除 column (marks: key -> cell)."""
    book = openpyxl.load_workbook(io.BytesIO(as_file(QUARTER, {table: frame})))
    sheet = book[schema.BY_TABLE[table].label]
    sheet.cell(row=1, column=sheet.max_column + 1, value="删除")
    key = schema.BY_TABLE[table].key[0]
    for row, value in enumerate(frame[key], start=2):
        sheet.cell(row=row, column=sheet.max_column, value=marks.get(value))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def a_village_with_dependants(dataset: Dataset) -> str:
    with_products = set(dataset.products["village_code"]) & set(dataset.cooperatives["village_code"])
    return sorted(with_products)[0]


def test_a_row_marked_for_deletion_that_others_point_at_is_refused_with_the_referring_records(store):
    current = store.load(QUARTER)
    code = a_village_with_dependants(current)
    villages = current.villages[current.villages["code"] == code]
    preview = check(store, marked_for_deletion(villages, "villages", {code: "是"}))
    assert not preview.ok
    message = " ".join(errors(preview))
    assert "仍引用已删除的贫困村" in message and "一村一品" in message and "合作社" in message
    products = current.products[current.products["village_code"] == code]
    assert f"{code}/{products['product'].iloc[0]}" in message


def test_deleting_dependants_when_asked_lists_every_deleted_record_first(store):
    current = store.load(QUARTER)
    code = a_village_with_dependants(current)
    villages = current.villages[current.villages["code"] == code]
    preview = check(store, marked_for_deletion(villages, "villages", {code: "是"}), delete_dependants=True)
    assert preview.ok, errors(preview)
    deleted = preview.deleted
    assert ("贫困村", "文件中“删除”列为“是”") in set(zip(deleted["表"], deleted["原因"]))
    coops = current.cooperatives[current.cooperatives["village_code"] == code]
    linked = current.linkages[(current.linkages["village_code"] == code)
                              | ((current.linkages["source_type"] == "合作社")
                                 & current.linkages["source_id"].isin(coops["id"]))]
    products = current.products[current.products["village_code"] == code]
    expected = 1 + len(coops) + len(linked.drop_duplicates()) + len(products) + \
        int((current.park_villages["village_code"] == code).sum()) + \
        int((current.village_infrastructure["village_code"] == code).sum())
    assert len(deleted) == expected
    assert preview.mass_deletion == (expected > ledger_merge.MASS_DELETION_RECORDS)
    number = ledger.commit(store, preview, user="clerk", confirm_mass_deletion=True)
    after = store.load(QUARTER, number)
    assert code not in set(after.villages["code"])
    assert len(after.villages) == len(current.villages) - 1
    assert code not in set(after.products["village_code"]) | set(after.linkages["village_code"])


def test_replacing_a_county_deletes_its_unlisted_records_after_a_second_confirmation(store):
    current = store.load(QUARTER)
    suixi = only(current, SUIXI)
    dropped = suixi["linkages"].iloc[:12]
    suixi["linkages"] = suixi["linkages"].iloc[12:]
    data = as_file(QUARTER, {"linkages": suixi["linkages"]})
    quiet = check(store, data)
    assert quiet.ok and quiet.deleted.empty  # without the choice nothing is deleted
    preview = check(store, data, replacement=Replacement(frozenset({SUIXI})))
    assert preview.ok, errors(preview)
    assert len(preview.deleted) == len(dropped) and set(preview.deleted["县区"]) == {"遂溪县"}
    assert set(preview.deleted["原因"]) == {"替换遂溪县"}
    assert preview.mass_deletion  # 12 > 10
    with pytest.raises(StoreError, match="确认删除"):
        ledger.commit(store, preview, user="clerk")
    assert store.latest_revision(QUARTER) == 1
    ledger.commit(store, preview, user="clerk", confirm_mass_deletion=True)
    after = store.load(QUARTER)
    assert len(after.linkages) == len(current.linkages) - len(dropped)
    assert_same(others(current, SUIXI), others(after, SUIXI))


def test_a_record_of_the_file_pointing_at_a_village_that_is_nowhere_is_an_error_at_its_row(store):
    current = store.load(QUARTER)
    coop = current.cooperatives.iloc[[0]].assign(id="新合作社", village_code="440823115299")
    preview = check(store, as_file(QUARTER, {"cooperatives": coop}))
    assert not preview.ok
    problem = next(p for p in preview.ledger.errors if p.row is not None)
    assert problem.row == 2 and problem.column == "所在村代码" and "贫困村" in problem.message


# --- a new quarter ---------------------------------------------------------------------------
def test_a_new_quarter_starts_from_the_last_one_and_says_who_has_reported(store):
    current = store.load(QUARTER)
    suixi = only(current, SUIXI, ["villages"])["villages"]
    preview = check(store, as_file(NEW_QUARTER, {"villages": suixi}), quarter=NEW_QUARTER)
    assert preview.ok, errors(preview)
    assert preview.carried_from == QUARTER and preview.deleted.empty
    ledger.commit(store, preview, user="遂溪录入员")
    after = store.load(NEW_QUARTER)
    for name, frame in current.frames().items():
        assert len(after.frames()[name]) == len(frame), name
    assert_same(others(current, SUIXI), others(after, SUIXI))
    villages = after.villages.set_index("code")
    assert (villages.loc[suixi["code"], "reported_quarter"] == NEW_QUARTER).all()
    assert (villages.loc[villages["county_code"] != SUIXI, "reported_quarter"] == QUARTER).all()
    status = ledger_merge.reporting_status(after).set_index("县区")
    assert status.loc["遂溪县", "状态"] == ledger_merge.PARTLY  # only its villages so far
    assert status.loc["雷州市", "状态"] == ledger_merge.CARRIED and status.loc["雷州市", "沿用自"] == QUARTER
    line = ledger_merge.reporting_line(after)
    assert "沿用 2019Q4" in line and "雷州市" in line
    assert ledger_merge.reporting_line(current) is None  # every county reported 2019Q4


def test_an_unchanged_file_saves_no_version(store):
    current = store.load(QUARTER)
    preview = check(store, as_file(QUARTER, only(current, LEIZHOU)))
    assert preview.ok and preview.unchanged
    with pytest.raises(StoreError, match="没有变化"):
        ledger.commit(store, preview, user="clerk")
    assert store.latest_revision(QUARTER) == 1


# --- two editors -----------------------------------------------------------------------------
def test_two_editors_changing_different_tables_both_keep_their_change(store):
    current = store.load(QUARTER)
    enterprises = current.enterprises.iloc[[0]].assign(name="甲改的企业名")
    coops = current.cooperatives.iloc[[0]].assign(members=current.cooperatives["members"].iloc[0] + 7)
    a = check(store, as_file(QUARTER, {"enterprises": enterprises}))
    b = check(store, as_file(QUARTER, {"cooperatives": coops}))  # checked before A commits
    ledger.commit(store, a, user="甲")
    number = ledger.commit(store, b, user="乙")
    after = store.load(QUARTER, number)
    assert after.enterprises.set_index("id").loc[enterprises["id"].iloc[0], "name"] == "甲改的企业名"
    assert after.cooperatives.set_index("id").loc[coops["id"].iloc[0], "members"] == coops["members"].iloc[0]


def test_two_editors_changing_the_same_record_the_second_is_refused_and_told_who(store):
    current = store.load(QUARTER)
    first = current.enterprises.iloc[[0]].assign(name="甲改的企业名")
    second = current.enterprises.iloc[[0]].assign(name="乙改的企业名")
    a = check(store, as_file(QUARTER, {"enterprises": first}))
    b = check(store, as_file(QUARTER, {"enterprises": second}))
    ledger.commit(store, a, user="甲")
    with pytest.raises(StoreError, match="甲 于 .*北京时间.*第 2 版") as refused:
        ledger.commit(store, b, user="乙")
    assert first["id"].iloc[0] in str(refused.value)
    assert store.latest_revision(QUARTER) == 2
    assert store.load(QUARTER).enterprises.set_index("id").loc[first["id"].iloc[0], "name"] == "甲改的企业名"


def test_placing_a_village_keeps_an_import_that_lands_while_it_saves(store, monkeypatch):
    current = store.load(QUARTER)
    enterprises = current.enterprises.iloc[[0]].assign(name="甲改的企业名")
    preview = check(store, as_file(QUARTER, {"enterprises": enterprises}))
    village = current.villages.iloc[0]
    load = store.load

    def load_then_someone_commits(*args, **kwargs):  # 甲 commits right after 乙's read
        loaded = load(*args, **kwargs)
        if store.latest_revision(QUARTER) == 1:
            ledger.commit(store, preview, user="甲")
        return loaded

    monkeypatch.setattr(store, "load", load_then_someone_commits)
    ledger.place_village(store, QUARTER, village["code"], float(village["lon"]) + 0.001, float(village["lat"]), "乙")
    after = load(QUARTER)
    assert store.latest_revision(QUARTER) == 3
    assert after.enterprises.set_index("id").loc[enterprises["id"].iloc[0], "name"] == "甲改的企业名"
    assert after.villages.set_index("code").loc[village["code"], "position_quality"] == "地图标注"


def test_a_restore_chosen_before_a_newer_revision_landed_is_refused(store):
    from fupin_geo.data.store import StaleRevision

    current = store.load(QUARTER)
    preview = check(store, as_file(QUARTER, {"enterprises": current.enterprises.iloc[[0]].assign(name="甲改的企业名")}))
    ledger.commit(store, preview, user="甲")  # revision 2
    seen = 2
    preview = check(store, as_file(QUARTER, {"enterprises": current.enterprises.iloc[[0]].assign(name="乙改的企业名")}))
    ledger.commit(store, preview, user="乙")  # revision 3, after the restore form was drawn
    with pytest.raises(StaleRevision):
        store.restore(QUARTER, 1, author="管理员", expected_latest=seen)
    assert store.latest_revision(QUARTER) == 3
    assert store.restore(QUARTER, 1, author="管理员", expected_latest=3) == 4


# --- as a new clerk would: two kinds of file, into an existing and into a new quarter ---------
def _template_with_one_county(current: Dataset) -> bytes:
    """The downloaded template (example rows and all) with only 贫困村 filled, for 遂溪县."""
    book = openpyxl.load_workbook(io.BytesIO(template.template(current)))
    sheet = book["贫困村"]
    header_row = next(r for r in range(1, 10) if sheet.cell(row=r, column=1).value == "村代码")
    by_header = {schema.header(c): c.name for c in schema.VILLAGES.all_columns}
    labels = [cell.value for cell in sheet[header_row]]
    for record in _suixi_villages(current).assign(quarter=None, source=None).to_dict("records"):  # left blank
        sheet.append([_cell(record.get(by_header.get(label))) for label in labels])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _government_sheet(current: Dataset) -> bytes:
    """遂溪县's villages on a form as the county bureau keeps it: title, 填报单位 block, 序号,
    a 合计 row with a formula, a signature footer."""
    villages = _suixi_villages(current)
    columns = [c for c in schema.VILLAGES.columns]
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "遂溪县贫困村台账"
    sheet.append(["遂溪县2020年第一季度产业扶贫台账"])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(columns) + 1)
    sheet.append(["填报单位：遂溪县农业农村局", None, None, "填报日期：2020年4月10日"])
    sheet.append(["序号", *[c.label for c in columns]])
    for number, record in enumerate(villages.to_dict("records"), start=1):
        sheet.append([number, *[_cell(record[c.name]) for c in columns]])
    first, last = 4, 3 + len(villages)
    households = columns.index(schema.VILLAGES.column("households")) + 2
    letter = openpyxl.utils.get_column_letter(households)
    total = ["合计"] + [None] * len(columns)
    total[households - 1] = f"=SUM({letter}{first}:{letter}{last})"
    sheet.append(total)
    sheet.append(["填表人：张三", None, "审核人：李四", None, "联系电话：0759-7771234"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _suixi_villages(current: Dataset) -> pd.DataFrame:
    villages = current.villages[current.villages["county_code"] == SUIXI].copy()
    villages["households"] += 3  # this quarter's figures
    return villages


def _cell(value):
    if isinstance(value, bool):
        return "是" if value else "否"
    return None if value is None or (not isinstance(value, str) and pd.isna(value)) else value


@pytest.mark.parametrize("quarter", [QUARTER, NEW_QUARTER])
@pytest.mark.parametrize("make", [_template_with_one_county, _government_sheet], ids=["template", "government"])
def test_a_clerks_file_changes_its_county_and_leaves_every_other_record_as_it_was(store, make, quarter):
    current = store.load(QUARTER)
    preview = check(store, make(current), quarter=quarter)
    assert preview.ok, errors(preview)
    assert preview.deleted.empty
    assert preview.ledger.imported == ["villages"]
    ledger.commit(store, preview, user="遂溪录入员")
    after = store.load(quarter)
    assert_same(others(current, SUIXI), others(after, SUIXI))
    for name, frame in current.frames().items():
        assert len(after.frames()[name]) == len(frame), name
    mine = after.villages[after.villages["county_code"] == SUIXI].set_index("code")["households"]
    assert (mine == _suixi_villages(current).set_index("code")["households"]).all()


def test_replacing_a_countys_cooperatives_without_one_that_has_linkages_is_refused(store):
    current = store.load(QUARTER)
    linked = current.linkages[current.linkages["source_type"] == "合作社"]
    coops = current.cooperatives[current.cooperatives["village_code"].str.startswith(SUIXI)]
    dropped = coops[coops["id"].isin(linked["source_id"])].iloc[0]
    data = as_file(QUARTER, {"cooperatives": coops[coops["id"] != dropped["id"]]})
    preview = check(store, data, replacement=Replacement(frozenset({SUIXI})))
    assert not preview.ok
    message = " ".join(errors(preview))
    assert "「联农带农关系」中有" in message and "仍引用已删除的合作社" in message
    assert f"合作社/{dropped['id']}/" in message  # the linkage is named by its key
    with pytest.raises(StoreError):
        ledger.commit(store, preview, user="clerk")
    assert store.latest_revision(QUARTER) == 1
