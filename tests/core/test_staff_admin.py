"""Staff administration's rules: who may give which role, the last owner, whom a manager
sees and assigns, and what deactivating someone ends. In memory, through the use cases."""

from __future__ import annotations

from datetime import timedelta
from uuid import uuid4

import pytest

from fusionx.adapters.memory.clock import ManualClock
from fusionx.core.errors import (
    AuthenticationRequired,
    Conflict,
    InvalidCredentials,
    NotFound,
    PermissionDenied,
)
from fusionx.core.model.actors import actor_of
from fusionx.core.model.fleet_events import (
    StaffDeactivated,
    StaffReactivated,
    StaffRoleChanged,
    StaffTruckAssigned,
    StaffTruckUnassigned,
    Stream,
)
from fusionx.core.model.paging import PageRequest
from fusionx.core.model.principals import StaffPrincipal
from fusionx.core.model.staff import Role, StaffMember
from fusionx.core.use_cases.commands.log_in import LogInRequest
from fusionx.core.use_cases.queries.list_staff import StaffSearch
from fusionx.entrypoints import use_cases
from fusionx.entrypoints.bootstrap import Adapters
from tests.factories import PASSWORD, RegisterDeviceRequestFactory, make_staff, make_truck

ROLES = list(Role)


def _as(staff: StaffMember) -> StaffPrincipal:
    return StaffPrincipal(staff=staff, token_id=uuid4())


def _may_give(caller: Role, target: Role, role: Role) -> bool:
    """The rule as the issue states it, written apart from the code that enforces it:
    owners give any role; admins any role below owner, and not to an owner; no one else."""
    if caller is Role.OWNER:
        return True
    if caller is Role.ADMIN:
        return Role.OWNER not in (target, role)
    return False


async def _fleet_stream(adapters: Adapters, stream: Stream | None = None) -> list[object]:
    async with adapters.uow() as uow:
        return [event.data for event in await uow.fleet_events.read(stream or Stream.fleet())]


@pytest.mark.parametrize("caller_role", ROLES)
@pytest.mark.parametrize("target_role", ROLES)
@pytest.mark.parametrize("role", ROLES)
async def test_the_role_matrix(
    adapters: Adapters, caller_role: Role, target_role: Role, role: Role
) -> None:
    truck = await make_truck(adapters)
    await make_staff(adapters, role=Role.OWNER)  # never the last owner here
    caller = await make_staff(adapters, role=caller_role, trucks=[truck])
    target = await make_staff(adapters, role=target_role, trucks=[truck])
    change = use_cases.change_staff_role(adapters)

    if _may_give(caller_role, target_role, role):
        changed = await change.execute(_as(caller), target.id, role)
        assert changed.role is role
        async with adapters.uow() as uow:
            assert await uow.staff.get(target.id) == changed
    else:
        with pytest.raises((PermissionDenied, NotFound)):
            await change.execute(_as(caller), target.id, role)
        async with adapters.uow() as uow:
            assert await uow.staff.get(target.id) == target


async def test_a_role_change_is_logged_with_the_role_before_and_after(adapters: Adapters) -> None:
    owner = await make_staff(adapters, role=Role.OWNER)
    crew = await make_staff(adapters, role=Role.CREW)
    change = use_cases.change_staff_role(adapters)

    await change.execute(_as(owner), crew.id, Role.MANAGER)
    await change.execute(_as(owner), crew.id, Role.MANAGER)  # the same again: nothing

    async with adapters.uow() as uow:
        events = await uow.fleet_events.read(Stream.fleet())
    last = events[-1]
    assert last.data == StaffRoleChanged(staff_id=crew.id, before=Role.CREW, after=Role.MANAGER)
    assert last.actor == actor_of(_as(owner))
    assert len([e for e in events if isinstance(e.data, StaffRoleChanged)]) == 1


async def test_the_last_active_owner_is_never_demoted_nor_deactivated(adapters: Adapters) -> None:
    owner = await make_staff(adapters, role=Role.OWNER)
    retired = await make_staff(adapters, role=Role.OWNER)
    await use_cases.deactivate_staff(adapters).execute(_as(owner), retired.id)

    for attempt in (
        use_cases.change_staff_role(adapters).execute(_as(owner), owner.id, Role.ADMIN),
        use_cases.deactivate_staff(adapters).execute(_as(owner), owner.id),
    ):
        with pytest.raises(Conflict):
            await attempt
    async with adapters.uow() as uow:
        assert await uow.staff.get(owner.id) == owner

    # With a second active owner, the first may step down.
    await use_cases.reactivate_staff(adapters).execute(_as(owner), retired.id)
    demoted = await use_cases.change_staff_role(adapters).execute(_as(owner), owner.id, Role.ADMIN)
    assert demoted.role is Role.ADMIN


