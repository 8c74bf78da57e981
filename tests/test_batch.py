"""`partways batch` as a manager uses it: a spreadsheet export in, one letter per row out."""

from __future__ import annotations

import codecs
import email
import json
import os
from email.policy import default as default_policy
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from conftest import EXAMPLES, run_cli
from partways.batch import BatchOptions, Outcome, Row, Source, run
from partways.batch.columns import number_text
from partways.batch.names import UniqueNames, slugify
from partways.cli import app

BATCH_CSV = str(EXAMPLES / "batch.csv")
BATCH_DEFAULTS = str(EXAMPLES / "batch-defaults.yaml")

# Everything a row does not say: the case file minus the customer.
DEFAULTS = {
    "locale": "en",
    "sender": {
        "name": "Dana Whitfield",
        "company": "Northlight Studio",
        "email": "dana@northlight.example",
    },
    "service": "monthly design retainer",
    "facts": [{"kind": "note", "text": "We are retiring the retainer plan in this region."}],
    "ending": {"effective": "2026-12-31"},
}

HEADER = (
    "customer.name,customer.title,customer.email,goodwill.kind,goodwill.amount,goodwill.currency"
)


def batch(*args: str) -> Any:
    result = CliRunner().invoke(app, ["batch", *args])
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


@pytest.fixture
def defaults(tmp_path: Path) -> Path:
    path = tmp_path / "defaults.yaml"
    path.write_text(yaml.safe_dump(DEFAULTS), encoding="utf-8")
    return path


def write(path: Path, text: str, bom: bool = False) -> Path:
    path.write_bytes((codecs.BOM_UTF8 if bom else b"") + text.encode("utf-8"))
    return path


def letters(out: Path) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(out.iterdir())}


# --- CSV -------------------------------------------------------------------------------


def test_the_shipped_example_writes_one_letter_per_row(tmp_path: Path) -> None:
    out = tmp_path / "letters"
    result = run_cli("batch", BATCH_CSV, "--defaults", BATCH_DEFAULTS, "--out", str(out))
    assert result.returncode == 0, result.stderr
    names = sorted(p.name for p in out.iterdir())
    assert names == [
        "ahmad-faizal-bin-ismail.txt",
        "eleni-papadopoulou.txt",
        "priya-ramasamy.txt",
        "rajesh-kumar.txt",
        "siti-nurhaliza-binti-omar.txt",
        "tan-wei-ming.txt",
    ]
    priya = (out / "priya-ramasamy.txt").read_text(encoding="utf-8")
    assert priya.startswith("Dear Ms Ramasamy,")
    # A quoted cell with a comma and one with a line break (Alt+Enter in Excel).
    assert "a full export of your websites, databases and mailboxes" in priya
    assert "the transfer of the domain ramasamydental.example" in priya
    # The Malay rows override locale, service, facts and alternatives from the defaults.
    ahmad = (out / "ahmad-faizal-bin-ismail.txt").read_text(encoding="utf-8")
    assert "Kami akan menutup pusat data Kuala Lumpur kami" in ahmad
    assert "Pengurus Kejayaan Pelanggan Serantau" in ahmad
    assert "Regional Customer Success Manager" not in ahmad
    assert result.stderr.decode().strip() == f"6 rows: 6 written, 0 skipped, 0 failed (in {out})"


def test_dotted_headers_with_lists_bom_and_quoted_newlines(tmp_path: Path, defaults: Path) -> None:
    csv_path = write(
        tmp_path / "sheet.csv",
        "customer.name,customer.title,alternatives.0.name,alternatives.0.url,"
        "alternatives.1.name,ending.pending.0,ending.pending.1,facts.0.kind,facts.0.count,"
        "facts.1.kind,facts.1.text,reasons\r\n"
        'Marco Bellini,mr,Brightline Design,https://brightline.example,"Studio Nine",'
        '"final brand guidelines","handover of\r\nall source files",late_payments,'
        '5,note,"We tried weekly calls, from July to October.","out_of_scope, never_satisfied"\r\n',
        bom=True,
    )
    result = batch(str(csv_path), "--defaults", str(defaults), "--out", str(tmp_path / "o"))
    assert result.exit_code == 0, result.stderr
    text = (tmp_path / "o" / "marco-bellini.txt").read_text(encoding="utf-8")
    assert text.startswith("Dear Mr Bellini,")  # the BOM did not end up in the first header
    assert "Brightline Design (https://brightline.example) or Studio Nine" in text
    assert "final brand guidelines and handover of all source files" in text
    assert "We tried weekly calls, from July to October." in text
    assert "five" in text or "5" in text  # facts.0.count reached the template as a number


