"""`partways lint` as a user runs it: inputs, formats, exit codes, config, suppression."""

from __future__ import annotations

import base64
import json
import os
from pathlib import Path

import pytest
from tests.conftest import ROOT, run_cli
from typer.testing import CliRunner, Result

from partways.cli import app

ATTACK = "Thank you for your business. Honestly, you’re so rude to our staff.\n"


def lint(runner: CliRunner, *args: str, stdin: str | None = None) -> Result:
    return runner.invoke(app, ["lint", *args], input=stdin)


@pytest.fixture(autouse=True)
def _no_user_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # no .partways.toml above tmp_path


def test_text_output_and_exit_codes(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "bad.txt").write_text("Dear Marco,\n\n" + ATTACK, encoding="utf-8")
    (tmp_path / "good.txt").write_text("We always valued your feedback.\n", encoding="utf-8")
    result = lint(runner, "bad.txt")
    assert result.exit_code == 1
    first, second = result.stdout.splitlines()[:2]
    assert first.startswith("bad.txt:3:40: error en.character-judgment ")
    assert second.strip().startswith("suggestion: ")
    assert "\033[" not in result.stdout  # plain when not a terminal
    assert lint(runner, "good.txt").exit_code == 0
    assert lint(runner, "good.txt").stdout == ""


def test_usage_errors_exit_2(runner: CliRunner, tmp_path: Path) -> None:
    assert lint(runner, "missing.txt").exit_code == 2
    assert lint(runner, "x.txt", "--format", "xml").exit_code == 2
    (tmp_path / "a.txt").write_text("hi\n")
    result = lint(runner, "a.txt", "--locale", "xx")
    assert result.exit_code == 2 and "--locale" in result.stderr
    (tmp_path / "latin1.txt").write_bytes("caf\xe9 rude".encode("latin-1"))
    result = lint(runner, "latin1.txt")
    assert result.exit_code == 2 and "not UTF-8" in result.stderr


