"""Text from data, a URL or a user, shown as literal text: no Markdown, HTML or links."""
from __future__ import annotations

import re

import streamlit as st

# Every ASCII punctuation character (CommonMark lets each be escaped): emphasis, links, images,
# HTML, entities (&lt;), LaTeX ($), directives (:red[...]) and tables all start with one.
_MARKDOWN_SPECIALS = re.compile(r"([!-/:-@\[-`{-~])")
# Anything that starts a new line (and so a new block: a heading ends, a list begins).
_LINE_BREAKS = re.compile("[\r\n\t\v\f\x1c-\x1e\x85\u2028\u2029]+")
# Streamlit's markdown is GFM, which also links bare addresses in the text (its "autolink
# literals": http:// and https://, www. and name@host), after undoing escapes, so escaping
# cannot stop it. A word joiner, which a reader does not see (no space, no line break) and
# GFM counts as neither space nor punctuation, goes inside each of those three patterns: the
# text reads the same and is no longer an address.
_NO_LINK = "\u2060"
_AUTOLINK_PARTS = re.compile(r"(?<=:)(?=//)|(?<=www)(?=\.)|(?=@)", re.IGNORECASE)
# A web address within a record's source, to be shown as text to copy (see source_addresses).
_WEB_ADDRESS = re.compile(r"(?:https?://|www\.)[^\s<>\"'，。；、（）]+", re.IGNORECASE)
_NOT_AT_THE_END = ".,;:!?)]}'"  # a sentence's punctuation after an address


def md(text) -> str:
    """`text` as literal markdown on one line: no emphasis, links (not even a bare address),
    images, HTML, entities or :directives: from data or URLs. Use for every value that did
    not come from our code."""
    one_line = _LINE_BREAKS.sub(" ", str(text))
    printable = one_line.encode("utf-8", "backslashreplace").decode("utf-8")  # lone surrogates
    unlinked = _AUTOLINK_PARTS.sub(_NO_LINK, printable)
    return _MARKDOWN_SPECIALS.sub(r"\\\1", unlinked)


def source_addresses(source) -> None:
    """The web addresses in a record's source, one a line in a box of plain text to copy and
    check before opening: data chooses them, so they are never links (the source's own line,
    through md(), shows them unlinked too). Nothing when the source has none."""
    found = [a.rstrip(_NOT_AT_THE_END) for a in _WEB_ADDRESS.findall("" if source is None else str(source))]
    found = list(dict.fromkeys(found))
    if found:
        st.code("\n".join(found), language=None, wrap_lines=True)
