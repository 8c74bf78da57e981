"""partways: compose, check and polish respectful customer exit letters.

The public API is deliberately small and importable without the CLI::

    from partways import load_case, compose, render
    letter = compose(load_case("case.yaml"))
    print(render(letter, "text"))
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = ["InputError", "Letter", "__version__", "compose", "load_case", "render"]

if TYPE_CHECKING:
    from partways.compose import compose
    from partways.errors import InputError
    from partways.letter import Letter
    from partways.loader import load_case
    from partways.render import render

_LAZY = {
    "compose": "partways.compose",
    "InputError": "partways.errors",
    "Letter": "partways.letter",
    "load_case": "partways.loader",
    "render": "partways.render",
}


def __getattr__(name: str) -> Any:
    # Lazy so that `import partways` (and the CLI's start-up) stays cheap.
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(name)
    import importlib

    return getattr(importlib.import_module(module), name)
