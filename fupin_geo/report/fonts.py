"""The Chinese font for static maps and charts.

matplotlib ≥ 3.11 reads the Simplified Chinese face out of the Noto CJK collection
(fonts-noto-cjk); it must be registered once per process before any figure draws text.
"""
from __future__ import annotations

import functools

from matplotlib import font_manager, rcParams

from .. import config


class FontMissing(RuntimeError):
    """The Chinese font is not installed; the message says how to install it."""


@functools.cache
def register() -> str:
    """Register Noto Sans CJK SC with matplotlib and make it the default; returns its family."""
    if not config.CJK_FONT_FILE.exists():
        raise FontMissing(f"缺少中文字体 {config.CJK_FONT_FILE}：请安装 fonts-noto-cjk"
                          "（Debian: apt-get install fonts-noto-cjk，scripts/run.sh 会自动安装）。")
    font_manager.fontManager.addfont(str(config.CJK_FONT_FILE))
    rcParams["font.family"] = "sans-serif"
    rcParams["font.sans-serif"] = [config.CJK_FONT_FAMILY, "DejaVu Sans"]
    rcParams["axes.unicode_minus"] = False  # the CJK face has no U+2212 minus sign
    return config.CJK_FONT_FAMILY
