"""The case file's JSON Schema, with the locales that are actually installed."""

from __future__ import annotations

from typing import Any

from partways.case import Case
from partways.locales import available_locales


def case_schema() -> dict[str, Any]:
    schema = Case.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "partways case file"
    schema["properties"]["locale"]["enum"] = list(available_locales())
    return schema
