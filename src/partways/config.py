"""User configuration: `.partways.toml` or `[tool.partways]` in `pyproject.toml`.

Looked up from the current folder upwards; the first file found wins. Sections:
`[lint]` (tone linter), `[polish]` (LLM endpoint), `[review]` (readiness thresholds).
In pyproject.toml they are `[tool.partways.lint]` etc.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from partways.errors import InputError


def find_config(start: Path | None = None) -> Path | None:
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        dedicated = folder / ".partways.toml"
        if dedicated.is_file():
            return dedicated
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file() and "partways" in read_toml(pyproject).get("tool", {}):
            return pyproject
    return None


def read_toml(path: Path) -> dict[str, Any]:
    import tomllib  # only when there is a file to read (start-up time)

    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise InputError.single(str(path), "", f"not valid TOML: {exc}") from None
    except FileNotFoundError:
        raise InputError.single(str(path), "", "no such file") from None
    except OSError as exc:
        raise InputError.single(str(path), "", f"cannot read: {exc.strerror}") from None


def load_config(start: Path | None = None) -> tuple[dict[str, Any], Path | None]:
    """(the partways settings table, the file it came from or None)."""
    path = find_config(start)
    if path is None:
        return {}, None
    data = read_toml(path)
    table = data.get("tool", {}).get("partways", {}) if path.name == "pyproject.toml" else data
    if not isinstance(table, dict):
        raise InputError.single(str(path), "tool.partways", "expected a table")
    return table, path


def section(name: str, start: Path | None = None) -> tuple[dict[str, Any], Path | None]:
    """One section (`lint`, `polish`, `review`) of the configuration."""
    table, path = load_config(start)
    value = table.get(name, {})
    if not isinstance(value, dict):
        where = f"tool.partways.{name}" if path and path.name == "pyproject.toml" else name
        raise InputError.single(str(path), where, "expected a table")
    return value, path
