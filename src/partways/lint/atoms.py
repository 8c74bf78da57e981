"""Literal pieces that every match of a pattern contains.

Compiling a locale's whole rule set costs more than linting a short text with it, and
the cost grows with every word added to a lexicon. A pattern whose atoms are all absent
from a sentence cannot match it, so a short input only needs the few patterns whose
atoms occur in it (the idea of RE2's FilteredRE2, which the Python binding lacks).

Atoms are found from the pattern's parse by Python's own regex parser (the patterns are
RE2 syntax, which it reads the same way for the constructs rules use; anything it reads
differently or not at all gives no atoms, and the pattern is always tried). Working them
out takes longer than compiling, so they are kept in the user's cache, keyed by the
patterns themselves.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ALGORITHM = "2"  # part of the cache key: change it when required_atoms changes
MAX_CONDITIONS = 4  # the most selective few are enough to rule a pattern out

# A pattern can match a text only if, for every condition, one of its strings occurs in
# the text. None: no such condition is known (always try the pattern).
Atoms = tuple[tuple[str, ...], ...] | None


def required_atoms(pattern: str) -> Atoms:
    """Conditions every match of `pattern` meets: each a set of strings of which the
    match contains at least one. The most selective first."""
    import re._parser as parser  # the stdlib's regex parser: only needed when not cached

    if "(?" in pattern.replace("(?:", ""):
        return None  # inline flags (case folding…) change what a literal matches
    try:
        parsed = parser.parse(pattern)
    except Exception:  # RE2-only syntax (\pN, \z …): no atoms, always tried
        return None
    conditions = sorted(_sequence(list(parsed)), key=_selectivity, reverse=True)
    unique = list(dict.fromkeys(tuple(sorted(c)) for c in conditions))
    return tuple(unique[:MAX_CONDITIONS]) or None


def _selectivity(atoms: set[str]) -> tuple[int, int]:
    """The longest shortest string, then the fewest strings: the rarest by chance."""
    return min(map(len, atoms)), -len(atoms)


def _sequence(items: list[tuple[Any, Any]]) -> list[set[str]]:
    """Conditions of a concatenation: those of each of its parts (a run of literal
    characters being one part)."""
    import re._constants as c

    conditions: list[set[str]] = []
    run: list[str] = []
    for op, value in [*items, (None, None)]:
        if op is c.LITERAL:
            run.append(chr(value))
            continue
        if run:
            conditions.append({"".join(run)})
            run = []
        if op is c.SUBPATTERN:
            conditions += _sequence(list(value[-1]))
        elif op is c.BRANCH:
            # Each branch needs one of its own conditions: the union of each one's best.
            branches = [_sequence(list(b)) for b in value[1]]
            if all(branches):
                conditions.append(set().union(*(max(b, key=_selectivity) for b in branches)))
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT) and value[0] >= 1:
            conditions += _sequence(list(value[2]))
    return [c for c in conditions if c and all(c)]


def atoms_for(patterns: Sequence[str], name: str) -> list[Atoms] | None:
    """required_atoms of each pattern, from the cache or worked out and cached; None
    when there is no usable cache (then working them out would cost more than it saves).
    `name` (one per rule file) lets a new version of the file replace the old one's."""
    from partways.lint.rules import cache_dir

    digest = hashlib.sha256("\0".join((ALGORITHM, *patterns)).encode()).hexdigest()[:24]
    folder = cache_dir()
    path = folder / f"atoms-{name}-{digest}.json"
    try:
        with path.open(encoding="utf-8") as fh:
            cached = json.load(fh)
        if isinstance(cached, list) and len(cached) == len(patterns):
            return [None if a is None else tuple(tuple(c) for c in a) for a in cached]
    except (OSError, ValueError):
        pass
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    if not os.access(folder, os.W_OK):
        return None
    found = [required_atoms(p) for p in patterns]
    _write(path, found)
    for stale in folder.glob(f"atoms-{name}-*.json"):
        if stale != path:
            stale.unlink(missing_ok=True)
    return found


def _write(path: Path, data: object) -> None:
    temporary = path.with_suffix(f".{os.getpid()}.tmp")
    try:
        temporary.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        os.replace(temporary, path)
    except OSError:
        temporary.unlink(missing_ok=True)
