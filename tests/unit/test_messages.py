from __future__ import annotations

import re
from pathlib import Path

from opdgen.messages import CATALOGS, format_problem, pick_language
from opdgen.problems import Problem, Severity

PACKAGE = Path(__file__).resolve().parents[2] / "opdgen"


def test_both_catalogs_have_the_same_codes() -> None:
    assert set(CATALOGS["id"]) == set(CATALOGS["en"])


def test_both_catalogs_use_the_same_parameters() -> None:
    for code, (message, hint) in CATALOGS["id"].items():
        en_message, en_hint = CATALOGS["en"][code]
        params = set(re.findall(r"(?<!\{)\{(\w+)\}", message + hint))
        assert params == set(re.findall(r"(?<!\{)\{(\w+)\}", en_message + en_hint)), code


def test_every_code_used_in_the_code_has_words() -> None:
    source = "\n".join(p.read_text() for p in PACKAGE.rglob("*.py") if "messages" not in p.parts)
    used = set(re.findall(r'"((?:yaml|schema|config|site|fs|content|frontmatter|theme|menu|build|cli|media|markdown|spam|verify)\.[a-z_.]+)"', source))
    missing = {code for code in used if code not in CATALOGS["id"]} - {"site.yaml", "schema.org"}  # a file name, a host
    assert not missing


def test_format() -> None:
    p = Problem(Path("content/a.md"), 3, "frontmatter.date.format", {"value": "kemarin"})  # type: ignore[arg-type]
    assert format_problem(p, "id").startswith('content/a.md:3: Tanggal "kemarin" tidak dikenali.')
    w = Problem(Path("content/a.md"), None, "fs.hidden", {}, Severity.WARNING)  # type: ignore[arg-type]
    assert format_problem(w, "en").startswith("content/a.md: warning: ")


def test_language_choice(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("OPDGEN_LANG", "en")
    assert pick_language(None) == "en"
    assert pick_language("id") == "id"
    monkeypatch.setenv("OPDGEN_LANG", "fr")
    assert pick_language(None) == "id"
