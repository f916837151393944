"""The emails accounts send (invitation, password reset, email change, a customer's
sign-in code), written in the recipient's language: their own ``locale`` if they chose
one, else the languages the request came in, else English.

Each email is three messages of the catalogues (``email.<kind>.subject|text|html``). The
HTML part gets every value escaped, so a name typed by a person can never become
markup; the subject is kept on one line, so a line break typed into a name cannot start
a header of its own. The rendered message goes to the ``EmailSender`` and is never logged.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from fusionx.core.messages import Message, Param
from fusionx.core.model.emails import EmailMessage
from fusionx.core.model.staff import Role
from fusionx.ports.translator import Translator

_ROLES: dict[Role, Message] = {
    Role.OWNER: Message("role.owner"),
    Role.ADMIN: Message("role.admin"),
    Role.MANAGER: Message("role.manager"),
    Role.CREW: Message("role.crew"),
}
_HTML_PAGE = '<!DOCTYPE html>\n<html><head><meta charset="utf-8"></head><body>{}</body></html>\n'


def recipient_locale(translator: Translator, chosen: str | None, languages: Sequence[str]) -> str:
    """The recipient's own choice first, then the request's languages, else English."""
    return translator.choose([*([chosen] if chosen else []), *languages])


def invitation(
    translator: Translator,
    locale: str,
    to: str,
    *,
    name: str,
    inviter: str,
    role: Role,
    days: int,
    link: str,
) -> EmailMessage:
    said: dict[str, Param] = {"name": name, "inviter": inviter, "days": days, "link": link}
    escaped = _escaped(said)
    return _email(
        translator,
        locale,
        to,
        subject=Message("email.invitation.subject", said),
        text=Message("email.invitation.text", {**said, "role": _ROLES[role]}),
        html_part=Message("email.invitation.html", {**escaped, "role": _ROLES[role]}),
    )


def password_reset(
    translator: Translator, locale: str, to: str, *, name: str, minutes: int, link: str
) -> EmailMessage:
    said: dict[str, Param] = {"name": name, "minutes": minutes, "link": link}
    return _email(
        translator,
        locale,
        to,
        subject=Message("email.password_reset.subject", said),
        text=Message("email.password_reset.text", said),
        html_part=Message("email.password_reset.html", _escaped(said)),
    )


def email_change(
    translator: Translator,
    locale: str,
    to: str,
    *,
    name: str,
    email: str,
    hours: int,
    link: str,
) -> EmailMessage:
    said: dict[str, Param] = {"name": name, "email": email, "hours": hours, "link": link}
    return _email(
        translator,
        locale,
        to,
        subject=Message("email.email_change.subject", said),
        text=Message("email.email_change.text", said),
        html_part=Message("email.email_change.html", _escaped(said)),
    )


def _escaped(said: dict[str, Param]) -> dict[str, Param]:
    """Typed values escaped for HTML; numbers stay numbers (written the locale's way)."""
    return {
        name: html.escape(value, quote=True) if isinstance(value, str) else value
        for name, value in said.items()
    }


def _email(
    translator: Translator,
    locale: str,
    to: str,
    *,
    subject: Message,
    text: Message,
    html_part: Message,
) -> EmailMessage:
    return EmailMessage(
        to=to,
        subject=" ".join(translator.render(subject, locale).split()),
        text=translator.render(text, locale),
        html=_HTML_PAGE.format(translator.render(html_part, locale)),
    )


def sign_in_code(
    translator: Translator, locale: str, to: str, *, code: str, minutes: int
) -> EmailMessage:
    """A customer's one-time sign-in code (no name: the account may not exist yet)."""
    said: dict[str, Param] = {"code": code, "minutes": minutes}
    return _email(
        translator,
        locale,
        to,
        subject=Message("email.sign_in_code.subject", said),
        text=Message("email.sign_in_code.text", said),
        html_part=Message("email.sign_in_code.html", _escaped(said)),
    )
