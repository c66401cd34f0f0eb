"""Text from URLs and data reaches the screen as literal text, and broken stored rows end in
one Chinese message, never a traceback. What Streamlit is given is rendered with a CommonMark
parser (Streamlit's markdown is CommonMark, with GFM's extensions): no link, image or HTML may
come out of it, nor a bare address that GFM would link (gfm_autolinks), and its visible text
must be the value as typed."""
from __future__ import annotations

import html
import json
import re
import shutil
import unicodedata

import pytest
import sqlalchemy as sa
from markdown_it import MarkdownIt
from streamlit.testing.v1 import AppTest

from fupin_geo import config
from fupin_geo.data import demo
from fupin_geo.data.store import REVISIONS, TABLES, Store, now_iso
from fupin_geo.ui import md
from tests import mapscript
from tests.app import tab

INDUSTRY = "pages/industry_map.py"
OVERVIEW = "pages/overview.py"
COOPERATION = "pages/cooperation.py"
COMPONENT = "streamlit_folium.st_folium"
SANDUN = "440881108209"  # 三墩村, always in the demo

HOSTILE = [
    "![x](http://a.b/x.png)",
    "[a](https://phish.example/)",
    "<img src=x onerror=alert(1)>",
    "&lt;b&gt;",
    "{{7*7}}",
    "上行\n# 下行",
    ":red[红] $x^2$ :material/home: **粗** `码` ~~删~~ | 表 |",
    "长" * 5000,
]
MARKDOWN = MarkdownIt("commonmark").enable(["table", "strikethrough"])


def shown(markdown: str) -> str:
    """What a person sees of `markdown`; fails if it would draw a link, image or HTML, or if
    GFM would link a bare address in it."""
    rendered = MARKDOWN.render(markdown)
    tags = set(re.findall(r"<(\w+)", rendered))
    assert tags <= _OURS, (tags, markdown[:200])
    assert not gfm_autolinks(markdown), (gfm_autolinks(markdown), markdown[:200])
    return _INVISIBLE.sub("", html.unescape(re.sub(r"<[^>]+>", "", rendered))).strip()


# What a reader does not see: zero-width space and word joiner (md() puts the latter into
# addresses so that they are no links).
_INVISIBLE = re.compile("[\u200b\u2060]")


# --- GFM's literal autolinks ----------------------------------------------------------------------
# Streamlit renders markdown with remark-gfm, which also links bare addresses that CommonMark
# leaves as text, in two steps (micromark-extension-gfm-autolink-literal and
# mdast-util-gfm-autolink-literal 2, as bundled in Streamlit 1.67's StreamlitMarkdown.js):
# 1. while parsing, a literal http://, https://, www. or name@host in the source, which no
#    backslash escape interrupts;
# 2. afterwards, in each text node (escapes undone), these two patterns, where the character
#    before is none, whitespace or punctuation/symbol (and, for an e-mail, not "/"):
_GFM_URL = re.compile(r"(https?://|www(?=\.))([-.\w]+)([^ \t\r\n]*)", re.IGNORECASE | re.ASCII)
_GFM_EMAIL = re.compile(r"([-.\w+]+)@([-\w]+(?:\.[-\w]+)+)", re.ASCII)
_JS_WHITESPACE = set("\t\n\v\f\r \u00a0\u1680\u2028\u2029\u202f\u205f\u3000\ufeff"
                     + "".join(map(chr, range(0x2000, 0x200B))))
# Step 1, stricter than GFM (it does not check the character before): the source with every
# backslash escape blanked out.
_ESCAPE = re.compile(r"\\[!-/:-@\[-`{-~]")
_GFM_SYNTAX = re.compile(r"https?://[^\s\x00]|www\.[^\s\x00]|[-.\w+]@[-\w]+\.[-\w]", re.IGNORECASE | re.ASCII)


def _gfm_boundary(text: str, index: int, email: bool = False) -> bool:
    if index == 0:
        return True
    before = text[index - 1]
    return ((before in _JS_WHITESPACE or unicodedata.category(before)[0] in "PS")
            and not (email and before == "/"))


def _gfm_domain(domain: str) -> bool:
    parts = domain.split(".")
    return len(parts) >= 2 and not any(
        part and ("_" in part or not re.search(r"[a-zA-Z\d]", part)) for part in parts[-2:])


def _gfm_text_links(text: str) -> list[str]:
    found = []
    for pattern in (_GFM_URL, _GFM_EMAIL):
        start = 0
        while match := pattern.search(text, start):
            start = match.start() + 1
            if pattern is _GFM_URL:
                protocol, domain = match.group(1), match.group(2)
                if protocol.lower().startswith("w"):
                    domain = protocol + domain
                linked = _gfm_boundary(text, match.start()) and _gfm_domain(domain)
            else:
                linked = (_gfm_boundary(text, match.start(), email=True)
                          and not re.search(r"[-\d_]$", match.group(2)))
            if linked:
                found.append(match.group(0))
                start = match.end()
    return found


