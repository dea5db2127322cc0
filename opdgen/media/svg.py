"""A strict SVG check: an allowlist of drawing elements, no script, event handlers or outside references.

It reads and judges; an SVG that passes is published byte for byte (re-serialising could break it).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from opdgen.media.images import ImageError
from opdgen.records import record

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
# Editors' own namespaces: inert bookkeeping that browsers ignore.
EDITOR_NS = frozenset({
    "http://www.inkscape.org/namespaces/inkscape",
    "http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd",
})
ELEMENTS = frozenset({
    "svg", "g", "defs", "title", "desc", "metadata", "symbol", "use", "path", "rect", "circle",
    "ellipse", "line", "polyline", "polygon", "text", "tspan", "linearGradient", "radialGradient",
    "stop", "clipPath", "mask", "pattern", "marker", "filter", "feGaussianBlur", "feOffset",
    "feBlend", "feColorMatrix", "feComposite", "feFlood", "feMerge", "feMergeNode", "switch",
})
MAX_SVG_BYTES = 1024 * 1024
_LOCAL_URL = re.compile(r"url\(\s*['\"]?#[^)]*\)", re.IGNORECASE)
_NUMBER = re.compile(r"^\s*([0-9]*\.?[0-9]+)\s*(px)?\s*$")


@record
class SvgInfo:
    width: int
    height: int


def check_svg(data: bytes) -> SvgInfo:
    """The SVG's display size; raises ImageError (media.svg.unsafe / media.svg.unreadable) otherwise."""
    if len(data) > MAX_SVG_BYTES:
        raise ImageError("media.svg.unsafe", detail=f"> {MAX_SVG_BYTES // 1024} KB")
    try:  # UTF-8 only, so that the text checks below see what the XML parser will see
        text = data.decode("utf-8").lower()
    except UnicodeDecodeError:
        raise ImageError("media.svg.unreadable", detail="UTF-8") from None
    # No DOCTYPE means no entities: no "billion laughs", no external entity reads.
    for marker, what in (("<!doctype", "<!DOCTYPE>"), ("<!entity", "<!ENTITY>"),
                         ("<?xml-stylesheet", "<?xml-stylesheet?>")):
        if marker in text:
            raise ImageError("media.svg.unsafe", detail=what)
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise ImageError("media.svg.unreadable", detail=str(exc)) from None
    if root.tag != f"{{{SVG_NS}}}svg":
        raise ImageError("media.svg.unreadable", detail=root.tag)
    _check_tree(root)
    return _size(root)


def _check_tree(root: ET.Element) -> None:
    stack = [root]
    while stack:
        element = stack.pop()
        namespace, name = _split(element.tag)
        if namespace in EDITOR_NS:
            continue
        if namespace != SVG_NS or name not in ELEMENTS:
            raise ImageError("media.svg.unsafe", detail=f"<{name}>")
        if name == "metadata":  # RDF licence and author notes: text only, never rendered
            continue
        for attribute, value in element.attrib.items():
            _check_attribute(attribute, value)
        stack.extend(element)


def _check_attribute(attribute: str, value: str) -> None:
    namespace, name = _split(attribute)
    if namespace in EDITOR_NS:
        return
    lowered = value.lower()
    if name.lower().startswith("on"):
        raise ImageError("media.svg.unsafe", detail=f"{name}=")
    if name == "href":
        if not value.strip().startswith("#"):
            raise ImageError("media.svg.unsafe", detail=f"href={value[:60]}")
        return
    if "url(" in lowered and _LOCAL_URL.sub("", lowered).count("url(") > 0:
        raise ImageError("media.svg.unsafe", detail=f"{name}={value[:60]}")
    if any(bad in lowered for bad in ("javascript:", "@import", "expression(")):
        raise ImageError("media.svg.unsafe", detail=f"{name}={value[:60]}")
    if namespace not in ("", SVG_NS, XLINK_NS, "http://www.w3.org/XML/1998/namespace"):
        raise ImageError("media.svg.unsafe", detail=f"{attribute}=")


def _split(tag: str) -> tuple[str, str]:
    if tag.startswith("{"):
        namespace, _, name = tag[1:].partition("}")
        return namespace, name
    return "", tag


def _size(root: ET.Element) -> SvgInfo:
    """width/height in px when given, else the viewBox: the page needs them to reserve space."""
    width = _number(root.get("width"))
    height = _number(root.get("height"))
    box = (root.get("viewBox") or "").replace(",", " ").split()
    if (width is None or height is None) and len(box) == 4:
        try:
            box_w, box_h = float(box[2]), float(box[3])
        except ValueError:
            box_w = box_h = 0.0
        if box_w > 0 and box_h > 0:
            if width is None and height is None:
                width, height = box_w, box_h
            elif width is None and height is not None:
                width = height * box_w / box_h
            elif height is None and width is not None:
                height = width * box_h / box_w
    if not width or not height:
        raise ImageError("media.svg.unreadable", detail="width/height/viewBox")
    return SvgInfo(max(1, round(width)), max(1, round(height)))


def _number(value: str | None) -> float | None:
    match = _NUMBER.match(value or "")
    return float(match.group(1)) if match else None
