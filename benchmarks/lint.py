"""Tone-linter benchmark: accuracy, throughput, start-up and memory.

    .venv/bin/python benchmarks/lint.py            # everything
    .venv/bin/python benchmarks/lint.py --quick    # fewer repetitions

Prints, per locale with a corpus (tests/corpus/<lang>.yaml), precision and recall;
MB/s on a 1 MB draft-like corpus (the locale's example letter and fact sentences with
~2% attack sentences, one core, in process): the best and the median of N runs, the
locales' runs interleaved, from the CPU time of this process (time.process_time:
steady when other work shares the machine), and the best from wall time; the cold
start of `partways lint` on a one-line file against bare `python -c pass`; and peak
memory for 1 MB vs 10 MB input.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

import yaml  # noqa: E402

from partways.lint import lint_text  # noqa: E402
from partways.lint.rules import has_rules, lint_locales  # noqa: E402
from partways.lint.run import Linter, lint_path  # noqa: E402

MB = 1024 * 1024
# Byte-code caching on, as in an installed package (some shells here turn it off).
ENV = {
    **{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
    "PYTHONPATH": str(ROOT / "src"),
}


def corpus(lang: str) -> dict[str, list[str]]:
    path = ROOT / "tests" / "corpus" / f"{lang}.yaml"
    return dict(yaml.safe_load(path.read_text(encoding="utf-8")))


def accuracy(lang: str) -> tuple[float, float, int, int]:
    data = corpus(lang)
    hits = sum(1 for s in data["attack"] if lint_text(s, lang))
    false_alarms = sum(1 for s in data["fact"] if lint_text(s, lang))
    recall = hits / len(data["attack"])
    precision = hits / (hits + false_alarms) if hits + false_alarms else 1.0
    return precision, recall, len(data["attack"]), len(data["fact"])


def letter_text(lang: str) -> str:
    example = ROOT / "examples" / f"case-{lang}.yaml"
    if not example.is_file():
        return ""
    from partways.draft import draft, load

    return draft(load(example), str(example)).text


def draft_like(lang: str, size: int, seed: int = 7) -> str:
    """Letters and fact sentences in paragraphs, with about 2% attack sentences."""
    rng = random.Random(seed)
    data = corpus(lang)
    letter = letter_text(lang)
    parts: list[str] = []
    length = 0
    while length < size:
        if letter and rng.random() < 0.3:
            block = letter
        else:
            pool = [rng.choice(data["fact"]) for _ in range(rng.randint(3, 6))]
            if rng.random() < 0.1:
                pool.insert(rng.randrange(len(pool)), rng.choice(data["attack"]))
            block = " ".join(pool)
        parts.append(block)
        length += len(block.encode("utf-8")) + 2
    return "\n\n".join(parts) + "\n"


class Throughput(NamedTuple):
    best: float  # MB/s from the fastest run's CPU time
    median: float  # MB/s from the median run's CPU time
    wall: float  # MB/s from the fastest run's wall time
    findings: int
    control: tuple[float, float]  # the control's fastest and slowest time, ms


def throughput(langs: list[str], folder: Path, rounds: int) -> dict[str, Throughput]:
    """MB/s for each locale's 1 MB draft-like corpus, in one process, one core.

    The runs are interleaved, one per locale per round: the CPU of these VMs changes
    speed by up to 2x from one minute to the next, and interleaving gives every locale
    a share of the fast and of the slow minutes (so the best run is comparable across
    locales). The control is a fixed pure-Python pass over the same text (read, split
    into lines, casefold, split into words), timed with each run: it shows how fast the
    CPU was."""
    linter = Linter()
    paths: dict[str, Path] = {}
    for lang in langs:
        paths[lang] = folder / f"draft-{lang}.txt"
        paths[lang].write_text(draft_like(lang, MB), encoding="utf-8")
        for _ in range(2):  # compile the rules and fill the automata's caches
            lint_path(linter, str(paths[lang]), lang, False)
    cpu: dict[str, list[float]] = {lang: [] for lang in langs}
    wall: dict[str, list[float]] = {lang: [] for lang in langs}
    control: dict[str, list[float]] = {lang: [] for lang in langs}
    for _ in range(rounds):
        for lang, path in paths.items():
            wall_start, cpu_start = time.perf_counter(), time.process_time()
            lint_path(linter, str(path), lang, False)
            cpu[lang].append(time.process_time() - cpu_start)
            wall[lang].append(time.perf_counter() - wall_start)
            start = time.process_time()
            with path.open(encoding="utf-8") as fh:
                for line in fh:
                    line.casefold().split()
            control[lang].append((time.process_time() - start) * 1000)
    result = {}
    for lang, path in paths.items():
        size = path.stat().st_size / MB
        result[lang] = Throughput(
            size / min(cpu[lang]),
            size / statistics.median(cpu[lang]),
            size / min(wall[lang]),
            len(lint_path(linter, str(path), lang, False)),
            (min(control[lang]), max(control[lang])),
        )
    return result


def cold_start(folder: Path, runs: int) -> dict[str, float]:
    one = folder / "one-line.txt"
    one.write_text("Thank you for working with us.\n", encoding="utf-8")
    commands = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "python -m partways lint": [sys.executable, "-m", "partways", "lint", str(one)],
    }
    script = Path(sys.executable).with_name("partways")
    if script.is_file():
        commands["partways lint (console script)"] = [str(script), "lint", str(one)]
    for command in commands.values():  # warm the OS cache and the rule cache
        subprocess.run(command, env=ENV, capture_output=True, check=False)
    # Interleaved, so that a burst of other work on the machine slows all alike.
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, command in commands.items():
            start = time.perf_counter()
            subprocess.run(command, env=ENV, capture_output=True, check=False)
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(values) for name, values in times.items()}


def peak_memory(path: Path) -> float:
    """Peak RSS (MB) of `partways lint PATH --format json` in a fresh process."""
    code = (
        "import resource, subprocess, sys\n"
        "subprocess.run([sys.executable, '-m', 'partways', 'lint', sys.argv[1], '--format',"
        " 'json', '--locale', 'en'], stdout=subprocess.DEVNULL)\n"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(path)], env=ENV, capture_output=True, text=True
    )
    return int(done.stdout.strip()) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--runs", type=int, help="throughput rounds (the best run is kept)")
    parser.add_argument("--speed-only", action="store_true", help="only the MB/s table")
    parser.add_argument("--locales", help="comma-separated locales (default: all with a corpus)")
    args = parser.parse_args()
    rounds, runs = (5, 5) if args.quick else (15, 15)
    rounds = args.runs or rounds
    langs = [
        lang
        for lang in lint_locales()
        if has_rules(lang) and (ROOT / "tests" / "corpus" / f"{lang}.yaml").is_file()
        if not args.locales or lang in args.locales.split(",")
    ]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        speeds = throughput(langs, folder, rounds)
        print(f"{'locale':8}{'attack':>8}{'fact':>6}{'precision':>11}{'recall':>8}"
              f"{'MB/s best':>11}{'median':>8}{'wall':>7}{'findings/MB':>13}"
              f"{'control ms':>13}")  # fmt: skip
        for lang in langs:
            if args.speed_only:
                precision, recall, attacks, facts = float("nan"), float("nan"), 0, 0
            else:
                precision, recall, attacks, facts = accuracy(lang)
            speed = speeds[lang]
            control = f"{speed.control[0]:.0f}–{speed.control[1]:.0f}"
            print(
                f"{lang:8}{attacks:>8}{facts:>6}{precision:>11.3f}{recall:>8.3f}"
                f"{speed.best:>11.1f}{speed.median:>8.1f}{speed.wall:>7.1f}"
                f"{speed.findings:>13}{control:>13}"
            )
        if args.speed_only:
            return
        print()
        medians = cold_start(folder, runs)
        bare = medians["python -c pass"]
        for name, seconds in medians.items():
            print(f"cold start  {name:34}{seconds * 1000:8.0f} ms  {seconds / bare:5.1f}x")
        print()
        en = corpus("en")
        for size in (1, 10):
            path = folder / f"big-{size}.txt"
            with path.open("w", encoding="utf-8") as fh:
                block = "\n\n".join(" ".join(en["fact"][i : i + 4]) for i in range(0, 80, 4))
                written = 0
                while written < size * MB:
                    fh.write(block + "\n\n")
                    written += len(block.encode("utf-8")) + 2
            print(f"peak memory {size:>3} MB input: {peak_memory(path):6.1f} MB RSS")


if __name__ == "__main__":
    main()
