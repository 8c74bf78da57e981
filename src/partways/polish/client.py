"""One Chat Completions call through the official `openai` SDK, with hard limits.

The SDK handles retries (connection errors, 408/409/429/5xx, honouring retry-after).
The body is read through `with_streaming_response` so a huge or endless reply is cut
off at MAX_REPLY_BYTES or after the timeout, instead of being buffered whole.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any

from partways.polish.settings import PolishSettings

MAX_REPLY_BYTES = 1_000_000


class PolishFailure(Exception):
    """The endpoint gave no reply to judge (one line for the user)."""


@dataclass(frozen=True)
class Reply:
    content: str
    finish_reason: str | None
    model: str | None


def _describe(exc: Exception, settings: PolishSettings) -> str:
    import openai

    where = settings.endpoint
    if isinstance(exc, openai.APITimeoutError):
        return f"no reply from {where} within {settings.timeout:g} s"
    if isinstance(exc, openai.APIConnectionError):
        return f"cannot connect to {where}"
    if isinstance(exc, openai.AuthenticationError):
        return f"{where} refused the API key (HTTP 401); check OPENAI_API_KEY"
    if isinstance(exc, openai.PermissionDeniedError):
        return f"{where} denied access (HTTP 403)"
    if isinstance(exc, openai.NotFoundError):
        return f"{where} does not know model {settings.model!r} (HTTP 404); set PARTWAYS_MODEL"
    if isinstance(exc, openai.RateLimitError):
        return f"{where} is rate limiting (HTTP 429) after {settings.retries} retries"
    if isinstance(exc, openai.APIStatusError):
        return f"{where} answered HTTP {exc.status_code}"
    return f"{type(exc).__name__}: {exc}"[:200]


def _read_body(response: Any, deadline: float) -> bytes:
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > MAX_REPLY_BYTES:
            raise PolishFailure(f"the reply is larger than {MAX_REPLY_BYTES // 1000} kB")
        if time.monotonic() > deadline:
            raise PolishFailure("the reply took longer than the timeout to arrive")
        chunks.append(chunk)
    return b"".join(chunks)


def _parse_completion(body: bytes) -> Reply:
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        raise PolishFailure("the server's answer is not JSON") from None
    if not isinstance(data, dict):
        raise PolishFailure("the server's answer is not a chat completion")
    choices = data.get("choices")
    if not isinstance(choices, list) or not choices or not isinstance(choices[0], dict):
        raise PolishFailure("the server's answer has no choices")
    choice = choices[0]
    message = choice.get("message")
    if not isinstance(message, dict):
        raise PolishFailure("the server's answer has no message")
    content = message.get("content")
    if not isinstance(content, str) or not content.strip():
        refusal = message.get("refusal")
        if isinstance(refusal, str) and refusal:
            raise PolishFailure("the model refused to rewrite the letter")
        raise PolishFailure("the server's answer has no content")
    finish = choice.get("finish_reason")
    model = data.get("model")
    return Reply(
        content,
        finish if isinstance(finish, str) else None,
        model if isinstance(model, str) else None,
    )


def complete(settings: PolishSettings, messages: list[dict[str, str]]) -> Reply:
    """Send `messages`; return the first choice, or raise PolishFailure."""
    import openai

    client = openai.OpenAI(
        api_key=settings.key_for_client,
        base_url=settings.endpoint,
        timeout=openai.Timeout(settings.timeout, connect=min(settings.timeout, 10.0)),
        max_retries=settings.retries,
    )
    extra: dict[str, Any] = {}
    if settings.temperature is not None:
        extra["temperature"] = settings.temperature
    try:
        with client.chat.completions.with_streaming_response.create(
            model=settings.model,
            messages=messages,  # type: ignore[arg-type]
            **extra,
        ) as response:
            body = _read_body(response, time.monotonic() + settings.timeout)
    except PolishFailure:
        raise
    except openai.OpenAIError as exc:
        raise PolishFailure(_describe(exc, settings)) from None
    except Exception as exc:  # httpx2 errors while reading the body, and anything odd
        if "timeout" in type(exc).__name__.lower():
            message = f"no reply from {settings.endpoint} within {settings.timeout:g} s"
            raise PolishFailure(message) from None
        raise PolishFailure(f"the connection failed while reading ({type(exc).__name__})") from None
    finally:
        client.close()
    return _parse_completion(body)
