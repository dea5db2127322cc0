"""Declarative schemas that turn YAML nodes into checked values, recording a Problem per fault.

A schema is a tuple of Field values; it reads as documentation of the file it describes.
It never raises for bad input: every fault becomes a Problem and the field falls back to None.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Sequence
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import urlsplit

from opdgen.problems import Problems
from opdgen.records import record
from opdgen.yamlload import YMap, YNode, YScalar, YSeq

# A checker turns a node into a value, or records a problem and returns INVALID.
Checker = Callable[[YNode, "Where"], Any]
INVALID = object()


@record
class Where:
    """Where a node sits: the file, its line offset in that file, the collector, the key path."""

    path: PurePosixPath
    problems: Problems
    line_offset: int = 0
    key: str = ""

    def line(self, node: YNode) -> int:
        return node.line + self.line_offset

    def fail(self, node: YNode, code: str, **params: object) -> object:
        self.problems.add(self.path, self.line(node), code, key=self.key, **params)
        return INVALID

    def at(self, key: str) -> Where:
        return Where(self.path, self.problems, self.line_offset, f"{self.key}.{key}" if self.key else key)


@record
class Field:
    name: str
    check: Checker
    required: bool = False
    default: Any = None
    example: str = ""  # shown when the field is missing: how to write it


def check_map(
    node: YNode | None, fields: Sequence[Field], where: Where, *, whole_line: int
) -> dict[str, Any]:
    """Check a mapping node against fields; returns name -> value (None where missing or bad)."""
    values: dict[str, Any] = {f.name: f.default for f in fields}
    if node is None:
        entries: tuple[tuple[YScalar, YNode], ...] = ()
    elif not isinstance(node, YMap):
        where.fail(node, "schema.type.map")
        return values
    else:
        entries = node.entries
    by_name = {f.name: f for f in fields}
    seen: dict[str, int] = {}
    for key_node, value_node in entries:
        key = str(key_node.value) if key_node.value is not None else key_node.text
        if key in seen:
            where.at(key).fail(key_node, "schema.duplicate_key", first=seen[key])
            continue
        seen[key] = where.line(key_node)
        field = by_name.get(key)
        if field is None:
            _unknown_key(key, key_node, list(by_name), where)
            continue
        if isinstance(value_node, YScalar) and value_node.value is None:
            if field.required:
                where.at(key).fail(key_node, "schema.empty", example=field.example)
            continue
        value = field.check(value_node, where.at(key))
        if value is not INVALID:
            values[key] = value
    for field in fields:
        if field.required and field.name not in seen:
            where.problems.add(
                where.path, whole_line, "schema.missing", key=_join(where.key, field.name),
                example=field.example or f"{field.name}: ...",
            )
    return values


def _join(prefix: str, name: str) -> str:
    return f"{prefix}.{name}" if prefix else name


def _unknown_key(key: str, node: YScalar, known: list[str], where: Where) -> None:
    close = difflib.get_close_matches(key.lower(), known, n=1, cutoff=0.6)
    if close:
        where.at(key).fail(node, "schema.unknown_key_near", suggestion=close[0])
    else:
        where.at(key).fail(node, "schema.unknown_key", allowed=", ".join(known))


# --- checkers -------------------------------------------------------------------------------


def text(max_len: int = 500, *, multiline: bool = False) -> Checker:
    def check(node: YNode, where: Where) -> Any:
        if not isinstance(node, YScalar):
            return where.fail(node, "schema.type.text")
        value = node.text if not isinstance(node.value, str) else node.value
        value = value.strip()
        if not multiline and "\n" in value:
            value = " ".join(value.split())
        if len(value) > max_len:
            return where.fail(node, "schema.too_long", max=max_len, length=len(value))
        return value

    return check


def boolean(node: YNode, where: Where) -> Any:
    if isinstance(node, YScalar) and isinstance(node.value, bool):
        return node.value
    return where.fail(node, "schema.type.bool", value=_show(node))


def integer(node: YNode, where: Where) -> Any:
    if isinstance(node, YScalar) and isinstance(node.value, int) and not isinstance(node.value, bool):
        return node.value
    return where.fail(node, "schema.type.int", value=_show(node))


def choice(options: Sequence[str]) -> Checker:
    def check(node: YNode, where: Where) -> Any:
        if isinstance(node, YScalar) and node.text in options:
            return node.text
        return where.fail(node, "schema.choice", value=_show(node), options=", ".join(options))

    return check


def url(*, allow_path: bool = False) -> Checker:
    """An absolute http(s) URL; with allow_path, also a path on the same site starting with /."""

    def check(node: YNode, where: Where) -> Any:
        if not isinstance(node, YScalar) or not node.text.strip():
            return where.fail(node, "schema.url", value=_show(node))
        value = node.text.strip()
        if allow_path and value.startswith("/") and not value.startswith("//"):
            if any(c.isspace() for c in value) or "\\" in value:
                return where.fail(node, "schema.url", value=value)
            return value
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname or any(
            c.isspace() for c in value
        ):
            code = "schema.url_or_path" if allow_path else "schema.url"
            return where.fail(node, code, value=value)
        return value

    return check


def base_url(node: YNode, where: Where) -> Any:
    """The address a site is published at; ends with a slash."""
    value = url()(node, where)
    if value is INVALID:
        return value
    parts = urlsplit(value)
    if parts.query or parts.fragment:
        return where.fail(node, "schema.base_url", value=value)
    return value if value.endswith("/") else value + "/"


_EMAIL = re.compile(r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")


def email(node: YNode, where: Where) -> Any:
    if isinstance(node, YScalar) and _EMAIL.match(node.text.strip()):
        return node.text.strip()
    return where.fail(node, "schema.email", value=_show(node))


def whatsapp(node: YNode, where: Where) -> Any:
    digits = re.sub(r"[\s+-]", "", node.text) if isinstance(node, YScalar) else ""
    if digits.startswith("0"):
        return where.fail(node, "schema.whatsapp", value=_show(node), example="62" + digits[1:])
    if re.fullmatch(r"62\d{8,13}", digits):
        return digits
    return where.fail(node, "schema.whatsapp", value=_show(node), example="6281234567890")


_COLOUR = re.compile(r"^#([0-9a-fA-F]{6}|[0-9a-fA-F]{3})$")


def colour(node: YNode, where: Where) -> Any:
    """A #rrggbb colour dark enough to carry white text (WCAG AA, 4.5:1)."""
    if not isinstance(node, YScalar) or not _COLOUR.match(node.text.strip()):
        return where.fail(node, "schema.colour", value=_show(node))
    value = node.text.strip().lower()
    if len(value) == 4:
        value = "#" + "".join(c * 2 for c in value[1:])
    ratio = contrast_ratio(value, "#ffffff")
    if ratio < 4.5:
        return where.fail(node, "schema.colour_contrast", value=value, ratio=f"{ratio:.1f}")
    return value


