"""`--structure`: are the five parts there, in the order the articles prescribe?

Appreciation → framing → goodwill → apology → alternatives (DIGEST 001). Cue patterns
per part are data: `structure:` in locales/<lang>/lint.yaml, matched like tone rules
against normalised sentences. Findings: `structure.missing-<part>` (at line 1) and
`structure.order` (at the first sentence of a part that comes too early).
"""

from __future__ import annotations

from typing import Any

from partways.errors import InputError, Problem
from partways.lint.engine import Finding, Paragraph
from partways.lint.normalise import normalise, normalise_pattern
from partways.lint.rules import compile_pattern, engine_pattern, lint_data, locales_root
from partways.lint.sentences import splitter_for

PARTS = ("appreciation", "framing", "goodwill", "apology", "alternatives")
ADVICE = {
    "appreciation": (
        "No appreciation found.",
        "Open by thanking them, e.g. 'We really appreciate you trying us.'",
    ),
    "framing": (
        "No framing around documented facts found.",
        "Recall the documented situation and take some of the blame, e.g. 'You contacted us "
        "after the last five deliveries… It seems we have not done a good enough job.'",
    ),
    "goodwill": (
        "No goodwill gesture found.",
        "Consider a refund or cancelling the last invoice, e.g. 'That is why I am issuing a "
        "refund for last month.'",
    ),
    "apology": (
        "No apology found.",
        "Say you are sorry the service is not the right fit, e.g. 'It is not a fit in this "
        "case, and I am sorry for that.'",
    ),
    "alternatives": (
        "No alternatives offered.",
        "Do not leave them hanging, e.g. 'You might want to try X, Y or Z. Good luck.'",
    ),
}


class StructureCheck:
    def __init__(self, lang: str, token_map: dict[str, str] | None = None) -> None:
        import re2

        from partways.lint.rules import re2_options

        self.lang = lang
        self._split = splitter_for(lang).split
        self.token_map = token_map or {}
        cues = lint_data(lang).get("structure") or {}
        source = str(locales_root() / lang / "lint.yaml")
        if not isinstance(cues, dict):
            raise InputError.single(source, "structure", "expected a mapping part → patterns")
        self._set: Any = re2.Set.SearchSet(re2_options())
        self._part_of: list[str] = []
        problems: list[Problem] = []
        for part, patterns in cues.items():
            if part not in PARTS:
                problems.append(Problem(source, f"structure.{part}", f"expected one of {PARTS}"))
                continue
            for index, raw in enumerate(patterns or [], 1):
                try:
                    pattern = normalise_pattern(str(raw))
                    compile_pattern(pattern)
                except ValueError as exc:
                    problems.append(Problem(source, f"structure.{part}.{index}", str(exc)))
                    continue
                self._set.Add(engine_pattern(pattern))
                self._part_of.append(part)
        if problems:
            raise InputError(problems)
        self.available = bool(self._part_of)
        if self.available:
            self._set.Compile()
        self.first: dict[str, tuple[int, int, int, int]] = {}
        self._order = 0

    def feed(self, paragraph: Paragraph) -> None:
        if not self.available:
            return
        text = paragraph.text
        for start, end in self._split(text):
            hits = self._set.Match(normalise(text[start:end], self.token_map))
            if not hits:
                continue
            self._order += 1
            stripped = len(text[start:end]) - len(text[start:end].lstrip())
            line, column = paragraph.position(start + stripped)
            for part in {self._part_of[i] for i in hits}:
                if part not in self.first:
                    self.first[part] = (self._order, line, column, PARTS.index(part))

    def findings(self, path: str) -> list[Finding]:
        if not self.available:
            return []
        found: list[Finding] = []
        for part in PARTS:
            if part not in self.first:
                message, suggestion = ADVICE[part]
                severity = "info" if part == "goodwill" else "warning"
                found.append(
                    Finding(
                        1,
                        1,
                        1,
                        1,
                        f"structure.missing-{part}",
                        severity,
                        message,
                        suggestion,
                        "structure",
                        path,
                    )
                )
        seen = sorted(self.first.items(), key=lambda item: item[1][0])
        for position, (part, (_, line, column, rank)) in enumerate(seen):
            later = [p for p, v in seen[position + 1 :] if v[3] < rank]
            if later:
                message = (
                    f"The {part} comes before the {later[0]}; the order that works is "
                    + " → ".join(PARTS)
                    + "."
                )
                found.append(
                    Finding(
                        line,
                        column,
                        line,
                        column + 1,
                        "structure.order",
                        "warning",
                        message,
                        f"Move the {part} after the {later[0]}.",
                        "structure",
                        path,
                    )
                )
        return found
