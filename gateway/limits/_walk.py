"""Walking a parsed document the way execution would: fragments spread in, each walked once.

A fragment can spread another twice, that one the next twice, and so on: 20 fragments (about
200 tokens) expand to 2 ** 19 spreads of the last. ``Fold`` therefore computes each fragment's
value once per context and reuses it wherever the fragment is spread (so a count still counts
a fragment where it is spread, without walking it again), and counts the selections it visits
against a budget (``CREDIT_GATEWAY_MAX_VISITS``): over it, ``TooComplex``, which the limits
report as ``QUERY_TOO_COMPLEX``. A cycle of fragments or an unknown fragment is the
validator's to report; here it counts as empty.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Hashable, Iterable, Mapping
from typing import Generic, TypeVar

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
)

T = TypeVar("T")
C = TypeVar("C")


def fragments_of(document: DocumentNode) -> dict[str, FragmentDefinitionNode]:
    return {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}


def operations_of(document: DocumentNode) -> list[OperationDefinitionNode]:
    return [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]


def chosen_operation(document: DocumentNode, name: str | None) -> OperationDefinitionNode | None:
    """The operation a request runs: the one named, or the only one."""
    operations = operations_of(document)
    if name is None:
        return operations[0] if len(operations) == 1 else None
    return next((o for o in operations if o.name is not None and o.name.value == name), None)


class TooComplex(Exception):
    """A walk visited more selections than its budget."""

    def __init__(self, maximum: int) -> None:
        super().__init__(maximum)
        self.maximum = maximum

    def error(self) -> GraphQLError:
        return GraphQLError(
            f"Checking the operation took more than {self.maximum} steps; send a document "
            "with fewer fragment spreads.",
            extensions={"code": "QUERY_TOO_COMPLEX", "maximum": self.maximum})


class Fold(ABC, Generic[T, C]):
    """A value of a selection set folded from its fields' values (``field``, ``combine``).

    ``context`` is what a field's value depends on besides its node (the parent type, say);
    a fragment's value is remembered per fragment and ``key(context)``. ``budget`` (0 = none)
    bounds the selections visited by this fold, fragments counted once each per key."""

    def __init__(self, fragments: Mapping[str, FragmentDefinitionNode], budget: int) -> None:
        self.fragments = fragments
        self.budget = budget
        self.visits = 0
        self._known: dict[tuple[str, Hashable], T] = {}
        self._open: set[tuple[str, Hashable]] = set()

    @abstractmethod
    def field(self, node: FieldNode, condition: str | None, context: C) -> T:
        """The value of one field selected under ``condition`` (a type name, or None for the
        parent itself)."""

    @abstractmethod
    def combine(self, values: Iterable[T]) -> T:
        """The value of a selection set from its selections' (none: the empty value)."""

    def key(self, context: C) -> Hashable:
        """What of ``context`` a fragment's value depends on."""
        return None

    def selections(self, selection_set: SelectionSetNode | None, context: C,
                   condition: str | None = None) -> T:
        if selection_set is None:
            return self.combine(())
        return self.combine([self._selection(s, context, condition)
                             for s in selection_set.selections])

    def _selection(self, selection: object, context: C, condition: str | None) -> T:
        self.visits += 1
        if self.budget and self.visits > self.budget:
            raise TooComplex(self.budget)
        if isinstance(selection, FieldNode):
            return self.field(selection, condition, context)
        if isinstance(selection, InlineFragmentNode):
            inner = selection.type_condition.name.value if selection.type_condition else condition
            return self.selections(selection.selection_set, context, inner)
        if isinstance(selection, FragmentSpreadNode):
            return self._fragment(selection.name.value, context)
        return self.combine(())

    def _fragment(self, name: str, context: C) -> T:
        fragment = self.fragments.get(name)
        marker = (name, self.key(context))
        if fragment is None or marker in self._open:  # unknown, or a cycle: the validator's
            return self.combine(())
        if marker not in self._known:
            self._open.add(marker)
            try:
                self._known[marker] = self.selections(fragment.selection_set, context,
                                                      fragment.type_condition.name.value)
            finally:
                self._open.discard(marker)
        return self._known[marker]