def test_empty_cells_are_absent_and_gaps_in_lists_close(tmp_path: Path, defaults: Path) -> None:
    csv_path = write(
        tmp_path / "sheet.csv",
        "customer.name,alternatives.0.name,alternatives.1.name,alternatives.2.name\n"
        "Anna Lee,,,Studio Nine\n"
        "Ben Ode,,,\n",
    )
    result = batch(str(csv_path), "--defaults", str(defaults), "--out", str(tmp_path / "o"))
    assert result.exit_code == 0, result.stderr
    anna = (tmp_path / "o" / "anna-lee.txt").read_text(encoding="utf-8")
    ben = (tmp_path / "o" / "ben-ode.txt").read_text(encoding="utf-8")
    assert "Studio Nine" in anna
    assert "You might want to try" not in ben  # no alternatives at all, not an empty one


def test_excel_semicolon_export_and_formatted_numbers(tmp_path: Path, defaults: Path) -> None:
    # European Excel: ";" between cells, "1.250,50" for an amount.
    csv_path = write(
        tmp_path / "sheet.csv",
        f"{HEADER.replace(',', ';')}\nAnna Lee;ms;anna@lee.example;refund;1.250,50;EUR\n",
        bom=True,
    )
    result = batch(str(csv_path), "--defaults", str(defaults), "--out", str(tmp_path / "o"))
    assert result.exit_code == 0, result.stderr
    assert "€1,250.50" in (tmp_path / "o" / "anna-lee.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("450", "450"),
        ("1,250.00", "1250.00"),
        ("1.250,00", "1250.00"),
        ("450,50", "450.50"),
        ("1 250,50", "1250.50"),
        ("1\u00a0250", "1250"),
        ("1.250", "1.250"),  # ambiguous: left for validation to judge
        ("€450", "€450"),
    ],
)
def test_spreadsheet_number_formats(cell: str, expected: str) -> None:
    assert number_text(cell) == expected


def test_bad_rows_are_reported_by_spreadsheet_row_and_field(tmp_path: Path, defaults: Path) -> None:
    csv_path = write(
        tmp_path / "batch.csv",
        "customer.name,customer.title,goodwill.kind,goodwill.amount,goodwill.currency,"
        "alternatives.1.url\n"
        "Anna Lee,ms,,,,\n"
        '"Ben\nOde",sir,,,,\n'  # a line break inside a cell: still one spreadsheet row (3)
        "Cleo Park,ms,refund,lots,EUR,not-a-url\n"
        ",ms,,,,\n"
        "Dev Rao,mr,,,,\n",
    )
    result = batch(str(csv_path), "--defaults", str(defaults), "--out", str(tmp_path / "o"))
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    where = f"{csv_path}: row"
    assert f"error: {where} 3: customer.title: expected one of 'mr', 'ms' or 'none'" in errors[0]
    assert f"error: {where} 4: goodwill.amount: expected a number (got 'lots')" in errors
    # The column said alternatives.1: the message names that column, not a compacted index.
    assert any(
        e.startswith(f"error: {where} 4: alternatives.1.url: expected a web") for e in errors
    )
    assert f"error: {where} 5: customer.name: required field is missing" in errors
    assert sorted(p.name for p in (tmp_path / "o").iterdir()) == ["anna-lee.txt", "dev-rao.txt"]
    assert "5 rows: 2 written, 0 skipped, 3 failed" in result.stderr


def test_a_misspelt_column_is_one_usage_error(tmp_path: Path, defaults: Path) -> None:
    csv_path = write(tmp_path / "b.csv", "customer.name,customer.nmae,alternatives.name\nA,B,C\n")
    result = batch(str(csv_path), "--defaults", str(defaults), "--out", str(tmp_path / "o"))
    assert result.exit_code == 2
    assert f"{csv_path}: row 1: column B (customer.nmae): unknown field" in result.stderr
    hint = "number its items, e.g. alternatives.0.name"
    assert f"column C (alternatives.name): alternatives is a list; {hint}" in result.stderr
    assert not (tmp_path / "o").exists()


