"""``fusionx export`` writes what the HTTP export writes: a header, then a row a record."""

from __future__ import annotations

from pathlib import Path

import pytest

from fusionx.entrypoints.cli import main


def test_an_empty_fleet_exports_a_header(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("FUSIONX_DATA_DIR", str(tmp_path))
    out = tmp_path / "orders.csv"

    assert main(["export", "orders", "--from", "2026-01-01", "--output", str(out)]) == 0

    assert out.read_text().startswith("created_at,created_at_local,order_id,number")
    assert "exported 0 rows" in capsys.readouterr().err


def test_an_unknown_kind_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["export", "salaries"])
    assert "invalid choice" in capsys.readouterr().err


def test_the_progress_bar_fills_as_rows_are_written() -> None:
    from fusionx.entrypoints.cli_export import progress_bar  # noqa: PLC0415

    assert progress_bar("orders", 0, 2000).startswith("orders [" + "." * 30 + "]   0%")
    assert progress_bar("orders", 1200, 2000).endswith(" 60% 1,200/2,000")
    assert "#" * 30 in progress_bar("orders", 0, 0)  # nothing to write: done
