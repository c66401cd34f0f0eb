"""Leaflet and its plugins for offline use, taken from pip-installed XStatic packages.

Streamlit serves `static/` at /app/static (enableStaticServing). At start-up the packages'
files are copied to static/vendor/<name>/ (git ignores it), so no third-party code is
committed and no map ever asks a CDN for anything.
"""
from __future__ import annotations

import importlib
import shutil
import tempfile
from pathlib import Path

from .. import config

# name -> the XStatic module that holds its files
PACKAGES = {
    "leaflet": "xstatic.pkg.leaflet",
    "leaflet_markercluster": "xstatic.pkg.leaflet_markercluster",
}
VERSION_FILE = ".version"


def package_dir(name: str) -> tuple[Path, str]:
    """The folder of a vendor package's files and its version."""
    module = importlib.import_module(PACKAGES[name])
    return Path(module.BASE_DIR), module.VERSION


def url(name: str, filename: str) -> str:
    return f"{config.VENDOR_URL}/{name}/{filename}"


LEAFLET_JS = url("leaflet", "leaflet.js")
LEAFLET_CSS = url("leaflet", "leaflet.css")


def ensure_vendor_assets(target: Path = config.VENDOR_DIR) -> list[str]:
    """Copy each package to target/<name> unless that version is there already.

    Returns the names copied. The copy goes to a temporary folder first and is then renamed,
    so a server reading the folder never sees half a package.
    """
    copied = []
    target.mkdir(parents=True, exist_ok=True)
    for name in PACKAGES:
        source, version = package_dir(name)
        destination = target / name
        marker = destination / VERSION_FILE
        if marker.is_file() and marker.read_text() == version:
            continue
        staging = Path(tempfile.mkdtemp(prefix=f".{name}-", dir=target))
        shutil.copytree(source, staging / name)
        (staging / name / VERSION_FILE).write_text(version)
        if destination.exists():
            shutil.rmtree(destination)
        (staging / name).rename(destination)
        staging.rmdir()
        copied.append(name)
    return copied
