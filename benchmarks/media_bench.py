"""Image throughput of the media pipeline (`make bench-media`): a folder of generated phone photos
(12 MP JPEGs with EXIF, GPS, XMP, an ICC profile and a comment), each derived as the build does
(WebP and JPEG at 480, 800 and 1200 px, metadata stripped), over every core with a process pool.

Prints images per second. BENCH_PHOTOS (default 100) sets the count; the photos are kept in
.opdgen-cache/bench/ so that a second run does not draw them again. The cache of derived images is
not used: every photo is processed.
"""

from __future__ import annotations

import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from opdgen.media.images import PHOTO, derive  # noqa: E402
from tests.imagegen import phone_jpeg  # noqa: E402

WIDTH, HEIGHT = 4000, 3000
FOLDER = ROOT / ".opdgen-cache" / "bench" / f"photos-{WIDTH}x{HEIGHT}"


def _draw(path: Path) -> None:
    seed = int(path.stem.rsplit("-", 1)[1])
    path.write_bytes(phone_jpeg(WIDTH, HEIGHT, seed=seed, orientation=6 if seed % 5 == 0 else 1, quality=92))


def _derive(path: Path) -> int:
    derived = derive(path.read_bytes(), path.suffix, PHOTO)
    return sum(len(v.data) for v in derived.variants)


def _ready(_: int) -> int:
    return os.getpid()


def photos(count: int, jobs: int) -> list[Path]:
    """The benchmark's photos, drawn (in parallel) the first time only."""
    FOLDER.mkdir(parents=True, exist_ok=True)
    paths = [FOLDER / f"foto-{i:03d}.jpg" for i in range(count)]
    missing = [p for p in paths if not p.is_file()]
    if missing:
        print(f"drawing {len(missing)} photos of {WIDTH}x{HEIGHT} into {FOLDER.relative_to(ROOT)} ...",
              flush=True)
        with ProcessPoolExecutor(jobs) as pool:
            list(pool.map(_draw, missing))
    return paths


def rate(paths: list[Path], jobs: int) -> tuple[float, float, int]:
    """(images per second, seconds, bytes written) over `jobs` worker processes, pool start excluded."""
    with ProcessPoolExecutor(jobs) as pool:
        list(pool.map(_ready, range(jobs)))  # start the workers and import Pillow before the clock
        started = time.perf_counter()
        written = sum(pool.map(_derive, paths, chunksize=1))
        seconds = time.perf_counter() - started
    return len(paths) / seconds, seconds, written


def main() -> None:
    count = int(os.environ.get("BENCH_PHOTOS", "100"))
    jobs = os.cpu_count() or 1
    paths = photos(count, jobs)
    source_mb = sum(p.stat().st_size for p in paths) / 1e6
    one, one_s, _ = rate(paths[: max(1, count // 5)], 1)
    many, many_s, written = rate(paths, jobs)
    print(f"media: {count} photos, {WIDTH}x{HEIGHT} JPEG ({source_mb:.0f} MB) -> WebP + JPEG at "
          f"480/800/1200 px ({written / 1e6:.1f} MB)")
    print(f"media: 1 process: {one:.2f} images/s ({max(1, count // 5)} photos in {one_s:.1f} s)")
    print(f"media: {jobs} processes: {many:.2f} images/s ({count} photos in {many_s:.1f} s), "
          f"{many / one:.2f}x one process")


if __name__ == "__main__":
    main()
