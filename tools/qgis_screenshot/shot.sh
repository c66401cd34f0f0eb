#!/usr/bin/env bash
# Remake docs/qgis-postgis.png: the QGIS desktop (Debian's QGIS 3.22) showing the app's PostGIS
# layers, loaded with the demo data into a throw-away cluster. Not part of the tests.
# Needs, from Debian: qgis python3-qgis xvfb imagemagick xdotool x11-utils pngquant
# postgresql-15-postgis-3 fonts-noto-cjk. Run as root (the cluster runs as postgres) after
# `bash scripts/run.sh` has made .venv:   bash tools/qgis_screenshot/shot.sh
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
WORK=$(mktemp -d /tmp/fupin-qgis.XXXXXX)
chmod 755 "$WORK"  # the cluster runs as postgres, which must reach its folder
PG=$WORK/pg
DISPLAY_NUMBER=${DISPLAY_NUMBER:-99}
cd "$REPO"
cleanup() {
  [ -n "${QGIS:-}" ] && { kill "$QGIS" 2>/dev/null; wait "$QGIS" 2>/dev/null || true; }
  [ -n "${XVFB:-}" ] && { kill "$XVFB" 2>/dev/null; wait "$XVFB" 2>/dev/null || true; }
  .venv/bin/python tools/pgcluster.py stop "$PG" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

URL=$(.venv/bin/python tools/pgcluster.py start "$PG")      # Unix socket in $PG, database "fupin"
FUPIN_DB_URL=$URL .venv/bin/python -m fupin_geo migrate
FUPIN_DB_URL=$URL .venv/bin/python -m fupin_geo demo        # the seeded demo data, 2019Q1–Q4
QT_QPA_PLATFORM=offscreen /usr/bin/python3 "$HERE/make_project.py" "$REPO" "$PG" "$WORK/fupin-postgis.qgs" \
  "$WORK/qgis-profiles"

Xvfb ":$DISPLAY_NUMBER" -screen 0 1600x1000x24 -nolisten tcp & XVFB=$!
export DISPLAY=":$DISPLAY_NUMBER"
until xdpyinfo >/dev/null 2>&1; do sleep 0.2; done
qgis --noversioncheck --nologo --noplugins --profiles-path "$WORK/qgis-profiles" \
     --code "$HERE/qgis_startup.py" "$WORK/fupin-postgis.qgs" >"$WORK/qgis.log" 2>&1 & QGIS=$!
# Wait for the main window, then for the drawing to settle: two identical screenshots 2 s
# apart, and not before 10 s (qgis_startup.py expands the Browser panel for ~6 s).
for _ in $(seq 1 120); do xdotool search --onlyvisible --name 'QGIS$' >/dev/null 2>&1 && break; sleep 0.5; done
previous=""
for i in $(seq 1 60); do
  sleep 2
  import -window root "$WORK/raw.png"
  sum=$(md5sum < "$WORK/raw.png")
  [ "$sum" = "$previous" ] && [ "$i" -gt 4 ] && break
  previous=$sum
done
mkdir -p docs
pngquant --force --quality 70-95 --strip --output docs/qgis-postgis.png "$WORK/raw.png"
ls -l docs/qgis-postgis.png
