"""Python-Markdown's block and toc stages without the work that cannot matter: the same output, faster.

Python-Markdown's block parser offers every block of a document to each block processor in turn,
by priority, until one takes it: for a paragraph of a news post that is a dozen tests, several of
them regular expression searches over the whole block (a heading needs a "#", a quotation a ">",
a table a "|", a link or footnote definition "]:" ...), and it asks the processor registry for a
freshly sorted list before every block. Nearly all of those searches fail. When a block lacks
what a processor's test needs, the processor is passed over, which is exactly what a failed test
does (or, for the two processors whose test always passes and whose run gives the block back
untouched when its search fails, what that run does).

The toc stage names a heading by serializing it, unescaping, running the postprocessors and
stripping tags; for a heading of plain text (no child element, no "&", "<", ">" or placeholder) that
round trip gives its words one space apart, which is what it is then given. And Markdown's
is_block_level, asked for every element by the prettifier, looks in a set instead of a list.

Only code we checked is relied on: each module whose classes take part (the parser's loop, the
processors, the toc stage) is recognised by a hash of its source file, and the parser is quickened
only when every registered processor is a class we checked, from such a module, inheriting only
from such classes (none of them changes the registry while parsing, so its list can be taken once
per call). A Markdown release that changes any of those files is left as it is (`quicken_blocks`
and `quicken_toc` return False). Hashing the files takes a millisecond; recognising each function
by its own source took a twentieth of a second of every process that renders Markdown.
tests/unit/test_quick_markdown.py renders varied and random Markdown both ways and compares the bytes.
"""

from __future__ import annotations

import functools
import hashlib
import html
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import markdown
from markdown import blockparser, blockprocessors, core, postprocessors, serializers
from markdown.blockparser import BlockParser
from markdown.blockprocessors import BlockProcessor
from markdown.extensions import footnotes, sane_lists, tables, toc
from markdown.extensions.toc import TocTreeprocessor, remove_fnrefs, render_inner_html, strip_tags, unique

# sha256 (first 16 hex digits) of the source files checked, by module (Markdown 3.11.3)
_CHECKED = {module.__name__: digest for module, digest in (
    (blockparser, "8f80902265698aae"),
    (blockprocessors, "0522d16c4ddadc75"),
    (tables, "fb23019f3a0f5afc"),
    (footnotes, "6bf0b957333399c4"),
    (sane_lists, "76d51863c957b4a9"),
    (toc, "180266be023aa581"),
    (core, "b8fdb3a9eb5b6f13"),  # is_block_level
    (postprocessors, "bd30e317d0b1e125"),  # a heading's text through them (toc)
    (serializers, "7cef1af99da20252"),
)}
# block processors by class: strings one of which a block must contain for the processor to take
# it; () for processors that are always tried
_NEEDLES: dict[str, tuple[str, ...]] = {
    "EmptyBlockProcessor": (),  # a test of the block's start
    "ListIndentProcessor": (),  # list continuation: its start
    "CodeBlockProcessor": (),  # indented code: its start
    "TableProcessor": ("|",),  # the header row splits into cells only at a pipe
    "HashHeaderProcessor": ("#",),  # on any line of the block
    "SetextHeaderProcessor": ("\n=", "\n-"),  # the second line is all "=" or all "-"
    "HRProcessor": ("-", "_", "*"),  # horizontal rule: three of one of them
    "SaneOListProcessor": (),  # lists (sane_lists): the block's start
    "SaneUListProcessor": (),
    "OListProcessor": (),
    "UListProcessor": (),
    "BlockQuoteProcessor": (">",),  # on any line
    "FootnoteBlockProcessor": ("[^",),  # its run gives the block back when it has no definition
    "ReferenceProcessor": ("]:",),  # link reference definition: the same
    "ParagraphProcessor": (),  # takes any block
}
_BASES = frozenset({"BlockProcessor", "OListProcessor", "UListProcessor"})  # inherited from


def checked(cls: type) -> bool:
    """The class is defined in a module whose source file is one we checked."""
    return _module_hash(cls.__module__) == _CHECKED.get(cls.__module__, "-")


@functools.cache
def _module_hash(module: str) -> str:
    try:
        path = sys.modules[module].__file__
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:16] if path else ""
    except (KeyError, OSError):
        return ""


def needles(processor: BlockProcessor) -> tuple[str, ...] | None:
    """What a block must contain for the processor to take it (see _NEEDLES); None: a processor
    we did not check."""
    found = _NEEDLES.get(type(processor).__qualname__)
    for cls in type(processor).__mro__[1:-1]:  # (the last is object)
        if cls.__qualname__ not in _BASES or not checked(cls):
            return None
    return found if found is not None and checked(type(processor)) else None


