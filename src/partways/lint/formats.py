"""Findings as text (people), JSON (scripts) or SARIF 2.1.0 (code-review tools)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from partways.lint.engine import Finding

_COLOURS = {"error": "\033[1;31m", "warning": "\033[1;33m", "info": "\033[1;36m"}
_DIM = "\033[2m"
_RESET = "\033[0m"


def text_line(finding: Finding, colour: bool = False) -> str:
    """`path:line:col: severity rule-id message`, then the suggested rewrite indented."""
    where = f"{finding.path}:{finding.line}:{finding.column}:"
    if colour:
        severity = f"{_COLOURS.get(finding.severity, '')}{finding.severity}{_RESET}"
        head = f"\033[1m{where}{_RESET} {severity} {_DIM}{finding.rule}{_RESET} {finding.message}"
    else:
        head = f"{where} {finding.severity} {finding.rule} {finding.message}"
    if finding.suggestion:
        tail = f"    suggestion: {finding.suggestion}"
        return f"{head}\n{_DIM}{tail}{_RESET}" if colour else f"{head}\n{tail}"
    return head


def to_json(findings: Iterable[Finding]) -> str:
    return json.dumps([f.as_json() for f in findings], ensure_ascii=False, indent=2)


_LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def to_sarif(findings: list[Finding], version: str) -> str:
    """SARIF 2.1.0; columns count Unicode code points (`columnKind`)."""
    from urllib.parse import quote

    rules: dict[str, dict[str, Any]] = {}
    for finding in findings:
        if finding.rule not in rules:
            rules[finding.rule] = {
                "id": finding.rule,
                "shortDescription": {"text": finding.message},
                "help": {"text": finding.suggestion or finding.message},
                "defaultConfiguration": {"level": _LEVEL.get(finding.severity, "warning")},
                "properties": {"category": finding.category},
            }
    index = {rule_id: i for i, rule_id in enumerate(rules)}
    results = []
    for finding in findings:
        result: dict[str, Any] = {
            "ruleId": finding.rule,
            "ruleIndex": index[finding.rule],
            "level": _LEVEL.get(finding.severity, "warning"),
            "message": {"text": f"{finding.message} {finding.suggestion}".strip()},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": quote(finding.path.replace("\\", "/"))},
                        "region": {
                            "startLine": finding.line,
                            "startColumn": finding.column,
                            "endLine": finding.end_line,
                            "endColumn": finding.end_column,
                        },
                    }
                }
            ],
        }
        results.append(result)
    log = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "partways",
                        "version": version,
                        "informationUri": "https://github.com/partways/partways",
                        "rules": list(rules.values()),
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }
    return json.dumps(log, ensure_ascii=False, indent=2)
