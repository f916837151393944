"""Every text accounts by email show a person: the emails (plain text and HTML) and the
problems' messages. One module, one constant per text.

Each text has a dotted key (for the message catalogues) and ``{named}`` placeholders.
Emails are filled by ``render``: the HTML part gets every value escaped, so a name typed
by a person can never become markup. A link is a placeholder like any other; the
rendered message is handed to the ``EmailSender`` and never logged.
"""

from __future__ import annotations

import html
from typing import Final

import msgspec

from fusionx.core.model.emails import EmailMessage


class Text(msgspec.Struct, frozen=True):
    """One translatable text: its catalogue key and its English source."""

    key: str
    source: str

    def __call__(self, **params: str | int) -> str:
        """The English text, ``params`` filled in (until the catalogues choose a language)."""
        return self.source.format(**params)


# Problems' messages (a field's message follows its name: "token: is not valid…").
TOKEN_INVALID: Final = Text(
    "accounts.token.invalid", "is not valid: it may have expired or been used already"
)
NOT_YOUR_PASSWORD: Final = Text("accounts.password.not_yours", "is not your current password")
SAME_EMAIL: Final = Text("accounts.new_email.unchanged", "is already your email address")
EMAIL_TAKEN: Final = Text("accounts.email.taken", "A staff account with this {field} exists")
TOO_MANY_RESETS: Final = Text("accounts.reset.too_many", "Too many password reset requests")
RESET_ACCEPTED: Final = Text(
    "accounts.reset.accepted",
    "If this email belongs to an active account, a link to choose a new password is on "
    "its way; it works once, within {minutes} minutes.",
)
INVITE_OWNER: Final = Text("accounts.invite.owner_only", "Only an owner may invite an owner")
INVITE_CREW_ONLY: Final = Text("accounts.invite.crew_only", "A manager may invite crew only")
INVITE_NEEDS_TRUCK: Final = Text(
    "accounts.invite.needs_truck", "a manager invites crew to one of their trucks at least"
)


class EmailTexts(msgspec.Struct, frozen=True, kw_only=True):
    """The three texts of one kind of email."""

    subject: Text
    text: Text
    html: Text


INVITATION: Final = EmailTexts(
    subject=Text("email.invitation.subject", "{inviter} invited you to FusionX"),
    text=Text(
        "email.invitation.text",
        "Hello {name},\n\n"
        "{inviter} invited you to FusionX as {role}. To accept, choose your password "
        "within {days} days at:\n\n{link}\n\n"
        "If you did not expect this invitation, ignore this message.\n",
    ),
    html=Text(
        "email.invitation.html",
        "<p>Hello {name},</p>"
        "<p>{inviter} invited you to FusionX as {role}. To accept, choose your password "
        "within {days} days.</p>"
        '<p><a href="{link}">Accept the invitation</a></p>'
        "<p>If you did not expect this invitation, ignore this message.</p>",
    ),
)

PASSWORD_RESET: Final = EmailTexts(
    subject=Text("email.password_reset.subject", "Reset your FusionX password"),
    text=Text(
        "email.password_reset.text",
        "Hello {name},\n\n"
        "Someone asked to reset the password of your FusionX account. To choose a new "
        "one within {minutes} minutes, open:\n\n{link}\n\n"
        "Choosing it signs you out everywhere else. If you did not ask for this, ignore "
        "this message: your password stays as it is.\n",
    ),
    html=Text(
        "email.password_reset.html",
        "<p>Hello {name},</p>"
        "<p>Someone asked to reset the password of your FusionX account. To choose a new "
        "one within {minutes} minutes, follow this link:</p>"
        '<p><a href="{link}">Choose a new password</a></p>'
        "<p>Choosing it signs you out everywhere else. If you did not ask for this, ignore "
        "this message: your password stays as it is.</p>",
    ),
)

EMAIL_CHANGE: Final = EmailTexts(
    subject=Text("email.email_change.subject", "Confirm your new FusionX email address"),
    text=Text(
        "email.email_change.text",
        "Hello {name},\n\n"
        "To make {email} the email address of your FusionX account, open this link "
        "within {hours} hours:\n\n{link}\n\n"
        "If you did not ask for this, ignore this message.\n",
    ),
    html=Text(
        "email.email_change.html",
        "<p>Hello {name},</p>"
        "<p>To make {email} the email address of your FusionX account, follow this link "
        "within {hours} hours:</p>"
        '<p><a href="{link}">Confirm {email}</a></p>'
        "<p>If you did not ask for this, ignore this message.</p>",
    ),
)

ALL: Final = (INVITATION, PASSWORD_RESET, EMAIL_CHANGE)

_HTML_PAGE = '<!DOCTYPE html>\n<html><head><meta charset="utf-8"></head><body>{}</body></html>\n'


def render(texts: EmailTexts, to: str, **params: str | int) -> EmailMessage:
    """The message ``texts`` describe, to ``to``, with ``params`` filled in: escaped in
    the HTML part, as typed in the text part, on one line in the subject."""
    escaped = {name: html.escape(str(value), quote=True) for name, value in params.items()}
    # One line: a line break typed into a name must not start a header of its own.
    subject = " ".join(texts.subject.source.format(**params).split())
    return EmailMessage(
        to=to,
        subject=subject,
        text=texts.text.source.format(**params),
        html=_HTML_PAGE.format(texts.html.source.format(**escaped)),
    )
