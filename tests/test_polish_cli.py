"""`partways draft --polish` end to end: a subprocess pointed at the local test server."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import ROOT, run_cli
from llm_server import LLMServer, error
from partways.errors import InputError
from partways.polish.settings import DEFAULT_MODEL, PLACEHOLDER_KEY, resolve_settings
from polish_helpers import CASE_EN, deterministic, edited, faithful

CASE = str(CASE_EN)


@pytest.fixture
def server() -> Iterator[LLMServer]:
    with LLMServer() as running:
        yield running


def env_for(server: LLMServer, tmp_path: Path, **extra: str) -> dict[str, str]:
    return {
        "OPENAI_BASE_URL": server.url,
        "OPENAI_API_KEY": "",
        "PARTWAYS_MODEL": "test-model",
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        **extra,
    }


def test_accepted_polish_through_the_cli(server: LLMServer, tmp_path: Path) -> None:
    server.script(faithful)
    result = run_cli("draft", CASE, "--polish", "-f", "json", env=env_for(server, tmp_path))
    assert result.returncode == 0, result.stderr.decode()
    data = json.loads(result.stdout)
    assert data["polish"] == {"status": "accepted", "model": "test-model", "reasons": []}
    assert "Thank you for trusting Northlight Studio" in data["text"]
    assert result.stderr == b""
    # A local server gets a placeholder key; the SDK refuses to start without one.
    assert server.headers[0]["authorization"] == f"Bearer {PLACEHOLDER_KEY}"
    # The second run is served from the cache: no request at all.
    server.script(error(500))
    again = run_cli("draft", CASE, "--polish", "-f", "json", env=env_for(server, tmp_path))
    assert json.loads(again.stdout) == data and server.requests == []


def test_rejected_polish_prints_the_draft_and_one_line(server: LLMServer, tmp_path: Path) -> None:
    server.script(edited(lambda s: s.pop("goodwill") and None))
    env = env_for(server, tmp_path)
    result = run_cli("draft", CASE, "--polish", "--model", "cli-model", env=env)
    assert result.returncode == 0
    assert result.stdout.decode() == deterministic()
    lines = result.stderr.decode().splitlines()
    assert len(lines) == 1 and lines[0].startswith("partways: polish rejected: ")
    assert "Traceback" not in result.stderr.decode()
    assert server.requests[0]["model"] == "cli-model"

    strict = run_cli("draft", CASE, "--polish", "--strict", "-f", "json", env=env)
    assert strict.returncode == 1
    data = json.loads(strict.stdout)
    assert data["polish"]["status"] == "rejected" and data["polish"]["reasons"]
    assert data["text"] == deterministic()
    assert data["sections"] == json.loads(deterministic(fmt="json"))["sections"]


def test_failed_polish_exit_status(server: LLMServer, tmp_path: Path) -> None:
    server.script(error(503))
    env = env_for(server, tmp_path, PARTWAYS_RETRIES="1")
    result = run_cli("draft", CASE, "--polish", env=env)
    assert result.returncode == 0 and result.stdout.decode() == deterministic()
    assert result.stderr.decode().startswith("partways: polish failed: ")
    assert len(server.requests) == 2
    assert run_cli("draft", CASE, "--polish", "--strict", env=env).returncode == 1


def test_slow_server_and_timeout_option(server: LLMServer, tmp_path: Path) -> None:
    slow = error(200)
    slow.delay = 10
    server.script(slow)
    env = env_for(server, tmp_path, PARTWAYS_RETRIES="0")
    result = run_cli("draft", CASE, "--polish", "--timeout", "0.5", env=env)
    assert result.returncode == 0 and result.stdout.decode() == deterministic()
    assert "within 0.5 s" in result.stderr.decode()


def test_no_endpoint_is_a_clear_input_error() -> None:
    env = {"OPENAI_BASE_URL": "", "OPENAI_API_KEY": ""}
    result = run_cli("draft", CASE, "--polish", env=env)
    assert result.returncode == 2 and result.stdout == b""
    message = result.stderr.decode()
    for setting in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "PARTWAYS_MODEL", "[polish]"):
        assert setting in message
    assert "Traceback" not in message


def test_without_polish_json_says_off() -> None:
    data = json.loads(run_cli("draft", CASE, "-f", "json").stdout)
    assert data["polish"] == {"status": "off", "model": None, "reasons": []}


def test_importing_the_cli_does_not_import_openai() -> None:
    code = (
        "import sys, partways.cli\n"
        "from partways.cli import app\n"
        f"app(['draft', {CASE!r}], standalone_mode=False)\n"
        "assert 'openai' not in sys.modules, 'openai imported'\n"
        "assert 'partways.polish.client' not in sys.modules\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, cwd=ROOT,
        env={"PYTHONPATH": str(ROOT / "src"), "PATH": ""}, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr.decode()


def test_settings_precedence_and_config_file(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / ".partways.toml").write_text(
        '[polish]\nbase_url = "http://localhost:11434/v1/"\nmodel = "llama3.1"\ntimeout = 12\n',
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    from_file = resolve_settings(env={})
    assert (from_file.base_url, from_file.model, from_file.timeout) == (
        "http://localhost:11434/v1", "llama3.1", 12.0,
    )  # fmt: skip
    assert from_file.configured and from_file.key_for_client == PLACEHOLDER_KEY
    from_env = resolve_settings(env={"PARTWAYS_MODEL": "qwen", "PARTWAYS_TIMEOUT": "3"})
    assert (from_env.model, from_env.timeout) == ("qwen", 3.0)
    from_options = resolve_settings(model="m", timeout=1.5, env={"PARTWAYS_MODEL": "qwen"})
    assert (from_options.model, from_options.timeout) == ("m", 1.5)
    assert resolve_settings(env={}, config={}).model == DEFAULT_MODEL
    assert not resolve_settings(env={}, config={}).configured
    with pytest.raises(InputError, match="PARTWAYS_TIMEOUT"):
        resolve_settings(env={"PARTWAYS_TIMEOUT": "soon"}, config={})
    with pytest.raises(InputError, match="unknown setting"):
        resolve_settings(env={}, config={"api_key": "sk-secret"})