def test_json_is_the_only_thing_on_stdout(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(ATTACK, encoding="utf-8")
    done = run_cli("lint", str(tmp_path / "a.txt"), "--format", "json")
    assert done.returncode == 1
    findings = json.loads(done.stdout)
    assert list(findings[0]) == [
        "path", "line", "column", "end_line", "end_column", "rule", "severity", "message",
        "suggestion",
    ]  # fmt: skip
    assert (findings[0]["line"], findings[0]["column"], findings[0]["end_column"]) == (1, 40, 54)
    clean = run_cli("lint", "-", "--format", "json", stdin=b"Thank you.\n")
    assert (clean.returncode, json.loads(clean.stdout)) == (0, [])


def test_sarif_structure(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text(ATTACK + "\nStop wasting our time.\n", encoding="utf-8")
    result = lint(runner, "a.md", "--format", "sarif")
    assert result.exit_code == 1
    log = json.loads(result.stdout)
    assert log["version"] == "2.1.0" and "sarif" in log["$schema"]
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == ["en.character-judgment", "en.exasperation"]
    for result_ in run["results"]:
        assert rules[result_["ruleIndex"]]["id"] == result_["ruleId"]
        assert result_["level"] == "error" and result_["message"]["text"]
        region = result_["locations"][0]["physicalLocation"]["region"]
        assert region["startLine"] >= 1 and region["endColumn"] > region["startColumn"]
        uri = result_["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        assert uri == "a.md"


def test_stdin_and_folders(runner: CliRunner, tmp_path: Path) -> None:
    result = lint(runner, "-", stdin=ATTACK)
    assert result.exit_code == 1 and result.stdout.startswith("<stdin>:1:40:")
    sub = tmp_path / "drafts" / "old"
    sub.mkdir(parents=True)
    (sub / "one.md").write_text(ATTACK, encoding="utf-8")
    (tmp_path / "drafts" / "two.txt").write_text("Fine.\n", encoding="utf-8")
    (tmp_path / "drafts" / "image.png").write_bytes(b"\x89PNG\r\n")
    (tmp_path / "drafts" / ".hidden").mkdir()
    (tmp_path / "drafts" / ".hidden" / "x.txt").write_text(ATTACK, encoding="utf-8")
    result = lint(runner, "drafts", "--format", "json")
    assert [f["path"] for f in json.loads(result.stdout)] == [str(Path("drafts/old/one.md"))]


def test_html_text_only_at_original_positions(runner: CliRunner, tmp_path: Path) -> None:
    html = (
        "<html><head><title>You are rude</title><style>p.rude{}</style></head>\n"
        '<body><p class="rude">Thanks &amp; regards.</p>\n'
        "<p>Honestly, <b>you&rsquo;re</b> so\n   rude.</p>\n"
        "<script>var x = 'you are so rude';</script></body></html>\n"
    )
    (tmp_path / "a.html").write_text(html, encoding="utf-8")
    result = lint(runner, "a.html", "--format", "json")
    (finding,) = json.loads(result.stdout)
    assert (finding["line"], finding["column"]) == (3, 17)
    assert (finding["end_line"], finding["end_column"]) == (4, 8)


def test_markdown_skips_code_blocks(runner: CliRunner, tmp_path: Path) -> None:
    md = "# Draft\n\n```\nyou are so rude\n```\n\n- You always demand too much.\n"
    (tmp_path / "a.md").write_text(md, encoding="utf-8")
    result = lint(runner, "a.md", "--format", "json")
    assert [(f["line"], f["rule"]) for f in json.loads(result.stdout)] == [
        (7, "en.absolute-always")
    ]


def _eml(body: bytes, cte: str, charset: str, subject: str = "Our agreement") -> bytes:
    return (
        b"From: a@example.com\r\nTo: b@example.com\r\nSubject: " + subject.encode() + b"\r\n"
        b"MIME-Version: 1.0\r\nContent-Type: text/plain; charset=" + charset.encode() + b"\r\n"
        b"Content-Transfer-Encoding: " + cte.encode() + b"\r\n\r\n" + body
    )


def test_eml_decoded_text_parts(runner: CliRunner, tmp_path: Path) -> None:
    text = "Γεια σας.\n\nΕίστε πολύ αγενής με το προσωπικό μας.\n"
    encoded = base64.encodebytes(text.encode("iso-8859-7"))
    (tmp_path / "el.eml").write_bytes(_eml(encoded, "base64", "iso-8859-7"))
    qp = (
        b"Dear Marco,\r\n\r\nHonestly, you=E2=80=99re so rude to our staff, and it is=\r\n"
        b" your fault.\r\n"
    )
    (tmp_path / "en.eml").write_bytes(
        _eml(qp, "quoted-printable", "utf-8", "Stop wasting our time")
    )
    result = lint(runner, "en.eml", "--format", "json")
    found = [(f["path"], f["line"], f["column"], f["rule"]) for f in json.loads(result.stdout)]
    assert found == [
        ("en.eml#subject", 1, 1, "en.exasperation"),
        ("en.eml", 3, 11, "en.character-judgment"),
        ("en.eml", 3, 50, "en.blame"),
    ]
    result = lint(runner, "el.eml", "--format", "json")
    if result.exit_code == 1:  # once Greek rules exist, the decoded text is what is checked
        assert json.loads(result.stdout)[0]["line"] == 3


def test_inline_suppression_in_txt_md_html(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(
        "You are so rude. partways-disable-line\n"
        "partways-disable-next-line en.blame\n"
        "You are so rude, and it is your fault.\n",
        encoding="utf-8",
    )
    result = lint(runner, "a.txt", "--format", "json")
    assert [(f["line"], f["rule"]) for f in json.loads(result.stdout)] == [
        (3, "en.character-judgment")
    ]
    (tmp_path / "a.md").write_text(
        "<!-- partways-disable-next-line -->\nYou are so rude.\n\nStop wasting our time.\n",
        encoding="utf-8",
    )
    result = lint(runner, "a.md", "--format", "json")
    assert [f["line"] for f in json.loads(result.stdout)] == [4]
    (tmp_path / "a.html").write_text(
        "<p>You are so rude. <!-- partways-disable-line en.character-judgment --></p>\n",
        encoding="utf-8",
    )
    assert lint(runner, "a.html").exit_code == 0
    (tmp_path / "b.txt").write_text("partways-disable-file\nYou are so rude.\n", encoding="utf-8")
    assert lint(runner, "b.txt").exit_code == 0


def test_config_disable_severity_and_rule_files(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(ATTACK + "\nObviously, we must part ways.\n", encoding="utf-8")
    (tmp_path / "house.yaml").write_text(
        "locale: en\nrules:\n  - id: en.house-nightmare\n    category: insult\n"
        "    severity: warning\n    message: House rule.\n    suggestion: Drop it.\n"
        "    patterns: [' part ways ']\n",
        encoding="utf-8",
    )
    (tmp_path / ".partways.toml").write_text(
        '[lint]\ndisable = ["en.character-*", "en.r2-*"]\nrules = ["house.yaml"]\n'
        '[lint.severity]\n"en.condescension" = "info"\n',
        encoding="utf-8",
    )
    result = lint(runner, "a.txt", "--format", "json")
    found = [(f["rule"], f["severity"]) for f in json.loads(result.stdout)]
    assert found == [("en.condescension", "info"), ("en.house-nightmare", "warning")]


def test_config_errors_are_named(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Hello.\n")
    (tmp_path / "pyproject.toml").write_text(
        '[tool.partways.lint]\ndisable = ["en.no-such-rule"]\ncolour = true\n', encoding="utf-8"
    )
    result = lint(runner, "a.txt")
    assert result.exit_code == 2
    assert "tool.partways.lint.colour: unknown key" in result.stderr
    (tmp_path / "pyproject.toml").write_text(
        '[tool.partways.lint]\ndisable = ["en.no-such-rule"]\n', encoding="utf-8"
    )
    result = lint(runner, "a.txt")
    assert result.exit_code == 2 and "no rule 'en.no-such-rule'" in result.stderr


def test_user_rules_must_be_re2(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Hello.\n")
    (tmp_path / "evil.yaml").write_text(
        "locale: en\nrules:\n  - id: en.evil\n    category: insult\n    message: m\n"
        "    patterns: ['(a|a?)+(?<=b)$']\n",
        encoding="utf-8",
    )
    result = lint(runner, "a.txt", "--rules", "evil.yaml")
    assert result.exit_code == 2
    assert "evil.yaml: en.evil.patterns.1: not RE2 syntax" in result.stderr


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Thank you for working with us. We will send the files by Friday.", "en"),
        ("Terima kasih kerana bekerjasama dengan kami. Kami akan menghantar fail.", "ms"),
        ("از همکاری شما سپاسگزاریم و فایل‌ها را ارسال می‌کنیم.", "fa"),
        ("Σας ευχαριστούμε για τη συνεργασία και θα σας στείλουμε τα αρχεία.", "el"),
    ],
)
def test_locale_detection(text: str, lang: str) -> None:
    from partways.lint.detect import detect_locale

    assert detect_locale(text) == lang


def test_structure_reports_missing_and_order(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(
        "I am sorry it came to this.\n\nThank you for choosing us.\n\n"
        "On 14 September you asked for weekend support.\n",
        encoding="utf-8",
    )
    result = lint(runner, "a.txt", "--structure", "--format", "json")
    found = [(f["rule"], f["line"]) for f in json.loads(result.stdout)]
    assert found == [
        ("structure.missing-goodwill", 1),
        ("structure.missing-alternatives", 1),
        ("structure.order", 1),
    ]
    assert lint(runner, "a.txt").exit_code == 0  # off by default


@pytest.mark.parametrize("entry", ["console", "module"])
def test_lint_path_imports_nothing_heavy(tmp_path: Path, entry: str) -> None:
    import subprocess
    import sys

    (tmp_path / "a.txt").write_text("Hello.\n")
    start = (
        "from partways.launch import main\nmain()"
        if entry == "console"
        else "import runpy\nrunpy.run_module('partways', run_name='__main__')"
    )
    code = (
        f"import sys\nsys.argv = ['partways', 'lint', {str(tmp_path / 'a.txt')!r}]\n"
        f"try:\n    {start.replace(chr(10), chr(10) + '    ')}\nexcept SystemExit as e:\n"
        "    status = e.code\n"
        "heavy = ('babel', 'jinja2', 'pydantic', 'openai', 'rich', 'yaml')\n"
        "import json\n"
        "loaded = [m for m in heavy if m in sys.modules]\n"
        "print(json.dumps([status, loaded, 'typer' in sys.modules]))"
    )
    # The first run parses the rule files (YAML) and caches them; later runs must not
    # import anything heavy. An empty cache folder keeps the test independent of ~/.cache.
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache"), "PYTHONPATH": str(ROOT / "src")}
    first = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert json.loads(first.stdout)[0] == 0, first.stderr
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    status, heavy, typer_loaded = json.loads(done.stdout)
    assert (status, heavy) == (0, []), done.stderr
    assert typer_loaded is False
    if entry == "console":  # the installed `partways` executable is this function
        import tomllib

        pyproject = tomllib.loads((Path(__file__).parents[1] / "pyproject.toml").read_text())
        assert pyproject["project"]["scripts"]["partways"] == "partways.launch:main"


@pytest.mark.parametrize(
    "argv",
    [
        ["bad.txt", "--format", "json"],
        ["--format=json", "bad.txt"],
        ["-f", "sarif", "-l", "en", "bad.txt"],
        ["--locale=en", "--structure", "--", "bad.txt"],
        ["--rules", "mine.yaml", "--rules=mine.yaml", "bad.txt", "-f", "json"],
        ["--config", "conf.toml", "bad.txt", "-f", "json"],
        ["--format", "xml", "bad.txt"],
        ["--locale", "xx", "bad.txt"],
        ["missing.txt"],
    ],
)
def test_fast_entry_parses_options_as_typer_does(
    runner: CliRunner, tmp_path: Path, argv: list[str]
) -> None:
    """`partways lint` starts without typer (partways.lint.command.parse_fast); the same
    arguments through typer give the same output and exit status."""
    from partways.lint.command import parse_fast

    (tmp_path / "bad.txt").write_text(ATTACK, encoding="utf-8")
    (tmp_path / "mine.yaml").write_text(
        "locale: en\nrules:\n  - {id: en.mine, category: insult, message: m, "
        "patterns: [' business ']}\n",
        encoding="utf-8",
    )
    (tmp_path / "conf.toml").write_text('[lint]\ndisable = ["en.character-judgment"]\n')
    assert parse_fast(argv) is not None  # really the fast path
    fast = run_cli("lint", *argv, cwd=tmp_path)
    typed = lint(runner, *argv)
    assert (fast.returncode, fast.stdout.decode()) == (typed.exit_code, typed.stdout)


@pytest.mark.parametrize(
    "argv",
    [
        ["--help"],
        ["-h"],
        ["--bogus", "a.txt"],
        ["--locale"],
        ["-fjson", "a.txt"],
        ["-l=en", "a.txt"],
        ["--structure=1"],
    ],
)
def test_fast_entry_leaves_the_rest_to_typer(argv: list[str]) -> None:
    from partways.lint.command import parse_fast

    assert parse_fast(argv) is None