def test_not_utf8_rows_fail_alone(tmp_path: Path, defaults: Path) -> None:
    csv_path = tmp_path / "b.csv"
    csv_path.write_bytes(b"customer.name\nAnna Lee\nJos\xe9 Garc\xeda\nBen Ode\n")
    result = batch(str(csv_path), "--defaults", str(defaults), "--out", str(tmp_path / "o"))
    assert result.exit_code == 1
    assert f"{csv_path}: row 3: not UTF-8 text" in result.stderr
    assert sorted(p.name for p in (tmp_path / "o").iterdir()) == ["anna-lee.txt", "ben-ode.txt"]


# --- JSON Lines and folders ----------------------------------------------------------------


def test_json_lines_with_line_numbers(tmp_path: Path, defaults: Path) -> None:
    lines = [
        json.dumps({"customer": {"name": "Anna Lee", "title": "ms"}}),
        "",
        "{not json",
        json.dumps({"customer": {"name": "Ben Ode", "since": "2026-02-30"}}),
        json.dumps(["a list"]),
        json.dumps({"customer": {"name": "Cleo Park"}, "tone": "firm"}),
    ]
    path = write(tmp_path / "cases.jsonl", "\n".join(lines) + "\n")
    result = batch(str(path), "--defaults", str(defaults), "--out", str(tmp_path / "o"))
    assert result.exit_code == 1
    assert f"error: {path}: line 3: not valid JSON" in result.stderr
    assert f"error: {path}: line 4: customer.since: expected a real date" in result.stderr
    assert f"error: {path}: line 5: expected one case as a JSON object per line" in result.stderr
    assert sorted(p.name for p in (tmp_path / "o").iterdir()) == ["anna-lee.txt", "cleo-park.txt"]
    assert "5 lines: 2 written, 0 skipped, 3 failed" in result.stderr


def test_folder_of_case_files(tmp_path: Path) -> None:
    cases = tmp_path / "cases"
    cases.mkdir()
    (cases / "a.yaml").write_text((EXAMPLES / "case-en.yaml").read_text(encoding="utf-8"))
    (cases / "b.json").write_text(json.dumps({**DEFAULTS, "customer": {"name": "Ben Ode"}}))
    (cases / "c.yaml").write_text("locale: en\ncustomer: [\n")
    (cases / "notes.md").write_text("not a case")
    result = batch(str(cases), "--out", str(tmp_path / "o"), "--format", "md")
    assert result.exit_code == 1
    assert f"error: {cases / 'c.yaml'}: not valid YAML" in result.stderr
    assert sorted(p.name for p in (tmp_path / "o").iterdir()) == ["ben-ode.md", "marco-bellini.md"]
    assert "3 files: 2 written, 0 skipped, 1 failed" in result.stderr


def test_defaults_are_merged_under_each_row(tmp_path: Path, defaults: Path) -> None:
    path = write(
        tmp_path / "cases.jsonl",
        json.dumps({"customer": {"name": "Anna Lee"}, "sender": {"name": "Sam Cole"}}) + "\n",
    )
    result = batch(str(path), "--defaults", str(defaults), "--out", str(tmp_path / "o"))
    assert result.exit_code == 0, result.stderr
    text = (tmp_path / "o" / "anna-lee.txt").read_text(encoding="utf-8")
    # The row's sender.name wins; sender.company and email still come from the defaults.
    assert "Sam Cole" in text and "Dana Whitfield" not in text
    assert "Northlight Studio" in text and "dana@northlight.example" in text


def test_a_bad_default_is_named_as_such(tmp_path: Path) -> None:
    defaults = tmp_path / "shared.yaml"
    defaults.write_text(yaml.safe_dump({**DEFAULTS, "tone": "cold"}), encoding="utf-8")
    path = write(tmp_path / "b.csv", "customer.name\nAnna Lee\n")
    result = batch(str(path), "--defaults", str(defaults), "--out", str(tmp_path / "o"))
    assert result.exit_code == 1
    assert (
        f"row 2: tone: expected one of 'warm' or 'firm' (got 'cold') (value from {defaults})"
        in (result.stderr)
    )


