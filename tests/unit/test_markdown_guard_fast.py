"""check_markdown's shortcut (one regex and a count) never hides what the line-by-line check finds."""

from __future__ import annotations

import random

import pytest

from opdgen.markup.guard import check_markdown, first_finding

CASES = [
    "Paragraf biasa.\n\n- butir\n  - anak butir\n",
    "> " * 20 + "kutipan\n",  # at the limit
    "> " * 21 + "kutipan\n",  # one deeper
    "\t" * 20 + "x\n",  # 80 columns: at the limit
    "\t" * 21 + "x\n",
    " " * 80 + "x\n",  # 21 or more leading spaces: the slow path, still no finding
    " " * 81 + "x\n",
    "\u3000" * 81 + "x\n",  # any white space counts, as str.lstrip sees it
    "[a] " * 401 + "\n",  # one block with too many `[`
    ("[a] " * 200 + "\n\n") * 3,  # many `[`, spread over blocks
    "a\n" + "\n" * 30 + "b\n",  # blank lines are not indentation
    ">>>>>>>>>>>>>>>>>>>>>x\n",
    " > > > > > > > > > > > > > > > > > > > > > x\n",
    "Paragraf.\n\n" + "> " * 21 + "kutipan\n",  # deep lines after the first
    "Paragraf.\n" + "\t" * 21 + "x\n",
    "Paragraf.\n" + " " * 81 + "x",
]


@pytest.mark.parametrize("text", CASES)
def test_shortcut_agrees_with_the_line_by_line_check(text: str) -> None:
    assert check_markdown(text) == first_finding(text)


def test_the_cases_cover_both_answers() -> None:
    found = [check_markdown(t) for t in CASES]
    assert {f.code for f in found if f is not None} == {"markdown.nesting", "markdown.indent",
                                                        "markdown.brackets"}
    assert any(f is None for f in found)


def test_random_texts_agree() -> None:
    rng = random.Random(4)
    pieces = [" ", "\t", ">", "[", "x", "\n", "\n\n", "\u3000", "> ", "    "]
    for _ in range(3000):
        text = "".join(rng.choice(pieces) * rng.choice((1, 1, 5, 22, 90, 410)) for _ in range(rng.randint(1, 6)))
        assert check_markdown(text) == first_finding(text), repr(text[:80])
