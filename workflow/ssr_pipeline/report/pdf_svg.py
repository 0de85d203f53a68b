"""What WeasyPrint is given of a figure's SVG, so that drawing it costs less time and memory.

Neither changes the PDF: the tests lay out the same figures both ways and compare the bytes.
"""

from __future__ import annotations

import contextlib
import re

# Matplotlib's one stylesheet, at the top of every SVG it writes.
_MATPLOTLIB_STYLE = '<style type="text/css">*{stroke-linejoin: round; stroke-linecap: butt}</style>'
_STAR = {"stroke-linejoin": "round", "stroke-linecap": "butt"}
_START_TAG = re.compile(r'<([A-Za-z][\w:.-]*)((?:\s+[\w:.-]+="[^"]*")*)\s*(/?)>')
_ATTRIBUTE = re.compile(r'([\w:.-]+)="([^"]*)"')


def styles_as_attributes(svg: str) -> str:
    """Every element's `style="fill: #fff; stroke: #000"` as `fill="#fff" stroke="#000"`.

    WeasyPrint parses each element's style attribute with a CSS parser, about a tenth of a large
    synthesis's drawing time. The cascade is kept: a declaration of the style attribute replaces
    the element's attribute of that name, and matplotlib's `*{...}` rule, which applies to every
    element and ranks between the two, is written on each element before its style. Anything
    else (another stylesheet, `!important`, a tag this does not read) leaves the SVG as it was.
    """
    star: dict[str, str] = {}
    rest = svg
    if _MATPLOTLIB_STYLE in svg:
        rest = svg.replace(_MATPLOTLIB_STYLE, "", 1)
        star = _STAR
    if "<style" in rest or "!important" in rest:
        return svg

    def rewrite(m: re.Match) -> str:
        attributes = dict(_ATTRIBUTE.findall(m.group(2)))
        style = attributes.pop("style", "")
        attributes.update(star)
        for declaration in style.split(";"):
            name, colon, value = declaration.partition(":")
            name = name.strip().lower()
            if colon and name and not name.startswith("-"):
                attributes[name] = value.strip()
        pairs = "".join(f' {name}="{value}"' for name, value in attributes.items())
        return f"<{m.group(1)}{pairs}{'/' if m.group(3) else ''}>"

    flat = _START_TAG.sub(rewrite, rest)
    return svg if " style=" in flat else flat


@contextlib.contextmanager
def figures_released_once_drawn(scheme: str):
    """Each figure served under `scheme:` lets go of its drawn element tree once it is drawn.

    WeasyPrint keeps every SVG element it has drawn, with its inherited attributes, until the
    whole PDF is written: about 170 MB for the 109 figures of a 200-country synthesis. A figure
    is drawn once (each has its own address); were it drawn again, the tree would be rebuilt.
    """
    from weasyprint import images

    draw = images.SVGImage.draw

    def draw_and_release(self, *args, **kwargs):
        draw(self, *args, **kwargs)
        if str(self._base_url).startswith(f"{scheme}:"):
            self._svg.tree._children = None

    images.SVGImage.draw = draw_and_release
    try:
        yield
    finally:
        images.SVGImage.draw = draw
