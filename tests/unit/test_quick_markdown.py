"""The quick inline, block and toc stages (opdgen.markup.quickinline, .quickblock) render exactly what
Python-Markdown renders."""

from __future__ import annotations

import random
from pathlib import Path
from xml.etree import ElementTree as etree

import markdown
import pytest
from markdown import blockprocessors, core
from markdown.blockparser import BlockParser
from markdown.blockprocessors import BlockProcessor
from markdown.extensions import toc
from markdown.extensions.toc import TocTreeprocessor
from markdown.inlinepatterns import InlineProcessor
from markdown.postprocessors import Postprocessor

from opdgen.markup import quickblock
from opdgen.markup.markdown import MarkdownRenderer
from opdgen.markup.quickblock import quicken_block_level, quicken_blocks, quicken_toc
from opdgen.markup.quickinline import needs

ROOT = Path(__file__).resolve().parents[2]

TRICKY = [
    "Teks biasa tanpa tanda apa pun.",
    "Kode `a < b` dan ``dua ` tanda`` serta \\`bukan kode\\`.",
    "Escape \\*bukan miring\\* dan \\[bukan tautan\\] dan \\\\ garis.",
    "[Tautan](https://sukamajukab.go.id \"judul\") dan ![foto](media/a.jpg \"t\") dan [ref][1] dan [ref].\n\n[1]: https://a.go.id\n[ref]: https://b.go.id",
    "![gambar ref][g] ![g]\n\n[g]: media/g.png",
    "Catatan kaki[^1] dan[^dua].\n\n[^1]: Isi catatan.\n[^dua]: Kedua *miring*.",
    "Autolink <https://sukamajukab.go.id/x?a=1&b=2> dan surel <humas@sukamajukab.go.id>.",
    "Baris satu  \nbaris dua dengan jeda\\\nbaris tiga.",
    "HTML <span class=\"x\">dalam</span> <!-- komentar --> <?pi ?> <![CDATA[x]]> & &amp; &#169; &#xA9; &copy",
    "*miring* **tebal** ***keduanya*** _garis_ __tebal__ ___semua___ * bintang sendiri * a*b*c snake_case_name",
    "**tebal dengan `kode` dan [tautan](x) di dalam** dan *[miring tautan](y)*",
    "| A | B |\n|:--|--:|\n| `x` | *y* |\n| [z](w) | &amp; |",
    "```\n*tidak* [diproses]\n```\n\n    kode indentasi *tidak*",
    "> kutipan *miring*\n> [tautan](x)\n\n- butir **tebal**\n- butir `kode`\n\n1. satu\n2. dua_tiga_",
    "## Judul *miring* `kode`\n\nIsi.\n\n### Sub [tautan](x)",
    "<div>\n*blok html*\n</div>\n\nsetelah",
    "[tautan *miring* ![gambar](g.png)](x) ![alt [kurung]](y.png)",
    "teks]* [ setengah ![ ( ) `` ` \\ & < > _ *",
    "Hanya _garis bawah_ di sini.", "__tebal__ saja", "Satu *bintang* saja.", "a &amp; b", "x < y",
    "kode `saja`", "\\_lolos\\_", "[tautan] saja", "baris  \nbaru",
    # block stage: each processor's test, near misses included
    "Judul setext\n===\n\nSub setext\n---\n\nbukan = setext\n= x\n\nbaris\n-- -",
    "***\n\n- - -\n\n_ _ _\n\n--\n\na - b - c\n\nteks\n* * *\nteks lagi\n\n**tebal** *",
    "> kutipan\n> > bersarang\n\nbukan > kutipan\n   > tiga spasi\n\n    > kode",
    "a | b\n--|--\n1 | 2\n\n| satu kolom |\n| --- |\n| x |\n\n|bukan tabel\n\nx | y\nbukan: garis",
    "Teks\n[ref]: https://a.go.id \"Judul\"\nlanjut [ref]\n\n[x]:\nhttps://b.go.id\n\n[kosong]: tanpa-judul",
    "Sebelum\n[^a]: catatan di tengah\n\n[^a]\n\n[^b]: dua\n    baris\n\n[^c] [^b]",
    "# Satu #\n## Dua\nteks langsung\n###### Enam ######\n####### tujuh\n\nteks # bukan judul",
    "1. satu\n\n    lanjutan\n\n    > kutipan dalam butir\n\n2. dua\n    - anak\n        - cucu",
    # toc stage: repeated headings, a marker paragraph where it counts and where it does not
    "## Sama\n\n## Sama\n\n### Sama &amp; `kode` [^1] *miring*\n\n[^1]: x\n\n## sama-1",
    "# A\n\n[TOC]\n\n## B\n\n## B",
    "## Judul\n\n    [TOC]\n\n> [TOC]\n\n- [TOC]\n\n## [TOC]",
    "teks [TOC] teks\n\n## Judul\n\n[TOC] *x*",
    "## Konten\n\n## Menu\n\n## 123\n\n## !!!",
    # headings named without the round trip (plain text) and with it (signs, escapes, placeholders)
    "## Dua  spasi\tdan tab \n\n##   Tepi   ##\n\n## Águas — “kutip” ’\n\n## Dua  spasi\tdan tab",
    "## A & B\n\n## A &amp; B\n\n## a < b > c\n\n## Escape \\# \\< \\& \\\\\n\n## <b>tebal</b> mentah",
    "## Catatan[^1]\n\n[^1]: x\n\n## Kode `a&b`\n\n## <!-- k --> komentar\n\n## &#65; &copy;",
    "Judul setext  dengan  spasi\n===\n\n<div>blok</div>\n\n## Sesudah blok\n\n##\n\n## \\",
]

