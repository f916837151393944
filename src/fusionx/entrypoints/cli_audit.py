"""``fusionx audit``: check the audit trail's hash chain, and read it as text."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Awaitable, Callable
from typing import Any

from fusionx.adapters.i18n.babel_translator import packaged_translator
from fusionx.core.messages import Message, Param
from fusionx.core.model.audit import AuditQuery
from fusionx.core.model.paging import MAX_PAGE_SIZE, PageRequest
from fusionx.core.use_cases.queries.verify_audit_trail import AuditVerification
from fusionx.entrypoints import use_cases
from fusionx.entrypoints.audit_text import audit_line
from fusionx.entrypoints.bootstrap import Adapters
from fusionx.entrypoints.cli_arguments import Parser, int_from
from fusionx.entrypoints.settings import Settings
from fusionx.entrypoints.text_safety import escape_controls

Commands = argparse._SubParsersAction
WithAdapters = Callable[[Settings, Callable[[Adapters], Awaitable[Any]]], Any]


def add_audit_commands(commands: Commands[Parser], with_adapters: WithAdapters) -> None:
    audit = commands.add_parser("audit", help="the audit trail")
    actions = audit.add_subparsers(required=True, metavar="ACTION")
    verify = actions.add_parser(
        "verify",
        help="walk every stream's hash chain; exit 1 at the first break (a gap, an edited "
        "or reordered record)",
    )
    verify.set_defaults(command=lambda _args, settings: _verify(settings, with_adapters))
    tail = actions.add_parser("tail", help="print the newest records, one a line, newest first")
    tail.add_argument(
        "--limit", type=int_from(1, MAX_PAGE_SIZE), default=20, help="how many (default: 20)"
    )
    tail.set_defaults(command=lambda args, settings: _tail(args, settings, with_adapters))


def _verify(settings: Settings, with_adapters: WithAdapters) -> int:
    outcome: AuditVerification = with_adapters(
        settings, lambda a: use_cases.verify_audit_trail(a).execute()
    )
    translator = packaged_translator()  # the CLI speaks English, the default
    english = translator.locales[0]
    counts: dict[str, Param] = {
        "records": Message("audit.verify.records", {"count": outcome.records}),
        "streams": Message("audit.verify.streams", {"count": outcome.streams}),
    }
    if outcome.broken is None:
        print(translator.render(Message("audit.verify.intact", counts), english))
        return 0
    broken = outcome.broken
    found: dict[str, Param] = {
        "stream": broken.stream,
        "seq": str(broken.seq),
        "reason": broken.reason,
        **counts,
    }
    line = translator.render(Message("audit.verify.broken", found), english)
    print(escape_controls(line), file=sys.stderr)
    return 1


def _tail(args: argparse.Namespace, settings: Settings, with_adapters: WithAdapters) -> int:
    page = PageRequest(limit=args.limit)

    async def newest(adapters: Adapters) -> list[str]:
        async with adapters.reader() as uow:
            found = await uow.fleet_events.search(AuditQuery(), None, page)
        return [audit_line(event) for event in found.items]

    for line in with_adapters(settings, newest):
        print(line)
    return 0
