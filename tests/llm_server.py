"""A scriptable Chat Completions server for the polish tests (stdlib only, real HTTP).

    with LLMServer() as server:
        server.script(reply_json(...), status(500), ...)   # one step per request
        settings = PolishSettings(base_url=server.url, ...)

Each step answers one request; the last step repeats. A step is a `Step` or a callable
taking the request's JSON body and returning a Step (to build a rewrite from the
placeholders the client actually sent). Every request body is kept in `requests`.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Step:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


Responder = Step | Callable[[dict[str, Any]], Step]


def completion(content: str, finish_reason: str = "stop", model: str = "test-model") -> Step:
    body = {
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "created": 1790000000,
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content},
                "finish_reason": finish_reason,
            }
        ],
        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
    }
    return Step(body=json.dumps(body, ensure_ascii=False).encode("utf-8"))


def sections_reply(sections: dict[str, str], **kwargs: Any) -> Step:
    return completion(json.dumps(sections, ensure_ascii=False), **kwargs)


def error(status: int, message: str = "error", **headers: str) -> Step:
    body = {"error": {"message": message, "type": "server_error", "code": None}}
    # retry-after-ms keeps the SDK's retries fast (its default back-off is ~0.5 s).
    return Step(
        status=status, body=json.dumps(body).encode(), headers={"retry-after-ms": "1", **headers}
    )


def sent_sections(request: dict[str, Any]) -> dict[str, str]:
    """The {section: text} object from the request's last user message."""
    last = next(m for m in request["messages"] if m["role"] == "user")
    return dict(json.loads(last["content"]))


class LLMServer:
    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.raw_requests: list[bytes] = []
        self.headers: list[dict[str, str]] = []
        self._steps: list[Responder] = [error(500, "no script")]
        self._lock = threading.Lock()
        self._closing = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                raw = self.rfile.read(length)
                try:
                    request = json.loads(raw)
                except ValueError:
                    request = {}
                with server._lock:
                    server.raw_requests.append(raw)
                    server.requests.append(request)
                    server.headers.append({k.lower(): v for k, v in self.headers.items()})
                    index = len(server.requests) - 1
                    responder = server._steps[min(index, len(server._steps) - 1)]
                step = responder(request) if callable(responder) else responder
                if step.delay and server._closing.wait(step.delay):
                    return
                try:
                    self.send_response(step.status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(step.body)))
                    for name, value in step.headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(step.body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}/v1"

    def script(self, *steps: Responder) -> None:
        with self._lock:
            self._steps = list(steps)
            self.requests.clear()
            self.raw_requests.clear()
            self.headers.clear()

    def __enter__(self) -> LLMServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._closing.set()
        self._httpd.shutdown()
        self._httpd.server_close()
