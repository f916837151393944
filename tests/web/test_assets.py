"""The pages' static files: served by the app from the package, under a URL that changes
with their content, and kept by browsers for a year."""

from __future__ import annotations

from fusionx.entrypoints.web.assets import STATIC_DIRECTORY, asset_url, assets_version

VENDORED = [
    "vendor/htmx-2.0.11/htmx.min.js",
    "vendor/uplot-1.6.32/uPlot.iife.min.js",
    "vendor/uplot-1.6.32/uPlot.min.css",
]


async def test_each_file_is_served_with_a_long_cache_under_its_version(client):
    for name in ["app.css", *VENDORED]:
        answer = await client.get(asset_url(name))

        assert answer.status_code == 200, name
        assert answer.content == (STATIC_DIRECTORY / name).read_bytes()
        assert "immutable" in answer.headers["cache-control"]
        assert "max-age=31536000" in answer.headers["cache-control"]
        assert answer.headers["x-content-type-options"] == "nosniff"


async def test_another_version_is_not_found(client):
    answer = await client.get(asset_url("app.css").replace(assets_version(), "0" * 16))

    assert answer.status_code == 404


def test_each_vendored_library_comes_with_its_licence_and_provenance():
    readme = (STATIC_DIRECTORY / "vendor" / "README.md").read_text(encoding="utf-8")
    for folder in {name.split("/")[1] for name in VENDORED}:
        assert (STATIC_DIRECTORY / "vendor" / folder / "LICENSE").is_file()
        assert f"`{folder}/`" in readme


async def test_the_layout_loads_htmx_and_the_stylesheet_from_the_app(client):
    page = await client.get("/app/sign-in")

    assert f'src="{asset_url("vendor/htmx-2.0.11/htmx.min.js")}"' in page.text
    assert f'href="{asset_url("app.css")}"' in page.text
    assert '"allowEval":false' in page.text
    assert "//" not in page.text.replace("http://www.w3.org", "")  # nothing from elsewhere