def _text_nodes(markdown: str):
    """The text of each run of text in `markdown` as parsed, escapes undone (a soft line break
    is part of the run, as in mdast; anything else ends it)."""
    for block in MARKDOWN.parse(markdown):
        run = ""
        for token in block.children or []:
            if token.type in ("text", "softbreak"):
                run += token.content if token.type == "text" else "\n"
            else:
                yield run
                run = ""
        yield run


def gfm_autolinks(markdown: str) -> list[str]:
    """The bare addresses GFM would turn into links in `markdown` (Streamlit's renderer)."""
    syntax = _GFM_SYNTAX.findall(_ESCAPE.sub("\x00", markdown))
    return syntax + [link for text in _text_nodes(markdown) for link in _gfm_text_links(text)]


# What our own markdown makes: paragraphs, the sidebar's and the card's headings, the card's
# bold labels and line breaks, the list of skipped records. Anything else came from a value.
_OURS = {"p", "h3", "h4", "strong", "br", "ul", "li"}


def literal(value: str) -> str:
    """The value as it should appear: on one line."""
    return re.sub(r"\s*\n\s*", " ", value)


def all_markdown(at: AppTest) -> list[str]:
    blocks = [*at.markdown, *at.caption, *at.success, *at.info, *at.warning, *at.error, *at.toast,
              *at.subheader, *at.title]
    return [b.value for b in blocks]


def open_app(page: str, query: dict[str, str] | None = None) -> AppTest:
    at = tab.app_test(90)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


# --- bare addresses -----------------------------------------------------------------------------
ADDRESSES = ["请联系管理员https://phish.example/login", "www.evil.example", "a@b.example", "![x](http://a.b/x.png)",
             "<img onerror>", "{{7*7}}", "HTTPS://PHISH.EXAMPLE", "mailto:a@b.example", "见（www.evil.example）"]
# Where a value lands in a message: first, after a colon, a space, a bracket or a letter.
PLACES = ["{}", "已忽略：{}", "请打开 {}", "（{}）", "联系{}"]


def test_md_leaves_no_address_that_gfm_would_link():
    linked = [(place, value, gfm_autolinks(place.format(md(value))))
              for value in ADDRESSES for place in PLACES if gfm_autolinks(place.format(md(value)))]
    assert not linked
    for value in ADDRESSES:
        for place in PLACES:
            assert shown(place.format(md(value))) == place.format(value)  # reads as typed


def test_the_gfm_check_finds_what_streamlits_renderer_links():
    """Seen in Chromium on Streamlit 1.67 (each markdown given to st.markdown): the check
    finds a link exactly where the page had an <a>."""
    linked = {"已忽略：www\\.evil\\.example": "www.evil.example", "已忽略：a\\@b\\.example": "a@b.example",
              "已忽略：\\!\\[x\\]\\(http\\:\\/\\/a\\.b\\/x\\.png\\)": "http://a.b/x.png",
              "已忽略：x https\\:\\/\\/phish\\.example\\/login": "https://phish.example/login",
              "已忽略：：https\\:\\/\\/phish\\.example\\/login": "https://phish.example/login",
              "请联系管理员https://phish.example/login": "https://"}
    for markdown, link in linked.items():
        assert any(link in found for found in gfm_autolinks(markdown)), markdown
    # escaped, and after a letter: GFM's second step needs space or punctuation before it
    assert not gfm_autolinks("已忽略：county\\=请联系管理员https\\:\\/\\/phish\\.example\\/login")


# --- values from the URL ------------------------------------------------------------------------
def test_addresses_in_link_values_are_no_links(app_env):
    county = ",".join(["请联系管理员https://phish.example/login", "www.phish.example", "a@b.example",
                       "请联系 https://phish.example/login"])
    at = open_app(INDUSTRY, {"county": county, "village": "（https://phish.example/login）"})
    (toast,) = at.toast
    text = shown(toast.value)
    for value in [*county.split(","), "（https://phish.example/login）"]:
        assert value in text, text
    for block in all_markdown(at):
        shown(block)


