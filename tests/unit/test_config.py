from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from opdgen.config import load_region_config, load_site_config
from opdgen.fsguard import Repo
from opdgen.problems import Problems
from opdgen.schema import contrast_ratio
from tests.conftest import SITE_YAML


def test_region_and_site_are_typed(make_repo: Callable[..., Path]) -> None:
    repo = Repo(make_repo({"content/dinkes/site.yaml": SITE_YAML + 'whatsapp: "62 812-3456-7890"\n'
                           "social:\n  instagram: https://www.instagram.com/dinkes\n"}))
    problems = Problems()
    region = load_region_config(repo, problems)
    assert region is not None and not len(problems)
    assert region.portal_base_url == "https://ujikab.go.id/"
    assert str(region.timezone) == "Asia/Jakarta" and region.language == "id"
    assert region.video_hosts == ("www.youtube-nocookie.com",)
    site = load_site_config(repo, repo.root / "content/dinkes", region, problems)
    assert site is not None and not len(problems)
    assert site.whatsapp == "6281234567890"
    assert site.social == (("instagram", "https://www.instagram.com/dinkes"),)
    assert site.menu is None and site.colour == "#0e7c66"


def test_base_url_gets_a_trailing_slash(make_repo: Callable[..., Path]) -> None:
    repo = Repo(make_repo({"content/dinkes/site.yaml": SITE_YAML.replace(".go.id/", ".go.id")}))
    problems = Problems()
    region = load_region_config(repo, problems)
    assert region is not None
    site = load_site_config(repo, repo.root / "content/dinkes", region, problems)
    assert site is not None and site.base_url == "https://dinkes.ujikab.go.id/"


def test_contrast() -> None:
    assert round(contrast_ratio("#000000", "#ffffff"), 1) == 21.0
    assert contrast_ratio("#767676", "#ffffff") >= 4.5 > contrast_ratio("#777777", "#ffffff")