# --- usage errors ---------------------------------------------------------------------------


def test_usage_errors_exit_2(tmp_path: Path, defaults: Path) -> None:
    csv_path = write(tmp_path / "b.csv", "customer.name\nAnna Lee\n")
    a_file = write(tmp_path / "file.txt", "x")
    bad_defaults = write(tmp_path / "bad.yaml", "- a\n- list\n")
    cases = [
        (["missing.csv", "--out", str(tmp_path / "o")], "missing.csv: no such file or folder"),
        ([str(csv_path), "--out", str(a_file)], "is a file; --out needs a folder"),
        (
            [str(csv_path), "--out", str(tmp_path / "o"), "--defaults", str(bad_defaults)],
            "expected a mapping of case fields",
        ),
        (
            [str(csv_path), "--out", str(tmp_path / "o"), "--defaults", "nope.yaml"],
            "nope.yaml: no such file",
        ),
        ([str(csv_path), "--out", str(tmp_path / "o"), "--format", "pdf"], "'pdf' is not one of"),
        (
            [str(write(tmp_path / "n.md", "x")), "--out", str(tmp_path / "o")],
            "expected a .csv file, a .jsonl file",
        ),
        ([str(tmp_path), "--out", str(tmp_path)], "is the input folder; choose another --out"),
    ]
    for args, message in cases:
        result = batch(*args)
        assert result.exit_code == 2, (args, result.stderr)
        assert message in result.stderr, (args, result.stderr)


# --- re-runs, --force, atomic writes -------------------------------------------------------


def test_rerun_after_fixing_a_row_skips_the_rest(tmp_path: Path, defaults: Path) -> None:
    csv_path = tmp_path / "b.csv"
    write(csv_path, "customer.name,customer.title\nAnna Lee,ms\nBen Ode,sir\nCleo Park,ms\n")
    out = tmp_path / "o"
    assert batch(str(csv_path), "--defaults", str(defaults), "--out", str(out)).exit_code == 1
    (out / "anna-lee.txt").write_text("edited by hand", encoding="utf-8")

    write(csv_path, "customer.name,customer.title\nAnna Lee,ms\nBen Ode,mr\nCleo Park,ms\n")
    result = batch(str(csv_path), "--defaults", str(defaults), "--out", str(out))
    assert result.exit_code == 0, result.stderr
    assert f"skipped: {out / 'anna-lee.txt'} already exists" in result.stderr
    assert "3 rows: 1 written, 2 skipped, 0 failed" in result.stderr
    assert (out / "anna-lee.txt").read_text(encoding="utf-8") == "edited by hand"
    assert (out / "ben-ode.txt").read_text(encoding="utf-8").startswith("Dear Mr Ode,")

    result = batch(str(csv_path), "--defaults", str(defaults), "--out", str(out), "--force")
    assert result.exit_code == 0
    assert "3 rows: 3 written, 0 skipped, 0 failed" in result.stderr
    assert (out / "anna-lee.txt").read_text(encoding="utf-8").startswith("Dear Ms Lee,")


def test_no_partial_or_temporary_files(tmp_path: Path, defaults: Path, monkeypatch: Any) -> None:
    from partways.batch import runner as runner_module

    def flaky_render(letter: Any) -> str:
        if letter.recipient.name == "Ben Ode":
            raise RuntimeError("renderer broke half-way")
        return "letter for " + letter.recipient.name

    original = runner_module.Batch.__init__

    def patched(self: Any, options: Any) -> None:
        original(self, options)
        self.render = flaky_render

    monkeypatch.setattr(runner_module.Batch, "__init__", patched)
    csv_path = write(tmp_path / "b.csv", "customer.name\nAnna Lee\nBen Ode\nCleo Park\n")
    result = batch(str(csv_path), "--defaults", str(defaults), "--out", str(tmp_path / "o"))
    assert result.exit_code == 1
    assert "row 3: internal error (RuntimeError: renderer broke half-way)" in result.stderr
    assert sorted(os.listdir(tmp_path / "o")) == ["anna-lee.txt", "cleo-park.txt"]


# --- file names -----------------------------------------------------------------------------


