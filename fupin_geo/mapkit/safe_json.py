"""JSON for inline <script>: compact, UTF-8, and unable to close the script tag."""
from __future__ import annotations

import json

# '<', '>' and '&' as JSON escapes keep "</script>" or "<!--" in data from ending the script.
_UNSAFE = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"}


def dumps(value) -> str:
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for char, escape in _UNSAFE.items():
        text = text.replace(char, escape)
    return text
