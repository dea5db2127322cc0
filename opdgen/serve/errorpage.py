"""The page `serve` shows instead of every HTML page while the last build failed.

Each problem: the file and line, that line of the file as it is now, the message and how to fix
it, in the admin's language. It links the reload script, so it turns back into the page by
itself once the file is fixed. Its stylesheet is served by `serve` too (the CSP forbids inline CSS).
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape
from pathlib import Path

from opdgen.fsguard import Refused, Repo
from opdgen.messages import CATALOGS, text
from opdgen.problems import Problem, Severity
from opdgen.serve.livereload import PREFIX, TAG

STYLESHEET = PREFIX + "preview.css"
PREVIEW_CSS = b"""\
/* opdgen serve: the build-problem page. Served by the preview only. */
body { margin: 0 auto; max-width: 60rem; padding: 1.5rem; font: 1rem/1.5 system-ui, sans-serif;
       color: #1a1a1a; background: #fff; }
h1 { color: #a40e26; font-size: 1.75rem; }
ol { padding-left: 1.25rem; }
li { margin: 0 0 1.5rem; padding: 1rem; border: 2px solid #a40e26; border-radius: .5rem; }
li.warning { border-color: #8a5a00; }
.where { font-weight: 700; font-family: ui-monospace, monospace; overflow-wrap: anywhere; }
pre { margin: .5rem 0; padding: .5rem .75rem; background: #f4f4f4; overflow-x: auto; white-space: pre-wrap; }
.lineno { color: #555; user-select: none; }
.fix { margin: .25rem 0 0; }
@media (prefers-color-scheme: dark) {
  body { color: #eee; background: #151515; } h1 { color: #ff8a80; } pre { background: #262626; }
  li { border-color: #ff8a80; } .lineno { color: #aaa; }
}
"""


def error_page(problems: Iterable[Problem], root: Path, lang: str) -> bytes:
    """The whole page, as bytes, for the given problems (errors first, then warnings)."""
    items = sorted((p for p in problems if p.severity is not Severity.NOTICE),  # notices: `check`'s
                   key=lambda p: (p.severity is not Severity.ERROR, p.sort_key()))
    errors = sum(1 for p in items if p.severity is Severity.ERROR)
    repo = Repo(root)
    title = escape(text("serve.error.title", lang, errors=errors))
    body = "\n".join(_item(p, repo, lang) for p in items)
    return f"""\
<!doctype html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>{title}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="{STYLESHEET}">
{TAG.decode()}
</head>
<body>
<main>
<h1>{title}</h1>
<p>{escape(text("serve.error.intro", lang))}</p>
<ol>
{body}
</ol>
</main>
</body>
</html>
""".encode()


def _item(problem: Problem, repo: Repo, lang: str) -> str:
    message, hint = CATALOGS[lang].get(problem.code) or CATALOGS["en"].get(problem.code) or (problem.code, "")
    values = _Params(problem.params)
    where = f"{problem.path}:{problem.line}" if problem.line else str(problem.path)
    warning = problem.severity is Severity.WARNING
    marker = " — " + escape(text("serve.error.warning", lang)) if warning else ""
    parts = [f'<li class="{"warning" if warning else "error"}">',
             f'<p class="where">{escape(where)}{marker}</p>']
    line = offending_line(repo, problem)
    if line is not None:
        parts.append(f'<pre><span class="lineno">{problem.line}: </span><code>{escape(line)}</code></pre>')
    parts.append(f"<p>{escape(message.format_map(values))}</p>")
    if hint:
        label = escape(text("serve.error.fix", lang))
        parts.append(f'<p class="fix"><strong>{label}</strong> {escape(hint.format_map(values))}</p>')
    parts.append("</li>")
    return "\n".join(parts)


def offending_line(repo: Repo, problem: Problem) -> str | None:
    """The problem's line of its file as it is on disk now; None without a line or a readable file."""
    if not problem.line:
        return None
    try:
        lines = repo.read_text(repo.root / problem.path).split("\n")
    except (Refused, ValueError, OSError):
        return None
    return lines[problem.line - 1] if 0 < problem.line <= len(lines) else None


class _Params(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"
