"""Refuse Markdown shapes that make Python-Markdown run for minutes; it inspects text, renders nothing.

Measured on Python-Markdown 3.x: 10,000 nested `[` take 11 s and grow quadratically; 400 nested
list levels take 1 s and grow faster than that. No real post comes near the limits below.
"""

from __future__ import annotations

import re

from opdgen.records import record

MAX_QUOTE_DEPTH = 20  # `> > > ...`
MAX_INDENT = 80  # columns of leading white space (list nesting, 20 levels of 4)
MAX_BRACKETS_PER_BLOCK = 400  # `[` in one paragraph: links, footnotes, images


# a line that may be too deep: more leading white space than MAX_INDENT columns could come from (a
# tab is at most 4), or more `>` than MAX_QUOTE_DEPTH; only then is the text read line by line. The
# first line, and every line after a newline (a search for "\n" first: five times quicker than "^"
# with re.MULTILINE, which is tried at every character)
_DEEP = rf"(?:\s{{{MAX_INDENT // 4 + 1}}}|[ \t]*(?:>[ \t]*){{{MAX_QUOTE_DEPTH + 1}}})"
_DEEP_FIRST, _DEEP_NEXT = re.compile(_DEEP), re.compile("\n" + _DEEP)


@record
class Finding:
    line: int  # 1-based, within the Markdown text
    code: str
    limit: int


def _quote_depth(line: str) -> int:
    depth = 0
    for ch in line:
        if ch == ">":
            depth += 1
        elif ch not in " \t":
            break
    return depth


def check_markdown(text: str) -> Finding | None:
    """The first pathological spot in a Markdown text, or None."""
    if text.count("[") <= MAX_BRACKETS_PER_BLOCK and _DEEP_FIRST.match(text) is None \
            and _DEEP_NEXT.search(text) is None:
        return None  # no block can hold too many `[`, no line is deep enough: nothing to look for
    return first_finding(text)


def first_finding(text: str) -> Finding | None:
    """check_markdown line by line, without its shortcut."""
    brackets = 0
    block_start = 1
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            brackets, block_start = 0, number + 1
            continue
        if _quote_depth(line) > MAX_QUOTE_DEPTH:
            return Finding(number, "markdown.nesting", MAX_QUOTE_DEPTH)
        indent = len(line.expandtabs(4)) - len(line.expandtabs(4).lstrip())
        if indent > MAX_INDENT:
            return Finding(number, "markdown.indent", MAX_INDENT)
        brackets += line.count("[")
        if brackets > MAX_BRACKETS_PER_BLOCK:
            return Finding(block_start, "markdown.brackets", MAX_BRACKETS_PER_BLOCK)
    return None
