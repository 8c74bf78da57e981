"""On-disk cache of judged replies, keyed by (draft as sent, model, endpoint, prompt version).

Stored under the user cache folder ($XDG_CACHE_HOME/partways/polish, ~/.cache/… by
default; %LOCALAPPDATA% on Windows, ~/Library/Caches on macOS). Only what the model
returned is stored (placeholders, not the facts, unless --send-names was used). A cache
that cannot be read or written is skipped silently: it only saves time.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any


def cache_root() -> Path:
    if os.environ.get("XDG_CACHE_HOME"):
        base = Path(os.environ["XDG_CACHE_HOME"])
    elif sys.platform == "win32" and os.environ.get("LOCALAPPDATA"):
        base = Path(os.environ["LOCALAPPDATA"])
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Caches"
    else:
        base = Path.home() / ".cache"
    return base / "partways" / "polish"


def cache_key(**parts: Any) -> str:
    blob = json.dumps(parts, ensure_ascii=False, sort_keys=True).encode("utf-8")
    return hashlib.sha256(blob).hexdigest()


def load(key: str) -> dict[str, Any] | None:
    try:
        data = json.loads((cache_root() / f"{key}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def store(key: str, entry: dict[str, Any]) -> None:
    root = cache_root()
    try:
        root.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".", suffix=".tmp", dir=root)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(entry, fh, ensure_ascii=False)
        os.replace(tmp, root / f"{key}.json")
    except OSError:
        pass
