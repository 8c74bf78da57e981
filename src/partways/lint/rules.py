"""Tone-rule files: loading and validation.

Every problem names the file, the rule (by id, or by position when the id is the
problem) and the field, e.g. `my-rules.yaml: en.nagging.patterns.2: not RE2 syntax …`.
Patterns are compiled with RE2 only (linear time, so a rule file cannot hang the
linter); look-behind, look-ahead and back-references are refused.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

from partways.errors import InputError, Problem
from partways.lint.normalise import normalise_pattern, normalise_token_map

CATEGORIES = (
    "character",
    "absolute",
    "blame",
    "insult",
    "condescension",
    "exasperation",
    "threat",
)
SEVERITIES = ("error", "warning", "info")
RULE_KEYS = frozenset(
    {"id", "category", "severity", "message", "suggestion", "patterns", "unless", "examples"}
)
FILE_KEYS = frozenset({"locale", "token_map", "lexicons", "rules"})
# `{{name}}` in a pattern stands for the file's lexicon `name`: one list of words that
# every frame shares, so widening a lexicon widens every rule that uses it.
_LEXICON_REF = re.compile(r"\{\{([a-z][a-z0-9_]*)\}\}")
_LEXICON_NAME = re.compile(r"[a-z][a-z0-9_]*\Z")
_BROKEN = "\x00"  # stands for a lexicon already reported as faulty


class Rule(NamedTuple):
    id: str
    category: str
    severity: str
    message: str
    suggestion: str
    patterns: tuple[str, ...]  # as folded for matching
    unless: tuple[str, ...] = ()
    flag_examples: tuple[str, ...] = ()
    pass_examples: tuple[str, ...] = ()
    source: str = ""


class RuleFile(NamedTuple):
    path: str
    locale: str
    token_map: dict[str, str]
    rules: tuple[Rule, ...]


class _Problems:
    def __init__(self, source: str) -> None:
        self.source = source
        self.items: list[Problem] = []

    def add(self, where: str, message: str) -> None:
        self.items.append(Problem(self.source, where, message))


def read_yaml(path: Path) -> Any:
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        with path.open(encoding="utf-8") as fh:
            return yaml.load(fh, Loader=loader)
    except FileNotFoundError:
        raise InputError.single(str(path), "", "no such file") from None
    except OSError as exc:
        raise InputError.single(str(path), "", f"cannot read: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise InputError.single(str(path), "", "not UTF-8 text") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise InputError.single(str(path), where, f"not valid YAML: {problem}") from None


def cache_dir() -> Path:
    """The linter's folder in the user's cache (XDG_CACHE_HOME or ~/.cache)."""
    import os

    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "partways"


def read_shipped(path: Path) -> Any:
    """read_yaml for the shipped locale files, through a JSON copy in the user's cache.

    Parsing YAML costs more than the rest of a one-line lint; the copy is keyed by the
    file's path, size and modification time, so it is never stale. Any cache problem
    just means reading the YAML.
    """
    import json
    import os
    import zlib

    try:
        stat = path.stat()
    except OSError:
        return read_yaml(path)
    where = zlib.crc32(str(path.resolve()).encode())
    prefix = f"{path.parent.name}-{path.stem}-{where:08x}-"
    cached = cache_dir() / f"{prefix}{stat.st_size}-{stat.st_mtime_ns}.json"
    try:
        with cached.open(encoding="utf-8") as fh:
            return json.load(fh)
    except (OSError, ValueError):
        pass
    data = read_yaml(path)
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        temporary = cached.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        os.replace(temporary, cached)
        for stale in cached.parent.glob(f"{prefix}*.json"):
            if stale != cached:
                stale.unlink(missing_ok=True)
    except (OSError, TypeError, ValueError):
        pass
    return data


def re2_options() -> Any:
    import re2

    options = re2.Options()
    options.log_errors = False  # we report errors ourselves, one line each
    options.max_mem = 64 << 20  # the default 8 MB is too small for a locale's whole rule set
    return options


# In normalised text a word is a run of anything but space, ASCII digits and the
# apostrophe; RE2 compiles this class ~10x faster than the Unicode table behind \pL.
WORD_CHAR = "[^ 0-9']"


@cache  # each pattern is needed in this form up to three times (alphabet, atoms, compile)
def engine_pattern(pattern: str) -> str:
    """`pattern` with \\pL / \\p{L} outside [...] replaced by WORD_CHAR (same matches on
    normalised text, where every other character is a letter, mark or rare digit)."""
    if "\\p" not in pattern:
        return pattern
    return _PIECES.sub(lambda m: WORD_CHAR if m.group(1) else m.group(0), pattern)


# An escape, a bracket expression (left alone), or \pL / \p{L} (group 1).
_PIECES = re.compile(r"(\\pL|\\p\{L\})|\\.|\[\^?\]?(?:\\.|[^\]\\])*\]")


_ANCHORS = re.compile(r"\\.|\[\^?\]?(?:\\.|[^\]\\])*\]|([\^$])")


def loose_pattern(pattern: str) -> str:
    """`pattern` without its ^ and $ anchors: matches wherever the pattern matches, and
    also inside a longer text (used to skip whole paragraphs with no possible finding)."""
    if "^" not in pattern and "$" not in pattern:
        return pattern
    return _ANCHORS.sub(lambda m: "" if m.group(1) else m.group(0), pattern)


@cache
def compile_pattern(pattern: str) -> Any:
    r"""Compile with RE2 (\pL in its fast form); raises ValueError with RE2's reason."""
    import re2

    try:
        return re2.compile(engine_pattern(pattern), re2_options())
    except re2.error as exc:
        reason = exc.args[0] if exc.args else str(exc)
        if isinstance(reason, bytes):
            reason = reason.decode("utf-8", "replace")
        hint = ""
        if "(?<" in pattern or "(?=" in pattern or "(?!" in pattern:
            hint = " (look-around is not supported: RE2 runs in linear time)"
        elif any(f"\\{d}" in pattern for d in "123456789"):
            hint = " (back-references are not supported: RE2 runs in linear time)"
        raise ValueError(f"not RE2 syntax: {reason}{hint}") from None


