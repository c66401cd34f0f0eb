#!/usr/bin/env bash
# Start the app on the embedded default: SQLite under data/, filled with the demo data on
# first start (before the server, so the first visitor does not wait for it). Installs into
# .venv the first time; works offline afterwards.
# PORT=8502 bash scripts/run.sh to use another port.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/_venv.sh
# Briefings: the Chinese font for maps and PDFs, pango for WeasyPrint (PDF)
apt_install fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0
ensure_venv requirements.txt
# an empty database gets the demo data now; one with data is left as it is
"$VENV/bin/python" -m fupin_geo demo
echo "==> 湛江产业扶贫地图：http://localhost:${PORT:-8501}"
# No file watcher: the code does not change under a running server, and Streamlit's watcher
# would poll every module it imported from this folder, .venv included (CPU for nothing).
exec "$VENV/bin/python" -m streamlit run app.py --server.port "${PORT:-8501}" --server.fileWatcherType none "$@"