def test_link_values_reach_the_toast_as_text(app_env):
    at = open_app(INDUSTRY, {"village": "![u](http://evil.example/u.png)", "county": "![c](http://evil.example/c.png)",
                             "measure": "[请联系管理员](https://phish.example/)",
                             "town": "<img src=x onerror=alert(1)>"})
    (toast,) = at.toast
    text = shown(toast.value)
    for value in ("village=![u](http://evil.example/u.png)", "county=![c](http://evil.example/c.png)",
                  "measure=[请联系管理员](https://phish.example/)", "town=<img src=x onerror=alert(1)>"):
        assert value in text, text
    for block in all_markdown(at):
        shown(block)


def test_typed_search_queries_are_shown_as_text(app_env):
    at = open_app(INDUSTRY)
    for value in HOSTILE:
        (box,) = [t for t in at.text_input if t.label == "搜索贫困村"]
        box.input(value).run()
        assert not at.exception, [e.value for e in at.exception]
        (warning,) = [w for w in at.warning if w.value.startswith("没有找到")]
        assert f"没有找到“{literal(value)}”" in shown(warning.value)


# --- values from the data -----------------------------------------------------------------------
PAIRING_SOURCE = "湛柳结对名单，公开网页 https://phish.example/pairs?id=1。另见 www.evil.example"


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory):
    """The demo with hostile village, product, cooperative, park and source texts."""
    url = f"sqlite:///{tmp_path_factory.mktemp('hostile') / 'fupin.sqlite'}"
    datasets = demo.build_demo()
    q4 = datasets[-1]
    codes = [SANDUN] + [c for c in q4.villages["code"] if c != SANDUN][:len(HOSTILE) - 1]
    for dataset in datasets:
        villages = dataset.villages.set_index("code")
        for code, value in zip(codes, HOSTILE):
            villages.loc[code, "name"] = value
            villages.loc[code, "source"] = value
        dataset.villages = villages.reset_index()
        for code, value in zip(codes, HOSTILE):
            dataset.products.loc[dataset.products["village_code"] == code, "product"] = value
            dataset.cooperatives.loc[dataset.cooperatives["village_code"] == code, "name"] = value
        dataset.parks["name"] = [f"{HOSTILE[0]}{i}" for i in range(len(dataset.parks))]
        dataset.pairings["source"] = PAIRING_SOURCE
    Store(url).replace_all(datasets)
    return url, dict(zip(codes, HOSTILE)), q4.park_villages["village_code"].iloc[0]


def test_names_from_the_data_are_shown_as_text_on_the_industry_page(monkeypatch, hostile_db):
    url, named, in_a_park = hostile_db
    monkeypatch.setenv(config.DB_URL_ENV, url)
    at = open_app(INDUSTRY)
    for code, value in named.items():
        (box,) = [t for t in at.text_input if t.label == "搜索贫困村"]
        box.input(code).run()  # by code: the search's "已定位" message and the card
        assert not at.exception, [e.value for e in at.exception]
        blocks = [shown(b) for b in all_markdown(at)]
        assert f"已定位：{literal(value)}" in blocks
        assert literal(value) in blocks  # the card's heading, whole, on one line
        (heading,) = [m.value for m in at.markdown if m.value.startswith("#### ")]
        assert shown(heading) == literal(value)
        card = "\n".join(blocks)
        assert f"数据来源：{literal(value)}" in card  # the card's caption
        assert f"合作社：{literal(value)}" in card
        # a web address in the source is also shown as plain text to copy, never as a link
        for address in re.findall(r"https?://[^\s)]+", value):
            assert any(address in code.value for code in at.code), (address, [c.value for c in at.code])
    # the parks of a village in a park's scope, named like a markdown image
    box.input(in_a_park).run()
    assert any(f"所在产业园范围：{HOSTILE[0]}" in shown(b) for b in all_markdown(at))


def test_a_web_address_in_a_source_is_text_to_copy(monkeypatch, hostile_db):
    url, _, _ = hostile_db
    monkeypatch.setenv(config.DB_URL_ENV, url)
    at = open_app(COOPERATION)
    assert f"来源：{PAIRING_SOURCE}" in [shown(c.value) for c in at.caption]  # reads as stored, no link
    (code,) = [c.value for c in at.code]
    assert code.splitlines() == ["https://phish.example/pairs?id=1", "www.evil.example"]
    for block in all_markdown(at):
        shown(block)


def test_names_from_the_data_are_shown_as_text_on_the_overview(monkeypatch, hostile_db):
    url, named, _ = hostile_db
    monkeypatch.setenv(config.DB_URL_ENV, url)
    at = open_app(OVERVIEW)
    items = list(named.items())
    for code, value in (items[3], items[5], items[0]):  # &lt;b&gt;, a newline, an image
        (box,) = [s for s in at.selectbox if s.label == "查找贫困村"]
        box.select(code).run()
        assert not at.exception
        (heading,) = [m.value for m in at.markdown if m.value.startswith("#### ")]
        assert shown(heading) == literal(value)
        for block in all_markdown(at):
            shown(block)


