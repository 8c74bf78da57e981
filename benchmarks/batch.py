"""`partways batch` throughput: letters per second for 10,000 CSV rows per format, and
peak memory, in one process on one core (`--jobs 1`, the default).

Run: `.venv/bin/python benchmarks/batch.py [--rows 10000] [--formats text,eml]`.
Targets: ≥ 2,000 letters/s for text, ≥ 1,000 for eml.

The whole pipeline is timed: reading the CSV, building and validating each row with
examples/batch-defaults.yaml merged under it, composing, rendering and the atomic
write of every file (into a temporary folder under --tmp: /dev/shm by default, see
--help). Each format runs --repeat times and the fastest run is reported. Rows vary
(five locales' worth of names, amounts, dates, one or two alternatives, some pending
items) so no cache sees the same letter twice; sections do repeat, as in a real batch
whose rows share --defaults (the runner composes those once: batch/sections.py; here
start dates come back every 420 rows and goodwill amounts every 900). Peak memory is
measured twice: `tracemalloc` peak of the Python heap over a run of --rows and of
--rows / 2, to show it does not grow with the input, and the process's peak RSS.

CPU time is split into user (partways) and system time; the last column times bare
file creation in the same place, with no partways involved (see `bare_files`): on
these VMs it, not partways, decides most of the difference between two runs.
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import shutil
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from partways.batch import BatchOptions, Outcome, open_source, run  # noqa: E402
from partways.loader import read_document  # noqa: E402
from partways.render import FORMATS  # noqa: E402

HEADER = [
    "customer.name",
    "customer.title",
    "customer.company",
    "customer.email",
    "customer.since",
    "goodwill.amount",
    "ending.pending.0",
    "ending.pending.1",
    "alternatives.0.name",
    "alternatives.0.url",
    "alternatives.1.name",
]
GIVEN = ["Tan", "Priya", "Ahmad", "Siti", "Rajesh", "Eleni", "Marco", "Dana", "Wei", "Nurul"]
FAMILY = ["Lim", "Ramasamy", "Ismail", "Omar", "Kumar", "Papadopoulou", "Bellini", "Ong", "Lee"]


def write_csv(path: Path, rows: int) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(HEADER)
        for n in range(rows):
            name = f"{GIVEN[n % len(GIVEN)]} {FAMILY[(n // 7) % len(FAMILY)]} {n}"
            out.writerow(
                [
                    name,
                    ("mr", "ms", "none")[n % 3],
                    f"Company {n}, Sdn. Bhd." if n % 2 else "",
                    f"customer{n}@example.com",
                    f"20{10 + n % 15}-{1 + n % 12:02d}-{1 + n % 28:02d}",
                    f"{50 + n % 900}.{n % 100:02d}",
                    "a full export of your websites, databases and mailboxes",
                    "the transfer of your domain\nto your new host" if n % 3 == 0 else "",
                    "Harbourline Cloud Standard in our Singapore region",
                    "https://harbourline.example/standard",
                    "Serambi Hosting" if n % 2 else "",
                ]
            )


def cpu_times() -> tuple[float, float]:
    """(user, system) CPU seconds of this process so far."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime, usage.ru_stime


def bare_files(folder: Path, count: int = 2000) -> float:
    """Kernel CPU ms to create, write and link one file in `folder`, with no partways
    involved: a control. On this VM's ext4 (no journal) it swings from ~0.03 to ~1 ms
    with the allocator's state (inodes freed in the last minutes near the folder), which
    moves the letters/s figures below; compare the user-time column between runs."""
    folder.mkdir()
    data = b"x" * 2500
    start = cpu_times()[1]
    for n in range(count):
        tmp, final = folder / f".{n}.tmp", folder / f"{n}.txt"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        os.write(fd, data)
        os.close(fd)
        os.link(tmp, final)
        os.unlink(tmp)
    return (cpu_times()[1] - start) / count * 1e3


def one_run(
    csv_path: Path, out: Path, fmt: str, defaults: dict
) -> tuple[float, float, float, float, int]:
    """(wall, CPU, user CPU, system CPU seconds, letters written)."""
    if out.exists():
        shutil.rmtree(out)
    out.mkdir()
    failures: list[Outcome] = []

    def report(outcome: Outcome) -> None:
        if outcome.status == "failed":
            failures.append(outcome)

    options = BatchOptions(out=out, fmt=fmt, defaults=defaults, defaults_label="defaults")
    start, cpu, (user, system) = time.perf_counter(), time.process_time(), cpu_times()
    summary = run(open_source(csv_path), options, report)
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    user, system = (now - before for now, before in zip(cpu_times(), (user, system), strict=True))
    if failures:
        raise SystemExit(f"{fmt}: {failures[0].lines}")
    return elapsed, cpu, user, system, summary.written


