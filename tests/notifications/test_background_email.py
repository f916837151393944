"""Email sent off the request: retried while the failure is transient, given up (and
logged without the message) when it is permanent or retries run out."""

from __future__ import annotations

import asyncio

import structlog

from fusionx.adapters.email.background import BackgroundEmailSender
from fusionx.adapters.email.unconfigured import UnconfiguredEmailSender
from fusionx.adapters.memory.email import RecordingEmailSender
from fusionx.core.model.emails import EmailMessage
from fusionx.ports.email_sender import EmailNotSent

SECRET_LINK = "https://x.test/account/reset-password#token=fxe_secret"
MESSAGE = EmailMessage(to="ana@example.test", subject="Reset", text=SECRET_LINK, html=SECRET_LINK)


def transient() -> EmailNotSent:
    return EmailNotSent("the mail server answered 451", permanent=False)


async def test_send_returns_at_once_and_the_message_goes_out_after() -> None:
    inner = RecordingEmailSender()
    sender = BackgroundEmailSender(inner, pauses=(0, 0))

    await sender.send(MESSAGE)
    assert inner.sent == []
    await sender.drain()

    assert inner.sent == [MESSAGE]


async def test_transient_failures_are_retried_until_the_pauses_run_out() -> None:
    inner = RecordingEmailSender()
    inner.refusals.extend([transient(), transient()])
    sender = BackgroundEmailSender(inner, pauses=(0, 0))

    await sender.send(MESSAGE)
    await sender.drain()

    assert inner.sent == [MESSAGE]


async def test_a_permanent_failure_is_logged_once_without_the_message() -> None:
    inner = RecordingEmailSender()
    inner.refusals.extend([EmailNotSent("recipient refused ([550])", permanent=True), transient()])
    sender = BackgroundEmailSender(inner, pauses=(0, 0))

    with structlog.testing.capture_logs() as logs:
        await sender.send(MESSAGE)
        await sender.drain()

    assert inner.sent == []
    assert len(inner.refusals) == 1  # not tried again
    [entry] = logs
    assert entry["to_domain"] == "example.test"
    assert SECRET_LINK not in repr(logs)


async def test_out_of_retries_it_gives_up() -> None:
    inner = RecordingEmailSender()
    inner.refusals.extend([transient(), transient(), transient()])
    sender = BackgroundEmailSender(inner, pauses=(0, 0))

    with structlog.testing.capture_logs() as logs:
        await sender.send(MESSAGE)
        await sender.drain()

    assert inner.sent == []
    assert [entry["attempts"] for entry in logs] == [3]


async def test_email_off_is_logged_not_raised() -> None:
    sender = BackgroundEmailSender(UnconfiguredEmailSender())
    with structlog.testing.capture_logs() as logs:
        await sender.send(MESSAGE)
        await sender.drain()
    assert logs[0]["reason"] == "email.not_configured"  # the key, for operators


async def test_drain_gives_up_on_what_takes_too_long() -> None:
    inner = RecordingEmailSender()
    inner.refusals.append(transient())
    sender = BackgroundEmailSender(inner, pauses=(3600,))

    await sender.send(MESSAGE)
    async with asyncio.timeout(5):
        await sender.drain(timeout=0.05)

    assert inner.sent == []