PIECES = [
    "kata", "desa", " ", " ", "  \n", "\n", "\n\n", "`", "``", "\\", "\\*", "*", "**", "_", "__", "[", "]",
    "(", ")", "![", "[^1]", "[^1]: catatan\n", "[1]", "[1]: http://a.go.id\n", "<", ">", "<b>", "</b>",
    "<http://a.go.id>", "<a@b.id>", "<!-- c -->", "&", "&amp;", "&#65;", "&x", ";", "\"", "'", "# ", "- ",
    "1. ", "> ", "| a | b |\n|---|---|\n", "```\n", "    ", "https://", ".go.id", "é", "—",
    "## ", "\n===\n", "\n---\n", "***", "_ _ _", "|", "]:", "[TOC]", "\n[TOC]\n\n",
]


def random_docs(count: int, seed: int, plain: float = 0.0) -> list[str]:
    """Random Markdown; `plain`: the share of plain words, so some text has one sign or none."""
    rng = random.Random(seed)
    return ["".join(rng.choice(("kata ", "desa ")) if rng.random() < plain else rng.choice(PIECES)
                    for _ in range(rng.randint(1, 80))) for _ in range(count)]


def sample_bodies() -> list[str]:
    return [p.read_text("utf-8") for p in sorted((ROOT / "content").rglob("*.md"))]


def test_the_installed_markdown_gets_the_quick_stage() -> None:
    if not markdown.__version__.startswith("3.11."):
        pytest.skip(f"checked against Markdown 3.11; installed {markdown.__version__}")
    quick, stock = MarkdownRenderer()._md, MarkdownRenderer(quick=False)._md
    assert type(quick.treeprocessors["inline"]).__name__ == "_QuickInline"
    assert type(stock.treeprocessors["inline"]).__name__ == "InlineProcessor"
    assert (type(quick.parser).__name__, type(stock.parser).__name__) == ("_QuickBlockParser", "BlockParser")
    assert type(quick.treeprocessors["toc"]).__name__ == "_QuickToc"
    assert type(stock.treeprocessors["toc"]).__name__ == "TocTreeprocessor"
    assert quick.treeprocessors["toc"].plain_names  # type: ignore[attr-defined]
    assert "is_block_level" in vars(quick) and "is_block_level" not in vars(stock)


