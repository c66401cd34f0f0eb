"""The briefing as a PDF (WeasyPrint: HTML and CSS, fonts embedded as subsets).

Every piece of text is escaped into the HTML; the font family is set on @page too, or the
page footers fall back to a serif face. Landscape A4: maps and wide tables fit, and it prints.
Colours come from style.py and tables from tables.py, as in the deck.
"""
from __future__ import annotations

import base64
import html

from .. import config
from . import static_maps, style
from .content import DEMO_NOTICE, Briefing, Section

_CSS = """
@page {
    size: A4 landscape; margin: 14mm 14mm 16mm 14mm;
    font-family: "%(font)s", sans-serif;
    @bottom-left { content: "%(footer)s"; font-family: "%(font)s", sans-serif; font-size: 8.5pt; color: %(muted)s; }
    @bottom-right { content: "第 " counter(page) " 页 / 共 " counter(pages) " 页";
                    font-family: "%(font)s", sans-serif; font-size: 8.5pt; color: %(muted)s; }
}
html { font-family: "%(font)s", sans-serif; font-size: 11pt; color: %(text)s; }
section { page-break-after: always; }
section:last-child { page-break-after: auto; }
h1 { font-size: 26pt; margin: 45mm 0 6mm 0; }
h2 { font-size: 17pt; margin: 0 0 4mm 0; border-bottom: 1.5pt solid %(accent)s; padding-bottom: 1.5mm; }
.org { color: %(accent)s; font-size: 16pt; }
.sub { font-size: 13pt; }
.demo { color: %(notice)s; font-weight: bold; font-size: 9.5pt; margin: 0 0 3mm 0; }
.cover .demo { font-size: 13pt; margin-top: 10mm; }
.note { font-size: 9.5pt; color: %(muted)s; margin-top: 2mm; }
table { border-collapse: collapse; width: 100%%; font-size: 10pt; table-layout: fixed; }
th { background: %(head)s; color: %(head_text)s; font-weight: bold; }
th, td { border: 0.5pt solid %(rule)s; padding: 1.6mm 2.4mm; text-align: left; }
td { background: %(body)s; }
tr:nth-child(even) td { background: %(stripe)s; }
.num { text-align: right; }
img { display: block; margin: 0 auto; max-width: 100%%; max-height: 150mm; }
ul { font-size: 14pt; line-height: 1.7; }
"""


def _escape(value) -> str:
    return html.escape(str(value), quote=True)


def _css_string(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")


def _image(png: bytes, alt: str) -> str:
    return f'<img src="data:image/png;base64,{base64.b64encode(png).decode()}" alt="{_escape(alt)}">'


def _table(section: Section) -> str:
    table = section.table_layout()
    align = [' class="num"' if n else "" for n in table.numeric]
    columns = "".join(f'<col style="width: {w:.2%}">' for w in table.widths)
    head = "".join(f"<th{a}>{_escape(c)}</th>" for c, a in zip(table.header, align))
    rows = "".join("<tr>" + "".join(f"<td{a}>{_escape(t)}</td>" for t, a in zip(row, align)) + "</tr>"
                   for row in table.rows)
    return f"<table><colgroup>{columns}</colgroup><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


def _section(section: Section, briefing: Briefing) -> str:
    demo = f'<p class="demo">{_escape(DEMO_NOTICE)}</p>' if section.demo else ""
    if section.kind == "cover":
        return (f'<section class="cover"><h1>{_escape(section.title)}</h1>'
                f'<p class="org">湛江市农业农村局</p><p class="sub">{_escape(section.subtitle)}</p>{demo}</section>')
    body = ""
    if section.kind == "table":
        body = _table(section)
    elif section.kind == "chart":
        png = static_maps.bar_chart(section.categories, section.series, section.unit,
                                    horizontal=len(section.categories) > 6, goals=section.goals)
        body = ((f'<p class="note">{_escape(section.subtitle)}</p>' if section.subtitle else "")
                + _image(png, section.title))
    elif section.kind == "map":
        body = _image(section.image, section.title)
    else:
        body = "<ul>" + "".join(f"<li>{_escape(line)}</li>" for line in section.lines) + "</ul>"
    note = f'<p class="note">{_escape(section.note)}</p>' if section.note else ""
    return f"<section><h2>{_escape(section.title)}</h2>{demo}{body}{note}</section>"


def html_document(briefing: Briefing) -> str:
    footer = _css_string(f"{briefing.title} · 数据季度 {briefing.quarter}"
                         + (" · 含演示数据" if briefing.demo else ""))
    css = _CSS % {"font": config.CJK_FONT_FAMILY, "footer": footer, "text": style.TEXT, "muted": style.MUTED,
                  "accent": style.ACCENT, "notice": style.NOTICE, "head": style.TABLE_HEAD,
                  "head_text": style.TABLE_HEAD_TEXT, "body": style.TABLE_BODY, "stripe": style.TABLE_STRIPE,
                  "rule": style.TABLE_RULE}
    sections = "".join(_section(s, briefing) for s in briefing.sections)
    return (f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
            f"<title>{_escape(briefing.title)}</title><style>{css}</style></head><body>{sections}</body></html>")


def build(briefing: Briefing) -> bytes:
    import weasyprint  # imported here: it loads pango, which only briefings need

    return weasyprint.HTML(string=html_document(briefing)).write_pdf()
