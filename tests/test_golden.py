"""Golden letters: every example and test case, in every format, compared byte for byte.

Regenerate after a deliberate change with `UPDATE_GOLDEN=1 pytest tests/test_golden.py`,
then read the diff by eye before committing (native phrasing is reviewed there).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import EXAMPLES, GOLDEN, ROOT
from partways.draft import draft, load
from partways.render import FORMATS, render

CASES = sorted(EXAMPLES.glob("case-*.yaml")) + sorted((ROOT / "tests" / "cases").glob("*.yaml"))
EXTENSIONS = {"text": "txt", "md": "md", "html": "html", "eml": "eml", "json": "json"}


@pytest.fixture(autouse=True)
def _fixed_date(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790000000")


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("case_path", CASES, ids=lambda p: p.stem)
def test_golden(case_path: Path, fmt: str) -> None:
    output = render(draft(load(case_path)), fmt)
    golden = GOLDEN / f"{case_path.stem}.{EXTENSIONS[fmt]}"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_bytes(output.encode("utf-8"))
    assert golden.exists(), f"missing golden {golden.name}; run with UPDATE_GOLDEN=1 and review it"
    assert output == golden.read_bytes().decode("utf-8"), f"{golden.name} differs"
