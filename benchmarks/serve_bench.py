"""Live preview latency (`make bench-serve`): from saving a post to the browser showing the new text.

A copy of the sample content (content/, themes/, opdgen.yaml) is served by `opdgen serve` in a
subprocess; headless Chromium (Debian's /usr/bin/chromium) opens a post; the post's Markdown is
saved EDITS times (BENCH_EDITS, default 20) with a new sentence each time, and the time until the
open tab shows it (with no reload by the benchmark) is measured. Prints every figure, the median
and the target (300 ms). The sample content itself is never touched.
"""

from __future__ import annotations

import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.e2e.test_browser import ARGS, CHROMIUM  # noqa: E402
from tests.e2e.test_serve import Preview  # noqa: E402

POST = Path("content/dinkes/berita/2026-07-15-pekan-imunisasi-kejar-34-puskesmas.md")
PAGE = "dinkes/berita/pekan-imunisasi-kejar-34-puskesmas/"
TARGET_MS = 300.0


def _copy_sample(to: Path) -> None:
    shutil.copy2(ROOT / "opdgen.yaml", to / "opdgen.yaml")
    for folder in ("content", "themes"):
        if (ROOT / folder).is_dir():
            shutil.copytree(ROOT / folder, to / folder)


def measure(edits: int) -> list[float]:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="opdgen-bench-serve-") as work:
        repo, tmpdir = Path(work) / "repo", Path(work) / "tmp"
        repo.mkdir()
        tmpdir.mkdir()
        _copy_sample(repo)
        original = (repo / POST).read_text(encoding="utf-8")
        server = Preview(repo, tmpdir)
        times: list[float] = []
        try:
            url = server.url(timeout=120)
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
                page = browser.new_page()
                page.goto(url + PAGE)
                page.wait_for_selector("html[data-opdgen-live]", state="attached", timeout=10_000)
                for n in range(1, edits + 1):
                    marker = f"Suntingan uji nomor {n} tersimpan."
                    started = time.perf_counter()
                    (repo / POST).write_text(original + f"\n{marker}\n", encoding="utf-8")
                    page.wait_for_function("t => document.body && document.body.innerText.includes(t)",
                                           arg=marker, timeout=10_000, polling=5)
                    times.append((time.perf_counter() - started) * 1000)
                    page.wait_for_selector("html[data-opdgen-live]", state="attached", timeout=10_000)
                browser.close()
        finally:
            server.stop()
        return times


def main() -> int:
    if not Path(CHROMIUM).exists():
        print(f"{CHROMIUM} not found: apt-get install chromium", file=sys.stderr)
        return 1
    edits = int(os.environ.get("BENCH_EDITS", "20"))
    times = measure(edits)
    print("save -> new text in the browser (ms): " + ", ".join(f"{t:.0f}" for t in times))
    median = statistics.median(times)
    print(f"median {median:.0f} ms, min {min(times):.0f} ms, max {max(times):.0f} ms over {len(times)} edits "
          f"(target: at most {TARGET_MS:.0f} ms) -> {'OK' if median <= TARGET_MS else 'OVER TARGET'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