async def test_managers_see_their_trucks_crew_and_themselves_only(adapters: Adapters) -> None:
    taco, curry = await make_truck(adapters), await make_truck(adapters)
    manager = await make_staff(adapters, role=Role.MANAGER, trucks=[taco])
    own_crew = await make_staff(adapters, role=Role.CREW, trucks=[taco, curry])
    other_manager = await make_staff(adapters, role=Role.MANAGER, trucks=[taco])
    other_crew = await make_staff(adapters, role=Role.CREW, trucks=[curry])
    owner = await make_staff(adapters, role=Role.OWNER)
    listing, viewing = use_cases.list_staff(adapters), use_cases.view_staff_member(adapters)

    seen = await listing.execute(_as(manager), StaffSearch(), PageRequest())
    everyone = await listing.execute(_as(owner), StaffSearch(), PageRequest())

    assert {s.id for s in seen.items} == {manager.id, own_crew.id}
    assert everyone.total == 5
    assert await viewing.execute(_as(manager), own_crew.id) == own_crew
    for hidden in (other_manager, other_crew, owner):
        with pytest.raises(NotFound):
            await viewing.execute(_as(manager), hidden.id)
    for refused in (listing.execute(_as(own_crew), StaffSearch(), PageRequest()),
                    viewing.execute(_as(own_crew), own_crew.id)):  # fmt: skip
        with pytest.raises(PermissionDenied):
            await refused


async def test_managers_assign_only_crew_and_only_to_their_own_trucks(adapters: Adapters) -> None:
    taco, food, curry = [await make_truck(adapters) for _ in range(3)]
    manager = await make_staff(adapters, role=Role.MANAGER, trucks=[taco, food])
    crew = await make_staff(adapters, role=Role.CREW, trucks=[taco])
    fellow = await make_staff(adapters, role=Role.MANAGER, trucks=[taco])
    stranger = await make_staff(adapters, role=Role.CREW, trucks=[curry])
    assign = use_cases.assign_staff_truck(adapters)
    unassign = use_cases.unassign_staff_truck(adapters)

    moved = await assign.execute(_as(manager), crew.id, food.id)
    moved = await unassign.execute(_as(manager), crew.id, taco.id)
    assert moved.truck_ids == {food.id}

    with pytest.raises(NotFound) as foreign:
        await assign.execute(_as(manager), crew.id, curry.id)
    assert foreign.value.resource == "truck"
    with pytest.raises(NotFound) as unknown:
        await assign.execute(_as(manager), crew.id, uuid4())
    assert unknown.value.resource == "truck"
    with pytest.raises(NotFound) as unseen:
        await assign.execute(_as(manager), stranger.id, taco.id)
    assert unseen.value.resource == "staff member"
    with pytest.raises(NotFound):  # a fellow manager is not theirs to see
        await assign.execute(_as(manager), fellow.id, food.id)
    with pytest.raises(PermissionDenied):  # themselves they see, but assign crew only
        await assign.execute(_as(manager), manager.id, taco.id)
    with pytest.raises(PermissionDenied):
        await assign.execute(_as(crew), crew.id, food.id)

    # Each truck's stream: its creation, then the one change that happened to it.
    assert (await _fleet_stream(adapters, Stream.truck(food.id)))[1:] == [
        StaffTruckAssigned(staff_id=crew.id, truck_id=food.id)
    ]
    assert (await _fleet_stream(adapters, Stream.truck(taco.id)))[1:] == [
        StaffTruckUnassigned(staff_id=crew.id, truck_id=taco.id)
    ]


async def test_admins_assign_anyone_to_any_truck_and_unknown_trucks_are_404(
    adapters: Adapters,
) -> None:
    truck = await make_truck(adapters)
    admin = await make_staff(adapters, role=Role.ADMIN)
    manager = await make_staff(adapters, role=Role.MANAGER)
    assign = use_cases.assign_staff_truck(adapters)

    assert (await assign.execute(_as(admin), manager.id, truck.id)).truck_ids == {truck.id}
    with pytest.raises(NotFound):
        await assign.execute(_as(admin), manager.id, uuid4())
    with pytest.raises(NotFound):
        await assign.execute(_as(admin), uuid4(), truck.id)


