"""Linting files, folders and stdin with the user's settings."""

from __future__ import annotations

import io
import itertools
import os
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from partways.errors import InputError, Problem
from partways.lint.engine import CompiledLocale, Finding, Paragraph
from partways.lint.rules import RuleFile, builtin_rules, lint_locales, load_rule_file
from partways.lint.settings import LintSettings
from partways.lint.sources import (
    KNOWN_SUFFIXES,
    Document,
    documents_from_stream,
    eml_documents,
    kind_of,
)

SAMPLE_CHARS = 4000  # text looked at to detect a file's language


class Linter:
    def __init__(
        self, settings: LintSettings | None = None, extra_rule_files: tuple[Path, ...] = ()
    ) -> None:
        self.settings = settings or LintSettings()
        self.extra_rule_files = extra_rule_files
        self._user_files: list[RuleFile] | None = None
        self._compiled: dict[str, CompiledLocale] = {}

    def user_files(self) -> list[RuleFile]:
        if self._user_files is None:
            files = [*self.settings.rule_files, *self.extra_rule_files]
            self._user_files = [load_rule_file(p) for p in files]
        return self._user_files

    def locales(self) -> tuple[str, ...]:
        return tuple(sorted(set(lint_locales()) | {f.locale for f in self.user_files()}))

    def compiled(self, lang: str) -> CompiledLocale:
        if lang not in self._compiled:
            files = [builtin_rules(lang)]
            files += [f for f in self.user_files() if f.locale == lang]
            self._check_ids(lang, files)
            self._compiled[lang] = CompiledLocale(
                lang, files, self.settings.disable, self.settings.severity
            )
        return self._compiled[lang]

    def _check_ids(self, lang: str, files: list[RuleFile]) -> None:
        known = {rule.id for f in files for rule in f.rules}
        seen: dict[str, str] = {}
        problems = []
        for rule_file in files:
            for rule in rule_file.rules:
                if rule.id in seen:
                    problems.append(
                        Problem(
                            rule_file.path, f"{rule.id}.id", f"already defined in {seen[rule.id]}"
                        )
                    )
                seen.setdefault(rule.id, rule_file.path)
        settings = self.settings
        for key, ids in (("disable", settings.disable), ("severity", settings.severity.keys())):
            for rule_id in ids:
                glob = "*" in rule_id or "?" in rule_id
                if rule_id.startswith(f"{lang}.") and not glob and rule_id not in known:
                    problems.append(
                        Problem(settings.source, f"{settings.prefix}.{key}", f"no rule {rule_id!r}")
                    )
        if problems:
            raise InputError(problems)

    def resolve_locale(self, requested: str, sample: str) -> str:
        if requested != "auto":
            return requested
        from partways.lint.detect import detect_locale

        return detect_locale(sample, self.locales())

    def lint_document(
        self, document: Document, locale: str = "auto", structure: bool = False
    ) -> list[Finding]:
        paragraphs = document.paragraphs
        head: list[Paragraph] = []
        size = 0
        if locale == "auto":
            for paragraph in paragraphs:
                head.append(paragraph)
                size += len(paragraph.text)
                if size >= SAMPLE_CHARS:
                    break
        lang = self.resolve_locale(locale, "\n".join(p.text for p in head))
        compiled = self.compiled(lang)
        check = None
        if structure and not document.path.endswith("#subject"):
            from partways.lint.structure import StructureCheck

            check = StructureCheck(lang, compiled.token_map)

        def fed(items: Iterator[Paragraph]) -> Iterator[Paragraph]:
            for paragraph in items:
                if check is not None:
                    check.feed(paragraph)
                yield paragraph

        # Paragraphs are linted in chunks, so suppressions are applied once the whole
        # document (and every marker in it) has been read.
        all_paragraphs: Iterator[Paragraph] = itertools.chain(head, paragraphs)
        if check is not None:
            all_paragraphs = fed(all_paragraphs)
        found = list(compiled.lint_paragraphs(all_paragraphs, document.path))
        suppressions = document.suppressions
        findings = [f for f in found if not suppressions.suppressed(f.line, f.rule)]
        if check is not None:
            for finding in check.findings(document.path):
                if _is_disabled_structure(finding.rule, self.settings):
                    continue
                if not suppressions.suppressed(finding.line, finding.rule):
                    findings.append(_with_severity(finding, self.settings))
        return findings


def _is_disabled_structure(rule: str, settings: LintSettings) -> bool:
    from fnmatch import fnmatchcase

    return any(fnmatchcase(rule, d) for d in settings.disable)


def _with_severity(finding: Finding, settings: LintSettings) -> Finding:
    severity = settings.severity.get(finding.rule)
    if severity is None:
        return finding
    return finding._replace(severity=severity)


def expand_paths(paths: list[str]) -> list[str]:
    """Files to lint, in order: named files as given, folders walked (known suffixes)."""
    missing = [p for p in paths if p != "-" and not os.path.exists(p)]
    if missing:
        raise InputError([Problem(p, "", "no such file or folder") for p in missing])
    result: list[str] = []
    for path in paths:
        if path == "-" or not os.path.isdir(path):
            result.append(path)
            continue
        for folder, dirs, files in os.walk(path):
            dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d != "node_modules")
            for name in sorted(files):
                if name.lower().endswith(KNOWN_SUFFIXES) and not name.startswith("."):
                    result.append(os.path.join(folder, name))
    return result


def documents(path: str, stdin: IO[bytes] | None = None) -> Iterator[Document]:
    """Open `path` ("-" is stdin) and yield its documents; the caller iterates promptly."""
    if path == "-":
        import sys

        raw = stdin if stdin is not None else sys.stdin.buffer
        stream = io.TextIOWrapper(raw, encoding="utf-8-sig", errors="strict")
        yield from documents_from_stream("<stdin>", stream, "txt")
        return
    kind = kind_of(path)
    if kind == "eml":
        with open(path, "rb") as data:
            yield from eml_documents(path, data)
        return
    with open(path, encoding="utf-8-sig", errors="strict") as stream:
        yield from documents_from_stream(path, stream, kind)


def lint_path(
    linter: Linter, path: str, locale: str, structure: bool, stdin: IO[bytes] | None = None
) -> list[Finding]:
    """All findings of one file; unreadable input raises InputError naming the file."""
    shown = "<stdin>" if path == "-" else path
    findings: list[Finding] = []
    try:
        for document in documents(path, stdin):
            findings.extend(linter.lint_document(document, locale, structure))
    except UnicodeDecodeError as exc:
        raise InputError.single(shown, "", f"not UTF-8 text (byte {exc.start})") from None
    except IsADirectoryError:
        raise InputError.single(shown, "", "is a folder") from None
    except OSError as exc:
        raise InputError.single(shown, "", f"cannot read: {exc.strerror}") from None
    return findings