def stages(csv_path: Path, defaults: dict, folder: Path) -> None:
    """CPU milliseconds per row for each step of the pipeline (text and eml)."""
    from partways.batch.files import Folder
    from partways.batch.names import UniqueNames
    from partways.batch.runner import deep_merge
    from partways.batch.sections import SectionCache
    from partways.draft import draft
    from partways.loader import validate_case
    from partways.render import renderer

    spent: dict[str, float] = {}

    def timed(step: str, func, *args):  # type: ignore[no-untyped-def]
        start = time.process_time()
        result = func(*args)
        spent[step] = spent.get(step, 0.0) + time.process_time() - start
        return result

    out = folder / "stages"
    out.mkdir()
    names, text, eml = UniqueNames(), renderer("text"), renderer("eml")
    # As the runner does: sections remembered across rows (one memory for the compose
    # step alone, another for the draft step, so both see the same hits), files created
    # by Folder.
    compose_only, drafted, files = SectionCache(), SectionCache(), Folder(out)
    count = 0
    for row in open_source(csv_path).rows():
        count += 1
        assert row.data is not None
        merged = timed("merge defaults", deep_merge, defaults, row.data)
        case = timed("validate", validate_case, merged, row.source)
        name = timed("name", names.claim, row.data["customer"]["name"], "row")
        timed("compose", compose_only.compose, case)
        letter = timed("draft (compose+lint)", draft, case, "x", drafted.compose)
        body = timed("render text", text, letter)
        timed("render eml", eml, letter)
        timed("create file", files.create, f"{name}.txt", body.encode("utf-8"))
    files.close()
    start = time.process_time()
    for _ in open_source(csv_path).rows():
        pass
    spent = {"read CSV + build row": time.process_time() - start, **spent}
    print("CPU ms per row by step:")
    for step, seconds in spent.items():
        print(f"  {step:22} {seconds / count * 1e3:6.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--formats", default=",".join(FORMATS))
    # Default: a RAM file system where there is one, so that the figures are partways'
    # and not the disk's: on these VMs creating a file on the disk costs anywhere from
    # 0.03 to 1 ms of kernel time, depending on how many files were deleted nearby in the
    # last minutes (ext4 without a journal skips recently freed inodes). `--tmp .` measures
    # on the checkout's disk; the "bare file ms" column shows the disk's share either way.
    shm = Path("/dev/shm")
    parser.add_argument(
        "--tmp",
        default=str(shm if shm.is_dir() and os.access(shm, os.W_OK) else ROOT),
        help="folder for the input and the letters (default: /dev/shm if writable, else the"
        " checkout)",
    )
    parser.add_argument("--no-memory", action="store_true", help="skip the tracemalloc runs")
    parser.add_argument("--stages", action="store_true", help="also time each step per row")
    parser.add_argument(
        "--repeat",
        type=int,
        default=3,
        help="runs per format; the fastest is reported (the others met more noise)",
    )
    args = parser.parse_args()
    formats = args.formats.split(",")
    defaults = read_document(ROOT / "examples" / "batch-defaults.yaml")

    with tempfile.TemporaryDirectory(prefix=".bench-", dir=args.tmp) as tmp:
        folder = Path(tmp)
        csv_path = folder / "batch.csv"
        write_csv(csv_path, args.rows)
        small_path = folder / "small.csv"
        write_csv(small_path, max(args.rows // 10, 1))
        one_run(small_path, folder / "warm", "text", defaults)  # catalogs, templates

        print(
            f"{args.rows} rows, {csv_path.stat().st_size / 1e6:.1f} MB of CSV, one process,"
            f" letters written under {args.tmp}, best of {max(args.repeat, 1)} runs"
        )
        # letters/s by the wall clock, and per second of this process's CPU time (user +
        # system), which other busy processes on the machine disturb less; then that CPU
        # time per letter split into user (partways) and system (mostly the file system).
        print(
            f"{'format':8} {'letters/s':>10} {'per CPU-s':>10} {'seconds':>8}"
            f" {'user ms':>8} {'sys ms':>7} {'bare file ms':>13}"
        )
        for fmt in formats:
            bare = bare_files(folder / f"bare-{fmt}")
            # Each run writes a folder of its own: deleting thousands of files just before
            # creating as many slows the creation on some file systems (ext4).
            runs = [
                one_run(csv_path, folder / f"{fmt}-{i}", fmt, defaults)
                for i in range(max(args.repeat, 1))
            ]
            elapsed, cpu, user, system, written = min(runs)
            print(
                f"{fmt:8} {written / elapsed:10.0f} {written / cpu:10.0f} {elapsed:8.2f}"
                f" {user / written * 1e3:8.3f} {system / written * 1e3:7.3f} {bare:13.3f}"
            )
            sys.stdout.flush()

        if not args.no_memory:
            # Half the rows and all of them. What grows: the set of file names handed out
            # (to keep "anna", "anna-2" … the same from run to run) and caches that have
            # fixed sizes (1,024–4,096 entries) and stop growing once full.
            half_path = folder / "half.csv"
            write_csv(half_path, max(args.rows // 2, 1))
            print("peak Python heap (tracemalloc), text:")
            peaks = []
            for index, path in enumerate((half_path, csv_path)):
                rows = sum(1 for _ in open_source(path).rows())
                tracemalloc.start()
                one_run(path, folder / f"mem-{index}", "text", defaults)
                _, peak = tracemalloc.get_traced_memory()
                tracemalloc.stop()
                peaks.append((rows, peak))
                print(f"  {rows:6d} rows: {peak / 1e6:6.1f} MB")
            (small_rows, small_peak), (rows, peak) = peaks
            if rows > small_rows:
                # Caches have fixed sizes; what grows is the set of file names handed out
                # (to keep "anna", "anna-2" … stable from run to run).
                slope = (peak - small_peak) / (rows - small_rows)
                print(
                    f"  growth: {slope:.0f} bytes per row (file names handed out, ~100 B each,"
                    " and caches still filling up to their fixed sizes)"
                )
        if args.stages:
            stages(small_path, defaults, folder)
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"peak RSS of this process: {rss:.0f} MB")


if __name__ == "__main__":
    main()
