"""assets: Leaflet copied from the pip-installed XStatic packages, once per version."""
from __future__ import annotations

import re

import pytest

from fupin_geo import config
from fupin_geo.maps import assets, common


@pytest.fixture
def vendor(tmp_path):
    return tmp_path / "vendor"


def test_first_call_copies_every_package_with_its_version(vendor):
    copied = assets.ensure_vendor_assets(vendor)
    assert sorted(copied) == sorted(assets.PACKAGES)
    leaflet = vendor / "leaflet"
    assert (leaflet / "leaflet.js").stat().st_size > 100_000
    assert (leaflet / "leaflet.css").stat().st_size > 5_000
    assert "Leaflet" in (leaflet / "leaflet.js").read_text(encoding="utf-8")[:500]
    for name in assets.PACKAGES:
        source, version = assets.package_dir(name)
        assert (vendor / name / assets.VERSION_FILE).read_text() == version
        # the whole package folder, file for file
        expected = sorted(p.relative_to(source) for p in source.rglob("*") if p.is_file())
        got = sorted(p.relative_to(vendor / name) for p in (vendor / name).rglob("*")
                     if p.is_file() and p.name != assets.VERSION_FILE)
        assert got == expected
    # no staging folder left behind
    assert sorted(p.name for p in vendor.iterdir()) == sorted(assets.PACKAGES)


def test_second_call_copies_nothing(vendor):
    assets.ensure_vendor_assets(vendor)
    js = vendor / "leaflet" / "leaflet.js"
    before = js.stat().st_mtime_ns
    assert assets.ensure_vendor_assets(vendor) == []
    assert js.stat().st_mtime_ns == before


def test_a_changed_version_marker_copies_that_package_again(vendor):
    assets.ensure_vendor_assets(vendor)
    (vendor / "leaflet" / assets.VERSION_FILE).write_text("0.0.1")
    (vendor / "leaflet" / "stale.txt").write_text("left over from 0.0.1")
    assert assets.ensure_vendor_assets(vendor) == ["leaflet"]
    assert not (vendor / "leaflet" / "stale.txt").exists()  # replaced whole, not merged
    assert (vendor / "leaflet" / assets.VERSION_FILE).read_text() == assets.package_dir("leaflet")[1]


def test_a_package_without_marker_is_copied_again(vendor):
    assets.ensure_vendor_assets(vendor)
    (vendor / "leaflet_markercluster" / assets.VERSION_FILE).unlink()
    assert assets.ensure_vendor_assets(vendor) == ["leaflet_markercluster"]


def test_every_link_of_the_overview_map_is_a_copied_file(vendor, dataset):
    """The URLs the map asks for exist under the vendor folder Streamlit serves."""
    assets.ensure_vendor_assets(vendor)
    page = common.overview_map(dataset).get_root().render()
    links = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert links
    for link in links:
        assert link.startswith(config.VENDOR_URL + "/")
        assert (vendor / link.removeprefix(config.VENDOR_URL + "/")).is_file(), link


def test_vendor_url_is_where_streamlit_serves_static():
    # enableStaticServing serves REPO/static at /app/static
    assert config.VENDOR_URL == "/app/static/" + config.VENDOR_DIR.relative_to(config.STATIC_DIR).as_posix()
    assert config.STATIC_DIR == config.REPO_DIR / "static"
    toml = (config.REPO_DIR / ".streamlit" / "config.toml").read_text(encoding="utf-8")
    assert re.search(r"^enableStaticServing\s*=\s*true", toml, re.M)
