"""The wheel carries templates, locales, prompts and examples, and works from outside
the source tree (a plain, non-editable `pip install .`)."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(out), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (found,) = out.glob("partways-*.whl")
    return found


def test_wheel_contains_the_data_folders(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for lang in ("en", "fa", "ms", "el"):
        assert f"partways/locales/{lang}/locale.yaml" in names
        assert f"partways/locales/{lang}/LC_MESSAGES/letter.po" in names
        assert f"partways/examples/case-{lang}.yaml" in names
    assert "partways/templates/letter/framing.j2" in names
    assert "partways/templates/email.html.j2" in names
    assert any(n.startswith("partways/prompts/") for n in names)


def test_installed_wheel_drafts_outside_the_checkout(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    env = {**os.environ, "PYTHONPATH": str(target)}
    code = (
        "import partways.resources as r, sys; "
        "print(r.data_dir('locales')); "
        "from partways.cli import main; sys.argv=['partways','draft',sys.argv[1]]; main()"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(ROOT / "examples" / "case-en.yaml")],
        capture_output=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    first, _, letter = result.stdout.decode().partition("\n")
    assert first.startswith(str(target))  # data came from the installed package
    assert letter.startswith("Dear Mr Bellini,")