def test_the_quick_block_level_test_answers_as_markdown_does() -> None:
    quick, stock = MarkdownRenderer()._md, MarkdownRenderer(quick=False)._md
    tags = [*stock.block_level_elements, "span", "a", "em", "code", "DIV", "P/", "Table", "br", "", "/",
            "x-div", None, 3, etree.Comment, etree.ProcessingInstruction]
    for tag in tags:
        assert quick.is_block_level(tag) is stock.is_block_level(tag), tag


@pytest.mark.parametrize("source", ["tricky", "sample", "random", "sparse"])
def test_same_html_as_python_markdown(source: str) -> None:
    texts = {"tricky": TRICKY, "sample": sample_bodies(), "random": random_docs(1500, 7),
             "sparse": random_docs(1500, 8, plain=0.95)}[source]
    assert len(texts) > 10
    quick, stock = MarkdownRenderer(), MarkdownRenderer(quick=False)
    for text in texts:
        assert quick.render(text) == stock.render(text), repr(text)


def test_unknown_patterns_are_always_tried() -> None:
    class Mine(InlineProcessor):
        pass

    assert needs(Mine(r"@@(\w+)")) is None
    assert needs(Mine(r"&(?:#[0-9]+|#x[0-9a-fA-F]+|[a-zA-Z0-9]+);")) is None  # close to a known one


def test_an_unknown_block_processor_leaves_the_parser_as_it_is() -> None:
    class Shout(BlockProcessor):  # takes a block that starts with "!!"
        def test(self, parent: object, block: str) -> bool:
            return block.startswith("!!")

        def run(self, parent: etree.Element, blocks: list[str]) -> None:
            etree.SubElement(parent, "p").text = blocks.pop(0)[2:].upper()

    md = markdown.Markdown(extensions=["tables", "toc"])
    md.parser.blockprocessors.register(Shout(md.parser), "shout", 95)
    assert not quicken_blocks(md)
    assert type(md.parser) is BlockParser
    assert md.convert("!!halo\n\n# judul") == '<p>HALO</p>\n<h1 id="judul">judul</h1>'


def test_a_markdown_whose_files_changed_is_left_as_it_is(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(quickblock._CHECKED, blockprocessors.__name__, "0" * 16)  # another release
    md = markdown.Markdown(extensions=["tables", "toc"])
    assert not quicken_blocks(md)
    assert type(md.parser) is BlockParser
    assert quicken_toc(md)  # its own file is as checked
    monkeypatch.setitem(quickblock._CHECKED, toc.__name__, "0" * 16)
    assert not quicken_toc(markdown.Markdown(extensions=["toc"]))
    monkeypatch.setitem(quickblock._CHECKED, core.__name__, "0" * 16)
    assert not quicken_block_level(md)
    assert "is_block_level" not in vars(md)


def test_a_heading_goes_the_whole_way_when_a_postprocessor_is_unknown() -> None:
    class Shout(Postprocessor):
        def run(self, text: str) -> str:
            return text.replace("Kabar", "Warta")

    md = markdown.Markdown(extensions=["toc"])
    md.postprocessors.register(Shout(md), "shout", 5)
    assert quicken_toc(md)
    assert not md.treeprocessors["toc"].plain_names  # type: ignore[attr-defined]
    assert md.convert("## Kabar desa") == '<h2 id="warta-desa">Warta desa</h2>'  # named as Markdown names it


def test_a_changed_toc_stage_is_left_as_it_is() -> None:
    class MyToc(TocTreeprocessor):
        pass

    md = markdown.Markdown(extensions=["toc"])
    assert quicken_toc(md)  # Markdown's own
    other = markdown.Markdown(extensions=["toc"])
    other.treeprocessors["toc"].__class__ = MyToc  # an extension's own toc stage
    assert not quicken_toc(other)
    assert type(other.treeprocessors["toc"]) is MyToc
    assert not quicken_toc(markdown.Markdown())  # no toc stage at all
