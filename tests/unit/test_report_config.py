"""`report:` in opdgen.yaml: optional, with defaults; bad thresholds are problems with a line."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from opdgen.config import ReportConfig, load_region_config
from opdgen.fsguard import Repo
from opdgen.problems import Problems
from tests.conftest import REGION_YAML


def load(make_repo: Callable[..., Path], extra: str) -> tuple[object, Problems]:
    problems = Problems()
    config = load_region_config(Repo(make_repo({"opdgen.yaml": REGION_YAML + extra})), problems)
    return config, problems


def test_absent_means_defaults(make_repo: Callable[..., Path]) -> None:
    config, problems = load(make_repo, "")
    assert not len(problems)
    assert config.report == ReportConfig(active_days=30, inactive_days=90, min_posts_per_month=4,  # type: ignore[attr-defined]
                                         publish=False)


def test_values_are_read(make_repo: Callable[..., Path]) -> None:
    config, problems = load(make_repo, "report:\n  active_days: 14\n  inactive_days: 60\n"
                                       "  min_posts_per_month: 0\n  publish: true\n")
    assert not len(problems)
    assert config.report == ReportConfig(active_days=14, inactive_days=60, min_posts_per_month=0,  # type: ignore[attr-defined]
                                         publish=True)


def test_mistakes_have_lines(make_repo: Callable[..., Path]) -> None:
    config, problems = load(make_repo, "report:\n  active_days: 0\n  min_posts_per_month: -1\n  publsh: true\n")
    assert config is None
    assert [(p.line, p.code) for p in problems] == [
        (10, "config.report.range"), (11, "config.report.range"), (12, "schema.unknown_key_near")]
    config, problems = load(make_repo, "report:\n  active_days: 90\n  inactive_days: 90\n")
    assert config is None and [(p.line, p.code) for p in problems] == [(9, "config.report.order")]
