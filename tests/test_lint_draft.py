"""`draft` lints what it produces: user values by field, and the whole letter."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from tests.conftest import EXAMPLES, GOLDEN, ROOT, run_cli

from partways.draft import draft, load
from partways.errors import LintBlocked
from partways.lint.run import Linter, lint_path

CASES = sorted(EXAMPLES.glob("case-*.yaml")) + sorted((ROOT / "tests" / "cases").glob("*.yaml"))


def _case_with(tmp_path: Path, **changes: object) -> Path:
    data = yaml.safe_load((EXAMPLES / "case-en.yaml").read_text(encoding="utf-8"))
    for dotted, value in changes.items():
        target = data
        keys = dotted.split("__")
        for key in keys[:-1]:
            target = target[int(key)] if isinstance(target, list) else target[key]
        last = keys[-1]
        if isinstance(target, list):
            target[int(last)] = value
        else:
            target[last] = value
    path = tmp_path / "case.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("change", "value", "field", "rule"),
    [
        ("facts__2__text", "The delay was entirely your fault.", "facts.2.text", "en.blame"),
        ("door_open", "you stop complaining about everything", "door_open", "en.absolute-always"),
        ("ending__pending__1", "the files you keep demanding", "ending.pending.1", None),
        ("facts__0__item", "your ridiculous weekend demands", "facts.0.item", "en.insult"),
        ("attempts__0", "we are sick of your calls", "attempts.0", "en.exasperation"),
    ],
)
def test_user_value_blocks_with_field_and_rule(
    tmp_path: Path, change: str, value: str, field: str, rule: str | None
) -> None:
    path = _case_with(tmp_path, **{change: value})
    with pytest.raises(LintBlocked) as caught:
        draft(load(path), str(path))
    line = caught.value.lines[0]
    assert line.startswith(f"{path}: {field}: en.")
    assert rule is None or f": {rule}: " in line


def test_cli_exits_1_and_emits_no_letter(tmp_path: Path) -> None:
    path = _case_with(tmp_path, facts__2__text="Working with you has been a nightmare.")
    out = tmp_path / "letter.txt"
    done = run_cli("draft", str(path), "-o", str(out))
    assert done.returncode == 1
    assert done.stdout == b"" and not out.exists()
    assert b"facts.2.text: en.character-judgment" in done.stderr


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_every_example_letter_lints_clean(case: Path) -> None:
    letter = draft(load(case), str(case))  # raises LintBlocked if not
    assert letter.sections


@pytest.mark.parametrize(
    "golden", sorted(p for p in GOLDEN.iterdir() if p.suffix in (".txt", ".md", ".html", ".eml"))
)
def test_goldens_lint_clean_in_their_locale(golden: Path) -> None:
    assert lint_path(Linter(), str(golden), "auto", False) == []
