"""Letters per second for each output format, one core, from the example cases.

Run: `.venv/bin/python benchmarks/compose.py [--seconds 2]`. Target: ≥ 2,000 letters/s
for text. Each letter is composed from the validated case and rendered; case-file
parsing is excluded (it is measured separately on the first line), and so is the tone
check `draft` adds (see benchmarks/lint.py and benchmarks/batch.py). Rates are per
second of CPU time of this process.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from partways.compose import compose  # noqa: E402
from partways.loader import load_case  # noqa: E402
from partways.render import FORMATS, render  # noqa: E402


def rate(func, seconds: float) -> float:
    """Calls per second of this process's CPU time (other load on a shared machine
    disturbs it less than the wall clock)."""
    func()  # warm caches (catalogs, templates)
    count, start = 0, time.process_time()
    while (elapsed := time.process_time() - start) < seconds:
        for _ in range(50):
            func()
        count += 50
    return count / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=1.5)
    args = parser.parse_args()
    cases = [load_case(p) for p in sorted((ROOT / "examples").glob("case-*.yaml"))]
    parse_rate = rate(lambda: load_case(ROOT / "examples" / "case-en.yaml"), args.seconds)
    print(f"load+validate case file: {parse_rate:8.0f} /s")
    print(f"{'format':8} " + " ".join(f"{c.locale:>8}" for c in cases) + "   (letters/s)")
    for fmt in FORMATS:
        row = [rate(lambda c=c, f=fmt: render(compose(c), f), args.seconds) for c in cases]
        print(f"{fmt:8} " + " ".join(f"{r:8.0f}" for r in row))


if __name__ == "__main__":
    main()
