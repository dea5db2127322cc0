from __future__ import annotations

import pytest

from opdgen.yamlload import YamlError, YMap, YScalar, YSeq, parse_yaml


def test_lines_and_types_are_kept() -> None:
    node = parse_yaml("a: 1\nb: [x, 'y']\nc:\n  d: yes\n  e: 0274\n")
    assert isinstance(node, YMap)
    entries = {k.text: v for k, v in node.entries}
    assert entries["a"] == YScalar(1, "1", 1)
    b = entries["b"]
    assert isinstance(b, YSeq) and [i.line for i in b.items] == [2, 2]
    c = entries["c"]
    assert isinstance(c, YMap)
    inner = {k.text: v for k, v in c.entries}
    assert inner["d"] == YScalar(True, "yes", 4)
    assert inner["e"] == YScalar("0274", "0274", 5)  # a phone prefix, not octal


def test_dates_stay_text() -> None:
    node = parse_yaml("date: 2026-02-30\n")
    assert isinstance(node, YMap)
    assert node.entries[0][1] == YScalar("2026-02-30", "2026-02-30", 1)


@pytest.mark.parametrize(
    ("text", "code", "line"),
    [
        ("a: &x 1\nb: *x\n", "yaml.anchor", 1),
        ("a: 1\nb: !!python/object/apply:os.system [ls]\n", "yaml.tag", 2),
        ("a: !custom 1\n", "yaml.tag", 1),
        ("a: [1\n", "yaml.syntax", 2),
        ("a: 1\n---\nb: 2\n", "yaml.multiple_documents", 2),
        ("? [a, b]\n: 1\n", "yaml.complex_key", 1),
    ],
    ids=["anchor", "python-tag", "custom-tag", "syntax", "two-documents", "complex-key"],
)
def test_refused(text: str, code: str, line: int) -> None:
    with pytest.raises(YamlError) as info:
        parse_yaml(text)
    assert (info.value.code, info.value.line) == (code, line)


def test_quoted_str_tag_is_harmless() -> None:
    node = parse_yaml("a: !!str 5\n")
    assert isinstance(node, YMap) and node.entries[0][1].value == "5"  # type: ignore[union-attr]


def test_empty_document() -> None:
    assert parse_yaml("") is None