def contrast_ratio(a: str, b: str) -> float:
    """WCAG 2.1 contrast ratio of two #rrggbb colours."""

    def luminance(colour_: str) -> float:
        channels = [int(colour_[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def text_list(max_items: int = 50, item_len: int = 100) -> Checker:
    """A list of short strings; a single string is taken as a list of one."""

    def check(node: YNode, where: Where) -> Any:
        items: tuple[YNode, ...]
        if isinstance(node, YScalar):
            items = (node,)
        elif isinstance(node, YSeq):
            items = node.items
        else:
            return where.fail(node, "schema.type.list")
        if len(items) > max_items:
            return where.fail(node, "schema.too_many", max=max_items)
        out = []
        for item in items:
            value = text(item_len)(item, where)
            if value is INVALID:
                return INVALID
            if value:
                out.append(value)
        return tuple(out)

    return check


def mapping(fields: Sequence[Field]) -> Checker:
    def check(node: YNode, where: Where) -> Any:
        if not isinstance(node, YMap):
            return where.fail(node, "schema.type.map")
        return check_map(node, fields, where, whole_line=where.line(node))

    return check


def list_of(fields: Sequence[Field], max_items: int = 50) -> Checker:
    """A list of mappings, each checked against fields; each item keeps its line as `_line`."""

    def check(node: YNode, where: Where) -> Any:
        if not isinstance(node, YSeq):
            return where.fail(node, "schema.type.list")
        if len(node.items) > max_items:
            return where.fail(node, "schema.too_many", max=max_items)
        out = []
        for item in node.items:
            if not isinstance(item, YMap):
                where.fail(item, "schema.type.map")
                continue
            values = check_map(item, fields, where, whole_line=where.line(item))
            values["_line"] = where.line(item)
            out.append(values)
        return tuple(out)

    return check


def _show(node: YNode) -> str:
    if isinstance(node, YScalar):
        return node.text
    return "[...]" if isinstance(node, YSeq) else "{...}"