class _QuickBlockParser(BlockParser):
    """The block parser with hopeless tests skipped (set by `quicken_blocks` on an existing one)."""

    # every processor by priority, with a string one of which (or of the others) a block it takes
    # contains (None: every block is offered to it)
    _plan: Sequence[tuple[BlockProcessor, str | None, tuple[str, ...]]]

    def parseBlocks(self, parent: Any, blocks: list[str]) -> None:
        # Markdown's own loop, with the registry's list taken once and the skip added
        plan = self._plan
        while blocks:
            for processor, needle, others in plan:
                block = blocks[0]
                if needle is not None and needle not in block and not any(n in block for n in others):
                    continue
                if processor.test(parent, block) and processor.run(parent, blocks) is not False:
                    break


def quicken_blocks(md: markdown.Markdown) -> bool:
    """Make md's block parser skip tests that cannot pass; False when this Markdown is not one we
    checked (it is left as it is). Call after every extension is registered."""
    parser = md.parser
    if type(parser) is not BlockParser or not checked(BlockParser):
        return False
    plan = []
    for processor in parser.blockprocessors:  # in priority order
        wanted = needles(processor)
        if wanted is None:
            return False
        plan.append((processor, wanted[0], wanted[1:]) if wanted else (processor, None, ()))
    parser.__class__ = _QuickBlockParser
    assert isinstance(parser, _QuickBlockParser)
    parser._plan = tuple(plan)
    return True


class _QuickToc(TocTreeprocessor):
    """The toc treeprocessor giving headings their ids and nothing else (set by `quicken_toc` on an
    existing one): Markdown's own run also makes the table of contents as HTML (a tree, prettified,
    serialized and post-processed: a fifth of a news post's Markdown time) for `md.toc`, which
    opdgen never uses, and puts it where a paragraph says only "[TOC]". A document with such a
    paragraph gets Markdown's own run; others get the same ids, and md.toc stays empty."""

    plain_names = False  # a heading of plain text is named without the round trip (quicken_toc)

    def run(self, doc: Any) -> None:
        marker = self.marker
        if marker and any(el.text and len(el) == 0 and el.text.strip() == marker for el in doc.iter()):
            super().run(doc)  # (any element, not only those replace_marker looks at: a superset)
            return
        used_ids = {el.attrib["id"] for el in doc.iter() if "id" in el.attrib}
        counters: dict[str, int] = {}
        for el in doc.iter():
            if not (isinstance(el.tag, str) and self.header_rgx.match(el.tag)):
                continue
            self.set_level(el)
            if "id" not in el.attrib:  # Markdown's run: the id from the heading's text, unique
                text = el.text
                if self.plain_names and len(el) == 0 and not _SIGNS.search(text or "") \
                        and not _SIGNS.search(el.tail or ""):
                    # what serializing, unescaping, the postprocessors and strip_tags give text
                    # with no markup, entity, escape or placeholder: its words, one space apart
                    name = " ".join(text.split()) if text else ""
                else:
                    name = strip_tags(render_inner_html(remove_fnrefs(el), self.md))
                el.attrib["id"] = unique(self.slugify(html.unescape(name), self.sep), used_ids, counters)
            el.attrib.pop("data-toc-label", None)  # (only attr_list sets it: dropped, as Markdown does)
            if self.use_anchors:
                self.add_anchor(el, el.attrib["id"])
            if self.use_permalinks not in (False, None):
                self.add_permalink(el, el.attrib["id"])


def quicken_toc(md: markdown.Markdown) -> bool:
    """Make md's toc stage give headings their ids without making md.toc (see _QuickToc); False
    when md has no toc stage or not one we checked."""
    stage = md.treeprocessors["toc"] if "toc" in md.treeprocessors else None  # noqa: SIM401 (no .get)
    if type(stage) is not TocTreeprocessor or not checked(TocTreeprocessor):
        return False
    stage.__class__ = _QuickToc
    assert isinstance(stage, _QuickToc)
    # Markdown's serializer, and every postprocessor one we checked that changes only text with a
    # placeholder (STX) in it
    stage.plain_names = md.serializer in (serializers.to_html_string, serializers.to_xhtml_string) \
        and all(type(pp).__name__ in _PLAIN_POSTPROCESSORS and checked(type(pp)) for pp in md.postprocessors)
    return True


# Postprocessors that leave text without STX as it is (raw HTML, footnote and "&" placeholders)
_PLAIN_POSTPROCESSORS = frozenset({"RawHtmlPostprocessor", "FootnotePostprocessor",
                                   "AndSubstitutePostprocessor"})
# what makes a heading's text change on the way through the serializer and the postprocessors
_SIGNS = re.compile("[&<>\x02\x03]")


def quicken_block_level(md: markdown.Markdown) -> bool:
    """md.is_block_level by a set of the names (Markdown's looks the tag up in a list of fifty, and
    the prettifier and the raw HTML stage ask it for every element); False when Markdown's own is
    not one we checked. Call after every extension is registered (they may add names)."""
    if type(md).is_block_level is not markdown.Markdown.is_block_level or not checked(markdown.Markdown):
        return False
    names = frozenset(md.block_level_elements)

    def is_block_level(tag: Any) -> bool:
        return isinstance(tag, str) and tag.lower().rstrip("/") in names

    md.is_block_level = is_block_level  # type: ignore[method-assign]
    return True