def test_duplicate_and_awkward_customer_names(tmp_path: Path, defaults: Path) -> None:
    rows = [
        "Anna Lee",
        "anna lee",
        "Anna Lee 2",
        "../../etc/passwd",
        "Ali & Sons Ltd.",
        "علی رضایی",
        "Ελένη Παπαδοπούλου",
        "CON",
        "🙂",
        "x" * 250,
        ".hidden",
    ]
    csv_path = write(
        tmp_path / "b.csv", "customer.name\n" + "".join(f'"{name}"\n' for name in rows)
    )
    out = tmp_path / "o"
    result = batch(str(csv_path), "--defaults", str(defaults), "--out", str(out))
    assert result.exit_code == 0, result.stderr
    names = sorted(p.name for p in out.iterdir())
    assert set(names) == {
        "anna-lee.txt",
        "anna-lee-2.txt",
        "anna-lee-2-2.txt",
        "etc-passwd.txt",
        "ali-sons-ltd.txt",
        "علی-رضایی.txt",
        "ελένη-παπαδοπούλου.txt",
        "con-customer.txt",
        "row-10.txt",
        "x" * 120 + ".txt",
        "hidden.txt",
    }
    assert not list(tmp_path.glob("etc*"))  # nothing escaped the output folder


def test_slugify_and_unique_names() -> None:
    assert slugify("Ali / Sons..") == "ali-sons"
    assert slugify("Ελένη\u0301") == "ελένή"  # combining marks stay with their letter
    assert slugify("e\u0301") == "é"  # NFC, as macOS and Linux would otherwise disagree
    assert slugify("حسین\u200cزاده") == "حسین-زاده"
    assert len(slugify("ب" * 300).encode()) <= 120
    names = UniqueNames()
    assert [names.claim(n, "row") for n in ["A", "a", "", "A"]] == ["a", "a-2", "row", "a-3"]


# --- formats ----------------------------------------------------------------------------------


def test_eml_needs_addresses_per_row(tmp_path: Path, defaults: Path) -> None:
    csv_path = write(
        tmp_path / "b.csv", "customer.name,customer.email\nAnna Lee,anna@lee.example\nBen Ode,\n"
    )
    out = tmp_path / "o"
    result = batch(str(csv_path), "--defaults", str(defaults), "--out", str(out), "-f", "eml")
    assert result.exit_code == 1
    assert f"error: {csv_path}: row 3: customer.email: required for --format eml" in result.stderr
    message = email.message_from_bytes((out / "anna-lee.eml").read_bytes(), policy=default_policy)
    assert message["To"].addresses[0].addr_spec == "anna@lee.example"


@pytest.mark.parametrize("fmt", ["html", "json"])
def test_other_formats(tmp_path: Path, defaults: Path, fmt: str) -> None:
    csv_path = write(tmp_path / "b.csv", "customer.name\nAnna Lee\n")
    result = batch(str(csv_path), "--defaults", str(defaults), "--out", str(tmp_path), "-f", fmt)
    assert result.exit_code == 0, result.stderr
    text = (tmp_path / f"anna-lee.{fmt}").read_text(encoding="utf-8")
    if fmt == "json":
        assert json.loads(text)["locale"] == "en"
    else:
        assert text.lstrip().lower().startswith("<!doctype html")


# --- output streams, progress, memory ----------------------------------------------------


def test_quiet_when_piped(tmp_path: Path) -> None:
    out = tmp_path / "o"
    result = run_cli("batch", BATCH_CSV, "--defaults", BATCH_DEFAULTS, "--out", str(out))
    assert result.stdout == b""
    assert b"\x1b[" not in result.stderr and b"\r" not in result.stderr  # no bar, no colour
    result = run_cli("batch", BATCH_CSV, "-d", BATCH_DEFAULTS, "--out", str(out), "--quiet")
    assert result.returncode == 0
    assert result.stdout == b"" and result.stderr == b""


def test_progress_bar_on_a_terminal(tmp_path: Path) -> None:
    import pty
    import subprocess
    import sys

    from conftest import ROOT

    leader, follower = pty.openpty()
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "COLUMNS": "100", "TERM": "xterm"}
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "partways",
            "batch",
            BATCH_CSV,
            "-d",
            BATCH_DEFAULTS,
            "--out",
            str(tmp_path / "o"),
        ],
        stdout=subprocess.PIPE,
        stderr=follower,
        env=env,
        cwd=ROOT,
        timeout=120,
    )
    os.close(follower)
    shown = b""
    try:
        while chunk := os.read(leader, 65536):
            shown += chunk
    except OSError:
        pass
    os.close(leader)
    assert proc.returncode == 0
    assert b"\x1b[" in shown  # rich drew (and then removed) the bar
    assert b"6 rows: 6 written, 0 skipped, 0 failed" in shown


