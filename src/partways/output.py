"""Writing results: never overwrite without --force, always atomically."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from partways.errors import InputError


def check_writable(path: Path, force: bool) -> None:
    """Raise InputError before any work is done if `path` may not be written."""
    if path.exists() and not force:
        raise InputError.single(str(path), "", "already exists; use --force to replace it")
    if path.is_dir():
        raise InputError.single(str(path), "", "is a folder; expected a file name")
    if not path.parent.exists():
        raise InputError.single(str(path), "", f"folder {path.parent} does not exist")


def write_atomic(
    path: Path, content: str | bytes, force: bool = False, durable: bool = True
) -> None:
    """Write via a temporary file in the same folder and rename it into place, so a
    reader (or a crash) never sees half a file. Without `force`, an existing file wins.
    `durable=False` skips the per-file fsync for callers that sync once at the end (batch)."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    check_writable(path, force)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            if durable:
                os.fsync(fh.fileno())
        if force:
            os.replace(tmp, path)
        else:
            # link() fails if the name appeared meanwhile: no race can clobber a file.
            try:
                os.link(tmp, path)
            except FileExistsError:
                raise InputError.single(
                    str(path), "", "already exists; use --force to replace it"
                ) from None
            except OSError:
                os.replace(tmp, path)  # file systems without hard links
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def emit(content: str, out: Path | None, force: bool) -> None:
    """Print to stdout, or write to `out` atomically."""
    if out is None or str(out) == "-":
        sys.stdout.write(content)
        sys.stdout.flush()
    else:
        write_atomic(out, content, force)
