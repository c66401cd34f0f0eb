"""spreadsheet: a UTF-16 CSV (Excel's "Unicode 文本") is refused with the way out, not as
"不是电子表格"; UTF-8 and GBK files and binary junk keep their answers."""
from __future__ import annotations

import codecs

import pytest

from fupin_geo.data import spreadsheet
from fupin_geo.data.spreadsheet import FileRefused

CSV_TEXT = "县区代码,村名,贫困户数\n440823,官湖村,12\n440825,一村,7\n"
WAY_OUT = "请另存为 UTF-8 或 GBK 编码的 CSV"


@pytest.mark.parametrize("data", [
    CSV_TEXT.encode("utf-16"),  # with BOM, as Excel saves it
    codecs.BOM_UTF16_BE + CSV_TEXT.encode("utf-16-be"),
    CSV_TEXT.encode("utf-16-le"),  # without BOM
    CSV_TEXT.encode("utf-16-be"),
    # mostly CJK (U+4E00 is 00 4E: NULs on the "wrong" side too), commas and line ends
    ("一二三四五六七八九十一丁七万丈三上下,1\n" * 30).encode("utf-16-le"),
], ids=["bom-le", "bom-be", "le", "be", "cjk-le"])
@pytest.mark.parametrize("name", ["台账.csv", "台账.txt"])
def test_a_utf16_csv_is_refused_with_the_way_out(name, data):
    with pytest.raises(FileRefused) as refused:
        spreadsheet.read(name, data)
    message = str(refused.value)
    assert WAY_OUT in message and "UTF-16" in message and "不是电子表格" not in message
    assert name in message


def test_decode_text_refuses_utf16_rather_than_reading_nonsense():
    with pytest.raises(FileRefused, match=WAY_OUT):
        spreadsheet.decode_text(CSV_TEXT.encode("utf-16"))


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_utf8_and_gbk_csv_still_read(encoding):
    book = spreadsheet.read("台账.csv", CSV_TEXT.encode(encoding))
    assert book.sheets[0].rows[1] == ("440823", "官湖村", "12")


@pytest.mark.parametrize("data", [b"\x00\x01\x02binary" * 50, bytes(range(256)) * 8, b"\x00" * 1000])
def test_binary_junk_is_still_not_a_spreadsheet(data):
    with pytest.raises(FileRefused, match="不是电子表格"):
        spreadsheet.read("台账.csv", data)
