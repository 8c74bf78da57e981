"""Composed sections remembered across the rows of a batch.

In a batch most sections of most letters are the same from row to row (the apology,
the closing, the framing of a plan being retired…), yet rendering one costs as much
as a changing one. Each section template is read once (its Jinja syntax tree) to find
exactly which inputs it reads — the context variables it names and, for `case`, the
attribute paths it follows (`case.customer.since`, `case.goodwill`…). A section's
text is then remembered under the values of those inputs (and its locale's
template), so a row whose inputs match an earlier row's reuses the earlier text, and
any other row renders it afresh.

A template is never cached when its inputs cannot be known from its syntax: it uses
`case` whole or by subscript, includes or imports another template, calls a helper
not known to be a pure function of its arguments and the locale, or applies a filter
not known to be pure (`random`). A value that cannot be frozen exactly into a key
(anything but str, int, float, Decimal, dates, enums, lists, dicts and the case's
pydantic models) makes that row render afresh.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from datetime import date, time, timedelta
from decimal import Decimal
from enum import Enum
from typing import TYPE_CHECKING, Any

from jinja2 import Template, meta, nodes
from pydantic import BaseModel

if TYPE_CHECKING:
    from partways.case import Case
    from partways.letter import Letter

# Helpers whose result depends only on their arguments and the template's locale (the
# gettext family, the locale's formatter, fact marking): see compose.py.
PURE_HELPERS = frozenset(
    {"_", "gettext", "ngettext", "pgettext", "npgettext"}
    | {"fact", "text", "texts", "money", "date", "number", "items", "range", "namespace"}
)
IMPURE_FILTERS = frozenset({"random"})
MAX_ENTRIES = 4096  # sections remembered at once (a few MB at most, whatever the input)
# A template whose text has come back for fewer than 1 in 64 of its first 1,024 rows
# or more (the greeting, which names each customer) is no longer remembered: its texts
# would only push out ones that come back. Start dates or amounts that repeat now and
# then across a large batch come back more often than that.
TRIAL_ROWS = 1024
MIN_HIT_RATE = 1 / 64


class Unkeyable(Exception):
    """A value that cannot be frozen into an exact key."""


def freeze(value: Any) -> Any:
    """A hashable value equal to another's exactly when the two render the same way:
    the type is kept (1, 1.0 and True differ); Decimal is compared by its exact text
    (120 vs 120.00), float, datetime and time by repr (-0.0, time zones)."""
    kind = type(value)
    if kind is str or value is None:
        return value
    if kind is date or kind is int or kind is bool or kind is timedelta:
        return (kind, value)  # equal exactly when the same value
    if isinstance(value, BaseModel):
        # A pydantic model's __dict__ holds exactly its fields, in declaration order.
        fields = tuple([v if type(v) is str else freeze(v) for v in value.__dict__.values()])
        extra = value.__pydantic_extra__
        return (kind, fields, freeze(extra) if extra else None)
    if kind is list or kind is tuple:
        return (kind, tuple([v if type(v) is str else freeze(v) for v in value]))
    if isinstance(value, int | str):  # bool, enums over int/str: value and type
        return (kind, value)
    if kind is dict:
        return (kind, tuple((freeze(k), freeze(v)) for k, v in value.items()))
    if kind is Decimal:
        return (kind, str(value))  # str(Decimal) keeps sign, digits and exponent
    if isinstance(value, float | Decimal | date | time | timedelta | Enum):
        return (kind, repr(value))
    raise Unkeyable(kind.__name__)


def _case_paths(ast: nodes.Template) -> set[tuple[str, ...]] | None:
    """The attribute paths followed from `case` (None when `case` is used otherwise)."""
    paths: set[tuple[str, ...]] = set()

    def visit(node: nodes.Node) -> bool:
        if isinstance(node, nodes.Getattr):
            attrs = []
            inner: nodes.Node = node
            while isinstance(inner, nodes.Getattr):
                attrs.append(inner.attr)
                inner = inner.node
            if isinstance(inner, nodes.Name) and inner.name == "case":
                paths.add(tuple(reversed(attrs)))
                return True
            return visit(inner)
        if isinstance(node, nodes.Name) and node.name == "case":
            return False  # `case` whole, as an argument, or assigned to
        return all(visit(child) for child in node.iter_child_nodes())

    return paths if visit(ast) else None


def _keyable(ast: nodes.Template) -> bool:
    if any(True for _ in ast.find_all((nodes.Include, nodes.Import, nodes.FromImport))):
        return False
    if any(True for _ in ast.find_all(nodes.Extends)):
        return False
    return not any(f.name in IMPURE_FILTERS for f in ast.find_all(nodes.Filter))


class _Plan:
    """What one template reads: context names and `case` paths, in a fixed order."""

    def __init__(self, names: tuple[str, ...], paths: tuple[tuple[str, ...], ...]) -> None:
        self.names = names
        self.paths = paths


# Per template, for the life of the process (templates are loaded once: auto_reload is
# off); reading a template's syntax tree costs ~20 ms.
_PLANS: dict[Template, _Plan | None] = {}


def plan(template: Template, context_names: Iterable[str]) -> _Plan | None:
    """The inputs of `template`, or None when they cannot be known (see the module doc)."""
    if template not in _PLANS:
        _PLANS[template] = _plan(template, context_names)
    return _PLANS[template]


def _plan(template: Template, context_names: Iterable[str]) -> _Plan | None:
    env = template.environment
    name = template.name
    if name is None or env.loader is None:
        return None
    source = env.loader.get_source(env, name)[0]
    ast = env.parse(source)
    if not _keyable(ast):
        return None
    given = set(context_names)
    # Jinja counts the environment's globals as declared: every name read is checked.
    loaded = {node.name for node in ast.find_all(nodes.Name) if node.ctx == "load"}
    undeclared = meta.find_undeclared_variables(ast)
    names = []
    for free in sorted(loaded | undeclared):
        if free == "case" or free in PURE_HELPERS:
            continue
        if free in given or free in undeclared:
            names.append(free)  # a context variable (or a local that shadows one)
        elif free in env.globals and callable(env.globals[free]):
            return None  # a global helper not known to be pure
        # else a local variable, or a constant of the environment (the locale's)
    paths = _case_paths(ast)
    if paths is None:
        return None
    return _Plan(tuple(names), tuple(sorted(paths)))


def _follow(case: Any, path: tuple[str, ...]) -> Any:
    node = case
    for attr in path:
        node = getattr(node, attr)
    return node


_UNKNOWN = object()  # an input that could not be frozen for this row


class _Layout:
    """For one list of templates (a locale's letter): the inputs any of them reads, each
    frozen once per row, and for each template a getter of the ones it reads."""

    def __init__(self, templates: tuple[Template, ...], variables: dict[str, Any]) -> None:
        self.inputs: list[str | tuple[str, ...]] = []  # context names, `case` paths
        self.reads: list[tuple[int, ...] | None] = []  # None: never remembered
        position: dict[str | tuple[str, ...], int] = {}
        for template in templates:
            inputs = plan(template, variables)
            if inputs is None:
                self.reads.append(None)
                continue
            reads: list[str | tuple[str, ...]] = [*inputs.names, *inputs.paths]
            for item in reads:
                if item not in position:
                    position[item] = len(self.inputs)
                    self.inputs.append(item)
            self.reads.append(tuple(position[item] for item in reads))

    def values(self, case: Any, variables: dict[str, Any]) -> list[Any]:
        values = []
        for item in self.inputs:
            try:
                if isinstance(item, tuple):
                    values.append(freeze(_follow(case, item)))
                else:
                    value = variables.get(item)
                    if callable(value):
                        raise Unkeyable(item)  # a helper passed in the context
                    values.append(freeze(value))
            except (Unkeyable, AttributeError):  # AttributeError: rendering will say
                values.append(_UNKNOWN)
        return values


_LAYOUTS: dict[tuple[Template, ...], _Layout] = {}


class SectionCache:
    """`compose` with each section's text remembered by the exact inputs it reads."""

    def __init__(self, max_entries: int = MAX_ENTRIES) -> None:
        self.max_entries = max_entries
        self._texts: dict[tuple[Any, ...], str] = {}
        self._lock = threading.Lock()
        self._tried: dict[Template, list[int]] = {}  # [hits, misses] per template
        self._unique: set[Template] = set()  # not worth remembering (see MIN_HIT_RATE)
        self._settled: set[Template] = set()  # past their trial, remembered or not
        self.hits = 0
        self.misses = 0

    def compose(self, case: Case) -> Letter:
        from partways.compose import compose

        return compose(case, self.render)

    def render(
        self,
        case: Case,
        templates: list[Template],
        variables: dict[str, Any],
        render_all: Callable[[list[Template], dict[str, Any]], list[str]],
    ) -> list[str]:
        """The normalised text of each template, from memory where the inputs match."""
        chosen = tuple(templates)
        layout = _LAYOUTS.get(chosen)
        if layout is None:
            layout = _LAYOUTS[chosen] = _Layout(chosen, variables)
        values = layout.values(case, variables)
        unknown = _UNKNOWN in values
        remembered = self._texts
        texts: list[str | None] = []
        keys: list[tuple[Any, ...] | None] = []
        unique, settled = self._unique, self._settled
        for template, reads in zip(chosen, layout.reads, strict=True):
            if (
                reads is None
                or template in unique
                or (unknown and any(values[i] is _UNKNOWN for i in reads))
            ):
                key = None
            else:
                key = (template, *[values[i] for i in reads])
            keys.append(key)
            text = None if key is None else remembered.get(key)
            if key is not None and template not in settled:
                self._count(template, text is not None)
            texts.append(text)
        missing = [i for i, text in enumerate(texts) if text is None]
        self.hits += len(chosen) - len(missing)
        self.misses += len(missing)
        if missing:
            fresh = render_all([chosen[i] for i in missing], variables)
            for i, text in zip(missing, fresh, strict=True):
                texts[i] = text
                key = keys[i]
                if key is not None:
                    self._remember(key, text)
        return [text for text in texts if text is not None]

    def _count(self, template: Template, hit: bool) -> None:
        tried = self._tried.get(template)
        if tried is None:
            tried = self._tried[template] = [0, 0]
        tried[0 if hit else 1] += 1
        rows = tried[0] + tried[1]
        if rows >= TRIAL_ROWS:
            self._settled.add(template)  # tried enough: no more counting
            if tried[0] < rows * MIN_HIT_RATE:
                self._unique.add(template)

    def _remember(self, key: tuple[Any, ...], text: str) -> None:
        with self._lock:  # --jobs: rows are composed on several threads
            if len(self._texts) >= self.max_entries:
                del self._texts[next(iter(self._texts))]  # the oldest
            self._texts[key] = text
