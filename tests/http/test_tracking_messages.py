"""The customer's ready message: planned in the transaction of the move, sent through
the outbox to the local SMS and SMTP servers, in their language, with the tracking link."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from fusionx.adapters.email.smtp import SmtpEmailSender
from fusionx.adapters.memory.clock import ManualClock
from fusionx.adapters.sms.twilio import TwilioSmsSender
from fusionx.core.model.notifications import NotificationState
from fusionx.core.model.shifts import Shift
from fusionx.core.use_cases.commands.dispatch_notifications import DispatchNotifications
from fusionx.core.use_cases.commands.tell_late_orders import TellLateOrders
from fusionx.entrypoints.bootstrap import Adapters
from tests.http.conftest import Fleet, Headers, place
from tests.support.sms_server import FakeTwilio, SmsServer
from tests.support.smtp_server import SmtpServer
from tests.support.tracking import moved, tracked

SID = "AC" + "1" * 32


@pytest.fixture
def twilio() -> Iterator[tuple[FakeTwilio, str]]:
    fake = FakeTwilio(account_sid=SID, auth_token="sms-secret")
    with SmsServer(fake) as server:
        yield fake, server.url


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    with SmtpServer() as server:
        yield server


@pytest.fixture
async def dispatch(
    adapters: Adapters, twilio: tuple[FakeTwilio, str], smtp: SmtpServer
) -> AsyncIterator[DispatchNotifications]:
    sms = TwilioSmsSender(
        base_url=twilio[1], account_sid=SID, auth_token="sms-secret", sender="+15005550006"
    )
    email = SmtpEmailSender(
        host="127.0.0.1", port=smtp.port, sender="FusionX <no-reply@fusionx.test>",
        starttls=False, timeout_seconds=5,
    )  # fmt: skip
    yield DispatchNotifications(
        adapters.uow, adapters.clock, adapters.ids, adapters.push, sms,
        email=email, tracking=adapters.tracking,
    )  # fmt: skip
    await sms.close()


async def test_customers_who_asked_are_told_once_their_order_is_ready(  # noqa: PLR0917
    client: AsyncTestClient[Litestar],
    adapters: Adapters,
    fleet: Fleet,
    taco_shift: Shift,
    manager: Headers,
    restock: Any,
    twilio: tuple[FakeTwilio, str],
    smtp: SmtpServer,
    dispatch: DispatchNotifications,
) -> None:
    await restock(taco_shift, fleet.burrito, 5, manager)
    texted = await place(client, taco_shift, manager, (fleet.burrito, 1),
                         customer_phone="+1 415 555 0123")  # fmt: skip
    mailed = await place(client, taco_shift, manager, (fleet.burrito, 1),
                         customer_email="ana@example.com")  # fmt: skip
    silent = await place(client, taco_shift, manager, (fleet.burrito, 1),
                         customer_phone="+14155550199")  # fmt: skip
    sms_token = await tracked(adapters, texted["order"]["id"], locale="es-MX", notify=True)
    mail_token = await tracked(adapters, mailed["order"]["id"], locale="fr", notify=True)
    await tracked(adapters, silent["order"]["id"], notify=False)
    for placed in (texted, mailed, silent):
        await moved(client, placed, manager, "in_prep")  # type: ignore[arg-type]
    before_ready = await dispatch.execute()
    for placed in (texted, mailed, silent):
        await moved(client, placed, manager, "ready", "completed", "ready")  # type: ignore[arg-type]
    sent = await dispatch.execute()
    listed = await client.get(f"/api/v1/trucks/{fleet.taco.id}/notifications", headers=manager)

    assert before_ready == 0  # no staff alert is due here: the orders were staff-placed
    assert sent == 2  # once each: the recall to ready says nothing again
    [text] = twilio[0].received
    assert text["To"] == "+14155550123"
    assert text["Body"] == (
        f"El pedido {texted['order']['number']} está listo: Tu pedido "
        f"{texted['order']['number']} en Taco Titan está listo para recoger. "
        f"{adapters.public_url}/app/shop/track/{sms_token}"
    )
    [mail] = smtp.received
    assert mail.recipients == ["ana@example.com"]
    assert mail.message["Subject"] == f"La commande {mailed['order']['number']} est prête"
    plain = mail.message.get_body(preferencelist=("plain",))
    assert plain is not None
    assert f"{adapters.public_url}/app/shop/track/{mail_token}" in plain.get_content()
    assert "prête à retirer" in plain.get_content()
    # The link a customer is sent opens the tracking page, for a person to read.
    followed = await client.get(f"/app/shop/track/{sms_token}")
    assert followed.status_code == 200, followed.text
    assert followed.headers["content-type"].startswith("text/html")
    assert (await client.get(f"/api/v1/track/{sms_token}")).json()["id"] == texted["order"]["id"]
    customers = [n for n in listed.json()["items"] if n["kind"] == "order_ready"]
    assert {n["state"] for n in customers} == {NotificationState.SENT.value}
    assert {n["channel"] for n in customers} == {"sms", "email"}
    assert all(sms_token not in n["body"] and mail_token not in n["body"] for n in customers)


async def test_a_customer_is_told_each_slip_of_their_ready_time_once(  # noqa: PLR0917
    client: AsyncTestClient[Litestar],
    adapters: Adapters,
    clock: ManualClock,
    fleet: Fleet,
    taco_shift: Shift,
    manager: Headers,
    restock: Any,
    twilio: tuple[FakeTwilio, str],
    dispatch: DispatchNotifications,
) -> None:
    await restock(taco_shift, fleet.burrito, 5, manager)
    placed = await place(client, taco_shift, manager, (fleet.burrito, 1),
                         customer_phone="+14155550123")  # fmt: skip
    token = await tracked(adapters, placed["order"]["id"], notify=True)
    promised = datetime.fromisoformat(placed["order"]["promised_ready_at"])
    sweep = TellLateOrders(
        adapters.uow, adapters.clock, adapters.ids, adapters.translator,
        margin=timedelta(minutes=10),
    )  # fmt: skip

    clock.set(promised + timedelta(minutes=9))
    within_margin = await sweep.execute()
    clock.set(promised + timedelta(minutes=11))
    first = await sweep.execute()
    again = await sweep.execute()
    page = (await client.get(f"/api/v1/track/{token}")).json()
    await dispatch.execute()
    clock.set(datetime.fromisoformat(page["promised_ready_at"]) + timedelta(minutes=11))
    second_slip = await sweep.execute()
    await moved(client, placed, manager, "in_prep", "ready")  # type: ignore[arg-type]
    clock.advance(timedelta(hours=1))
    once_ready = await sweep.execute()

    assert (within_margin, first, again, second_slip, once_ready) == (0, 1, 0, 1, 0)
    assert datetime.fromisoformat(page["promised_ready_at"]) > promised + timedelta(minutes=11)
    [text] = twilio[0].received
    assert text["Body"].startswith(f"Order {placed['order']['number']} is running late: ")
    assert "should now be ready at" in text["Body"]
    assert text["Body"].endswith(f"{adapters.public_url}/app/shop/track/{token}")
