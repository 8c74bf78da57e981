"""Matching: all of a locale's patterns in one RE2 set, one pass per sentence.

Long text goes through a prefilter first: chunks of paragraphs are normalised together
and one regex of all the patterns (without anchors) says which paragraphs can have a
finding (about 4% of draft-like text); the same regex, run once over those paragraphs'
sentences, picks the sentences for the rule set. Only sentences with a hit are
normalised again with an offset map, so that findings point at the original text. A
rule reports at most once per sentence (its leftmost match); an `unless` match anywhere
in the sentence cancels it.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator, Mapping
from functools import cached_property
from typing import Any, NamedTuple

from partways.lint.alphabet import UNKNOWN, alphabet_for
from partways.lint.normalise import (
    SENTINEL,
    normalise,
    normalise_joined,
    normalise_map,
    original_span,
)
from partways.lint.rules import Rule, RuleFile, engine_pattern, loose_pattern, re2_options
from partways.lint.sentences import splitter_for

# Paragraphs per prefilter pass (draft-like text has ~5,000 short paragraphs per MB).
CHUNK_PARAGRAPHS = 64
CHUNK_CHARS = 64 * 1024
# Text per step (see _lint_batch): each step alternates once between the prefilter's
# automaton and the rule set's, whose working sets do not both fit in the CPU's caches;
# 1 MB steps ran ~15% faster than 100 KB ones. Memory stays bounded by this.
BATCH_CHARS = 1 << 20
# Text a process lints before it builds the paragraph prefilter: compiling the prefilter
# costs more than matching this much text sentence by sentence, so a one-line file or a
# draft's few sections never pay for it.
DIRECT_CHARS = 32 * 1024
# RE2's budget for the prefilter regex: with less, the larger locales' automata thrash
# (the DFA cache is refilled again and again) and matching gets ~30x slower. Memory
# actually used stays well below (about 50 MB for the largest shipped locale).
SCANNER_MEMORY = 256 << 20


class Finding(NamedTuple):
    line: int
    column: int
    end_line: int
    end_column: int  # exclusive: the column just after the last character (as in SARIF)
    rule: str
    severity: str
    message: str
    suggestion: str
    category: str
    path: str = ""

    def as_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "rule": self.rule,
            "severity": self.severity,
            "message": self.message,
            "suggestion": self.suggestion,
        }


class Piece(NamedTuple):
    """Text from `offset` on starts at (line, column) of the source.

    `width` > 0 marks one character that stands for `width` source characters (an HTML
    entity such as &amp;); otherwise the characters follow the source one to one.
    (A named tuple: one is made per paragraph, and a frozen dataclass is slow to make.)
    """

    offset: int
    line: int
    column: int
    width: int = 0


class Paragraph:
    """Text and where it is in the source: `pieces`, or for text copied one to one from
    the source (plain text, markdown), just the `line` it starts on (column 1). Pieces
    are then made only if a finding needs a position: making a named tuple per
    paragraph cost more than the rest of reading the file."""

    __slots__ = ("_pieces", "line", "text")

    def __init__(self, text: str, pieces: list[Piece] | None = None, line: int = 1) -> None:
        self.text = text
        self.line = line
        self._pieces = pieces

    @property
    def pieces(self) -> list[Piece]:
        if self._pieces is None:
            self._pieces = [Piece(0, self.line, 1)]
        return self._pieces

    @pieces.setter
    def pieces(self, pieces: list[Piece]) -> None:
        self._pieces = pieces

    def _piece(self, offset: int) -> Piece:
        index = bisect.bisect_right([p.offset for p in self.pieces], offset) - 1
        return self.pieces[max(index, 0)]

    def position(self, offset: int) -> tuple[int, int]:
        """(line, column) of the character at `offset`."""
        piece = self._piece(offset)
        if piece.width:
            return piece.line, piece.column
        chunk = self.text[piece.offset : offset]
        newlines = chunk.count("\n")
        if newlines:
            return piece.line + newlines, offset - (piece.offset + chunk.rindex("\n"))
        return piece.line, piece.column + len(chunk)

    def end_position(self, end: int) -> tuple[int, int]:
        """(line, column just after) the character before `end`."""
        piece = self._piece(end - 1)
        line, column = self.position(end - 1)
        return line, column + (piece.width or 1)


class CompiledLocale:
    """One locale's rules (built-in + user files), enabled and re-severitied."""

    def __init__(
        self,
        lang: str,
        files: Iterable[RuleFile],
        disabled: frozenset[str] = frozenset(),
        severities: Mapping[str, str] | None = None,
        direct_chars: int = DIRECT_CHARS,
        one_byte: bool = True,
    ) -> None:
        self.lang = lang
        self.token_map: dict[str, str] = {}
        self.rules: list[Rule] = []
        self._files = list(files)
        # Where each enabled rule's patterns start among its file's patterns (see _gated).
        self._rule_origin: list[tuple[int, int]] = []
        for file_index, rule_file in enumerate(self._files):
            self.token_map.update(rule_file.token_map)
            first = 0
            for rule in rule_file.rules:
                first += len(rule.patterns)
                if _is_disabled(rule.id, disabled):
                    continue
                self._rule_origin.append((file_index, first - len(rule.patterns)))
                severity = (severities or {}).get(rule.id, rule.severity)
                if severity != rule.severity:
                    rule = rule._replace(severity=severity)
                self.rules.append(rule)
        self._rule_order = {rule.id: index for index, rule in enumerate(self.rules)}
        self._sets: list[tuple[Any, int]] = []  # (RE2 set, index of its first pattern)
        self._pattern_rule: list[int] = []
        self._unless: list[str | None] = []
        patterns: list[str] = []
        for index, rule in enumerate(self.rules):
            for pattern in rule.patterns:
                patterns.append(pattern)  # each compiled on its own when needed (_span_regex)
                self._pattern_rule.append(index)
            self._unless.append("|".join(f"(?:{u})" for u in rule.unless) if rule.unless else None)
        self._patterns = patterns
        self._alphabet = (
            alphabet_for(
                (engine_pattern(p) for p in (*patterns, *(u for u in self._unless if u))),
                (*self.token_map, *self.token_map.values()),
            )
            if one_byte
            else None
        )
        # Both built on first use: a short input often needs neither.
        self._sets_built = False
        self._scanner_list: list[Any] | None = None
        self._span_regexes: dict[str, Any] = {}
        self._direct_chars = direct_chars  # left to lint without the prefilter
        self._gate: tuple[list[tuple[str, ...]], list[tuple[int, ...] | None]] | None = None
        self._gate_tried = False
        self.splitter = splitter_for(lang)

    def _build_sets(self, patterns: list[str], first: int, into: list[tuple[Any, int]]) -> None:
        """One RE2 set for all patterns; halves if a set outgrows RE2's memory budget."""
        import re2

        if not patterns:
            return
        regex_set = re2.Set.SearchSet(self._options())
        for pattern in patterns:
            regex_set.Add(self._engine(pattern))
        try:
            regex_set.Compile()
        except re2.error:
            if len(patterns) == 1:
                raise
            half = len(patterns) // 2
            self._build_sets(patterns[:half], first, into)
            self._build_sets(patterns[half:], first + half, into)
            return
        into.append((regex_set, first))

    def _gated(self) -> tuple[list[tuple[str, ...]], list[tuple[int, ...] | None]] | None:
        """(distinct conditions, each pattern's condition indexes or None), or None if the
        atoms are not to hand (see partways.lint.atoms)."""
        if not self._gate_tried:
            self._gate_tried = True
            from zlib import crc32

            from partways.lint.atoms import atoms_for

            per_file = []
            for rule_file in self._files:
                every = [engine_pattern(p) for rule in rule_file.rules for p in rule.patterns]
                name = f"{self.lang}-{crc32(rule_file.path.encode()):08x}"
                atoms = atoms_for(every, name)
                if atoms is None:
                    return None
                per_file.append(atoms)
            # Patterns share conditions (a lexicon, " you are "): each is tested once.
            numbered: dict[tuple[str, ...], int] = {}
            patterns: list[tuple[int, ...] | None] = []
            for rule, (file_index, first) in zip(self.rules, self._rule_origin, strict=True):
                for offset in range(len(rule.patterns)):
                    required = per_file[file_index][first + offset]
                    patterns.append(
                        None
                        if required is None
                        else tuple(numbered.setdefault(c, len(numbered)) for c in required)
                    )
            self._gate = list(numbered), patterns
        return self._gate

    def _possible(self, normalised: str) -> list[int] | None:
        """Indexes of the patterns whose conditions `normalised` meets (None: unknown)."""
        gate = self._gated()
        if gate is None:
            return None
        conditions, patterns = gate
        met: dict[int, bool] = {}
        found = []
        for index, required in enumerate(patterns):
            for condition in required or ():
                ok = met.get(condition)
                if ok is None:
                    ok = met[condition] = any(a in normalised for a in conditions[condition])
                if not ok:
                    break
            else:
                found.append(index)
        return found

    def match(self, normalised: str) -> list[tuple[Rule, int, int]]:
        """(rule, start, end) in `normalised` for every rule that fires.

        Until the prefilter is built (a short input, see DIRECT_CHARS), only the patterns
        whose atoms occur are tried, each on its own: compiling the whole set would cost
        more. After that, one pass of the set says which patterns match."""
        data = self._bytes(normalised)
        hits: list[int] | None = None
        if not self._sets_built and self._scanner_list is None:
            hits = self._possible(normalised)
        if hits is None:
            if not self._sets_built:
                self._build_sets(self._patterns, 0, self._sets)
                self._sets_built = True
            hits = []
            for regex_set, first in self._sets:
                found_set = regex_set.Match(data)
                if found_set:
                    hits.extend(first + i for i in found_set)
        if not hits:
            return []
        # Spans in bytes (in the same order as characters), converted at the end.
        best: dict[int, tuple[int, int]] = {}
        for pattern_index in hits:
            rule_index = self._pattern_rule[pattern_index]
            found = self._span_regex(self._patterns[pattern_index]).search(data)
            if found is None:
                continue
            span = found.span()
            if rule_index not in best or span < best[rule_index]:
                best[rule_index] = span
        result = []
        for rule_index in sorted(best, key=lambda i: best[i]):
            unless = self._unless[rule_index]
            if unless is not None and self._span_regex(unless).search(data) is not None:
                continue
            start, end = best[rule_index]
            if self._alphabet is None and not data.isascii():
                start, end = len(data[:start].decode()), len(data[:end].decode())
            result.append((self.rules[rule_index], start, end))
        return result

    def _strongest(self, hits: list[tuple[Rule, int, int]]) -> list[tuple[Rule, int, int]]:
        """Of hits whose spans overlap, the most severe, then the rule listed first."""
        order = self._rule_order
        ranked = sorted(hits, key=lambda h: (_SEVERITY_RANK.get(h[0].severity, 3), order[h[0].id]))
        kept: list[tuple[Rule, int, int]] = []
        for hit in ranked:
            if all(hit[2] <= start or end <= hit[1] for _, start, end in kept):
                kept.append(hit)
        return sorted(kept, key=lambda h: (h[1], h[2]))

    def _span_regex(self, pattern: str) -> Any:
        """`pattern` compiled for finding its leftmost match: without capturing groups
        (so RE2 needs no submatch pass) and with the sets' memory budget."""
        regex = self._span_regexes.get(pattern)
        if regex is None:
            import re2

            options = self._options()
            options.never_capture = True
            regex = self._span_regexes[pattern] = re2.compile(self._engine(pattern), options)
        return regex

    def _options(self) -> Any:
        options = re2_options()
        if self._alphabet is not None:
            import re2

            options.encoding = re2.Options.Encoding.LATIN1
        return options

    def _engine(self, pattern: str) -> bytes:
        """A rule pattern as given to RE2 (in the one-byte alphabet if there is one)."""
        if self._alphabet is None:
            return engine_pattern(pattern).encode()
        return self._alphabet.pattern(engine_pattern(pattern))

    def _bytes(self, normalised: str) -> bytes:
        """Normalised text as the automata read it (see partways.lint.alphabet)."""
        if self._alphabet is None:
            return normalised.encode()
        return self._alphabet.text(normalised)

    def _scanners(self) -> list[Any]:
        """The paragraph prefilter: the patterns without anchors, as alternations.

        Every sentence's normalised text is (nearly always) a stretch of its paragraph's,
        so a paragraph with no unanchored hit is taken to have no finding. One regex
        rather than an RE2 set, because a search says where the leftmost hit starts:
        one pass over a chunk of many paragraphs finds the paragraphs to look at.
        """
        if self._scanner_list is None:
            self._scanner_list = []
            self._build_scanners([loose_pattern(p) for p in self._patterns])
        return self._scanner_list

    def _build_scanners(self, patterns: list[str]) -> None:
        import re2

        if not patterns:
            return
        options = self._options()
        options.max_mem = SCANNER_MEMORY
        options.longest_match = True  # the same leftmost start; an easier automaton
        try:
            scanner = re2.compile(b"|".join(b"(?:%s)" % self._engine(p) for p in patterns), options)
        except re2.error:
            if len(patterns) == 1:
                raise
            half = len(patterns) // 2
            self._build_scanners(patterns[:half])
            self._build_scanners(patterns[half:])
            return
        assert self._scanner_list is not None
        self._scanner_list.append(scanner)

    def may_match(self, normalised: str) -> bool:
        data = self._bytes(normalised)
        return any(scanner.search(data) for scanner in self._scanners())

    def _direct(self, size: int) -> bool:
        """Whether `size` characters are better matched without the prefilter (see
        DIRECT_CHARS); if so, they count against the allowance."""
        if self._scanner_list is not None or size > self._direct_chars:
            return False
        self._direct_chars -= size
        return True

    def lint_paragraph(
        self, paragraph: Paragraph, path: str = "", overlapping: bool = False
    ) -> Iterator[Finding]:
        if self._direct(len(paragraph.text)) or self.may_match(
            normalise(paragraph.text, self.token_map)
        ):
            yield from self._lint_sentences([paragraph], path, overlapping)

    def lint_paragraphs(
        self, paragraphs: Iterable[Paragraph], path: str = "", overlapping: bool = False
    ) -> Iterator[Finding]:
        """lint_paragraph for each, in order; the prefilter runs on chunks of paragraphs.

        Where several rules match overlapping words of a sentence, only the strongest is
        reported (most severe, then first in the rule file): one phrase, one message.
        `overlapping=True` reports every rule (the rule-example tests use it)."""
        batch: list[list[Paragraph]] = []
        chunk: list[Paragraph] = []
        size = batch_size = 0
        for paragraph in paragraphs:
            chunk.append(paragraph)
            size += len(paragraph.text)
            if len(chunk) >= CHUNK_PARAGRAPHS or size >= CHUNK_CHARS:
                batch.append(chunk)
                batch_size += size
                chunk, size = [], 0
                if batch_size >= BATCH_CHARS:
                    yield from self._lint_batch(batch, path, overlapping)
                    batch, batch_size = [], 0
        if chunk:
            batch.append(chunk)
        yield from self._lint_batch(batch, path, overlapping)

    def _lint_batch(
        self, batch: list[list[Paragraph]], path: str, overlapping: bool
    ) -> Iterator[Finding]:
        """Findings of a few chunks. Each step runs over all of them before the next: the
        prefilter and the full set are large automata, and alternating between them (or
        with normalising) paragraph by paragraph is much slower."""
        if self._direct(sum(len(p.text) for chunk in batch for p in chunk)):
            yield from self._lint_sentences(
                [p for chunk in batch for p in chunk], path, overlapping
            )
            return
        texts = [[p.text for p in chunk] for chunk in batch]
        joined = [self._joined_bytes(t) if len(t) > 1 else None for t in texts]
        candidates: list[Paragraph] = []
        for chunk, chunk_joined in zip(batch, joined, strict=True):
            if chunk_joined is None:  # one paragraph, or one with the sentinel in it
                candidates += chunk
            else:
                # A hit may span two paragraphs or depend on the text around it: the
                # sentence stage scans each candidate's sentences on their own again.
                candidates += [chunk[i] for i in self._flagged(chunk_joined)]
        yield from self._lint_sentences(candidates, path, overlapping)

    def _joined_bytes(self, texts: list[str]) -> bytes | None:
        """self._bytes(normalise_joined(texts, token_map)), or None. The token map is
        applied to the bytes: one search for its keys, instead of a lookup per word
        (which hashes every word of the text: a third of normalising English)."""
        splice = self._splice
        if splice is None:
            joined = normalise_joined(texts, self.token_map)
            return None if joined is None else self._bytes(joined)
        joined = normalise_joined(texts, self.token_map, map_tokens=False)
        return None if joined is None else splice(self._bytes(joined))

    @cached_property
    def _splice(self) -> _TokenSplicer | None:
        """The token map as applied to bytes, or None if it cannot be (see build)."""
        return _TokenSplicer.build(self)

    def _flagged(self, data: bytes) -> list[int]:
        """Indexes of a superset of the texts whose normalised form has a prefilter hit,
        in order, given `data`: self._bytes(normalise_joined(texts))."""
        sentinel = SENTINEL.encode()
        found: set[int] = set()
        for scanner in self._scanners():
            pos = counted = index = 0  # index: sentinels in data[:counted]
            while (hit := scanner.search(data, pos)) is not None:
                start = hit.start()
                index += data.count(sentinel, counted, start)
                found.add(index)
                # The next text starts after the sentinel at or after the hit's start
                # (or the one the hit starts inside of).
                pos = data.find(sentinel, max(start - len(sentinel) + 1, counted))
                if pos < 0:
                    break
                pos += len(sentinel)
                index, counted = index + 1, pos
        return sorted(found)

    def _lint_sentences(
        self, paragraphs: list[Paragraph], path: str, overlapping: bool = False
    ) -> Iterator[Finding]:
        """Findings of every sentence of `paragraphs`, in order."""
        if not paragraphs:
            return
        split = self.splitter.split
        items = [(p, a, b) for p in paragraphs for a, b in split(p.text)]
        sentences = [p.text[a:b] for p, a, b in items]
        joined = normalise_joined(sentences, self.token_map) if len(items) > 1 else None
        if joined is None:
            normalised_sentences = [normalise(s, self.token_map) for s in sentences]
            chosen: Iterable[int] = range(len(items))
        else:
            normalised_sentences = joined.split(SENTINEL)
            # Once the prefilter is built, one pass of it over all the sentences picks
            # those the rule set can match (most sentences of a candidate paragraph).
            chosen = (
                range(len(items))
                if self._scanner_list is None
                else self._flagged(self._bytes(joined))
            )
        for index in chosen:
            paragraph, s_start, _ = items[index]
            sentence, normalised_sentence = sentences[index], normalised_sentences[index]
            hits = self.match(normalised_sentence)
            if not hits:
                continue
            if not overlapping and len(hits) > 1:
                hits = self._strongest(hits)
            normalised, spans = normalise_map(sentence, self.token_map)
            for rule, start, end in hits:
                a, b = original_span(spans, normalised, start, end)
                a, b = a + s_start, max(b + s_start, a + s_start + 1)
                line, column = paragraph.position(a)
                end_line, end_column = paragraph.end_position(b)
                yield Finding(
                    line,
                    column,
                    end_line,
                    end_column,
                    rule.id,
                    rule.severity,
                    rule.message,
                    rule.suggestion,
                    rule.category,
                    path,
                )


