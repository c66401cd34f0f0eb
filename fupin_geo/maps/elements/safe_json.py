"""JSON for inline <script>: compact, UTF-8, unable to close the script tag, and inert if
anything ever reads it as a Jinja template."""
from __future__ import annotations

import json
import re

# '<', '>' and '&' as JSON escapes keep "</script>" or "<!--" in data from ending the script.
_UNSAFE = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"}


# "{{", "{%" and "{#" open Jinja syntax. JSON's own braces are never followed by these, so
# every match is inside a string, where "\u007b" is the same character.
_TEMPLATE_OPENER = re.compile(r"\{(?=[{%#])")


def dumps(value) -> str:
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for char, escape in _UNSAFE.items():
        text = text.replace(char, escape)
    return _TEMPLATE_OPENER.sub(r"\\u007b", text)
