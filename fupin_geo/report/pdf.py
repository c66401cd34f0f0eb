"""The briefing as a PDF (WeasyPrint: HTML and CSS, fonts embedded as subsets).

Every piece of text is escaped into the HTML; the font family is set on @page too, or the
page footers fall back to a serif face. Landscape A4: maps and wide tables fit, and it prints.
"""
from __future__ import annotations

import base64
import html

from .. import config
from . import static_maps
from .content import DEMO_NOTICE, Briefing, Section

_CSS = """
@page {
    size: A4 landscape; margin: 14mm 14mm 16mm 14mm;
    font-family: "%(font)s", sans-serif;
    @bottom-left { content: "%(footer)s"; font-family: "%(font)s", sans-serif; font-size: 8.5pt; color: #666; }
    @bottom-right { content: "第 " counter(page) " 页 / 共 " counter(pages) " 页";
                    font-family: "%(font)s", sans-serif; font-size: 8.5pt; color: #666; }
}
html { font-family: "%(font)s", sans-serif; font-size: 11pt; color: #2b2b2b; }
section { page-break-after: always; }
section:last-child { page-break-after: auto; }
h1 { font-size: 26pt; margin: 45mm 0 6mm 0; }
h2 { font-size: 17pt; margin: 0 0 4mm 0; border-bottom: 1.5pt solid #b3261e; padding-bottom: 1.5mm; }
.org { color: #b3261e; font-size: 16pt; }
.sub { font-size: 13pt; }
.demo { color: #9a5b00; font-weight: bold; font-size: 9.5pt; margin: 0 0 3mm 0; }
.cover .demo { font-size: 13pt; margin-top: 10mm; }
.note { font-size: 9.5pt; color: #444; margin-top: 2mm; }
table { border-collapse: collapse; width: 100%%; font-size: 10pt; }
th { background: #6b5b4b; color: #fff; font-weight: bold; }
th, td { border: 0.5pt solid #bbb; padding: 1.6mm 2.4mm; text-align: left; }
tr:nth-child(even) td { background: #f6f3ee; }
td.num { text-align: right; }
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
    head = "".join(f"<th>{_escape(c)}</th>" for c in section.table.columns)
    rows = []
    for row in section.table.itertuples(index=False):
        cells = []
        for value in row:
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                shown = f"{value:,.1f}" if isinstance(value, float) else f"{value:,}"
                cells.append(f'<td class="num">{_escape(shown)}</td>')
            else:
                cells.append(f"<td>{_escape(value)}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


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
    css = _CSS % {"font": config.CJK_FONT_FAMILY, "footer": footer}
    sections = "".join(_section(s, briefing) for s in briefing.sections)
    return (f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
            f"<title>{_escape(briefing.title)}</title><style>{css}</style></head><body>{sections}</body></html>")


def build(briefing: Briefing) -> bytes:
    import weasyprint  # imported here: it loads pango, which only briefings need

    return weasyprint.HTML(string=html_document(briefing)).write_pdf()
