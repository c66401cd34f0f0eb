"""Basemap layers as static GeoJSON files, fetched by the map instead of carried in its script.

The land and county polygons are the same on every rerun and every page (~145 KB of the
产业地图's 178 KB map message on the demo data). Written into the map's script, they went
over the WebSocket again with every filter change and click, and the server dumped, hashed and
searched them each time (st_folium hashes and rewrites the whole script). Published once as a
file under static/ (served by Streamlit at /app/static, like Leaflet), they are fetched once
by each map. The file name carries a hash of the content, so a change of the geography or of
the display's datum is a new file, and a cached copy is never a stale one.
"""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

from .. import config

PUBLISHED_DIR = config.STATIC_DIR / "geojson"
PUBLISHED_URL = "/app/static/geojson"
# 16 hex digits (64 bits) of SHA-256 name a file: collisions among a few dozen files are not a concern.
DIGEST_CHARS = 16


def publish(collection: dict, name: str, folder: Path | None = None) -> str:
    """Write `collection` to `folder` as <name>-<digest>.geojson unless it is there; its URL.

    The file is written to a temporary name and renamed, so a browser (or a second app
    process publishing the same file) never reads half of it."""
    folder = folder or PUBLISHED_DIR
    text = json.dumps(collection, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    digest = hashlib.sha256(text.encode()).hexdigest()[:DIGEST_CHARS]
    filename = f"{name}-{digest}.geojson"
    path = folder / filename
    if not path.is_file():
        folder.mkdir(parents=True, exist_ok=True)
        handle, staging = tempfile.mkstemp(dir=folder, prefix=f".{filename}.")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(text)
            os.chmod(staging, 0o644)
            os.replace(staging, path)
        except BaseException:
            Path(staging).unlink(missing_ok=True)
            raise
    return f"{PUBLISHED_URL}/{filename}"


def published_path(url: str, folder: Path | None = None) -> Path:
    """The file behind a URL `publish` returned (for tests and tools reading a map's script)."""
    prefix = f"{PUBLISHED_URL}/"
    if not url.startswith(prefix) or "/" in url[len(prefix):]:
        raise ValueError(f"not a published GeoJSON URL: {url!r}")
    return (folder or PUBLISHED_DIR) / url[len(prefix):]
