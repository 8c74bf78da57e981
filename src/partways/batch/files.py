"""Creating a batch's letter files: atomic, never clobbering, few system calls.

`output.write_atomic` checks the target (three stat calls), makes a named temporary
file, links it into place and removes the temporary name. For a new file on Linux the
same guarantees take an `open(O_TMPFILE)` — an unnamed file in the output folder —
a write, and one `linkat` that gives it its name: a reader never sees half a file, and
the link fails if the name exists, so nothing is clobbered. Anything else (another
system, a file system without O_TMPFILE) goes through `write_atomic`.
"""

from __future__ import annotations

import os
from pathlib import Path

_TMPFILE = getattr(os, "O_TMPFILE", 0)
_DIRECTORY = getattr(os, "O_DIRECTORY", 0)


class Folder:
    """Creates new files in one folder; `close()` when done."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None
        if _TMPFILE and _DIRECTORY and os.path.isdir("/proc/self/fd"):
            try:
                self._fd = os.open(path, os.O_RDONLY | _DIRECTORY)
            except OSError:
                self._fd = None  # missing or unreadable: write_atomic reports it per file

        self._fast = self._fd is not None

    def close(self) -> None:
        self._fast = False
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def create(self, name: str, data: bytes) -> bool:
        """Write `data` to the new file `name` atomically; False if it already exists.

        Raises InputError or OSError as `write_atomic` does. Safe from several threads."""
        folder = self._fd
        if self._fast and folder is not None:
            try:
                fd = os.open(".", _TMPFILE | os.O_WRONLY, 0o600, dir_fd=folder)  # mkstemp's mode
            except OSError:
                self._fast = False  # no O_TMPFILE on this file system: the portable way
            else:
                try:
                    view = memoryview(data)
                    while view:
                        view = view[os.write(fd, view) :]
                except OSError:
                    pass  # a full disk…: the portable way below reports it
                else:
                    try:
                        # linkat(AT_SYMLINK_FOLLOW) through /proc names the unnamed file.
                        os.link(
                            f"/proc/self/fd/{fd}", name, dst_dir_fd=folder, follow_symlinks=True
                        )
                        return True
                    except FileExistsError:
                        return False
                    except OSError:
                        self._fast = False  # /proc links refused here: the portable way
                finally:
                    os.close(fd)
        return self._create_portably(self.path / name, data)

    @staticmethod
    def _create_portably(path: Path, data: bytes) -> bool:
        from partways.errors import InputError
        from partways.output import write_atomic

        try:
            write_atomic(path, data, force=False, durable=False)
        except InputError:
            if os.path.lexists(path):
                return False
            raise
        return True
