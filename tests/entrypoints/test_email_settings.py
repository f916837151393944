from __future__ import annotations

from pathlib import Path

import pytest

from fusionx.adapters.email.smtp import SmtpEmailSender
from fusionx.adapters.email.unconfigured import UnconfiguredEmailSender
from fusionx.adapters.i18n.babel_translator import packaged_translator
from fusionx.core.errors import NotConfigured
from fusionx.core.model.emails import EmailMessage
from fusionx.entrypoints.bootstrap import email_sender
from fusionx.entrypoints.email_settings import load_email_settings
from fusionx.entrypoints.settings import SettingsError
from fusionx.entrypoints.startup_checks import setting_warnings

MESSAGE = EmailMessage(to="a@example.test", subject="s", text="t", html="<p>t</p>")


async def test_without_a_host_and_a_sender_email_is_off_and_says_so() -> None:
    for environ in ({}, {"FUSIONX_SMTP_HOST": "mail.example.test"}):
        sender = email_sender(load_email_settings(environ))
        assert isinstance(sender, UnconfiguredEmailSender)
        with pytest.raises(NotConfigured) as refused:
            await sender.send(MESSAGE)
        said = packaged_translator().render(refused.value.detail, "en")
        assert "FUSIONX_SMTP_HOST" in said
        assert "FUSIONX_SMTP_FROM" in said


def test_a_host_and_a_sender_make_an_smtp_sender(tmp_path: Path) -> None:
    secret = tmp_path / "smtp-password"
    secret.write_text("s3cret\n")
    settings = load_email_settings(
        {
            "FUSIONX_SMTP_HOST": "mail.example.test",
            "FUSIONX_SMTP_PORT": "2525",
            "FUSIONX_SMTP_FROM": "FusionX <no-reply@example.test>",
            "FUSIONX_SMTP_USERNAME": "fusionx",
            "FUSIONX_SMTP_PASSWORD_FILE": str(secret),
            "FUSIONX_SMTP_STARTTLS": "false",
        }
    )

    assert settings.smtp_password == "s3cret"
    assert (settings.smtp_port, settings.smtp_starttls) == (2525, False)
    assert isinstance(email_sender(settings), SmtpEmailSender)


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("FUSIONX_SMTP_FROM", "no address here"),
        ("FUSIONX_SMTP_PORT", "0"),
        ("FUSIONX_SMTP_STARTTLS", "maybe"),
    ],
)
def test_a_bad_value_stops_start_up_naming_the_variable(variable: str, value: str) -> None:
    with pytest.raises(SettingsError, match=variable):
        load_email_settings({variable: value})


def test_the_smtp_variables_are_known_settings() -> None:
    environ = {
        "FUSIONX_SMTP_HOST": "h",
        "FUSIONX_SMTP_PASSWORD_FILE": "/x",
        "FUSIONX_SMTP_HSOT": "h",
    }
    [warning] = setting_warnings(environ)
    assert "FUSIONX_SMTP_HSOT" in warning