async def test_deactivation_ends_every_session_and_sign_in_but_not_their_devices(
    adapters: Adapters,
) -> None:
    truck = await make_truck(adapters)
    owner = await make_staff(adapters, role=Role.OWNER)
    manager = await make_staff(adapters, role=Role.MANAGER, trucks=[truck])
    log_in, authenticate = use_cases.log_in(adapters), use_cases.authenticate(adapters)
    sessions = [
        await log_in.execute(LogInRequest(email=manager.email, password=PASSWORD,
                                          client_address=f"192.0.2.{n}"))
        for n in (1, 2)
    ]  # fmt: skip
    device = await use_cases.register_device(adapters).execute(
        _as(manager), RegisterDeviceRequestFactory.build(truck_id=truck.id)
    )

    await use_cases.deactivate_staff(adapters).execute(_as(owner), manager.id)

    for session in sessions:
        with pytest.raises(AuthenticationRequired):
            await authenticate.execute(session.token)
    with pytest.raises(InvalidCredentials):
        await log_in.execute(
            LogInRequest(email=manager.email, password=PASSWORD, client_address="192.0.2.1")
        )
    assert (await authenticate.execute(device.credential)).device.id == device.device.id

    await use_cases.reactivate_staff(adapters).execute(_as(owner), manager.id)
    for session in sessions:  # no old session comes back
        with pytest.raises(AuthenticationRequired):
            await authenticate.execute(session.token)
    again = await log_in.execute(
        LogInRequest(email=manager.email, password=PASSWORD, client_address="192.0.2.1")
    )
    assert (await authenticate.execute(again.token)).staff.id == manager.id
    assert (await _fleet_stream(adapters))[-2:] == [
        StaffDeactivated(staff_id=manager.id),
        StaffReactivated(staff_id=manager.id),
    ]


async def test_admins_never_act_on_an_owner(adapters: Adapters) -> None:
    owner = await make_staff(adapters, role=Role.OWNER)
    admin = await make_staff(adapters, role=Role.ADMIN)
    for refused in (
        use_cases.deactivate_staff(adapters).execute(_as(admin), owner.id),
        use_cases.reactivate_staff(adapters).execute(_as(admin), owner.id),
        use_cases.list_sessions(adapters).of(_as(admin), owner.id, PageRequest()),
        use_cases.revoke_session(adapters).of(_as(admin), owner.id, uuid4()),
    ):
        with pytest.raises(PermissionDenied):
            await refused


async def test_a_session_records_its_client_and_is_seen_at_most_every_five_minutes(
    adapters: Adapters, clock: ManualClock
) -> None:
    crew = await make_staff(adapters, role=Role.CREW)
    signed = await use_cases.log_in(adapters).execute(
        LogInRequest(email=crew.email, password=PASSWORD, client_address="198.51.100.7",
                     user_agent="KDS/1.0 " + "x" * 300)
    )  # fmt: skip
    signed_at = clock.now()

    async def seen() -> object:
        principal = await use_cases.authenticate(adapters).execute(signed.token)
        await use_cases.note_session_activity(adapters).execute(principal)
        [session] = (await use_cases.list_sessions(adapters).mine(principal, PageRequest())).items
        assert session.current
        return session.token.last_seen_at

    clock.advance(timedelta(minutes=4, seconds=59))
    assert await seen() == signed_at  # within five minutes: not written
    clock.advance(timedelta(seconds=2))
    assert await seen() == clock.now()
    written = clock.now()
    clock.advance(timedelta(minutes=1))
    assert await seen() == written

    principal = await use_cases.authenticate(adapters).execute(signed.token)
    [session] = (await use_cases.list_sessions(adapters).mine(principal, PageRequest())).items
    assert session.token.client_address == "198.51.100.7"
    assert session.token.user_agent == ("KDS/1.0 " + "x" * 300)[:255]


async def test_sessions_are_ended_by_their_holder_or_an_owner_and_logged_when_by_another(
    adapters: Adapters,
) -> None:
    owner = await make_staff(adapters, role=Role.OWNER)
    crew = await make_staff(adapters, role=Role.CREW)
    log_in, authenticate = use_cases.log_in(adapters), use_cases.authenticate(adapters)
    phone, tablet, laptop = [
        await log_in.execute(LogInRequest(email=crew.email, password=PASSWORD,
                                          client_address="192.0.2.1"))
        for _ in range(3)
    ]  # fmt: skip
    me = await authenticate.execute(phone.token)
    revoke, listing = use_cases.revoke_session(adapters), use_cases.list_sessions(adapters)
    listed = await listing.mine(me, PageRequest())
    tablet_id = (await authenticate.execute(tablet.token)).token_id
    laptop_id = (await authenticate.execute(laptop.token)).token_id

    await revoke.mine(me, tablet_id)
    await revoke.of(_as(owner), crew.id, laptop_id)

    assert listed.total == 3
    assert [s.current for s in listed.items].count(True) == 1
    assert [s.token.id for s in (await listing.mine(me, PageRequest())).items] == [me.token_id]
    for ended in (tablet, laptop):
        with pytest.raises(AuthenticationRequired):
            await authenticate.execute(ended.token)
    with pytest.raises(NotFound):  # another's session is not mine to end, nor to confirm
        await revoke.mine(_as(owner), me.token_id)
    with pytest.raises(NotFound):
        await revoke.of(_as(owner), owner.id, me.token_id)
    with pytest.raises(PermissionDenied):
        await listing.of(me, owner.id, PageRequest())
    events = [e for e in await _fleet_stream(adapters) if type(e).__name__ == "SessionRevoked"]
    assert [(e.staff_id, e.session_id) for e in events] == [(crew.id, laptop_id)]  # type: ignore[attr-defined]
