"""Works around streamlit 1.67.0 having no locale for st.file_uploader: its English restyled in Chinese.

The dropzone's button says "Upload" and the line beside it "20MB per file • XLSX, XLS, CSV",
both written by Streamlit's frontend with no option to change them. A style sheet, scoped to
the uploader's data-testid names (not a public API), shrinks that text to nothing and writes
Chinese in its place (CSS `content`). Only our own constants go into it, never data. The
English shown while a file is dragged over the box ("Drag and drop a file here") has no name
to select it by and stays.
"""
from __future__ import annotations

import json

import streamlit as st

BUTTON_TEXT = "选择文件"

DROPZONE, INSTRUCTIONS = "stFileUploaderDropzone", "stFileUploaderDropzoneInstructions"
# The button's label: a Markdown container inside Streamlit's secondary button, in the dropzone.
_LABEL = (f'[data-testid="{DROPZONE}"] [data-testid="stBaseButton-secondary"] '
          '[data-testid="stMarkdownContainer"] p')
_LIMIT = f'[data-testid="{INSTRUCTIONS}"] span'
_STYLE = """<style>
LABEL_SELECTOR { font-size: 0; }
LABEL_SELECTOR::after { content: LABEL_TEXT; font-size: 0.875rem; }
LIMIT_SELECTOR { font-size: 0; }
LIMIT_SELECTOR::after { content: LIMIT_TEXT; font-size: 0.875rem; }
</style>"""


def limit_text(max_mb: int, types: list[str]) -> str:
    return f"把文件拖到这里，或点“{BUTTON_TEXT}”；单个文件不超过 {max_mb} MB（{'、'.join(t.upper() for t in types)}）"


def style(max_mb: int, types: list[str]) -> str:
    """The <style> block for st.html. A CSS string is quoted as JSON quotes it (both escape
    the same characters in these texts)."""
    parts = {"LABEL_SELECTOR": _LABEL, "LIMIT_SELECTOR": _LIMIT,
             "LABEL_TEXT": json.dumps(BUTTON_TEXT, ensure_ascii=False),
             "LIMIT_TEXT": json.dumps(limit_text(max_mb, types), ensure_ascii=False)}
    text = _STYLE
    for name, value in parts.items():
        text = text.replace(name, value)
    return text


def chinese(max_mb: int, types: list[str]) -> None:
    """Call on a page before its st.file_uploader."""
    st.html(style(max_mb, types))
