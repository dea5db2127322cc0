"""Safe YAML loading into nodes that remember their line; refuses anchors, aliases and tags.

It must not build Python objects from tags: only plain mappings, sequences and scalars.
Timestamps stay text (so dates are parsed, and reported, by the content layer).
"""

from __future__ import annotations

import yaml

from opdgen.records import record

try:  # libyaml is about ten times faster and keeps marks too
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

_RESOLVER = yaml.resolver.Resolver()
_BOOL = {"true": True, "yes": True, "on": True, "false": False, "no": False, "off": False}
_STR_TAG = "tag:yaml.org,2002:str"


@record
class YScalar:
    value: str | int | float | bool | None
    text: str  # the source text, for fields that want a string whatever YAML thinks
    line: int


@record
class YSeq:
    items: tuple[YNode, ...]
    line: int


@record
class YMap:
    entries: tuple[tuple[YScalar, YNode], ...]
    line: int


YNode = YScalar | YSeq | YMap


class YamlError(Exception):
    """A YAML document that cannot be read; `line` is 1-based within the parsed text."""

    def __init__(self, code: str, line: int | None, detail: str = "") -> None:
        super().__init__(f"{code} at line {line}: {detail}")
        self.code = code
        self.line = line
        self.detail = detail


def _line(mark: object) -> int:
    """1-based line of a PyYAML mark (libyaml's and the pure loader's have the same shape)."""
    return int(getattr(mark, "line", 0)) + 1


def _scalar(event: yaml.ScalarEvent) -> YScalar:
    line = _line(event.start_mark)
    text = event.value
    if not event.implicit[0]:  # quoted, or a block scalar: a string
        return YScalar(text, text, line)
    tag: str = _RESOLVER.resolve(yaml.ScalarNode, text, (True, False))  # type: ignore[no-untyped-call]
    kind = tag.rsplit(":", 1)[-1]
    value: str | int | float | bool | None = text
    if kind == "null":
        value = None
    elif kind == "bool":
        value = _BOOL[text.lower()]
    elif kind == "int":
        try:
            value = int(text.replace("_", ""), 0) if not text.startswith("0") or text == "0" else text
        except ValueError:
            value = text  # sexagesimal and friends: keep the text
    elif kind == "float":
        try:
            value = float(text.replace("_", ""))
        except ValueError:
            value = text
    return YScalar(value, text, line)


def parse_yaml(text: str) -> YNode | None:
    """Parse one YAML document into nodes; None for an empty document.

    Raises YamlError for syntax errors, anchors/aliases, explicit tags and several documents.
    """
    stack: list[list[object]] = []
    root: YNode | None = None
    documents = 0
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    raise YamlError("yaml.multiple_documents", _line(event.start_mark))
                continue
            if isinstance(event, yaml.AliasEvent):
                raise YamlError("yaml.alias", _line(event.start_mark), event.anchor or "")
            if isinstance(event, yaml.NodeEvent) and event.anchor is not None:
                raise YamlError("yaml.anchor", _line(event.start_mark), event.anchor)
            if isinstance(event, (yaml.ScalarEvent, yaml.CollectionStartEvent)):
                tag = event.tag
                if tag is not None and tag not in ("!", _STR_TAG) and not (
                    isinstance(event, yaml.CollectionStartEvent) and event.implicit
                ):
                    raise YamlError("yaml.tag", _line(event.start_mark), tag)
            node: YNode | None = None
            if isinstance(event, yaml.ScalarEvent):
                node = _scalar(event)
            elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                stack.append([_line(event.start_mark), isinstance(event, yaml.MappingStartEvent)])
                continue
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                frame = stack.pop()
                line, is_map, *children = frame
                assert isinstance(line, int)
                node = _close(line, bool(is_map), children)
            if node is not None:
                if stack:
                    stack[-1].append(node)
                else:
                    root = node
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise YamlError(
            "yaml.syntax", _line(mark) if mark else None, exc.problem or str(exc)
        ) from None
    except yaml.YAMLError as exc:
        raise YamlError("yaml.syntax", None, str(exc)) from None
    return root


def _close(line: int, is_map: bool, children: list[object]) -> YNode:
    nodes = [c for c in children if isinstance(c, (YScalar, YSeq, YMap))]
    if not is_map:
        return YSeq(tuple(nodes), line)
    entries: list[tuple[YScalar, YNode]] = []
    for key, value in zip(nodes[0::2], nodes[1::2], strict=True):
        if not isinstance(key, YScalar):
            raise YamlError("yaml.complex_key", key.line)
        entries.append((key, value))
    return YMap(tuple(entries), line)


def value_line(node: object, key: str) -> int | None:
    """Line (in the parsed text) of a top-level key's value in a mapping node; None if absent."""
    if isinstance(node, YMap):
        for k, value in node.entries:
            if isinstance(k, YScalar) and k.text == key:
                return value.line
    return None