class _CountingSource(Source):
    """Rows made on demand; records how far reading ran ahead of reporting."""

    kind = "row"

    def __init__(self, count: int) -> None:
        super().__init__(Path("generated.csv"))
        self.count = count
        self.read = 0
        self.max_ahead = 0
        self.reported = 0

    def rows(self) -> Any:
        for number in range(2, self.count + 2):
            self.read += 1
            self.max_ahead = max(self.max_ahead, self.read - self.reported)
            data = {**DEFAULTS, "customer": {"name": f"Customer {number}"}}
            yield Row(f"generated.csv: row {number}", f"row-{number}", data)


@pytest.mark.parametrize("jobs", [1, 4])
def test_rows_stream_with_a_bounded_number_in_flight(tmp_path: Path, jobs: int) -> None:
    source = _CountingSource(60)
    seen: list[Outcome] = []

    def report(outcome: Outcome) -> None:
        source.reported += 1
        seen.append(outcome)

    summary = run(source, BatchOptions(out=tmp_path, jobs=jobs), report)
    assert summary.written == 60 and len(seen) == 60
    # Reported in input order whatever the thread scheduling.
    assert [o.path.name for o in seen if o.path][:3] == [
        "customer-2.txt",
        "customer-3.txt",
        "customer-4.txt",
    ]
    assert source.max_ahead <= 2 * jobs + 2


def test_help_has_examples() -> None:
    result = run_cli("batch", "--help", env={"TYPER_USE_RICH": "0", "COLUMNS": "120"})
    assert result.returncode == 0
    assert "partways batch examples/batch.csv --defaults" in result.stdout.decode()


# --- tone linter and polish ----------------------------------------------------------------


def test_a_row_that_trips_the_tone_linter_fails_with_its_lines(
    tmp_path: Path, defaults: Path
) -> None:
    csv_path = write(
        tmp_path / "b.csv",
        "customer.name,facts.1.kind,facts.1.text\n"
        "Anna Lee,note,You are so rude to our staff.\n"
        "Ben Ode,,\n",
    )
    result = batch(str(csv_path), "--defaults", str(defaults), "--out", str(tmp_path / "o"))
    assert result.exit_code == 1
    # The field is named as the column header numbered it (facts.1), with the rule.
    assert f"error: {csv_path}: row 2: facts.1.text: en." in result.stderr
    assert sorted(os.listdir(tmp_path / "o")) == ["ben-ode.txt"]


def test_polish_with_jobs_counts_accepted_rejected_failed(tmp_path: Path) -> None:
    from llm_server import LLMServer, error, sections_reply, sent_sections
    from polish_helpers import faithful

    def respond(request: dict[str, Any]) -> Any:
        sections = sent_sections(request)
        text = " ".join(sections.values())
        if "Terima kasih" in text:
            return error(500)  # the Malay row: the endpoint fails
        if "Thank you for working with" in text:  # the firm row: a section goes missing
            return sections_reply(dict(list(sections.items())[1:]))
        return faithful(request)

    rows = "customer.name,locale,tone\nAnna Lee,,\nBen Ode,ms,\nCleo Park,,firm\nDev Rao,,\n"
    csv_path = write(tmp_path / "b.csv", rows)
    defaults = write(tmp_path / "d.yaml", yaml.safe_dump(DEFAULTS))
    out = tmp_path / "o"
    with LLMServer() as server:
        server.script(respond)
        env = {
            "OPENAI_BASE_URL": server.url,
            "OPENAI_API_KEY": "",
            "PARTWAYS_MODEL": "test-model",
            "PARTWAYS_RETRIES": "0",
            "XDG_CACHE_HOME": str(tmp_path / "cache"),
        }
        args = ("batch", str(csv_path), "-d", str(defaults), "--out", str(out), "--polish")
        result = run_cli(*args, "--jobs", "3", env=env)
        stderr = result.stderr.decode()
        assert result.returncode == 0, stderr  # polish trouble keeps the draft: not a failure
        assert "4 rows: 4 written, 0 skipped, 0 failed" in stderr
        assert "polish: 2 accepted, 1 rejected, 1 failed" in stderr
        assert f"note: {csv_path}: row 3: polish failed: " in stderr
        assert f"note: {csv_path}: row 4: polish rejected: " in stderr
        assert "Thank you for trusting" in (out / "anna-lee.txt").read_text(encoding="utf-8")
        asked = len(server.requests)

        # A forced re-run is served from the polish cache for the accepted letters.
        again = run_cli(*args, "--force", env=env)
        assert again.returncode == 0
        assert "polish: 2 accepted, 1 rejected, 1 failed" in again.stderr.decode()
        assert len(server.requests) - asked <= 1  # only the failed row asks again


