"""Endpoint settings for `draft --polish`: option > environment > config file > default.

Environment: OPENAI_API_KEY, OPENAI_BASE_URL, PARTWAYS_MODEL, PARTWAYS_TIMEOUT.
Config file (`[polish]` in .partways.toml, `[tool.partways.polish]` in pyproject.toml):
base_url, model, timeout, retries, temperature, cache. The API key is read from the
environment only: config files get committed, keys must not.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from partways.errors import InputError

DEFAULT_MODEL = "gpt-4o-mini"
DEFAULT_TIMEOUT = 60.0
DEFAULT_RETRIES = 2
# Local servers (Ollama, llama.cpp, vLLM, LM Studio) ignore the key but the SDK insists on one.
PLACEHOLDER_KEY = "sk-local-no-key"

NO_ENDPOINT = (
    "no LLM endpoint configured: set OPENAI_API_KEY (OpenAI) or OPENAI_BASE_URL "
    "(e.g. http://localhost:11434/v1 for Ollama), or base_url in the [polish] section of "
    ".partways.toml; choose the model with PARTWAYS_MODEL or --model"
)


@dataclass(frozen=True)
class PolishSettings:
    api_key: str | None = None
    base_url: str | None = None
    model: str = DEFAULT_MODEL
    timeout: float = DEFAULT_TIMEOUT  # seconds, per request
    retries: int = DEFAULT_RETRIES  # SDK retries on connection errors, 408/409/429/5xx
    temperature: float | None = None  # None: the server's default (some models accept no other)
    cache: bool = True

    @property
    def configured(self) -> bool:
        return bool(self.api_key or self.base_url)

    @property
    def key_for_client(self) -> str:
        return self.api_key or PLACEHOLDER_KEY

    @property
    def endpoint(self) -> str:
        return self.base_url or "https://api.openai.com/v1"


def _number(value: Any, source: str, field: str, *, integer: bool = False) -> float:
    try:
        number = float(value) if not integer else float(int(str(value)))
    except (TypeError, ValueError):
        kind = "a whole number" if integer else "a number of seconds"
        raise InputError.single(source, field, f"expected {kind} (got {value!r})") from None
    if isinstance(value, bool) or not math.isfinite(number) or number < 0:
        raise InputError.single(source, field, f"expected a positive number (got {value!r})")
    return number


def resolve_settings(
    *,
    model: str | None = None,
    timeout: float | None = None,
    env: Mapping[str, str] | None = None,
    config: Mapping[str, Any] | None = None,
    config_source: str = ".partways.toml",
) -> PolishSettings:
    """Settings from (in order of precedence) arguments, environment, `config`.

    `config` defaults to the `[polish]` section of the configuration file found from the
    current folder upwards.
    """
    env = os.environ if env is None else env
    if config is None:
        from partways.config import section

        table, path = section("polish")
        config, config_source = table, str(path or config_source)
    where = f"{config_source}: [polish]"

    def pick(option: Any, env_name: str | None, key: str) -> tuple[Any, str, str]:
        if option is not None:
            return option, f"--{key}", ""
        if env_name and env.get(env_name, "").strip():
            return env[env_name].strip(), env_name, ""
        if key in config:
            return config[key], where, key
        return None, "", ""

    unknown = sorted(set(config) - {"base_url", "model", "timeout", "retries", "temperature",
                                    "cache", "api_key_env"})  # fmt: skip
    if unknown:
        raise InputError.single(where, unknown[0], "unknown setting")

    key_env = str(config.get("api_key_env", "OPENAI_API_KEY"))
    api_key = env.get(key_env, "").strip() or None
    base_url = pick(None, "OPENAI_BASE_URL", "base_url")[0]
    if base_url is not None and not isinstance(base_url, str):
        raise InputError.single(where, "base_url", "expected a URL")
    base_url = base_url or None
    if base_url and not base_url.startswith(("http://", "https://")):
        raise InputError.single(
            "OPENAI_BASE_URL", "", f"expected an http(s) URL (got {base_url!r})"
        )

    chosen_model, source, field = pick(model, "PARTWAYS_MODEL", "model")
    if chosen_model is not None and (not isinstance(chosen_model, str) or not chosen_model.strip()):
        raise InputError.single(source, field, "expected a model name")
    value, source, field = pick(timeout, "PARTWAYS_TIMEOUT", "timeout")
    seconds = DEFAULT_TIMEOUT if value is None else _number(value, source, field)
    if seconds <= 0:
        raise InputError.single(source, field, "expected more than 0 seconds")
    value, source, field = pick(None, "PARTWAYS_RETRIES", "retries")
    retries = DEFAULT_RETRIES if value is None else int(_number(value, source, field, integer=True))
    value, source, field = pick(None, None, "temperature")
    temperature = None if value is None else _number(value, source, field)
    cache = config.get("cache", True)
    if not isinstance(cache, bool):
        raise InputError.single(where, "cache", "expected true or false")
    return PolishSettings(
        api_key=api_key,
        base_url=base_url.rstrip("/") if base_url else None,
        model=(chosen_model or DEFAULT_MODEL).strip(),
        timeout=seconds,
        retries=min(retries, 5),
        temperature=temperature,
        cache=cache,
    )


def require_endpoint(settings: PolishSettings) -> None:
    """Raise InputError (exit 2) before any network call when nothing is configured."""
    if not settings.configured:
        raise InputError.single("--polish", "", NO_ENDPOINT)


__all__ = ["NO_ENDPOINT", "PolishSettings", "require_endpoint", "resolve_settings"]
