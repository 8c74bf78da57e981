"""Where the data folders live, installed or in a source checkout."""

from __future__ import annotations

from functools import cache
from pathlib import Path

DATA_FOLDERS = ("templates", "locales", "prompts", "examples")


@cache
def data_dir(name: str) -> Path:
    """Return the folder for `name` (templates, locales, prompts, examples).

    A source checkout wins over the copy inside the package: an editable install
    snapshots force-included folders, which would otherwise go stale.
    """
    if name not in DATA_FOLDERS:
        raise ValueError(name)
    package_dir = Path(__file__).resolve().parent
    repo_root = package_dir.parent.parent
    in_checkout = repo_root / name
    if (repo_root / "pyproject.toml").is_file() and in_checkout.is_dir():
        return in_checkout
    return package_dir / name
