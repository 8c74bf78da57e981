"""`partways batch`: many letters from a spreadsheet (CSV), JSON Lines or a folder of
case files, streamed row by row, each problem reported with its row and field."""

from __future__ import annotations

from partways.batch.runner import EXTENSIONS, BatchOptions, Outcome, Summary, deep_merge, run
from partways.batch.sources import Row, Source, open_source

__all__ = [
    "EXTENSIONS",
    "BatchOptions",
    "Outcome",
    "Row",
    "Source",
    "Summary",
    "deep_merge",
    "open_source",
    "run",
]
