"""The printed report of `make bench`: figures per size, ratios opdgen/peer, cost per page, targets.

Text only, from the results dictionary that benchmarks/run.py also writes as JSON.
"""

from __future__ import annotations

from typing import Any

PHASE_LABELS = (("cold", "cold s"), ("nochange", "no-change s"), ("edit", "one-edit s"))
PEERS = ("hugo", "pelican", "pelican+cache")


def _n(value: int) -> str:
    return f"{value:,}"


def _ratio(a: float | None, b: float | None) -> str:
    return f"{a / b:.2f}" if a is not None and b else "-"


def _peak(tool: dict[str, Any]) -> float:
    return float(max(tool[p]["peak_mib"] for p, _ in PHASE_LABELS))


def _ok(tool: dict[str, Any]) -> bool:
    return all(tool[p]["returncode"] == 0 for p, _ in PHASE_LABELS)


def figures(size: dict[str, Any]) -> list[str]:
    lines = [f"{_n(size['posts'])} posts",
             f"  {'tool':<14}{'pages':>7}{'files':>7}{'cold s':>9}{'cold CPU s':>12}"
             f"{'no-change s':>13}{'one-edit s':>12}{'peak MiB':>10}{'load':>6}"]
    for name, t in size["tools"].items():
        failed = "" if _ok(t) else "  (a build FAILED: see .bench/logs/)"
        lines.append(
            f"  {name:<14}{t['pages']:>7}{t['files']:>7}{t['cold']['seconds']:>9.2f}"
            f"{t['cold']['cpu_seconds']:>12.2f}{t['nochange']['seconds']:>13.2f}{t['edit']['seconds']:>12.2f}"
            f"{_peak(t):>10.0f}{t['load_before']:>6.1f}{failed}"
        )
    return lines


def ratios(size: dict[str, Any]) -> list[str]:
    tools = size["tools"]
    if "opdgen" not in tools:
        return []
    me = tools["opdgen"]
    lines = [f"  opdgen/peer at {_n(size['posts'])} posts (below 1: opdgen faster or smaller)",
             f"  {'peer':<14}{'cold':>9}{'cold CPU':>10}{'no-change':>11}{'one-edit':>10}{'peak MiB':>10}"]
    for peer in (p for p in PEERS if p in tools):
        t = tools[peer]
        lines.append(
            f"  {peer:<14}{_ratio(me['cold']['seconds'], t['cold']['seconds']):>9}"
            f"{_ratio(me['cold']['cpu_seconds'], t['cold']['cpu_seconds']):>10}"
            f"{_ratio(me['nochange']['seconds'], t['nochange']['seconds']):>11}"
            f"{_ratio(me['edit']['seconds'], t['edit']['seconds']):>10}{_ratio(_peak(me), _peak(t)):>10}"
        )
    return lines


def cost_per_page(sizes: list[dict[str, Any]]) -> list[str]:
    """Cold wall milliseconds per HTML page at the smallest and largest size, and the growth."""
    if len(sizes) < 2:
        return []
    small, large = sizes[0], sizes[-1]
    lines = [f"Cost per page: cold wall ms per HTML page, {_n(small['posts'])} -> {_n(large['posts'])} posts",
             f"  {'tool':<14}{_n(small['posts']):>12}{_n(large['posts']):>12}{'growth':>10}"]
    for name in large["tools"]:
        if name not in small["tools"]:
            continue
        a, b = (s["tools"][name]["cold"]["seconds"] * 1000 / max(s["tools"][name]["pages"], 1)
                for s in (small, large))
        lines.append(f"  {name:<14}{a:>12.2f}{b:>12.2f}{(b / a - 1) * 100:>+9.1f}%")
    return lines


def targets(sizes: list[dict[str, Any]]) -> list[str]:
    """Issue 4's targets, judged on the largest size (they are stated for 10,000 posts)."""
    size = sizes[-1]
    tools = size["tools"]
    if "opdgen" not in tools:
        return []
    me = tools["opdgen"]
    checks: list[tuple[str, str, bool | None]] = []

    def add(text: str, value: float | None, passed: bool | None) -> None:
        checks.append((text, "-" if value is None else f"{value:.2f}", passed))

    if "hugo" in tools:
        hugo = tools["hugo"]
        add("cold at most 1.5 x Hugo (ratio)", me["cold"]["seconds"] / hugo["cold"]["seconds"],
            me["cold"]["seconds"] <= 1.5 * hugo["cold"]["seconds"])
        add("one edit at least 30 x faster than Hugo's rebuild (x)",
            hugo["edit"]["seconds"] / me["edit"]["seconds"],
            hugo["edit"]["seconds"] >= 30 * me["edit"]["seconds"])
    if "pelican" in tools:
        pelican = tools["pelican"]
        add("cold at least 5 x faster than Pelican (x)", pelican["cold"]["seconds"] / me["cold"]["seconds"],
            pelican["cold"]["seconds"] >= 5 * me["cold"]["seconds"])
    add("no change at most 2 s (s)", me["nochange"]["seconds"], me["nochange"]["seconds"] <= 2)
    add("one edit at most 0.5 s (s)", me["edit"]["seconds"], me["edit"]["seconds"] <= 0.5)
    add("peak memory at most 1 GiB (MiB)", _peak(me), _peak(me) <= 1024)
    if len(sizes) > 1 and "opdgen" in sizes[0]["tools"]:
        a, b = (s["tools"]["opdgen"]["cold"]["seconds"] / max(s["tools"]["opdgen"]["pages"], 1)
                for s in (sizes[0], size))
        add("cost per page grows less than 20% (%)", (b / a - 1) * 100, b / a - 1 < 0.2)
    lines = [f"Targets of issue 4, at {_n(size['posts'])} posts"]
    lines += [f"  {'met' if ok else 'NOT met':<8}{text:<58}{value:>10}" for text, value, ok in checks]
    return lines


def report(results: dict[str, Any]) -> str:
    m, v = results["machine"], results["versions"]
    lines = [
        "",
        f"Machine: {m['nproc']} cores (nproc), {m['cpu']}, {m['memory']}, Python {m['python']}, "
        f"{m['system']}",
        f"Load average at start: {m['load']} (column `load`: 1-minute load before each tool's builds; "
        "other work on the machine slows every figure)",
        "Versions: " + " | ".join(v.values()),
        f"Each figure: median of {results['repeat']} run(s); wall seconds (time.perf_counter), CPU seconds "
        "of the process tree, peak MiB = max(sampled RSS sum of the tree, largest process).",
        f"Pages: HTML files in the output; images in posts: {'yes' if results['images'] else 'no'}.",
        "",
    ]
    for size in results["sizes"]:
        lines += [*figures(size), "", *ratios(size), ""]
    lines += cost_per_page(results["sizes"])
    lines += ["", *targets(results["sizes"])]
    return "\n".join(lines)
