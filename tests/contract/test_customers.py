"""Customer accounts, their sign-in codes, their loyalty ledger and their orders, on
memory, SQLite and PostgreSQL alike."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import msgspec
import pytest

from fusionx.adapters.ids.uuid7_generator import Uuid7Generator
from fusionx.adapters.memory.clock import ManualClock
from fusionx.core.errors import InvalidInput
from fusionx.core.model.credentials import PrincipalKind
from fusionx.core.model.customers import Customer
from fusionx.core.model.loyalty import EntryKind, LoyaltyEntry
from fusionx.core.model.paging import PageRequest
from fusionx.core.model.sign_in_codes import CODE_VALIDITY, MAX_ATTEMPTS, SignInCode, hash_code
from fusionx.core.use_cases.commands.sign_in_customer import (
    CustomerSession,
    CustomerSignInRequest,
    SignInCustomer,
)
from fusionx.ports.errors import UniqueViolation
from fusionx.ports.repositories.access_tokens import TokenHolder
from fusionx.ports.unit_of_work import UnitOfWorkFactory
from tests.support.entities import T0, a_token, an_order, new_id
from tests.support.scenes import a_shift_scene

RACERS = 12
ANA = "email:ana@example.com"


def a_customer(**changes: object) -> Customer:
    return msgspec.structs.replace(Customer(id=new_id(), created_at=T0), **changes)


async def added(uow_factory: UnitOfWorkFactory, *customers: Customer) -> None:
    async with uow_factory() as uow:
        for customer in customers:
            await uow.customers.add(customer)
        await uow.commit()


def a_code(code: str = "123456", destination: str = ANA, **changes: object) -> SignInCode:
    made = SignInCode(
        id=new_id(),
        destination=destination,
        code_hash=hash_code(destination, code),
        created_at=T0,
        expires_at=T0 + CODE_VALIDITY,
        locale="es",
    )
    return msgspec.structs.replace(made, **changes)


async def consumed(
    uow_factory: UnitOfWorkFactory, code: str = "123456", at: timedelta = timedelta(minutes=1)
) -> SignInCode | None:
    async with uow_factory() as uow:
        found = await uow.sign_in_codes.consume(ANA, hash_code(ANA, code), T0 + at)
        await uow.commit()
    return found


async def missed(uow_factory: UnitOfWorkFactory, times: int = 1) -> None:
    for _ in range(times):
        async with uow_factory() as uow:
            await uow.sign_in_codes.count_miss(ANA, T0 + timedelta(minutes=1))
            await uow.commit()


# --- accounts ---------------------------------------------------------------------------


async def test_an_account_round_trips_and_is_found_by_email_or_phone(
    uow_factory: UnitOfWorkFactory,
) -> None:
    by_email = a_customer(email="ana@example.com", locale="es", name="Ana")
    by_phone = a_customer(phone="+447700900123")
    await added(uow_factory, by_email, by_phone)

    async with uow_factory() as uow:
        assert await uow.customers.get(by_email.id) == by_email
        assert await uow.customers.get_for_update(by_phone.id) == by_phone
        assert await uow.customers.by_email("ana@example.com") == by_email
        assert await uow.customers.by_phone("+447700900123") == by_phone
        assert await uow.customers.by_email("bea@example.com") is None
        assert await uow.customers.get(new_id()) is None


@pytest.mark.parametrize("field", ["email", "phone"])
async def test_an_email_or_phone_names_one_account_only(
    uow_factory: UnitOfWorkFactory, field: str
) -> None:
    value = "ana@example.com" if field == "email" else "+447700900123"
    await added(uow_factory, a_customer(**{field: value}), a_customer(), a_customer())

    with pytest.raises(UniqueViolation) as refused:
        await added(uow_factory, a_customer(**{field: value}))
    assert refused.value.field == field


async def test_saving_changes_the_name_locale_and_state_only(
    uow_factory: UnitOfWorkFactory,
) -> None:
    ana = a_customer(email="ana@example.com")
    await added(uow_factory, ana)
    changed = msgspec.structs.replace(ana, name="Ana", locale="fr", active=False)

    async with uow_factory() as uow:
        await uow.customers.save(changed)
        await uow.commit()

    async with uow_factory() as uow:
        assert await uow.customers.get(ana.id) == changed


async def test_a_customer_token_is_read_with_its_account(
    uow_factory: UnitOfWorkFactory, read_with: UnitOfWorkFactory
) -> None:
    ana = a_customer(email="ana@example.com")
    await added(uow_factory, ana)
    token = a_token(ana.id, kind=PrincipalKind.CUSTOMER)
    staff_kind = a_token(ana.id, token_hash="cd" * 32)  # a staff token naming her id
    async with uow_factory() as uow:
        await uow.tokens.add(token)
        await uow.tokens.add(staff_kind)
        await uow.commit()

    async with read_with() as uow:
        assert await uow.tokens.get_with_holder(token.token_hash) == TokenHolder(
            token=token, subject=ana
        )
        assert await uow.tokens.get_with_holder(staff_kind.token_hash) == TokenHolder(
            token=staff_kind, subject=None
        )


# --- sign-in codes -------------------------------------------------------------------------


async def test_a_code_is_consumed_once_for_its_destination(uow_factory: UnitOfWorkFactory) -> None:
    code = a_code()
    async with uow_factory() as uow:
        await uow.sign_in_codes.add(code)
        await uow.commit()

    async with uow_factory() as uow:
        elsewhere = await uow.sign_in_codes.consume(
            "sms:+447700900123", hash_code("sms:+447700900123", "123456"), T0
        )
    assert elsewhere is None
    first = await consumed(uow_factory)
    assert first == msgspec.structs.replace(code, used_at=T0 + timedelta(minutes=1))
    assert await consumed(uow_factory) is None


async def test_a_code_expires(uow_factory: UnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        await uow.sign_in_codes.add(a_code())
        await uow.commit()

    assert await consumed(uow_factory, at=CODE_VALIDITY) is None
    assert await consumed(uow_factory, at=CODE_VALIDITY - timedelta(seconds=1)) is not None


async def test_a_code_dies_after_its_wrong_guesses(uow_factory: UnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        await uow.sign_in_codes.add(a_code())
        await uow.commit()

    await missed(uow_factory, MAX_ATTEMPTS - 1)
    assert await consumed(uow_factory, "654321") is None  # still wrong
    await missed(uow_factory)
    assert await consumed(uow_factory) is None  # the right one, too late


async def test_a_newer_code_makes_the_older_stop_working(uow_factory: UnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        await uow.sign_in_codes.add(a_code("111111"))
        await uow.sign_in_codes.add(a_code("222222", created_at=T0 + timedelta(seconds=5)))
        await uow.commit()

    assert await consumed(uow_factory, "111111") is None
    assert await consumed(uow_factory, "222222") is not None


async def test_of_units_racing_with_the_right_code_exactly_one_gets_it(
    uow_factory: UnitOfWorkFactory,
) -> None:
    """On PostgreSQL the units really overlap: each waits on the row the first updated."""
    async with uow_factory() as uow:
        await uow.sign_in_codes.add(a_code())
        await uow.commit()
    started = asyncio.Event()

    async def race() -> SignInCode | None:
        async with uow_factory() as uow:
            await started.wait()
            found = await uow.sign_in_codes.consume(ANA, hash_code(ANA, "123456"), T0)
            await asyncio.sleep(0.01)  # hold the row while the others try
            await uow.commit()
        return found

    async with asyncio.timeout(30):
        racers = [asyncio.ensure_future(race()) for _ in range(RACERS)]
        await asyncio.sleep(0.05)
        started.set()
        outcomes = await asyncio.gather(*racers)

    assert sum(outcome is not None for outcome in outcomes) == 1


async def test_racing_wrong_guesses_each_count(uow_factory: UnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        await uow.sign_in_codes.add(a_code())
        await uow.commit()

    async with asyncio.timeout(30):
        await asyncio.gather(*(missed(uow_factory) for _ in range(MAX_ATTEMPTS)))

    assert await consumed(uow_factory) is None


# --- the loyalty ledger --------------------------------------------------------------------


def an_entry(customer: Customer, kind: EntryKind, points: int, **about: object) -> LoyaltyEntry:
    order_id = about.pop("order_id", new_id())
    return LoyaltyEntry.of(
        kind, customer_id=customer.id, order_id=order_id, points=points, at=T0, **about
    )


async def test_entries_sum_to_the_balance_and_a_key_counts_once(
    uow_factory: UnitOfWorkFactory,
) -> None:
    ana, bea = a_customer(), a_customer()
    await added(uow_factory, ana, bea)
    order_id = new_id()
    earned = an_entry(ana, EntryKind.EARNED, 12, order_id=order_id)
    spent = an_entry(ana, EntryKind.SPENT, 5)
    reversed_ = an_entry(ana, EntryKind.REVERSED, 2, order_id=order_id, refund_id=new_id())
    async with uow_factory() as uow:
        assert await uow.loyalty.record(earned)
        assert await uow.loyalty.record(spent)
        assert await uow.loyalty.record(reversed_)
        assert await uow.loyalty.record(an_entry(bea, EntryKind.EARNED, 40))
        assert not await uow.loyalty.record(earned)  # replayed in the same unit
        await uow.commit()

    async with uow_factory() as uow:
        assert not await uow.loyalty.record(earned)  # replayed later
        assert await uow.loyalty.balance(ana.id) == 12 - 5 - 2
        assert await uow.loyalty.balance(new_id()) == 0
        assert await uow.loyalty.for_order(order_id) == [earned, reversed_]
        page = await uow.loyalty.entries(ana.id, PageRequest(limit=2))
    assert page.total == 3
    assert page.items == [reversed_, spent]  # the same time: the last recorded first


async def test_entries_come_newest_first(uow_factory: UnitOfWorkFactory) -> None:
    ana = a_customer()
    await added(uow_factory, ana)
    later = msgspec.structs.replace(an_entry(ana, EntryKind.EARNED, 3), at=T0 + timedelta(hours=1))
    earlier = an_entry(ana, EntryKind.EARNED, 4)
    async with uow_factory() as uow:
        await uow.loyalty.record(later)
        await uow.loyalty.record(earlier)
        await uow.commit()

    async with uow_factory() as uow:
        page = await uow.loyalty.entries(ana.id, PageRequest(offset=1))
    assert page.items == [earlier]
    assert page.total == 2


async def test_of_units_racing_to_record_one_key_one_does(uow_factory: UnitOfWorkFactory) -> None:
    ana = a_customer()
    await added(uow_factory, ana)
    entry = an_entry(ana, EntryKind.EARNED, 7)

    async def race() -> bool:
        async with uow_factory() as uow:
            recorded = await uow.loyalty.record(entry)
            await asyncio.sleep(0.01)
            await uow.commit()
        return recorded

    async with asyncio.timeout(30):
        outcomes = await asyncio.gather(*(race() for _ in range(RACERS)))

    assert outcomes.count(True) == 1
    async with uow_factory() as uow:
        assert await uow.loyalty.balance(ana.id) == 7


# --- a customer's orders -------------------------------------------------------------------


async def test_a_customers_orders_come_newest_first_and_nobody_elses(
    uow_factory: UnitOfWorkFactory,
) -> None:
    scene = await a_shift_scene(uow_factory)
    ana, bea = new_id(), new_id()
    items = [scene.items[0]]
    mine = [
        an_order(scene.shift.id, items, number=n, customer_id=ana,
                 created_at=T0 + timedelta(minutes=n))
        for n in (1, 2, 3)
    ]  # fmt: skip
    theirs = an_order(scene.shift.id, items, number=4, customer_id=bea)
    window = an_order(scene.shift.id, items, number=5)
    async with uow_factory() as uow:
        for order in (*mine, theirs, window):
            await uow.orders.add(order)
        await uow.commit()

    async with uow_factory() as uow:
        first = await uow.orders.of_customer(ana, PageRequest(limit=2))
        rest = await uow.orders.of_customer(ana, PageRequest(limit=2, offset=2))
        none = await uow.orders.of_customer(new_id(), PageRequest())
    assert first.items == [mine[2], mine[1]]
    assert rest.items == [mine[0]]
    assert first.total == rest.total == 3
    assert none.items == []
    assert none.total == 0


async def test_of_twelve_racing_sign_ins_with_one_code_one_signs_in_and_one_account_is_made(
    uow_factory: UnitOfWorkFactory,
) -> None:
    """The use case, on each backend: the others get the wrong-code answer, and only one
    account exists for the address afterwards."""
    clock, ids = ManualClock(T0), Uuid7Generator()
    async with uow_factory() as uow:
        await uow.sign_in_codes.add(a_code())
        await uow.commit()
    request = CustomerSignInRequest(email="ana@example.com", code="123456")

    async def race() -> CustomerSession | InvalidInput:
        try:
            return await SignInCustomer(uow_factory(), clock, ids).execute(request)
        except InvalidInput as refused:
            return refused

    async with asyncio.timeout(30):
        outcomes = await asyncio.gather(*(race() for _ in range(RACERS)))

    sessions = [o for o in outcomes if isinstance(o, CustomerSession)]
    assert len(sessions) == 1
    assert all(o.field == "code" for o in outcomes if isinstance(o, InvalidInput))
    async with uow_factory() as uow:
        assert await uow.customers.by_email("ana@example.com") == sessions[0].customer
