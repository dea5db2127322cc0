"""serve's loads: a file whose identity did not change is not read and parsed again in the same process."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from opdgen.content.loader import LoadOptions, load_region
from opdgen.fsguard import Repo
from tests.conftest import POST

B = "content/dinkes/berita/"
NOW = datetime(2026, 11, 28, 12, tzinfo=ZoneInfo("Asia/Jakarta"))


def test_unchanged_files_are_not_read_again(make_repo: Callable[..., Path],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    repo = make_repo({B + "2026-11-20-a.md": POST, B + "2026-11-21-b.md": POST.replace("Pekan", "Minggu")})
    options = LoadOptions(now=NOW, remember=True)
    region, problems = load_region(repo, options)
    assert region is not None and not problems.has_errors
    read: list[str] = []
    real = Repo.read_text

    def counting(self: Repo, path: Path, *args: object, **kwargs: object) -> str:
        read.append(path.name)
        return real(self, path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Repo, "read_text", counting)
    load_region(repo, options)
    assert not [name for name in read if name.endswith(".md")]
    (repo / B / "2026-11-20-a.md").write_text(POST.replace("Pekan Imunisasi Dimulai", "Judul Baru"))
    region, _ = load_region(repo, options)
    assert [name for name in read if name.endswith(".md")] == ["2026-11-20-a.md"]
    assert region is not None and "Judul Baru" in {p.title for p in region.sites[0].posts}
    read.clear()
    load_region(repo, LoadOptions(now=NOW))  # a plain build reads everything
    assert sorted(name for name in read if name.endswith(".md")) == ["2026-11-20-a.md", "2026-11-21-b.md"]


def test_a_file_with_problems_is_read_every_time(make_repo: Callable[..., Path]) -> None:
    repo = make_repo({B + "2026-11-20-a.md": POST.replace("title: Pekan Imunisasi Dimulai\n", "")})
    for _ in range(2):  # the problem is reported by every load, not only the first
        _, problems = load_region(repo, LoadOptions(now=NOW, remember=True))
        assert [p.code for p in problems.errors] == ["schema.missing"]
