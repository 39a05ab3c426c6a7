#!/usr/bin/env python3
"""`make bench`: run every bench/bench_*.py in its own process, print a table, write bench/results.json.

A bench module defines `run(data_dir: Path) -> dict[str, float]` (result keys such as `overlap.n10k_s`)
and `TARGETS: dict[str, tuple[str, float]]` (key -> ("<=", limit)). Each runs in a fresh process so that
peak memory and timings of one engine do not leak into another's.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
DATA_DIR = ROOT.parent / "shared" / "data"


def run_module(name: str) -> dict:
    sys.path.insert(0, str(ROOT))
    module = importlib.import_module(f"bench.{name}")
    started = time.perf_counter()
    results = module.run(DATA_DIR)
    return {"results": results, "targets": getattr(module, "TARGETS", {}),
            "wall_s": round(time.perf_counter() - started, 2)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=BENCH_DIR / "results.json")
    parser.add_argument("--only", help="run only bench modules whose name contains this; MODULE.PART (e.g. "
                        "feeds.geojson200mb) runs only that part of a module that has parts")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_module(args.child)))
        return 0
    if not DATA_DIR.is_dir():
        print(f"the reference data folder {DATA_DIR} is absent: the benchmarks need Prato's data", file=sys.stderr)
        return 2
    only, _, part = (args.only or "").partition(".")
    modules = sorted(p.stem for p in BENCH_DIR.glob("bench_*.py") if not only or only in p.stem)
    merged: dict[str, float] = {}
    targets: dict[str, tuple[str, float]] = {}
    previous = json.loads(args.out.read_text()) if args.out.exists() else {}
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "SR_BENCH_PART": part}
    failed = []
    for name in modules:
        print(f"== {name}", flush=True)
        proc = subprocess.run([sys.executable, str(Path(__file__)), "--child", name], capture_output=True,
                              text=True, env=env, cwd=ROOT)
        if proc.returncode != 0:
            print(proc.stdout[-2000:], proc.stderr[-4000:], file=sys.stderr)
            failed.append(name)
            continue
        report = json.loads(proc.stdout.strip().splitlines()[-1])
        merged.update(report["results"])
        targets.update({k: tuple(v) for k, v in report["targets"].items()})
    kept = {k: v for k, v in previous.items() if not k.startswith("_")} if args.only else {}
    out = {
        **kept,
        **merged,
        "_meta": {
            "python": platform.python_version(),
            "cpu_count": os.cpu_count(),
            "platform": platform.platform(),
            "measured_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "failed_modules": failed,
        },
    }
    args.out.write_text(json.dumps(out, indent=2, sort_keys=False) + "\n")
    print(f"\n{'key':40} {'value':>12}  target")
    for key, value in merged.items():
        op, limit = targets.get(key, ("", None))
        verdict = ""
        if limit is not None:
            verdict = f"{op} {limit}  " + ("ok" if (value <= limit if op == "<=" else value >= limit) else "MISSED")
        print(f"{key:40} {value:12.4g}  {verdict}")
    print(f"\nwrote {args.out}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
