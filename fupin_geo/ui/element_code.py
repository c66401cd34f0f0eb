"""The files of Streamlit's front end that hold an element kind's code, so that a page can have
the browser fetch them before it draws such elements (see below_map).

Streamlit's front end loads each element kind's code when the first element of that kind
arrives and shows a placeholder until it has; React then shows the waiting elements in one go
(bench/README.md, "Map pages as a tab's first page"). Its main script lists, for each kind,
the files that code consists of (Vite's `__vite__mapDeps`); we read that list from the
installed streamlit package. Should a later Streamlit ship its front end otherwise, the lists
come out empty and nothing is fetched early: pages look and work the same, only later.
"""
from __future__ import annotations

import functools
import re
from pathlib import Path

import streamlit

# Element kinds, as Streamlit's front end names the code of each
TABLE = "DataFrame"            # st.dataframe
CHART = "ArrowVegaLiteChart"   # st.bar_chart, st.line_chart, st.altair_chart
DOWNLOAD = "DownloadButton"    # st.download_button
PAGE_LINK = "PageLink"         # st.page_link
SELECTBOX = "Selectbox"        # st.selectbox

_STATIC = Path(streamlit.__file__).parent / "static"
# index.html loads the front end's main script: <script type="module" src="./static/js/index.….js">
_MAIN_SCRIPT = re.compile(r'src="\./static/js/(index\.[\w-]+\.js)"')
# const __vite__mapDeps=(i,m=__vite__mapDeps,d=(m.f||(m.f=["./Table.….js", …])))=>i.map(i=>d[i])
_ALL_FILES = re.compile(r"m\.f=\[([^\]]*)\]")
# lazy(()=>H(()=>import(`./Metric.….js`),__vite__mapDeps([106,1,2,…]),import.meta.url))
_KIND = re.compile(r"import\(`(\./(\w+)\.[\w-]+\.js)`\)(?:\.then\(\w+=>\w+\.\w+\))?,"
                   r"__vite__mapDeps\(\[([\d,]*)\]\)")


@functools.lru_cache(maxsize=1)
def _files_by_kind() -> dict[str, tuple[str, ...]]:
    """Kind -> its files (paths relative to the main script), its own module first."""
    try:
        index = (_STATIC / "index.html").read_text(encoding="utf-8")
        main = _MAIN_SCRIPT.search(index)
        script = (_STATIC / "static" / "js" / main.group(1)).read_text(encoding="utf-8")
    except (OSError, AttributeError):  # no such file, or no main script named in index.html
        return {}
    listed = _ALL_FILES.search(script)
    if not listed:
        return {}
    files = [name.strip().strip('"') for name in listed.group(1).split(",")]
    found = {}
    for module, kind, numbers in _KIND.findall(script):
        try:
            needed = [files[int(n)] for n in numbers.split(",") if n]
        except IndexError:
            continue
        found[kind] = (module, *(f for f in needed if f != module))
    return found


def files(kinds: tuple[str, ...]) -> list[str]:
    """Every file of these kinds' code (scripts and style sheets), each once."""
    out: dict[str, None] = {}
    for kind in kinds:
        out.update(dict.fromkeys(_files_by_kind().get(kind, ())))
    return list(out)


def modules(kinds: tuple[str, ...]) -> list[str]:
    """The module of each kind itself: importing it runs the code of its files."""
    return [found[0] for kind in kinds if (found := _files_by_kind().get(kind))]
