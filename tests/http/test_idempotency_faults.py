"""An ``Idempotency-Key`` never lets a retry take effect twice, whenever the database drops
out: the production wiring on SQLite and PostgreSQL, an order and a stock adjustment.

Each write is sent once and watched: every statement and COMMIT it makes is a step. Then,
for each step in turn, a fresh key: the database drops out at that step (or just after
the last COMMIT went through, unheard) and stays out for the rest of that request, as
when a worker loses its connection, or dies. The request fails. Its retries, at once and
once its claim's lease is over, find either the answer or nothing done: in all, exactly
one effect, and every retry that answers gives the same answer, naming that effect.
"""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import timedelta
from typing import Any
from uuid import uuid4

import httpx
import pytest

from fusionx.adapters.memory.clock import ManualClock
from fusionx.entrypoints.bootstrap import Adapters
from fusionx.entrypoints.http.idempotency import LEASE
from fusionx.entrypoints.settings import Settings
from tests.http.conftest import Fleet, on_hand, order_body
from tests.support.databases import SQL_BACKENDS, MigratedDatabase, named_sql_backend
from tests.support.entities import T0
from tests.support.outage import Outage
from tests.support.wiring import sql_wiring

Client = httpx.AsyncClient


@pytest.fixture(params=SQL_BACKENDS)
def database(request: pytest.FixtureRequest) -> MigratedDatabase:
    return named_sql_backend(request)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(T0)


@pytest.fixture
async def adapters(database: MigratedDatabase, clock: ManualClock) -> AsyncIterator[Adapters]:
    """The production wiring with a clock the test moves, and no background tasks: every
    statement on the database is a request's."""
    await database.empty()
    async with sql_wiring(Settings(database_url=database.url)) as wired:
        yield dataclasses.replace(wired, clock=clock, on_startup=(), on_shutdown=())


@pytest.fixture
def client(same_loop_client: httpx.AsyncClient) -> httpx.AsyncClient:
    return same_loop_client


@pytest.fixture
def outage(database: MigratedDatabase) -> Outage:
    return Outage(database.url)


@dataclasses.dataclass(frozen=True)
class Write:
    """A kind of write: where it goes, and what it changed that a client can see."""

    path: Callable[[Any], str]
    body: Callable[[Fleet], dict[str, Any]]
    effect: Callable[[Client, Any, dict[str, str], Fleet], Awaitable[Any]]


async def burritos(client: Client, shift: Any, headers: dict[str, str], fleet: Fleet) -> int:
    return (await on_hand(client, shift, headers))[fleet.burrito.name]


async def orders(client: Client, shift: Any, headers: dict[str, str], fleet: Fleet) -> Any:
    feed = (await client.get(f"/api/v1/shifts/{shift.id}/tickets", headers=headers)).json()
    tickets = {t["order_id"] for t in feed["tickets"]}
    return tickets, await burritos(client, shift, headers, fleet)


WRITES = {
    "order": Write(
        path=lambda shift: f"/api/v1/shifts/{shift.id}/orders",
        body=lambda fleet: order_body((fleet.burrito, 2)),
        effect=orders,
    ),
    "stock adjustment": Write(
        path=lambda shift: f"/api/v1/shifts/{shift.id}/inventory/adjustments",
        body=lambda fleet: {"item_id": str(fleet.burrito.id), "reason": "restock", "delta": 3},
        effect=burritos,
    ),
}


def one_effect(kind: str, before: Any, after: Any, answer: dict[str, Any]) -> None:
    """The write took effect once, and the answer names that effect."""
    if kind == "order":
        assert len(after[0] - before[0]) == 1, after[0] - before[0]
        assert answer["order"]["id"] in after[0] - before[0]
        assert after[1] == before[1] - 2
    else:
        assert after == before + 3
        assert answer["on_hand"] == after


@pytest.mark.parametrize("kind", list(WRITES))
# SQLAlchemy's bookkeeping when RELEASE SAVEPOINT fails with an error it does not take
# for a disconnect (SQLite's stand-in for one); a real disconnect, on PostgreSQL, is quiet.
@pytest.mark.filterwarnings("ignore:nested transaction already deassociated")
async def test_a_write_takes_effect_once_whichever_step_the_database_drops_out_at(
    *,
    kind: str,
    client: Client,
    clock: ManualClock,
    outage: Outage,
    fleet: Fleet,
    manager: dict[str, str],
    taco_shift: Any,
    restock: Callable[..., Awaitable[None]],
) -> None:
    await restock(taco_shift, fleet.burrito, 500, manager)
    write = WRITES[kind]
    url, body = write.path(taco_shift), write.body(fleet)

    async def send(key: str) -> Any:
        return await client.post(url, json=body, headers={**manager, "Idempotency-Key": key})

    with outage.watching():
        with outage.counting() as steps:
            assert (await send(str(uuid4()))).status_code == 201
        faults: list[tuple[str, Any]] = [
            (f"step {n} ({what})", lambda n=n: outage.from_step(n)) for n, what in enumerate(steps)
        ]
        faults.append(("just after the last COMMIT", outage.after_last_commit))
        assert len(steps) >= 5, steps

        for name, fault in faults:
            key = str(uuid4())
            before = await write.effect(client, taco_shift, manager, fleet)
            with fault():
                try:
                    failed = await send(key)
                except Exception:  # noqa: BLE001 - the server broke the answer off
                    failed = None
            at_once = await send(key)
            clock.advance(LEASE + timedelta(seconds=1))
            retried, replayed = await send(key), await send(key)
            after = await write.effect(client, taco_shift, manager, fleet)

            assert retried.status_code == 201, (name, retried.text)
            one_effect(kind, before, after, retried.json())
            assert failed is not None, name
            assert failed.status_code == 503, (name, failed.text)
            assert at_once.status_code in (201, 409), (name, at_once.text)
            assert replayed.headers.get("Idempotent-Replayed") == "true", name
            answers = [r.content for r in (at_once, retried, replayed) if r.status_code == 201]
            assert answers == [retried.content] * len(answers), name
