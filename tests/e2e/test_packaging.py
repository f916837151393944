"""The package as an operator installs it: a wheel, in a virtual environment of its own.

The wheel is built from this tree and installed, with the versions ``uv.lock`` pins (from
uv's cache: no network), into a fresh environment; its ``fusionx`` command then runs from
a directory far from the source, so that anything it still reads from the clone (the
migrations, the API page's assets) would be missing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
UV = shutil.which("uv")


def run(*argv: str | Path, cwd: Path, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(  # noqa: S603 - uv and the installed fusionx, fixed arguments
        [str(a) for a in argv], cwd=cwd, env=env, capture_output=True, text=True,
        check=False, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, f"{argv}:\n{done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    assert UV is not None, "uv is one of the two tools every machine has (requirements-tools.txt)"
    out = tmp_path_factory.mktemp("dist")
    run(UV, "build", "--wheel", "--offline", "--quiet", "--out-dir", out, ROOT, cwd=ROOT)
    (built,) = out.glob("fusionx-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The ``bin`` directory of a fresh environment holding the wheel and its locked deps."""
    assert UV is not None
    venv = tmp_path_factory.mktemp("venv") / "fusionx"
    env = os.environ | {"UV_PROJECT_ENVIRONMENT": str(venv), "UV_OFFLINE": "1"}
    # What the Dockerfile does: the locked dependencies first, then the wheel alone.
    run(UV, "sync", "--quiet", "--locked", "--no-default-groups", "--no-install-project",
        "--python", sys.executable, cwd=ROOT, env=env)  # fmt: skip
    run(UV, "pip", "install", "--quiet", "--no-deps", "--python", venv / "bin" / "python",
        wheel, cwd=ROOT, env=env)  # fmt: skip
    run(UV, "pip", "check", "--quiet", "--python", venv / "bin" / "python", cwd=ROOT, env=env)
    return venv / "bin"


def test_the_wheel_carries_the_migrations_and_the_api_page_assets(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    migrations = ROOT / "src/fusionx/adapters/sql/migrations"
    swagger = ROOT / "src/fusionx/entrypoints/http/static/swagger-ui"

    for source in [*migrations.glob("versions/*.py"), migrations / "script.py.mako"]:
        assert f"fusionx/{source.relative_to(ROOT / 'src/fusionx').as_posix()}" in names
    for asset in swagger.iterdir():
        assert f"fusionx/entrypoints/http/static/swagger-ui/{asset.name}" in names
    entry_points = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
    scripts = zipfile.ZipFile(wheel).read(entry_points).decode()
    assert "fusionx = fusionx.entrypoints.cli:main" in scripts


def test_the_installed_command_helps_and_migrates_a_new_database(
    installed: Path, tmp_path: Path
) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FUSIONX_")}
    env["FUSIONX_DATABASE_URL"] = f"sqlite+aiosqlite:///{tmp_path / 'fusionx.db'}"
    fusionx = installed / "fusionx"

    assert "db" in run(fusionx, "--help", cwd=tmp_path, env=env)
    assert run(fusionx, "db", "upgrade", cwd=tmp_path, env=env).strip() == (
        "database is at the head revision"
    )
    # It ran the installed copy: no path of the clone on the way.
    location = run(
        installed / "python", "-c", "import fusionx; print(fusionx.__file__)", cwd=tmp_path, env=env
    )
    assert not Path(location.strip()).is_relative_to(ROOT)
    assert (tmp_path / "fusionx.db").stat().st_size > 0


def test_the_installed_api_page_serves_its_vendored_assets(installed: Path, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FUSIONX_")}
    probe = (
        "from litestar.testing import TestClient\n"
        "from fusionx.entrypoints.bootstrap import in_memory_adapters\n"
        "from fusionx.entrypoints.http.app import create_app\n"
        "from fusionx.entrypoints.settings import Settings\n"
        "app = create_app(Settings(api_docs=True), in_memory_adapters())\n"
        "with TestClient(app) as client:\n"
        "    page = client.get('/schema')\n"
        "    asset = client.get('/schema/assets/swagger-ui-bundle.js')\n"
        "    print(page.status_code, asset.status_code, len(asset.content))\n"
    )
    page, asset, size = run(installed / "python", "-c", probe, cwd=tmp_path, env=env).split()[-3:]
    assert (page, asset) == ("200", "200")
    assert int(size) > 100_000
