"""Find villages by name, short name, 12-digit code or pinyin (全拼 or 首字母)."""
from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd
from pypinyin import Style, lazy_pinyin

# Suffixes a user leaves off when typing a village's name ("官湖" for "官湖村").
_NAME_SUFFIXES = ("村委会", "村民委员会", "社区", "村")
MAX_RESULTS = 20


def _short(name: str) -> str:
    for suffix in _NAME_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


def _normalise(text: str) -> str:
    return re.sub(r"[\s'’·\-]", "", text).lower()


@dataclass(frozen=True)
class SearchIndex:
    table: pd.DataFrame  # code, name, short, pinyin, initials

    @classmethod
    def build(cls, villages: pd.DataFrame) -> "SearchIndex":
        names = villages["name"].astype(str)
        shorts = names.map(_short)
        return cls(pd.DataFrame({
            "code": villages["code"].astype(str).values,
            "name": names.values,
            "short": shorts.values,
            "pinyin": [ "".join(lazy_pinyin(s)) for s in names],
            "short_pinyin": ["".join(lazy_pinyin(s)) for s in shorts],
            "initials": ["".join(lazy_pinyin(s, style=Style.FIRST_LETTER)) for s in names],
        }))

    def search(self, query: str, limit: int = MAX_RESULTS) -> list[str]:
        """Codes of matching villages, best first: exact, then prefix, then anywhere."""
        q = _normalise(query)
        if not q:
            return []
        t = self.table
        if q.isdigit():
            scores = [(0 if c == q else 1 if c.startswith(q) else 9) for c in t["code"]]
        else:
            scores = []
            for name, short, pinyin, short_pinyin, initials in zip(
                t["name"], t["short"], t["pinyin"], t["short_pinyin"], t["initials"]
            ):
                if q in (name, short, pinyin, short_pinyin):
                    scores.append(0)
                elif name.startswith(q) or pinyin.startswith(q) or initials.startswith(q):
                    scores.append(1)
                elif q in name or q in pinyin:
                    scores.append(2)
                else:
                    scores.append(9)
        ranked = t.assign(score=scores).query("score < 9").sort_values(["score", "name", "code"])
        return ranked["code"].head(limit).tolist()