def test_excel_unicode_text_export(tmp_path: Path, defaults: Path) -> None:
    # Excel's "Unicode Text": UTF-16 with a BOM, cells separated by tabs.
    path = tmp_path / "sheet.txt"
    path.write_bytes("customer.name\tcustomer.title\r\nΕλένη Γεωργίου\tms\r\n".encode("utf-16"))
    result = batch(str(path), "--defaults", str(defaults), "--out", str(tmp_path / "o"))
    assert result.exit_code == 0, result.stderr
    letter = (tmp_path / "o" / "ελένη-γεωργίου.txt").read_text(encoding="utf-8")
    assert letter.startswith("Dear Ms Γεωργίου,")


# --- sections remembered across rows, files created in one step ---------------------------


def _cases(*changes: dict[str, Any]) -> list[Any]:
    from partways.batch.runner import deep_merge
    from partways.loader import validate_case

    base = {**DEFAULTS, "customer": {"name": "Anna Lee", "email": "anna@example.com"}}
    return [validate_case(deep_merge(base, change), "test") for change in changes]


def test_remembered_sections_give_the_letters_compose_gives() -> None:
    from partways.batch.sections import SectionCache
    from partways.compose import compose

    cases = _cases(
        {},
        {},  # the same row again: every section from memory
        {"customer": {"since": "2019-05-01"}},  # only the appreciation changes
        {"customer": {"since": "2019-05-02"}},
        {"goodwill": {"kind": "refund", "amount": "120", "currency": "EUR"}},
        {"goodwill": {"kind": "refund", "amount": "120.5", "currency": "EUR"}},
        {"goodwill": {"kind": "refund", "amount": "120", "currency": "USD"}},
        {"tone": "firm"},
        {"locale": "el"},
        {"locale": "fa"},
        {"ending": {"pending": ["the last export"]}},
        {"ending": {"pending": ["the final export"]}},
        {"sender": {"role": "Head of Accounts"}},
        {"alternatives": [{"name": "Serambi Hosting"}]},
        {"alternatives": [{"name": "Serambi Hosting", "url": "https://serambi.example"}]},
        {"door_open": "your plans change"},
    )
    cache = SectionCache()
    for case in cases + cases[::-1]:
        assert cache.compose(case) == compose(case)
    assert cache.hits > cache.misses  # most sections came from memory
    letters = [cache.compose(case) for case in cases]
    assert letters[0] == letters[1]
    assert "1 May 2019" in letters[2].text and "2 May 2019" in letters[3].text
    assert "€120.00" in letters[4].text and "€120.50" in letters[5].text
    assert "US$120.00" in letters[6].text
    assert "the last export" in letters[10].text and "the final export" in letters[11].text


def test_section_keys_are_exact() -> None:
    from datetime import UTC, date, datetime, timedelta, timezone
    from decimal import Decimal

    from partways.batch.sections import Unkeyable, freeze

    distinct = [
        1,
        True,
        1.0,
        "1",
        Decimal("1"),
        Decimal("1.00"),
        Decimal("1E+2"),
        Decimal("100"),
        Decimal("-0"),
        Decimal("0"),
        0,
        0.0,
        -0.0,
        date(2020, 1, 1),
        datetime(2020, 1, 1, 12, tzinfo=UTC),
        datetime(2020, 1, 1, 14, tzinfo=timezone(timedelta(hours=2))),  # same instant
        [1],
        (1,),
        None,
    ]
    frozen = [freeze(value) for value in distinct]
    assert len(set(frozen)) == len(distinct)
    (case,) = _cases({})
    assert freeze(case) == freeze(_cases({})[0])
    assert freeze(case) != freeze(_cases({"customer": {"name": "Anna Leé"}})[0])
    with pytest.raises(Unkeyable):
        freeze(object())


