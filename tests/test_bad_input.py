"""Bad input: one clear line per problem naming file, field and expectation; exit 2;
never a traceback; nothing written."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest
import yaml

from conftest import EXAMPLES, run_cli
from partways.draft import draft, load
from partways.render import render

EXAMPLE = yaml.safe_load((EXAMPLES / "case-en.yaml").read_text(encoding="utf-8"))


def _write(tmp_path: Path, data: object, name: str = "case.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def _with(path: str, value: object) -> dict:
    """A deep copy of the example with `path` (dotted) set to `value` (or removed)."""
    data = json.loads(json.dumps(EXAMPLE, default=str))
    *parents, last = path.split(".")
    target = data
    for part in parents:
        target = target[int(part)] if isinstance(target, list) else target[part]
    if value is _REMOVE:
        del target[int(last) if isinstance(target, list) else last]
    elif isinstance(target, list):
        target[int(last)] = value
    else:
        target[last] = value
    return data


_REMOVE = object()


@pytest.mark.parametrize(
    ("path", "value", "expected"),
    [
        ("customer.name", _REMOVE, "customer.name: required field is missing"),
        ("customer.name", "  ", "customer.name: must not be empty"),
        ("service", "", "service: must not be empty"),
        ("customer.title", "dr", "customer.title: expected one of 'mr', 'ms' or 'none' (got 'dr')"),
        ("locale", "de", "locale: expected one of"),
        ("channel", "fax", "channel: expected one of 'email', 'phone' or 'meeting'"),
        ("tone", "angry", "tone: expected one of 'warm' or 'firm'"),
        ("reasons.0", "too_nice", "reasons.0: expected one of 'never_satisfied'"),
        ("facts.0.kind", "rumour", "facts.0.kind: expected one of out_of_scope_request"),
        ("facts.1.count", "five", "facts.1.count: expected a whole number"),
        ("facts.1.count", 1, "facts.1.count: "),
        ("facts", [], "facts: needs at least 1 item"),
        ("facts", "many", "facts: expected a list"),
        ("goodwill.currency", "EURO", "goodwill.currency: expected an ISO 4217 currency code"),
        ("goodwill.amount", -5, "goodwill.amount: "),
        ("goodwill.amount", _REMOVE, "goodwill.amount: required when kind is refund"),
        ("ending.effective", "2026-02-30", "ending.effective: expected a real date as YYYY-MM-DD"),
        ("customer.since", "yesterday", "customer.since: expected a real date"),
        ("customer.email", "marco at bellini", "customer.email: expected an email address"),
        ("alternatives.0.url", "brightline", "alternatives.0.url: expected a web address"),
        ("sender", "Dana", "sender: expected a mapping of fields"),
        ("custmer", {"name": "x"}, "custmer: unknown field"),
    ],
)
def test_each_problem_names_file_field_and_expectation(
    tmp_path: Path, path: str, value: object, expected: str
) -> None:
    case = _write(tmp_path, _with(path, value))
    out = tmp_path / "letter.txt"
    result = run_cli("draft", str(case), "-o", str(out))
    stderr = result.stderr.decode()
    assert result.returncode == 2, stderr
    assert f"{case}: {expected}" in stderr, stderr
    assert "Traceback" not in stderr
    assert result.stdout == b""
    assert not out.exists()


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    data = _with("customer.title", "dr")
    data["channel"] = "fax"
    data["ending"]["effective"] = "2026-13-40"
    result = run_cli("draft", str(_write(tmp_path, data)))
    lines = result.stderr.decode().strip().splitlines()
    assert len(lines) == 3, lines
    assert all(line.startswith("error: ") for line in lines)


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("empty.yaml", b"", "empty file"),
        ("blank.yaml", b"  \n\n", "empty file"),
        ("binary.yaml", b"\x7fELF\x02\x01\x00\x00binary", "binary file"),
        ("latin1.yaml", "locale: en\nservice: caf\xe9\n".encode("latin-1"), "not UTF-8 text"),
        ("broken.yaml", b"locale: [en\n", "not valid YAML"),
        ("broken.json", b'{"locale": "en",}', "not valid JSON"),
        ("broken.toml", b"locale = \n", "not valid TOML"),
        ("list.yaml", b"- a\n- b\n", "expected a mapping of fields at the top"),
        ("scalar.yaml", b"hello\n", "expected a mapping of fields at the top"),
    ],
)
def test_unreadable_files(tmp_path: Path, name: str, content: bytes, expected: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    result = run_cli("draft", str(path))
    assert result.returncode == 2
    stderr = result.stderr.decode()
    assert stderr.startswith(f"error: {path}: {expected}"), stderr
    assert "Traceback" not in stderr


def test_missing_file_and_folder(tmp_path: Path) -> None:
    missing = run_cli("draft", str(tmp_path / "nope.yaml"))
    assert missing.returncode == 2
    assert b"nope.yaml: no such file" in missing.stderr
    folder = run_cli("draft", str(tmp_path))
    assert folder.returncode == 2
    assert b"is a folder" in folder.stderr


def test_json_and_toml_cases_give_the_same_letter(tmp_path: Path) -> None:
    as_json = tmp_path / "case.json"
    as_json.write_text(json.dumps(EXAMPLE, default=str), encoding="utf-8")
    as_toml = tmp_path / "case.toml"
    as_toml.write_text(_to_toml(EXAMPLE), encoding="utf-8")
    assert tomllib.loads(as_toml.read_text(encoding="utf-8"))["ending"]["contract_clause"] == "9.2"
    expected = render(draft(load(EXAMPLES / "case-en.yaml")), "text")
    assert render(draft(load(as_json)), "text") == expected
    assert render(draft(load(as_toml)), "text") == expected


def test_unquoted_clause_number_is_refused_not_mangled(tmp_path: Path) -> None:
    text = (EXAMPLES / "case-en.yaml").read_text(encoding="utf-8")
    path = tmp_path / "case.yaml"
    path.write_text(
        text.replace('contract_clause: "9.2"', "contract_clause: 9.10"), encoding="utf-8"
    )
    result = run_cli("draft", str(path))
    assert result.returncode == 2
    assert b"ending.contract_clause: expected text; write the clause in quotes" in result.stderr


def test_user_text_is_never_evaluated_as_a_template(tmp_path: Path) -> None:
    data = _with("facts.2.text", "Our invoice {{ 7*7 }} and %(amount)s stay as written.")
    letter = render(draft(load(_write(tmp_path, data))), "text")
    assert "Our invoice {{ 7*7 }} and %(amount)s stay as written." in letter


def _to_toml(value: dict, prefix: str = "") -> str:
    """Just enough TOML writing for the example case (tables, arrays of tables, scalars)."""
    scalars, tables, arrays = [], [], []
    for key, item in value.items():
        if isinstance(item, dict):
            tables.append((key, item))
        elif isinstance(item, list) and item and isinstance(item[0], dict):
            arrays.append((key, item))
        else:
            scalars.append(f"{key} = {json.dumps(item, default=str, ensure_ascii=False)}")
    out = "\n".join(scalars) + "\n"
    for key, item in tables:
        out += f"\n[{prefix}{key}]\n" + _to_toml(item, f"{prefix}{key}.")
    for key, items in arrays:
        for item in items:
            out += f"\n[[{prefix}{key}]]\n" + _to_toml(item, f"{prefix}{key}.")
    return out
