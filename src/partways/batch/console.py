"""What the user sees: problems as they happen, a progress bar on a terminal, and a
summary. Problems always print (stderr); skip notes, bar and summary do not with --quiet."""

from __future__ import annotations

import sys
from types import TracebackType
from typing import Any, TextIO

from partways.batch.runner import SKIP_NOTES_SHOWN, Outcome, Summary
from partways.batch.sources import Source


class Console:
    def __init__(
        self, source: Source, quiet: bool, bar: bool | None = None, stream: TextIO | None = None
    ) -> None:
        self.source = source
        self.quiet = quiet
        self.stream = stream or sys.stderr
        self.skipped_shown = 0
        self.counts = {"written": 0, "skipped": 0, "failed": 0}
        if bar is None:
            bar = not quiet and self.stream.isatty()
        self._progress: Any = None
        self._task: Any = None
        if bar:
            self._start_bar()

    def _start_bar(self) -> None:
        # rich is imported only when a bar is shown: it costs start-up time.
        from rich.console import Console as RichConsole
        from rich.progress import (
            BarColumn,
            Progress,
            TaskProgressColumn,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        self._progress = Progress(
            TextColumn("[bold]batch[/]"),
            BarColumn(),
            TaskProgressColumn(),
            TextColumn("{task.fields[counts]}"),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
            console=RichConsole(file=self.stream),
            transient=True,
        )
        self._task = self._progress.add_task("batch", total=self.source.size or None, counts="")
        self._progress.start()

    def __enter__(self) -> Console:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self._progress is not None:
            self._progress.stop()

    def line(self, text: str) -> None:
        if self._progress is not None:
            # Printed above the bar; markup off so "[x]" in a customer name stays literal.
            self._progress.console.print(text, markup=False, highlight=False, soft_wrap=True)
        else:
            self.stream.write(text + "\n")
            self.stream.flush()

    def __call__(self, outcome: Outcome) -> None:
        self.counts[outcome.status] += 1
        if outcome.status == "failed":
            for text in outcome.lines:
                self.line(f"error: {text}")
        else:
            for text in outcome.lines:  # polish notes: the draft was kept
                if not self.quiet:
                    self.line(f"note: {text}")
            if outcome.status == "skipped" and not self.quiet:
                self.skipped_shown += 1
                if self.skipped_shown <= SKIP_NOTES_SHOWN:
                    self.line(f"skipped: {outcome.path} already exists (--force replaces it)")
                elif self.skipped_shown == SKIP_NOTES_SHOWN + 1:
                    self.line("skipped: … more existing files (counted in the summary)")
        if self._progress is not None:
            c = self.counts
            self._progress.update(
                self._task,
                completed=self.source.position,
                counts=f"{c['written']} written · {c['skipped']} skipped · {c['failed']} failed",
            )

    def summary(self, summary: Summary, out: str) -> None:
        if self.quiet:
            return
        self.line(summary_text(summary, self.source.kind, out))


def summary_text(summary: Summary, kind: str, out: str) -> str:
    unit = kind if summary.total == 1 else f"{kind}s"
    text = (
        f"{summary.total} {unit}: {summary.written} written, {summary.skipped} skipped, "
        f"{summary.failed} failed (in {out})"
    )
    if summary.polish:
        p = summary.polish
        text += (
            f"\npolish: {p['accepted']} accepted, {p['rejected']} rejected, {p['failed']} failed"
        )
    return text
