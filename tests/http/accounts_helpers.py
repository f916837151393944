"""What the account-email tests share: the token in a sent link, the fleet's log."""

from __future__ import annotations

import re

import msgspec

from fusionx.adapters.memory.email import RecordingEmailSender
from fusionx.core.model.fleet_events import FleetEvent, Stream
from fusionx.entrypoints.bootstrap import Adapters

_TOKEN = re.compile(r"#token=(fxe_[A-Za-z0-9_-]+)")


def token_in(text: str) -> str:
    """The secret of the one link in ``text``."""
    [token] = set(_TOKEN.findall(text))
    return token


def sent(adapters: Adapters) -> RecordingEmailSender:
    assert isinstance(adapters.email, RecordingEmailSender)
    return adapters.email


def last_token_to(adapters: Adapters, address: str) -> str:
    message = sent(adapters).to(address)[-1]
    token = token_in(message.text)
    assert token_in(message.html) == token
    return token


async def fleet_log(adapters: Adapters) -> list[FleetEvent]:
    async with adapters.reader() as uow:
        return await uow.fleet_events.read(Stream.fleet(), limit=1000)


def logged_json(events: list[FleetEvent]) -> str:
    return msgspec.json.encode(events).decode()
