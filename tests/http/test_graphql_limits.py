"""The limits of ``graphql_api.limits`` on a schema with a cycle, where any depth and any
cost can be written (the read side's schema has none yet: tests/http/test_graphql.py)."""

from __future__ import annotations

import asyncio
import time

import pytest
import strawberry

from fusionx.entrypoints.http.graphql_api.limits import (
    MAX_ALIASES,
    MAX_COST,
    MAX_DEPTH,
    QueryLimits,
    nesting,
)

ran: list[str] = []


@strawberry.type
class Node:
    name: str = "node"

    @strawberry.field
    def child(self) -> Node:
        ran.append("child")
        return Node()

    @strawberry.field
    def children(self, limit: int = 10) -> list[Node]:
        ran.append("children")
        return [Node() for _ in range(limit)]


@strawberry.type
class Query:
    @strawberry.field
    def root(self) -> Node:
        ran.append("root")
        return Node()


SCHEMA = strawberry.Schema(query=Query, extensions=[QueryLimits])


def _run(query: str, variables: dict[str, object] | None = None) -> list[str]:
    ran.clear()
    result = asyncio.run(SCHEMA.execute(query, variable_values=variables))
    return [error.original_error.code for error in result.errors or []]  # type: ignore[union-attr]


def _nested(depth: int) -> str:
    """``root`` and ``child`` fields ``depth`` deep in all."""
    return "{ root " + "{ child " * (depth - 1) + "{ name }" + " }" * (depth - 1) + " }"


def test_depth_up_to_the_limit_runs_and_beyond_is_refused_unrun() -> None:
    assert _run(_nested(MAX_DEPTH - 1)) == []  # name is the last level
    assert ran

    assert _run(_nested(MAX_DEPTH)) == ["QUERY_TOO_DEEP"]
    assert ran == []


def test_fragments_add_no_depth_but_their_fields_do() -> None:
    deep = "{ root { ...A } } fragment A on Node { child { ...B } } fragment B on Node { " + (
        "child { " * (MAX_DEPTH - 2) + "name" + " }" * (MAX_DEPTH - 2) + " }"
    )
    assert _run(deep) == ["QUERY_TOO_DEEP"]


BY_N = "query($n: Int!) { root { children(limit: $n) { children { name } } } }"


@pytest.mark.parametrize(
    ("query", "variables", "refused"),
    [
        ("{ root { children(limit: 20) { children(limit: 20) { name } } } }", None, False),
        ("{ root { children(limit: 40) { children(limit: 40) { name } } } }", None, True),
        (BY_N, {"n": 50}, False),
        (BY_N, {"n": 200}, True),
        # A value that is not a page size counts as the largest one.
        (BY_N, {"n": "x"}, True),
        ("{ root { children { children { children { name } } } } }", None, True),  # 1 + 10 x 111
    ],
)  # fmt: skip
def test_a_list_costs_its_page_size_times_its_items(
    query: str, variables: dict[str, object] | None, refused: bool
) -> None:
    codes = _run(query, variables)

    assert ("QUERY_TOO_COSTLY" in codes) is refused
    if refused:
        assert ran == [], "nothing ran"


def test_the_cost_is_the_sum_over_aliases_and_spreads() -> None:
    one = "children(limit: 50) { child { name } }"  # 50 x 2 = 100, + root
    per_alias = 1 + 50 * 2
    fits = MAX_COST // per_alias
    query = "{ " + " ".join(f"r{n}: root {{ {one} }}" for n in range(fits)) + " }"
    assert fits <= MAX_ALIASES
    assert _run(query) == []
    spread = "{ root { ...F ...G } } fragment F on Node { " + one + " } fragment G on Node { ...F }"
    assert _run(spread) == []  # 1 + 100 + 100
    big = "{ root { children(limit: 200) { ...H } } } fragment H on Node { children { name } }"
    assert _run(big) == ["QUERY_TOO_COSTLY"]


def test_a_fragment_spread_twice_at_every_level_is_measured_at_once() -> None:
    levels = 40
    bomb = (
        "{ root { ...F0 } } "
        + " ".join(f"fragment F{n} on Node {{ ...F{n + 1} ...F{n + 1} }}" for n in range(levels))
        + f" fragment F{levels} on Node {{ children(limit: 1) {{ name }} }}"
    )
    started = time.perf_counter()

    assert _run(bomb) == ["QUERY_TOO_COSTLY"]  # 2**40 lists of one
    assert time.perf_counter() - started < 1


def test_too_many_aliases_are_refused() -> None:
    aliased = " ".join(f"a{n}: name" for n in range(MAX_ALIASES + 1))
    assert _run("{ root { " + aliased + " } }") == ["QUERY_TOO_MANY_ALIASES"]
    assert _run("{ root { " + aliased.rsplit(" a", 1)[0] + " } }") == []


def test_brackets_nested_past_the_limit_are_refused_unparsed() -> None:
    assert nesting('{ a(b: "{{{{[[[(") { c } }') == 2
    assert _run("{" * 5000 + "}" * 5000) == ["QUERY_TOO_DEEP"]
