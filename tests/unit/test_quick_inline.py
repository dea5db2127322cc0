"""The quick inline stage (opdgen.markup.quickinline) renders exactly what Python-Markdown renders."""

from __future__ import annotations

import random
from pathlib import Path

import markdown
import pytest
from markdown.inlinepatterns import InlineProcessor

from opdgen.markup.markdown import MarkdownRenderer
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
]

PIECES = [
    "kata", "desa", " ", " ", "  \n", "\n", "\n\n", "`", "``", "\\", "\\*", "*", "**", "_", "__", "[", "]",
    "(", ")", "![", "[^1]", "[^1]: catatan\n", "[1]", "[1]: http://a.go.id\n", "<", ">", "<b>", "</b>",
    "<http://a.go.id>", "<a@b.id>", "<!-- c -->", "&", "&amp;", "&#65;", "&x", ";", "\"", "'", "# ", "- ",
    "1. ", "> ", "| a | b |\n|---|---|\n", "```\n", "    ", "https://", ".go.id", "é", "—",
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
    inline = MarkdownRenderer()._md.treeprocessors["inline"]
    assert type(inline).__name__ == "_QuickInline"
    assert type(MarkdownRenderer(quick=False)._md.treeprocessors["inline"]).__name__ == "InlineProcessor"


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
