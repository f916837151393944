"""Sending email off the request: for answers that must not wait on, or reveal, a
mail server's round trip (the password reset)."""

from __future__ import annotations

import asyncio
import contextlib

import structlog

from fusionx.core.errors import NotConfigured
from fusionx.core.model.emails import EmailMessage
from fusionx.ports.email_sender import EmailNotSent, EmailSender

_log = structlog.stdlib.get_logger("fusionx.email")
# Transient refusals are tried again after these pauses, then given up.
RETRY_PAUSES = (2.0, 10.0, 60.0)


class BackgroundEmailSender:
    """``EmailSender`` whose ``send`` returns at once: the message goes to ``inner`` in a
    task of its own, retried after a transient failure (``RETRY_PAUSES``). What could
    not be sent is logged with the recipient's domain and the reason, never the
    message (it holds a link). Kept in memory only: a worker that stops drops what it
    had not sent, and the person asks again; ``drain`` waits a little for those in hand.
    """

    def __init__(self, inner: EmailSender, pauses: tuple[float, ...] = RETRY_PAUSES) -> None:
        self._inner = inner
        self._pauses = pauses
        self._tasks: set[asyncio.Task[None]] = set()

    async def send(self, message: EmailMessage) -> None:
        task = asyncio.create_task(self._deliver(message), name="email")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def drain(self, timeout: float = 10.0) -> None:  # noqa: ASYNC109 - a shutdown bound
        """Wait up to ``timeout`` seconds for the messages in hand, then drop the rest."""
        if not self._tasks:
            return
        _, pending = await asyncio.wait(set(self._tasks), timeout=timeout)
        for task in pending:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _deliver(self, message: EmailMessage) -> None:
        domain = message.to.rpartition("@")[2]
        for attempt, pause in enumerate((*self._pauses, None), start=1):
            try:
                await self._inner.send(message)
            except NotConfigured as error:
                _log.warning("email not sent", to_domain=domain, reason=str(error.detail))
                return
            except EmailNotSent as error:
                if error.permanent or pause is None:
                    _log.warning(
                        "email not sent", to_domain=domain, reason=str(error), attempts=attempt
                    )
                    return
                await asyncio.sleep(pause)
            else:
                return
