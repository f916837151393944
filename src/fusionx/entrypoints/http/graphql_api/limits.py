"""How much one GraphQL request may ask for, checked before anything is read.

- a document of at most ``MAX_TOKENS`` tokens (Strawberry's limiter, as it is parsed),
  with brackets nested at most ``MAX_NESTING`` deep before it is even parsed, and at
  most ``MAX_ALIASES`` aliases written in it (counted here: Strawberry's own alias
  limiter walks a fragment once per spread, which a few lines of fragments that each
  spread the next twice make take forever);
- fields nested at most ``MAX_DEPTH`` deep;
- a cost of at most ``MAX_COST``: every object a field returns costs 1, and a list
  costs its page size (``limit``, its default when not given) times what one of its
  items costs, so ``orders(limit: 100) { items { truck { name } } }`` costs 100 x 3.

A refused request reads nothing: its one error says which limit it broke
(``QueryRefused``, rendered by ``errors``).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from graphql import ExecutionResult as GraphQLExecutionResult
from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
    get_named_type,
)
from strawberry.extensions import SchemaExtension

from fusionx.core.messages import Message
from fusionx.core.model.paging import MAX_PAGE_SIZE

MAX_DEPTH = 6
MAX_COST = 1000
MAX_TOKENS = 1000
MAX_ALIASES = 10
MAX_NESTING = 2 * MAX_DEPTH + 4
PAGE_SIZE_ARGUMENT = "limit"


class QueryRefused(Exception):
    """The request asks for more than one request may (``code`` says which limit)."""

    def __init__(self, code: str, detail: Message) -> None:
        super().__init__(str(detail))
        self.code = code
        self.detail = detail


def refusal(code: str, detail: Message) -> GraphQLError:
    return GraphQLError(str(detail), original_error=QueryRefused(code, detail))


def nesting(text: str) -> int:
    """How deep the brackets of ``text`` nest, outside its strings."""
    deepest = depth = 0
    quoted = escaped = False
    for char in text:
        if quoted:
            escaped, quoted = (False, True) if escaped else (char == "\\", char != '"')
        elif char == '"':
            quoted = True
        elif char in "{([":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "})]":
            depth -= 1
    return deepest


class Measure:
    """The depth and the cost of one operation, each fragment measured once."""

    def __init__(
        self,
        schema: GraphQLSchema,
        fragments: Mapping[str, FragmentDefinitionNode],
        variables: Mapping[str, Any],
    ) -> None:
        self._schema = schema
        self._fragments = fragments
        self._variables = variables
        self._measured: dict[str, tuple[int, int]] = {}

    def of(self, selections: SelectionSetNode, parent: Any) -> tuple[int, int]:
        """(depth, cost) of ``selections`` on the type ``parent``."""
        depth = cost = 0
        for selection in selections.selections:
            if isinstance(selection, FieldNode):
                inner_depth, inner_cost = self._field(selection, parent)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                kind = self._schema.get_type(condition.name.value) if condition else parent
                inner_depth, inner_cost = self.of(selection.selection_set, kind)
            elif isinstance(selection, FragmentSpreadNode):
                inner_depth, inner_cost = self._fragment(selection.name.value)
            else:  # pragma: no cover - the three kinds of selection GraphQL has
                continue
            depth, cost = max(depth, inner_depth), cost + inner_cost
        return depth, cost

    def _field(self, node: FieldNode, parent: Any) -> tuple[int, int]:
        owner = parent if isinstance(parent, GraphQLObjectType) else None
        field = owner.fields.get(node.name.value) if owner is not None else None
        if field is None or node.selection_set is None:
            return (1, 0)  # a scalar, __typename, or what validation already refused
        depth, cost = self.of(node.selection_set, get_named_type(field.type))
        return 1 + depth, self._page_size(node, field) * (1 + cost)

    def _fragment(self, name: str) -> tuple[int, int]:
        # Once per fragment: a fragment spread twice in one spread twice… is not walked
        # twice each time (that would be exponential in the document's size).
        if name not in self._measured:
            self._measured[name] = (0, 0)
            fragment = self._fragments.get(name)
            if fragment is not None:
                kind = self._schema.get_type(fragment.type_condition.name.value)
                self._measured[name] = self.of(fragment.selection_set, kind)
        return self._measured[name]

    def _page_size(self, node: FieldNode, field: Any) -> int:
        argument = field.args.get(PAGE_SIZE_ARGUMENT)
        if argument is None:
            return 1
        size: Any = argument.default_value
        for given in node.arguments or ():
            if given.name.value != PAGE_SIZE_ARGUMENT:
                continue
            if isinstance(given.value, IntValueNode):
                size = int(given.value.value)
            elif isinstance(given.value, VariableNode):
                size = self._variables.get(given.value.name.value, size)
        if not isinstance(size, int) or isinstance(size, bool):
            return MAX_PAGE_SIZE  # refused as a value later; counted at its worst here
        # Beyond the bounds, the use case names ``limit`` with the REST route's words.
        return min(max(size, 1), MAX_PAGE_SIZE)


class QueryLimits(SchemaExtension):
    """Refuses, before execution, a request too deep or too costly (see the module)."""

    def on_parse(self) -> Iterator[None]:
        query = self.execution_context.query or ""
        if nesting(query) > MAX_NESTING:
            raise refusal("QUERY_TOO_DEEP", Message("graphql.too_deep", {"depth": MAX_DEPTH}))
        yield

    def on_execute(self) -> Iterator[None]:
        context = self.execution_context
        if context.result is None and context.graphql_document is not None:
            error = self._refusal()
            if error is not None:
                context.result = GraphQLExecutionResult(data=None, errors=[error])
        yield

    def _refusal(self) -> GraphQLError | None:
        context = self.execution_context
        document = context.graphql_document
        assert document is not None  # noqa: S101 - checked by the caller
        if sum(_aliases(d) for d in document.definitions) > MAX_ALIASES:
            return refusal(
                "QUERY_TOO_MANY_ALIASES",
                Message("graphql.too_many_aliases", {"aliases": MAX_ALIASES}),
            )
        operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
        # What the request named: Strawberry's ``operation_name`` falls back to the first
        # operation's, where GraphQL asks which one is meant.
        named = getattr(context, "_provided_operation_name", None)
        if named is not None:
            operations = [o for o in operations if o.name is not None and o.name.value == named]
        elif len(operations) > 1:
            return refusal("GRAPHQL_VALIDATION_FAILED", Message("graphql.operation_name"))
        fragments = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }
        schema = context.schema._schema
        measure = Measure(schema, fragments, context.variables or {})
        for operation in operations:
            depth, cost = measure.of(operation.selection_set, schema.query_type)
            if depth > MAX_DEPTH:
                return refusal("QUERY_TOO_DEEP", Message("graphql.too_deep", {"depth": MAX_DEPTH}))
            if cost > MAX_COST:
                return refusal(
                    "QUERY_TOO_COSTLY",
                    Message("graphql.too_costly", {"cost": cost, "budget": MAX_COST}),
                )
        return None


def _aliases(node: Any) -> int:
    """The aliases written in ``node`` (a definition, a field or a fragment)."""
    selections = getattr(node, "selection_set", None)
    own = 1 if isinstance(node, FieldNode) and node.alias is not None else 0
    if selections is None:
        return own
    return own + sum(_aliases(selection) for selection in selections.selections)
