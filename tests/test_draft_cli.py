"""`partways draft`, `new`, `schema`, `--version` as a user runs them."""

from __future__ import annotations

import email
import json
from email.policy import default as default_policy
from pathlib import Path

import pytest

from conftest import EXAMPLES, LOCALES, ROOT, run_cli
from partways import __version__

CASE_EN = str(EXAMPLES / "case-en.yaml")


def test_version() -> None:
    result = run_cli("--version")
    assert result.returncode == 0
    assert result.stdout.decode().strip() == f"partways {__version__}"


@pytest.mark.parametrize("command", ["draft", "new", "schema"])
def test_every_command_has_help_with_examples(command: str) -> None:
    result = run_cli(command, "--help", env={"TYPER_USE_RICH": "0", "COLUMNS": "120"})
    assert result.returncode == 0
    assert "partways " + command in result.stdout.decode()


def test_draft_prints_the_example_letter() -> None:
    result = run_cli("draft", CASE_EN)
    assert result.returncode == 0, result.stderr
    text = result.stdout.decode()
    assert text.startswith("Dear Mr Bellini,\n\nThank you")
    assert "€450.00" in text and "31 December 2026" in text and "clause 9.2" in text
    assert result.stderr == b""


def test_json_shape() -> None:
    result = run_cli("draft", CASE_EN, "--format", "json")
    data = json.loads(result.stdout)
    assert {"locale", "channel", "subject", "to", "sections", "text"} <= set(data)
    assert data["to"] == "marco@bellini.example"
    kinds = [s["kind"] for s in data["sections"]]
    core = ["appreciation", "framing", "goodwill", "apology", "alternatives"]
    assert [k for k in kinds if k in core] == core
    assert data["text"] == run_cli("draft", CASE_EN).stdout.decode()


def test_eml_parses_back_with_the_standard_library() -> None:
    result = run_cli("draft", CASE_EN, "--format", "eml")
    message = email.message_from_bytes(result.stdout, policy=default_policy)
    assert message["X-Unsent"] == "1"
    assert message["From"].addresses[0].addr_spec == "dana@northlight.example"
    assert message["To"].addresses[0].display_name == "Marco Bellini"
    assert message["Subject"] == "Your monthly design retainer with Northlight Studio"
    assert message["Date"]
    assert message.get_content_type() == "multipart/alternative"
    plain = message.get_body(("plain",))
    html = message.get_body(("html",))
    assert plain is not None and html is not None
    assert "€450.00" in plain.get_content()
    assert '<html lang="en" dir="ltr">' in html.get_content()


def test_eml_needs_addresses(tmp_path: Path) -> None:
    case = tmp_path / "case.yaml"
    text = (EXAMPLES / "case-en.yaml").read_text(encoding="utf-8")
    case.write_text(text.replace("  email: marco@bellini.example\n", ""), encoding="utf-8")
    result = run_cli("draft", str(case), "--format", "eml")
    assert result.returncode == 2
    assert b"customer.email: required for --format eml" in result.stderr


def test_output_file_is_never_overwritten_without_force(tmp_path: Path) -> None:
    out = tmp_path / "letter.txt"
    first = run_cli("draft", CASE_EN, "-o", str(out))
    assert first.returncode == 0 and out.read_text(encoding="utf-8").startswith("Dear Mr")
    out.write_text("my own edits", encoding="utf-8")
    second = run_cli("draft", CASE_EN, "-o", str(out))
    assert second.returncode == 2
    assert b"already exists; use --force" in second.stderr
    assert out.read_text(encoding="utf-8") == "my own edits"
    third = run_cli("draft", CASE_EN, "-o", str(out), "--force")
    assert third.returncode == 0 and out.read_text(encoding="utf-8").startswith("Dear Mr")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["letter.txt"]  # no temp files left


def test_bad_case_writes_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("locale: en\n", encoding="utf-8")
    out = tmp_path / "letter.txt"
    result = run_cli("draft", str(bad), "-o", str(out))
    assert result.returncode == 2
    assert not out.exists()


def test_stdin_case() -> None:
    result = run_cli("draft", "-", stdin=(EXAMPLES / "case-en.yaml").read_bytes())
    assert result.returncode == 0
    assert result.stdout.decode().startswith("Dear Mr Bellini,")


def test_locale_override_and_unknown_locale() -> None:
    bad = run_cli("draft", CASE_EN, "--locale", "xx")
    assert bad.returncode == 2
    assert b"locale: expected one of" in bad.stderr


def test_unknown_format_is_a_usage_error() -> None:
    result = run_cli("draft", CASE_EN, "--format", "pdf")
    assert result.returncode == 2
    assert b"Traceback" not in result.stderr


@pytest.mark.parametrize("lang", LOCALES)
def test_new_prints_a_starter_that_drafts(lang: str, tmp_path: Path) -> None:
    result = run_cli("new", "--locale", lang)
    assert result.returncode == 0
    starter = tmp_path / "case.yaml"
    starter.write_bytes(result.stdout)
    assert b"#" in result.stdout  # commented
    drafted = run_cli("draft", str(starter))
    assert drafted.returncode == 0, drafted.stderr


def test_schema_is_json_schema_listing_locales() -> None:
    result = run_cli("schema")
    schema = json.loads(result.stdout)
    assert schema["$schema"].startswith("https://json-schema.org/")
    assert set(LOCALES) <= set(schema["properties"]["locale"]["enum"])
    assert {"sender", "customer", "facts", "ending"} <= set(schema["required"])


def test_cli_start_up_does_not_import_heavy_modules() -> None:
    import subprocess
    import sys

    heavy = "('openai', 'babel', 'jinja2', 'pydantic', 'yaml')"
    code = f"import sys, partways.cli; print(','.join(m for m in {heavy} if m in sys.modules))"
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        env={"PYTHONPATH": str(ROOT / "src")},
        check=True,
    )
    assert result.stdout.decode().strip() == ""