def test_templates_whose_inputs_cannot_be_known_are_never_remembered() -> None:
    from jinja2 import DictLoader, Environment

    from partways.batch.sections import plan

    env = Environment(
        loader=DictLoader(
            {
                "paths": "{% set g = case.goodwill %}{{ g.kind }} {{ case.customer.since }}"
                "{{ tone }}",
                "whole": "{{ show(case) }}",
                "item": "{{ case['customer'] }}",
                "include": "{% include 'paths' %}",
                "random": "{{ [1, 2]|random }}",
                "helper": "{{ helper() }}",
            }
        )
    )
    env.globals["helper"] = lambda: "impure?"
    found = plan(env.get_template("paths"), ["case", "tone"])
    assert found is not None
    assert found.names == ("tone",)
    assert found.paths == (("customer", "since"), ("goodwill",))
    for name in ("whole", "item", "include", "random", "helper"):
        assert plan(env.get_template(name), ["case", "show"]) is None, name


def test_an_attack_only_in_its_sentence_is_blocked_after_clean_rows(
    tmp_path: Path, defaults: Path
) -> None:
    # Names are not linted as values; the composed section is, however warm the cache.
    attack = "someone who can put up with how rude you are"
    csv_path = write(
        tmp_path / "b.csv",
        "customer.name,alternatives.0.name\n"
        "Anna Lee,Serambi Hosting\n"
        "Ben Ode,Serambi Hosting\n"
        f"Cleo Park,{attack}\n"
        "Dan Wu,Serambi Hosting\n",
    )
    out = tmp_path / "o"
    result = batch(str(csv_path), "--defaults", str(defaults), "--out", str(out))
    assert result.exit_code == 1
    assert f"{csv_path}: row 4: letter.alternatives: en." in result.stderr
    assert sorted(os.listdir(out)) == ["anna-lee.txt", "ben-ode.txt", "dan-wu.txt"]
    anna, dan = (out / "anna-lee.txt").read_text(), (out / "dan-wu.txt").read_text()
    assert anna.replace("Ms Lee", "Mr Wu").replace("Anna Lee", "Dan Wu") in (dan, anna)
    assert "Serambi Hosting" in dan


@pytest.mark.parametrize("fast", [True, False])
def test_new_files_appear_whole_and_never_replace_one(tmp_path: Path, fast: bool) -> None:
    from partways.batch.files import Folder

    folder = Folder(tmp_path)
    if not fast:
        folder.close()  # the portable way (write_atomic), as without O_TMPFILE
    try:
        assert folder.create("a.txt", "één".encode()) is True
        assert folder.create("a.txt", b"other") is False
        (tmp_path / "b.txt").mkdir()
        assert folder.create("b.txt", b"x") is False
    finally:
        folder.close()
    assert (tmp_path / "a.txt").read_text(encoding="utf-8") == "één"
    assert (tmp_path / "a.txt").stat().st_mode & 0o777 == 0o600
    assert sorted(os.listdir(tmp_path)) == ["a.txt", "b.txt"]  # no temporary names left


def test_a_missing_output_folder_fails_each_row_with_its_path(tmp_path: Path) -> None:
    from partways.batch.files import Folder
    from partways.errors import InputError

    folder = Folder(tmp_path / "gone")
    with pytest.raises(InputError, match="does not exist"):
        folder.create("a.txt", b"x")
    folder.close()


def test_sections_that_never_come_back_stop_being_remembered(monkeypatch: Any) -> None:
    from partways.batch import sections
    from partways.compose import compose

    monkeypatch.setattr(sections, "TRIAL_ROWS", 8)
    cases = _cases(*({"customer": {"name": f"Anna Lee{n}"}} for n in range(20)))
    cache = sections.SectionCache()
    for case in cases:
        assert cache.compose(case) == compose(case)
    forgotten = {t.name for t in cache._unique}
    assert forgotten == {"letter/greeting.j2"}  # each row names its customer
    assert len(cache._texts) < 8 + 11  # greetings stopped filling the memory
