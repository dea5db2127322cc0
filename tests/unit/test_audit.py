"""`make audit`'s reading of Lighthouse reports and its server set-up, without running Lighthouse.

The reports here are cut-down Lighthouse 12 JSON (the keys the audit reads); `make audit` itself runs
real Lighthouse, nginx and Chromium and is not part of `make test`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from benchmarks.audit import PAGES, local_block, parse_pages, server_name
from benchmarks.lighthouse import CATEGORIES, displayed, median_run, page_result, table, verdict
from opdgen.outputs.headers import nginx_conf, security_headers


def report(scores: dict[str, float | None], audits: dict[str, dict[str, Any]] | None = None,
           refs: dict[str, float] | None = None, **extra: Any) -> dict[str, Any]:
    """A Lighthouse report: every category refers to each audit in `refs` (id -> weight)."""
    refs = refs if refs is not None else {}
    categories = {c: {"score": scores.get(c), "auditRefs": [{"id": i, "weight": w} for i, w in refs.items()]}
                  for c in CATEGORIES}
    return {"requestedUrl": "https://dinkes.ujikab.go.id/", "finalDisplayedUrl": "https://dinkes.ujikab.go.id/",
            "categories": categories, "audits": audits or {}, **extra}


PERFECT = dict.fromkeys(CATEGORIES, 1.0)


@pytest.mark.parametrize(("score", "shown"), [(1.0, 100), (0.995, 100), (0.994, 99), (0.99, 99), (0.5, 50),
                                              (0.0, 0), (None, None)],
                         ids=["one", "half-up", "just-below", "ninety-nine", "half", "zero", "none"])
def test_scores_are_shown_as_lighthouse_rounds_them(score: float | None, shown: int | None) -> None:
    assert displayed(score) == shown


def test_a_perfect_page_passes() -> None:
    result = page_result("home", report(PERFECT))
    assert result.passes and result.scores == dict.fromkeys(CATEGORIES, 100) and not result.failing
    assert verdict([result]) == 0


@pytest.mark.parametrize("category", CATEGORIES)
def test_any_category_below_100_fails_the_audit(category: str) -> None:
    scores = {**PERFECT, category: 0.98}
    results = [page_result("home", report(PERFECT)), page_result("post", report(scores))]
    assert not results[1].passes and verdict(results) == 1
    assert "post" in table(results).splitlines()[3] and " 98 " in table(results).splitlines()[3]


def test_a_missing_score_or_a_runtime_error_fails() -> None:
    assert verdict([page_result("home", report({**PERFECT, "seo": None}))]) == 1
    broken = report(PERFECT, runtimeError={"code": "ERRORED_DOCUMENT_REQUEST", "message": "status 404"})
    result = page_result("home", broken)
    assert not result.passes and "ERRORED_DOCUMENT_REQUEST: status 404" in table([result])
    assert verdict([]) == 1  # nothing audited is no pass


def test_failing_audits_are_listed_with_id_title_and_why() -> None:
    audits = {
        "color-contrast": {"title": "Contrast", "score": 0, "scoreDisplayMode": "binary",
                           "explanation": "Teks abu-abu\n di atas putih"},
        "first-contentful-paint": {"title": "First Contentful Paint", "score": 0.98,
                                   "scoreDisplayMode": "numeric", "displayValue": "1.3 s"},
        "uses-http2": {"title": "Use HTTP/2", "score": 0, "scoreDisplayMode": "metricSavings"},
        "robots-txt": {"title": "robots.txt is valid", "score": None, "scoreDisplayMode": "error",
                       "errorMessage": "fetch failed"},
        "viewport": {"title": "Has a viewport", "score": 1, "scoreDisplayMode": "binary"},
        "diagnostics": {"title": "Diagnostics", "score": None, "scoreDisplayMode": "informative"},
        "not-in-a-category": {"title": "Elsewhere", "score": 0, "scoreDisplayMode": "binary"},
    }
    refs = {"color-contrast": 7, "first-contentful-paint": 10, "uses-http2": 0, "robots-txt": 1,
            "viewport": 10, "diagnostics": 0}
    result = page_result("post", report(PERFECT, audits, refs))
    assert [f.id for f in result.failing] == ["color-contrast", "first-contentful-paint", "robots-txt", "uses-http2"]
    text = table([result])
    assert "post: color-contrast [0]: Contrast -- Teks abu-abu di atas putih" in text
    assert "post: first-contentful-paint [98]: First Contentful Paint -- 1.3 s" in text
    assert "post: robots-txt [error]: robots.txt is valid -- fetch failed" in text
    assert "post: uses-http2 [0] (diagnostic: weight 0): Use HTTP/2" in text
    assert "viewport" not in text and "Diagnostics" not in text and "Elsewhere" not in text


def test_the_median_run_by_performance_decides_and_every_run_is_shown() -> None:
    runs = [page_result("post", report({**PERFECT, "performance": p})) for p in (0.97, 1.0, 0.99)]
    chosen = median_run(runs)
    assert chosen.scores["performance"] == 99 and chosen.runs == (97, 100, 99)
    assert "(perf of 3 runs: 97, 100, 99)" in table([chosen]) and verdict([chosen]) == 1
    even = median_run([page_result("post", report({**PERFECT, "performance": p})) for p in (1.0, 0.9)])
    assert even.scores["performance"] == 90  # of two middles, the worse one
    broken = page_result("post", report(PERFECT, runtimeError={"code": "NO_FCP", "message": "x"}))
    assert median_run([broken, runs[1], runs[1]]).scores["performance"] == 100
    assert median_run([broken, broken, runs[1]]).error  # most runs broke: the page fails
    single = median_run(runs[1:2])
    assert single.runs == (100,) and "runs" not in table([single])


def test_the_shipped_nginx_block_is_moved_to_loopback_and_nothing_else(tmp_path: Path) -> None:
    shipped = nginx_conf("dinkes", "https://dinkes.ujikab.go.id/", security_headers([]))
    assert server_name(shipped) == "dinkes.ujikab.go.id"
    local = local_block(shipped, tmp_path / "www", tmp_path / "c.pem", tmp_path / "k.pem", 8443, 8080)
    assert "listen 127.0.0.1:8443 ssl http2;" in local and "listen 127.0.0.1:8080;" in local
    assert "[::]" not in local and "letsencrypt" not in local and "/var/www" not in local
    assert f"root {tmp_path / 'www'};" in local and f"ssl_certificate {tmp_path / 'c.pem'};" in local
    # everything else (headers, cache rules, gzip, refusals) is the shipped text, line for line
    kept = [line for line in shipped.splitlines() if "listen" not in line and "ssl_cert" not in line
            and not line.strip().startswith("root ")]
    assert [line for line in local.splitlines() if line in kept] == kept
    assert "gzip on;" in local and 'add_header Cache-Control "public, max-age=31536000, immutable"' in local


def test_a_changed_shipped_block_stops_the_audit(tmp_path: Path) -> None:
    shipped = nginx_conf("dinkes", "https://dinkes.ujikab.go.id/", security_headers([]))
    with pytest.raises(SystemExit, match="IPv6"):
        local_block(shipped.replace("listen [::]:80;", ""), tmp_path, tmp_path, tmp_path, 1, 2)
    with pytest.raises(SystemExit, match="listen 80"):
        local_block(shipped.replace("listen 80;", "listen 81;"), tmp_path, tmp_path, tmp_path, 1, 2)


def test_pages_to_audit() -> None:
    assert parse_pages([]) == PAGES and {n for n, _ in PAGES} >= {"dinkes-home", "dinkes-post", "portal-home"}
    assert parse_pages(["tag=https://dinkes.ujikab.go.id/tag/dbd/"]) == (("tag", "https://dinkes.ujikab.go.id/tag/dbd/"),)
    for bad in ("https://x.go.id/", "Tag=https://x.go.id/", "tag=http://x.go.id/"):
        with pytest.raises(SystemExit):
            parse_pages([bad])
