"""Lint settings from `[lint]` in .partways.toml (or `[tool.partways.lint]` in pyproject.toml).

[lint]
disable = ["en.condescension-obviously", "ms.*"]   # ids or glob patterns
rules = ["house-rules.yaml"]                        # extra rule files, relative to this file
locale = "auto"                                      # default for --locale

[lint.severity]
"en.exasperation" = "warning"
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any, NamedTuple

from partways.errors import InputError, Problem
from partways.lint.rules import SEVERITIES

KEYS = ("disable", "severity", "rules", "locale")


class LintSettings(NamedTuple):
    disable: frozenset[str] = frozenset()
    severity: Mapping[str, str] = MappingProxyType({})  # read-only: shared by default
    rule_files: tuple[Path, ...] = ()
    locale: str = "auto"
    source: str = ""  # the config file, for error messages
    prefix: str = "lint"  # "lint" or "tool.partways.lint"


def _explicit(path: Path) -> tuple[dict[str, Any], str]:
    from partways.config import read_toml

    data = read_toml(path)
    if path.name == "pyproject.toml":
        return data.get("tool", {}).get("partways", {}).get("lint", {}), "tool.partways.lint"
    return data.get("lint", {}), "lint"


def load_settings(config: Path | None = None, start: Path | None = None) -> LintSettings:
    """Settings from `config` if given, else the nearest configuration file, else defaults."""
    if config is not None:
        table, prefix = _explicit(config)
        where: Path | None = config
    else:
        from partways.config import section

        table, where = section("lint", start)
        prefix = "tool.partways.lint" if where and where.name == "pyproject.toml" else "lint"
    if where is None or not table:
        return LintSettings()
    source = str(where)
    problems: list[Problem] = []
    if not isinstance(table, dict):
        raise InputError.single(source, prefix, "expected a table")
    for key in sorted(set(table) - set(KEYS)):
        problems.append(
            Problem(source, f"{prefix}.{key}", f"unknown key; expected {', '.join(KEYS)}")
        )
    disable = table.get("disable", [])
    if not isinstance(disable, list) or not all(isinstance(d, str) for d in disable):
        problems.append(Problem(source, f"{prefix}.disable", "expected a list of rule ids"))
        disable = []
    severity = table.get("severity", {})
    if not isinstance(severity, dict):
        problems.append(
            Problem(source, f"{prefix}.severity", "expected a table rule-id = severity")
        )
        severity = {}
    for rule_id, value in severity.items():
        if value not in SEVERITIES:
            problems.append(
                Problem(
                    source,
                    f"{prefix}.severity.{rule_id}",
                    f"expected one of {', '.join(SEVERITIES)}",
                )
            )
    rules = table.get("rules", [])
    if isinstance(rules, str):
        rules = [rules]
    if not isinstance(rules, list) or not all(isinstance(r, str) for r in rules):
        problems.append(Problem(source, f"{prefix}.rules", "expected a list of rule-file paths"))
        rules = []
    rule_files = tuple((where.parent / r) for r in rules)
    for index, path in enumerate(rule_files, 1):
        if not path.is_file():
            problems.append(Problem(source, f"{prefix}.rules.{index}", f"no such file: {path}"))
    locale = table.get("locale", "auto")
    if not isinstance(locale, str):
        problems.append(Problem(source, f"{prefix}.locale", "expected a locale code or auto"))
        locale = "auto"
    if problems:
        raise InputError(problems)
    return LintSettings(frozenset(disable), dict(severity), rule_files, locale, source, prefix)
