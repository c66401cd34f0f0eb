"""Works around branca 0.8.2 rendering each element's script as a Jinja template a second time.

branca's MacroElement.render wraps each rendered script in `Element(text)`, which compiles the
text as a Jinja template once more. Our scripts carry data (village and enterprise names), so
that second pass would evaluate `{{ … }}` in a name on the server, fail on `{%`, and spend
~0.4 s compiling 4 MB of data at 20,000 villages. Our elements add their output as it is.

Listed with the other framework workarounds in ui/edge/__init__.py; it lives here because the
map elements use it and maps/ may not import ui/.
"""
from __future__ import annotations

from branca.element import Element, Figure, MacroElement


class RawText(Element):
    """Text that renders as itself."""

    def __init__(self, text: str):
        super().__init__()
        self.text = text

    def render(self, **kwargs) -> str:
        return self.text


class RawScriptMixin(MacroElement):
    def render(self, **kwargs):
        figure = self.get_root()
        assert isinstance(figure, Figure), "You cannot render this Element if it is not in a Figure."
        macros = self._template.module.__dict__
        for part in ("header", "html", "script"):
            macro = macros.get(part)
            if macro is not None:
                getattr(figure, part).add_child(RawText(macro(self, kwargs)), name=self.get_name())
        for element in self._children.values():
            element.render(**kwargs)
