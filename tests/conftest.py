"""Shared fixtures: the repository's paths and a CLI runner with separate stderr."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
GOLDEN = Path(__file__).resolve().parent / "golden"
LOCALES = ("en", "fa", "ms", "el")


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def run_cli(
    *args: str,
    stdin: bytes | None = None,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
):
    """Run `python -m partways` in a subprocess (real start-up, real exit codes)."""
    full_env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "SOURCE_DATE_EPOCH": "1790000000"}
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "partways", *args],
        input=stdin,
        capture_output=True,
        env=full_env,
        cwd=cwd or ROOT,
        timeout=120,
    )
