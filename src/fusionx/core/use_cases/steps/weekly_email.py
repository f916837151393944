"""The weekly summary email, in the recipient's language: a week's figures beside the
week before's, as plain text and as HTML with a bar chart of orders per day drawn in
inline SVG (no remote image: nothing to fetch, nothing that tells a tracker it was read).

Every label comes from the catalogues (``email.weekly_summary.*``); values typed by
people (names of the recipient and of menu items) are escaped in the HTML part and in
the chart.
"""

from __future__ import annotations

import html
from datetime import datetime

from fusionx.core.messages import Message, Moment, Money, Param
from fusionx.core.model.emails import EmailMessage
from fusionx.core.model.weekly_summary import WeekFigures, WeeklyDigest
from fusionx.ports.translator import Translator

_DAYS = (
    Message("email.weekly_summary.day.mon"),
    Message("email.weekly_summary.day.tue"),
    Message("email.weekly_summary.day.wed"),
    Message("email.weekly_summary.day.thu"),
    Message("email.weekly_summary.day.fri"),
    Message("email.weekly_summary.day.sat"),
    Message("email.weekly_summary.day.sun"),
)
_PAGE = '<!DOCTYPE html>\n<html><head><meta charset="utf-8"></head><body>{}</body></html>\n'
# The chart's geometry, in SVG user units.
_WIDTH, _HEIGHT, _BASE, _TOP, _SLOT, _BAR = 420, 170, 140, 12, 56, 20
_THIS_WEEK, _LAST_WEEK = "#d9480f", "#adb5bd"


def weekly_summary(
    translator: Translator,
    locale: str,
    to: str,
    *,
    name: str,
    digest: WeeklyDigest,
    starts_at: datetime,
    currency: str,
    key: str | None = None,
) -> EmailMessage:
    """``starts_at``: the week's first instant (its Monday's local midnight); ``key``
    names the email for good (``EmailMessage.key``)."""

    def say(message: Message) -> str:
        return translator.render(message, locale, zone=digest.zone)

    week = Moment(starts_at, "date")
    now, before = digest.this_week, digest.last_week
    rows: list[tuple[Message, Param, Param]] = [
        (Message("email.weekly_summary.orders"), now.orders, before.orders),
        (
            Message("email.weekly_summary.gross"),
            Money(now.gross_cents, currency),
            Money(before.gross_cents, currency),
        ),
        (
            Message("email.weekly_summary.net"),
            Money(now.net_cents, currency),
            Money(before.net_cents, currency),
        ),
        (
            Message("email.weekly_summary.average_ticket"),
            _money(now.average_ticket_cents, currency),
            _money(before.average_ticket_cents, currency),
        ),
        (
            Message("email.weekly_summary.prep_p50"),
            _duration(now.prep_p50_seconds),
            _duration(before.prep_p50_seconds),
        ),
        (
            Message("email.weekly_summary.prep_p90"),
            _duration(now.prep_p90_seconds),
            _duration(before.prep_p90_seconds),
        ),
    ]
    intro: dict[str, Param] = {"name": name, "week": week, "count": digest.truck_count}
    lines = [
        say(Message("email.weekly_summary.line", {"label": label, "now": a, "before": b}))
        for label, a, b in rows
    ]
    top = [
        say(Message("email.weekly_summary.item", {"name": item.name, "count": item.quantity}))
        for item in now.top_items
    ]
    no_sales = say(Message("email.weekly_summary.no_sales"))
    text = "\n".join(
        [
            say(Message("email.weekly_summary.intro", intro)),
            "",
            *lines,
            "",
            say(Message("email.weekly_summary.top_items")),
            *([f"- {line}" for line in top] or [no_sales]),
            "",
            say(Message("email.weekly_summary.footer")),
            "",
        ]
    )
    cells = "".join(
        '<tr><th align="left">{}</th><td>{}</td><td>{}</td></tr>'.format(
            *(html.escape(say(m) if isinstance(m, Message) else say(_value(m))) for m in row)
        )
        for row in rows
    )
    escaped_intro = {**intro, "name": html.escape(name, quote=True)}

    def label(message: Message) -> str:
        return html.escape(say(message))

    this_week = label(Message("email.weekly_summary.this_week"))
    last_week = label(Message("email.weekly_summary.last_week"))
    heading = f"<tr><th></th><th>{this_week}</th><th>{last_week}</th></tr>"
    items = (
        "<ol>" + "".join(f"<li>{html.escape(line)}</li>" for line in top) + "</ol>"
        if top
        else f"<p>{html.escape(no_sales)}</p>"
    )
    body = "".join(
        [
            f"<p>{say(Message('email.weekly_summary.intro', escaped_intro))}</p>",
            f'<table cellpadding="4">{heading}{cells}</table>',
            f"<h3>{label(Message('email.weekly_summary.chart'))}</h3>",
            chart(now, before, [say(day) for day in _DAYS]),
            f"<h3>{label(Message('email.weekly_summary.top_items'))}</h3>",
            items,
            f"<p>{label(Message('email.weekly_summary.footer'))}</p>",
        ]
    )
    return EmailMessage(
        to=to,
        subject=" ".join(say(Message("email.weekly_summary.subject", {"week": week})).split()),
        text=text,
        html=_PAGE.format(body),
        key=key,
    )


def chart(now: WeekFigures, before: WeekFigures, day_names: list[str]) -> str:
    """Orders per day, this week's bar beside last week's, as an inline SVG element."""
    highest = max((*now.daily_orders, *before.daily_orders, 1))
    scale = (_BASE - _TOP) / highest
    parts = [
        (
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{_WIDTH}" height="{_HEIGHT}" '
            f'viewBox="0 0 {_WIDTH} {_HEIGHT}" role="img" font-family="sans-serif" font-size="11">'
        ),
        f'<line x1="10" y1="{_BASE}" x2="{_WIDTH - 10}" y2="{_BASE}" stroke="#495057"/>',
    ]
    for n, (label, this, last) in enumerate(
        zip(day_names, now.daily_orders, before.daily_orders, strict=True)
    ):
        x = 14 + n * _SLOT
        for offset, count, colour in ((0, last, _LAST_WEEK), (_BAR + 2, this, _THIS_WEEK)):
            height = round(count * scale, 1)
            parts.append(
                f'<rect x="{x + offset}" y="{round(_BASE - height, 1)}" width="{_BAR}" '
                f'height="{height}" fill="{colour}"><title>{count}</title></rect>'
            )
        parts.append(
            f'<text x="{x + _BAR}" y="{_BASE + 16}" text-anchor="middle">'
            f"{html.escape(label)}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def _money(cents: int | None, currency: str) -> Money | Message:
    return Message("email.weekly_summary.none") if cents is None else Money(cents, currency)


def _duration(seconds: float | None) -> Message:
    if seconds is None:
        return Message("email.weekly_summary.none")
    whole = round(seconds)
    return Message("email.weekly_summary.duration", {"minutes": whole // 60, "seconds": whole % 60})


def _value(value: Param) -> Message:
    """A figure as a message of its own, so that it is written the locale's way."""
    return Message("email.weekly_summary.value", {"value": value})
