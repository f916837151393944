from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from fusionx.entrypoints.bootstrap import sql_adapters
from fusionx.entrypoints.settings import LogFormat, SettingsError, load_settings


def test_no_settings_means_an_embedded_sqlite_database_in_the_data_directory(
    tmp_path: Path,
) -> None:
    settings = load_settings({"FUSIONX_DATA_DIR": str(tmp_path)})

    assert settings.is_embedded
    assert settings.resolved_database_url == f"sqlite+aiosqlite:///{tmp_path / 'fusionx.db'}"


def test_values_are_read_and_converted_from_the_environment() -> None:
    settings = load_settings(
        {"FUSIONX_PORT": "9000", "FUSIONX_LOG_FORMAT": "json", "FUSIONX_DEMO_DATA": "true"}
    )
    assert (settings.port, settings.log_format, settings.demo_data) == (9000, LogFormat.JSON, True)


def test_the_recall_window_is_a_setting_wired_into_the_adapters(tmp_path: Path) -> None:
    settings = load_settings(
        {
            "FUSIONX_RECALL_WINDOW_MINUTES": "3",
            "FUSIONX_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'fusionx.db'}",
        }
    )

    assert sql_adapters(settings).recall_window == timedelta(minutes=3)
    assert load_settings({}).recall_window_minutes == 10


def test_a_secret_can_come_from_a_file(tmp_path: Path) -> None:
    secret = tmp_path / "url"
    secret.write_text("postgresql+asyncpg://app:s3cret@db/fusionx\n")

    settings = load_settings({"FUSIONX_DATABASE_URL_FILE": str(secret)})

    assert settings.database_url == "postgresql+asyncpg://app:s3cret@db/fusionx"
    assert not settings.is_embedded


def test_the_password_in_a_bad_database_url_is_not_echoed() -> None:
    with pytest.raises(SettingsError) as error:
        load_settings({"FUSIONX_DATABASE_URL": "mysql://app:hunter2@db/x"})
    assert "hunter2" not in str(error.value)


def test_the_payment_webhook_secret_can_come_from_a_file(tmp_path: Path) -> None:
    secret = tmp_path / "webhook"
    secret.write_text("whsec_0123456789abcdef\n")

    settings = load_settings({"FUSIONX_PAYMENT_WEBHOOK_SECRET_FILE": str(secret)})

    assert settings.payment_webhook_secret == "whsec_0123456789abcdef"
    assert settings.payment_webhook_tolerance_seconds == 300


def test_a_short_payment_webhook_secret_is_refused_without_echoing_it() -> None:
    with pytest.raises(SettingsError) as error:
        load_settings({"FUSIONX_PAYMENT_WEBHOOK_SECRET": "hunter2"})
    assert str(error.value).startswith("FUSIONX_PAYMENT_WEBHOOK_SECRET: ")
    assert "hunter2" not in str(error.value)
