#!/usr/bin/env bash
# Install what the tests need (Debian's Chromium and CJK fonts, npm for the geodata rebuild,
# the Python test packages) and run every test: unit, AppTest, real browser, geodata rebuild.
# Extra arguments go to pytest, e.g. bash scripts/test.sh -k overview
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/_venv.sh
apt_install chromium fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0 poppler-utils
# a throw-away PostgreSQL + PostGIS cluster for the store tests (tools/pgcluster.py), nginx for
# the replica test (deploy/nginx.conf)
apt_install postgresql-15 postgresql-15-postgis-3 nginx
# npm may come from Node.js itself rather than Debian: only its absence calls for the package
command -v npm >/dev/null 2>&1 || apt_install npm
ensure_venv requirements-dev.txt tools/requirements.txt
exec "$VENV/bin/python" -m pytest -p no:cacheprovider "$@"