_SEVERITY_RANK = {"error": 0, "warning": 1, "info": 2}


class _TokenSplicer:
    """A locale's token map applied to normalised text as the automata read it."""

    def __init__(self, regex: Any, replacements: dict[bytes, bytes]) -> None:
        self._search = regex.search
        self._replacements = replacements

    @classmethod
    def build(cls, locale: CompiledLocale) -> _TokenSplicer | None:
        """None if the map is empty or cannot be applied to bytes: a replacement with
        the sentinel in it (texts would be miscounted), or a key that shares its bytes
        with other words (a letter outside the one-byte alphabet)."""
        import re

        import re2

        pairs = {k: v for k, v in locale.token_map.items() if k != v}
        if not pairs or any(SENTINEL in v for v in pairs.values()):
            return None
        replacements = {locale._bytes(f" {k}"): locale._bytes(f" {v}") for k, v in pairs.items()}
        unknown = UNKNOWN[0]
        if len(replacements) != len(pairs) or any(unknown in k for k in replacements):
            return None
        options = locale._options()
        options.never_capture = True
        alternation = b"|".join(re.escape(k[1:]) for k in replacements)
        # Whole words: the space after the key is part of the match.
        return cls(re2.compile(b" (?:" + alternation + b") ", options), replacements)

    def __call__(self, data: bytes) -> bytes:
        """`data` (single spaces between words and at both ends) with each word that is
        a key replaced: each word once, as `normalise` maps them."""
        pieces = []
        copied = 0
        search, replacements = self._search, self._replacements
        while (found := search(data, copied)) is not None:
            start, end = found.span()
            end -= 1  # the space after the word starts the next match
            pieces.append(data[copied:start])
            pieces.append(replacements[data[start:end]])
            copied = end
        if not copied:
            return data
        pieces.append(data[copied:])
        return b"".join(pieces)


def _is_disabled(rule_id: str, disabled: frozenset[str]) -> bool:
    if rule_id in disabled:
        return True
    if any("*" in d or "?" in d for d in disabled):
        from fnmatch import fnmatchcase

        return any(fnmatchcase(rule_id, d) for d in disabled)
    return False


def paragraph_of(text: str) -> Paragraph:
    return Paragraph(text)
