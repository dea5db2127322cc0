"""Words for problem codes and CLI texts, in Indonesian (default) and English; no logic beyond lookup.

Each catalog maps a code to (message, how to fix it). A test checks both catalogs have the same codes.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from opdgen.messages import en as _en
from opdgen.messages import id as _id
from opdgen.problems import Problem, Severity

CATALOGS: Mapping[str, Mapping[str, tuple[str, str]]] = {"id": _id.MESSAGES, "en": _en.MESSAGES}
LANGUAGES = tuple(CATALOGS)


def pick_language(option: str | None) -> str:
    """--lang wins, then OPDGEN_LANG, then Indonesian."""
    for candidate in (option, os.environ.get("OPDGEN_LANG")):
        if candidate and candidate.lower()[:2] in CATALOGS:
            return candidate.lower()[:2]
    return "id"


class _Params(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def text(code: str, lang: str, **params: object) -> str:
    """The message and its hint for a code, joined, with params filled in."""
    message, hint = CATALOGS[lang].get(code) or CATALOGS["en"].get(code) or (code, "")
    values = _Params({k: str(v) for k, v in params.items()})
    out = message.format_map(values)
    if hint:
        out += " " + hint.format_map(values)
    return out


def format_problem(problem: Problem, lang: str) -> str:
    """`path:line: message how-to-fix`, with a warning marker for warnings."""
    where = f"{problem.path}:{problem.line}" if problem.line else f"{problem.path}"
    marker = ""
    if problem.severity is Severity.WARNING:
        marker = ("peringatan: " if lang == "id" else "warning: ")
    elif problem.severity is Severity.NOTICE:
        marker = ("saran: " if lang == "id" else "advice: ")
    return f"{where}: {marker}{text(problem.code, lang, **problem.params)}"
