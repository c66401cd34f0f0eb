"""The tooltip of our point and arc layers, built from plain-text lines.

The first line is bold, the others follow after line breaks; every line is set with
textContent, so a name from the data can never become markup.
"""
from __future__ import annotations

# A JavaScript function declaration: tooltipBox(lines) -> a <div>.
TOOLTIP_BOX_JS = """function tooltipBox(lines) {
        var box = document.createElement("div");
        lines.forEach(function (line, i) {
            if (i) { box.appendChild(document.createElement("br")); }
            var part = document.createElement(i ? "span" : "b");
            part.textContent = line;
            box.appendChild(part);
        });
        return box;
    }"""
