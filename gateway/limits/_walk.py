"""Walking a parsed document the way execution would: fragments spread in, cycles cut."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
)


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


def fields(selection_set: SelectionSetNode | None,
           fragments: Mapping[str, FragmentDefinitionNode],
           seen: frozenset[str] = frozenset()) -> Iterator[tuple[FieldNode, str | None]]:
    """Every field selected directly in ``selection_set``, with the type condition of the
    fragment it came through (None when selected on the parent itself)."""
    yield from _fields(selection_set, fragments, seen, None)


def _fields(selection_set: SelectionSetNode | None,
            fragments: Mapping[str, FragmentDefinitionNode], seen: frozenset[str],
            condition: str | None) -> Iterator[tuple[FieldNode, str | None]]:
    if selection_set is None:
        return
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            yield selection, condition
        elif isinstance(selection, InlineFragmentNode):
            inner = selection.type_condition.name.value if selection.type_condition else condition
            yield from _fields(selection.selection_set, fragments, seen, inner)
        elif isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            fragment = fragments.get(name)
            # a cycle or an unknown fragment is the validator's to report; here it just ends
            if fragment is None or name in seen:
                continue
            yield from _fields(fragment.selection_set, fragments, seen | {name},
                               fragment.type_condition.name.value)