# --- broken stored rows -------------------------------------------------------------------------
@pytest.fixture(scope="module")
def broken_db(tmp_path_factory, seeded_db_url):
    """The seeded demo copied, then spoiled straight in SQL, as a hand edit or a bad import would."""
    source = sa.engine.make_url(seeded_db_url).database
    target = tmp_path_factory.mktemp("broken") / "fupin.sqlite"
    shutil.copy(source, target)
    url = f"sqlite:///{target}"
    q4 = Store(url).load("2019Q4")
    codes = q4.villages["code"].tolist()[:5]
    names = dict(zip(q4.villages["code"], q4.villages["name"]))
    engine = sa.create_engine(url)
    with engine.begin() as c:
        where = "WHERE code = :code AND quarter = '2019Q4'"
        c.execute(sa.text(f"UPDATE villages SET lon = 'abc' {where}"), {"code": codes[0]})
        c.execute(sa.text(f"UPDATE villages SET households = -5 {where}"), {"code": codes[1]})
        c.execute(sa.text(f"UPDATE villages SET name = '' {where}"), {"code": codes[2]})
        c.execute(sa.text(f"UPDATE villages SET county_code = '999999' {where}"), {"code": codes[3]})
        c.execute(sa.text(f"UPDATE villages SET name = :name {where}"),
                  {"code": codes[4], "name": "![t](http://evil.example/t.png)村"})
        c.execute(sa.text(f"UPDATE villages SET poor_households = 'x' {where}"), {"code": codes[4]})
        # a village of 2019Q4 copied to a stray quarter "zzzz", written as a revision of its own
        columns = ", ".join(col.name for col in TABLES["villages"].columns)
        copied = ", ".join({"quarter": "'zzzz'", "revision": "1"}.get(col.name, col.name)
                           for col in TABLES["villages"].columns)
        c.execute(sa.text(f"INSERT INTO villages ({columns}) SELECT {copied} FROM villages"
                          " WHERE quarter = '2019Q4' AND code = :code AND revision ="
                          " (SELECT max(revision) FROM revisions WHERE quarter = '2019Q4')"), {"code": SANDUN})
        c.execute(sa.insert(REVISIONS), [dict(quarter="zzzz", revision=1, created_at=now_iso(),
                                              author="手工", kind="编辑", note="")])
        c.execute(sa.text("UPDATE aquaculture SET geometry_wkt = 'POINT (1 2' WHERE id = 'A01'"))
    engine.dispose()
    return url, codes, names, q4


def test_the_store_leaves_out_broken_rows_and_names_them(broken_db):
    url, codes, names, q4 = broken_db
    store = Store(url)
    assert store.quarters() == list(config.PLAN_QUARTERS)  # "zzzz" is no quarter
    dataset, errors = store.load_checked()
    assert dataset.quarter == "2019Q4"
    assert sorted(dataset.villages["code"]) == sorted(set(q4.villages["code"]) - set(codes))
    assert "A01" not in set(dataset.aquaculture["id"]) and len(dataset.aquaculture) == len(q4.aquaculture) - 1
    text = "\n".join(map(str, errors))
    for code in codes:
        assert code in text
    assert "「经度」应为数字" in text and "「总户数」不应小于 0" in text and "缺少「村名」" in text
    assert "不是湛江市的县区代码" in text and "「季度」格式不对：“zzzz”" in text
    assert "「范围或位置（WKT）」不是有效的 WKT 几何" in text
    with pytest.raises(ValueError):
        store.load("2019Q4")  # the strict load still refuses


@pytest.mark.parametrize("page", [OVERVIEW, INDUSTRY])
def test_pages_skip_broken_rows_with_one_message_and_show_the_rest(monkeypatch, broken_db, page):
    url, codes, names, q4 = broken_db
    monkeypatch.setenv(config.DB_URL_ENV, url)
    at = open_app(page)
    assert not at.error
    (message,) = [w for w in at.warning if "无法使用" in w.value]
    text = shown(message.value)
    assert "数据库中有 7 条记录无法使用" in text, text
    for code in codes:
        assert code in text
    assert "![t](http://evil.example/t.png)村" in text and "zzzz" in text and "A01" in text
    assert [s for s in at.selectbox if s.label == "数据季度"][0].options == list(config.PLAN_QUARTERS)
    (component,) = [e for e in at.get("component_instance") if e.proto.component_name == COMPONENT]
    args = json.loads(component.proto.json_args)
    drawn = mapscript.features(args["script"] + (args.get("feature_group") or ""), "fupin-villages")
    assert len(drawn) == len(q4.villages) - len(codes)