def _lexicons(raw: Any, problems: _Problems) -> dict[str, str]:
    """`lexicons:` → {name: "(?:entry|entry|…)"}, lexicons used inside lexicons expanded."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        problems.add("lexicons", "expected a mapping of name → list of words or patterns")
        return {}
    entries: dict[str, list[str]] = {}
    for name, items in raw.items():
        where = f"lexicons.{name}"
        if not isinstance(name, str) or not _LEXICON_NAME.match(name):
            problems.add(where, "expected a name of lower-case letters, digits and _")
            continue
        if isinstance(items, str):
            items = [items]
        if not isinstance(items, list) or not items:
            problems.add(where, "expected a non-empty list of words or patterns")
            continue
        bad = [i for i, item in enumerate(items, 1) if not isinstance(item, str) or not item]
        if bad:
            problems.add(f"{where}.{bad[0]}", "expected a non-empty word or pattern")
            continue
        entries[name] = [item.strip() for item in items]
    expanded: dict[str, str] = {}

    def expand(name: str, trail: tuple[str, ...]) -> str:
        if name in trail:
            raise ValueError(" → ".join((*trail, name)))
        if name not in expanded:
            for used in _LEXICON_REF.findall(" ".join(entries[name])):
                if used not in entries:
                    raise KeyError(name, used)
            inner = "|".join(
                _LEXICON_REF.sub(lambda m: expand(m.group(1), (*trail, name)), item)
                for item in entries[name]
            )
            expanded[name] = f"(?:{inner})"
        return expanded[name]

    for name in entries:
        try:
            expand(name, ())
        except ValueError as exc:
            problems.add(f"lexicons.{name}", f"uses itself: {exc}")
            expanded[name] = _BROKEN
        except KeyError as exc:
            user, unknown = exc.args
            problems.add(f"lexicons.{user}", f"uses an unknown lexicon {{{{{unknown}}}}}")
            expanded[name] = expanded[user] = _BROKEN
    return expanded


def _with_lexicons(pattern: str, lexicons: dict[str, str]) -> str:
    """`pattern` with each `{{name}}` replaced by its lexicon; KeyError names a missing one."""
    if "{{" not in pattern:
        return pattern
    return _LEXICON_REF.sub(lambda m: lexicons[m.group(1)], pattern)


def _check_patterns(
    values: Any,
    where: str,
    problems: _Problems,
    required: bool,
    compile_now: bool = True,
    lexicons: dict[str, str] | None = None,
) -> tuple[str, ...]:
    if values is None and not required:
        return ()
    if isinstance(values, str):
        values = [values]
    if not isinstance(values, list) or (required and not values):
        problems.add(where, "expected a list of patterns (RE2 syntax)")
        return ()
    folded: list[str] = []
    for index, raw in enumerate(values, 1):
        if not isinstance(raw, str) or not raw.strip():
            problems.add(f"{where}.{index}", "expected a non-empty pattern string")
            continue
        try:
            pattern = normalise_pattern(_with_lexicons(raw, lexicons or {}))
        except KeyError as exc:
            known = ", ".join(sorted(lexicons or {})) or "none"
            problems.add(
                f"{where}.{index}",
                f"no lexicon {{{{{exc.args[0]}}}}} in this file (it has: {known}): {raw!r}",
            )
            continue
        if _BROKEN in pattern:  # its lexicon's problem is reported once, under lexicons
            continue
        if not compile_now:  # shipped rules: compiled in one RE2 set, checked by the tests
            folded.append(pattern)
            continue
        try:
            compiled = compile_pattern(pattern)
        except ValueError as exc:
            problems.add(f"{where}.{index}", f"{exc}: {raw!r}")
            continue
        if compiled.search("") is not None or compiled.search(" ") is not None:
            problems.add(
                f"{where}.{index}", f"matches empty text, so it would flag everything: {raw!r}"
            )
            continue
        folded.append(pattern)
    return tuple(folded)


def _text(value: Any, where: str, problems: _Problems, required: bool = True) -> str:
    if value is None and not required:
        return ""
    if not isinstance(value, str) or not value.strip():
        problems.add(where, "expected non-empty text")
        return ""
    return value.strip()


def _examples(value: Any, where: str, problems: _Problems) -> tuple[tuple[str, ...], ...]:
    if value is None:
        return (), ()
    if not isinstance(value, dict) or set(value) - {"flag", "pass"}:
        problems.add(where, "expected a mapping with `flag` and/or `pass` lists")
        return (), ()
    result = []
    for key in ("flag", "pass"):
        items = value.get(key) or []
        if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
            problems.add(f"{where}.{key}", "expected a list of sentences")
            items = []
        result.append(tuple(items))
    return tuple(result)


def _rule(
    raw: Any,
    index: int,
    locale: str,
    problems: _Problems,
    compile_now: bool = True,
    lexicons: dict[str, str] | None = None,
) -> Rule | None:
    if not isinstance(raw, dict):
        problems.add(f"rules.{index}", "expected a mapping with id, category, severity, …")
        return None
    rule_id = raw.get("id")
    if not isinstance(rule_id, str) or not rule_id.strip():
        problems.add(f"rules.{index}.id", "expected a rule id such as en.blame-your-fault")
        return None
    rule_id = rule_id.strip()
    before = len(problems.items)
    if not rule_id.startswith(f"{locale}."):
        problems.add(f"{rule_id}.id", f"must start with the locale, e.g. {locale}.{rule_id}")
    for key in sorted(set(raw) - RULE_KEYS):
        problems.add(f"{rule_id}.{key}", f"unknown field; expected {', '.join(sorted(RULE_KEYS))}")
    category = raw.get("category")
    if category not in CATEGORIES:
        problems.add(f"{rule_id}.category", f"expected one of {', '.join(CATEGORIES)}")
    severity = raw.get("severity", "error")
    if severity not in SEVERITIES:
        problems.add(f"{rule_id}.severity", f"expected one of {', '.join(SEVERITIES)}")
    message = _text(raw.get("message"), f"{rule_id}.message", problems)
    suggestion = _text(raw.get("suggestion"), f"{rule_id}.suggestion", problems, required=False)
    patterns = _check_patterns(
        raw.get("patterns"), f"{rule_id}.patterns", problems, True, compile_now, lexicons
    )
    unless = _check_patterns(
        raw.get("unless"), f"{rule_id}.unless", problems, False, compile_now, lexicons
    )
    flag, passing = _examples(raw.get("examples"), f"{rule_id}.examples", problems)
    if len(problems.items) > before:
        return None
    return Rule(
        id=rule_id,
        category=str(category),
        severity=str(severity),
        message=message,
        suggestion=suggestion,
        patterns=patterns,
        unless=unless,
        flag_examples=flag,
        pass_examples=passing,
        source=problems.source,
    )


def parse_rule_file(
    data: Any, source: str, expected_locale: str | None = None, compile_now: bool = True
) -> RuleFile:
    """Validate a rule file's data; `compile_now` also compiles every pattern on its own
    (for user files, so an error names its pattern)."""
    problems = _Problems(source)
    if not isinstance(data, dict):
        raise InputError.single(source, "", "expected a mapping with `locale` and `rules`")
    for key in sorted(set(data) - FILE_KEYS):
        problems.add(key, f"unknown field; expected {', '.join(sorted(FILE_KEYS))}")
    locale = data.get("locale")
    if not isinstance(locale, str) or not locale.strip():
        raise InputError.single(source, "locale", "expected a locale code such as en")
    locale = locale.strip()
    if expected_locale is not None and locale != expected_locale:
        problems.add("locale", f"expected {expected_locale!r} (the folder's locale)")
    token_map_raw = data.get("token_map") or {}
    if not isinstance(token_map_raw, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in token_map_raw.items()
    ):
        problems.add("token_map", "expected a mapping of token → replacement text")
        token_map_raw = {}
    lexicons = _lexicons(data.get("lexicons"), problems)
    raw_rules = data.get("rules")
    if not isinstance(raw_rules, list):
        problems.add("rules", "expected a list of rules")
        raw_rules = []
    rules: list[Rule] = []
    seen: set[str] = set()
    for index, raw in enumerate(raw_rules, 1):
        rule = _rule(raw, index, locale, problems, compile_now, lexicons)
        if rule is None:
            continue
        if rule.id in seen:
            problems.add(f"{rule.id}.id", "duplicate rule id")
            continue
        seen.add(rule.id)
        rules.append(rule)
    if problems.items:
        raise InputError(problems.items)
    return RuleFile(source, locale, normalise_token_map(token_map_raw), tuple(rules))


def load_rule_file(
    path: Path, expected_locale: str | None = None, compile_now: bool = True
) -> RuleFile:
    return parse_rule_file(read_yaml(path), str(path), expected_locale, compile_now)


def locales_root() -> Path:
    from partways.resources import data_dir

    return data_dir("locales")


def lint_locales() -> tuple[str, ...]:
    """Locales the linter knows: a folder with tone.yaml (rules) or lint.yaml (detection)."""
    root = locales_root()
    found = {p.parent.name for name in ("tone.yaml", "lint.yaml") for p in root.glob(f"*/{name}")}
    return tuple(sorted(found))


def has_rules(lang: str) -> bool:
    return (locales_root() / lang / "tone.yaml").is_file()


@cache
def builtin_rules(lang: str) -> RuleFile:
    if not has_rules(lang):
        return RuleFile(str(locales_root() / lang / "tone.yaml"), lang, {}, ())
    path = locales_root() / lang / "tone.yaml"
    return parse_rule_file(read_shipped(path), str(path), lang, compile_now=False)


@cache
def lint_data(lang: str) -> dict[str, Any]:
    """locales/<lang>/lint.yaml: `detect` (script, common words) and `structure` cues."""
    path = locales_root() / lang / "lint.yaml"
    if not path.is_file():
        return {}
    data = read_shipped(path)
    if not isinstance(data, dict):
        raise InputError.single(str(path), "", "expected a mapping with `detect` and `structure`")
    return data
