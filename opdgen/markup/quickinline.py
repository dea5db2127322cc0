"""Python-Markdown's inline stage without the attempts that cannot match: the same output, faster.

Python-Markdown applies every inline pattern (code spans, links, images, raw HTML, entities,
emphasis ...) to every piece of text, one regular expression search each, and looks each pattern
up in its priority registry every time: for a news post that is about 800 tries, half of the whole
Markdown time, and nearly all of them fail because the text has no backtick, bracket, "<", "&" or
"*" at all. Each pattern we know needs such a character (or a short string) before its expression
can match; when the text lacks it, the try is skipped, which is exactly what a failed try does
(the pattern's index moves on and the search restarts at 0; failed tries change no state).

Only patterns whose expression we checked are skipped: each is recognised by a fingerprint of its
expression's source, so a Markdown release that changes a pattern gets that pattern tried as
before. The loop we replace is recognised the same way; if Markdown changes it, nothing is
changed here (`quicken` returns False). tests/unit/test_quick_markdown.py renders varied and random
Markdown both ways and compares the bytes.
"""

from __future__ import annotations

import hashlib
import inspect
import re
from collections.abc import Sequence
from typing import Any

import markdown
from markdown import util
from markdown.inlinepatterns import DelimiterProcessor, InlineProcessor, Pattern
from markdown.treeprocessors import InlineProcessor as InlineTreeprocessor

# sha256 (first 12 hex digits) of a pattern's expression -> what any match contains
_NEEDS = {
    "231bee70302e": ("`",),  # code span: both branches need a backtick
    "51a11c21258d": ("\\",),  # backslash escape
    "154f68064ec7": ("[^",),  # footnote reference
    "0aca4cbc7f79": ("[",),  # link, reference, short reference
    "3bd0cb9cfeed": ("![",),  # image, image reference, short image reference
    "7cc379585f40": ("<",),  # autolink
    "64b9f843dff4": ("<",),  # automatic e-mail link
    "75df45fedc69": ("  \n",),  # line break: two spaces at a line's end
    "47eec514cf83": ("<",),  # raw HTML tag, comment, processing instruction, CDATA
    "59f41c098c4b": ("&",),  # entity
}
# sha256 of the source of InlineProcessor.__handleInline in the Markdown releases checked
_KNOWN_LOOPS = frozenset({"fe27babc114a"})


def _short(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def loop_fingerprint() -> str:
    try:
        loop = InlineTreeprocessor._InlineProcessor__handleInline  # type: ignore[attr-defined]
        return _short(inspect.getsource(loop))
    except (AttributeError, OSError, TypeError):
        return ""


def needs(pattern: Pattern) -> tuple[str, ...] | None:
    """Strings one of which any match of the pattern contains; None: always try it."""
    compiled = pattern.getCompiledRegExp()
    if isinstance(pattern, DelimiterProcessor):  # emphasis: its expression is its tokens, any of them
        tokens = tuple(pattern.tokens)
        if tokens and compiled.pattern == "|".join(re.escape(t) for t in tokens):
            return tokens
        return None
    if not isinstance(pattern, InlineProcessor):  # old-style patterns match differently
        return None
    return _NEEDS.get(_short(compiled.pattern))


class _QuickInline(InlineTreeprocessor):
    """The inline treeprocessor with hopeless tries skipped (set by `quicken` on an existing one)."""

    _plan: Sequence[tuple[Pattern, str | None, tuple[str, ...]]]  # pattern, a needle, other needles
    _any_needle: re.Pattern[str] | None  # when every pattern has needles: a search for any of them

    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:
        # Markdown's own loop, with the registry lookup replaced by a list and the skip added
        if not isinstance(data, util.AtomicString):
            if self._any_needle is not None and self._any_needle.search(data) is None:
                return data  # most text: every try would fail
            apply: Any = self._InlineProcessor__applyPattern  # type: ignore[attr-defined]
            plan = self._plan
            count = len(plan)
            startIndex = 0
            while patternIndex < count:
                pattern, needle, others = plan[patternIndex]
                if needle is not None and needle not in data and not any(w in data for w in others):
                    patternIndex += 1
                    startIndex = 0
                    continue
                data, matched, startIndex = apply(pattern, data, patternIndex, startIndex)
                if not matched:
                    patternIndex += 1
        return data


def quicken(md: markdown.Markdown) -> bool:
    """Make md's inline stage skip tries that cannot match; False when this Markdown is not one
    we checked (it is left as it is). Call after every extension is registered."""
    if "inline" not in md.treeprocessors:
        return False
    inline = md.treeprocessors["inline"]
    if type(inline) is not InlineTreeprocessor or loop_fingerprint() not in _KNOWN_LOOPS:
        return False
    wanted = [(pattern, needs(pattern)) for pattern in md.inlinePatterns]  # in priority order
    inline.__class__ = _QuickInline
    assert isinstance(inline, _QuickInline)
    inline._plan = tuple((p, w[0], w[1:]) if w else (p, None, ()) for p, w in wanted)
    needles = sorted({n for _, w in wanted for n in w or ()})
    inline._any_needle = (re.compile("|".join(re.escape(n) for n in needles))
                          if needles and all(w for _, w in wanted) else None)
    return True
