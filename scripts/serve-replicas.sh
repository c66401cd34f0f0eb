#!/usr/bin/env bash
# N Streamlit replicas of the app on one PostgreSQL database, behind Debian's nginx.
#   bash scripts/serve-replicas.sh 2            # http://localhost:8080, replicas on 8601, 8602
#   FUPIN_DB_URL=postgresql+psycopg://user:pw@dbhost/fupin bash scripts/serve-replicas.sh 3
# Without FUPIN_DB_URL a local PostgreSQL 15 + PostGIS cluster is started in $FUPIN_PG_DIR
# (default /var/tmp/fupin-pg, kept between runs) and filled with the demo data once.
# PORT (8080) is nginx's port, REPLICA_PORT (8601) the first replica's; Ctrl-C stops everything.
# Process ids go to $RUN_DIR/pids (for bench/load.py --pid).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/_venv.sh

replicas=${1:-2}
[[ "$replicas" =~ ^[1-9][0-9]*$ ]] || { echo "用法：bash scripts/serve-replicas.sh 副本数（正整数）" >&2; exit 2; }
port=${PORT:-8080}
first_port=${REPLICA_PORT:-8601}
RUN_DIR=${RUN_DIR:-/var/tmp/fupin-replicas}
pg_dir=${FUPIN_PG_DIR:-/var/tmp/fupin-pg}

apt_install nginx
ensure_venv requirements.txt
py="$VENV/bin/python"

started_pg=""
if [ -z "${FUPIN_DB_URL:-}" ]; then
  apt_install postgresql-15 postgresql-15-postgis-3
  echo "==> 启动本机 PostgreSQL（$pg_dir）"
  FUPIN_DB_URL=$("$py" tools/pgcluster.py start "$pg_dir")
  started_pg=1
fi
export FUPIN_DB_URL

# Migrate and seed once, before any replica starts (replicas would otherwise race to seed).
"$py" -m fupin_geo migrate
"$py" -m fupin_geo demo

mkdir -p "$RUN_DIR"
: > "$RUN_DIR/pids"
pids=()
stop_all() {
  trap - INT TERM EXIT
  echo "==> 停止"
  [ -f "$RUN_DIR/nginx.pid" ] && kill "$(cat "$RUN_DIR/nginx.pid")" 2>/dev/null || true
  for pid in "${pids[@]}"; do kill -- "-$pid" 2>/dev/null || true; done
  wait || true
  [ -n "$started_pg" ] && "$py" tools/pgcluster.py stop "$pg_dir" || true
}
trap stop_all INT TERM EXIT

ports=()
for ((i = 0; i < replicas; i++)); do
  p=$((first_port + i))
  setsid "$VENV/bin/python" -m streamlit run app.py --server.port "$p" --server.address 127.0.0.1 \
    --server.headless true --browser.gatherUsageStats false --server.fileWatcherType none > "$RUN_DIR/replica-$p.log" 2>&1 &
  pids+=($!)
  echo "$!" >> "$RUN_DIR/pids"
  ports+=("$p")
done

for ((i = 0; i < replicas; i++)); do
  p=$((first_port + i))
  for _ in $(seq 240); do
    curl -fs "http://127.0.0.1:$p/_stcore/health" >/dev/null 2>&1 && break
    kill -0 "${pids[$i]}" 2>/dev/null || { echo "副本 $p 启动失败，见 $RUN_DIR/replica-$p.log" >&2; exit 1; }
    sleep 0.5
  done
done

"$py" tools/render_nginx.py "$RUN_DIR" "$port" "${ports[@]}"
nginx -p "$RUN_DIR" -c "$RUN_DIR/nginx.conf" -g "daemon on;"
cat "$RUN_DIR/nginx.pid" >> "$RUN_DIR/pids"
echo "==> 湛江产业扶贫地图：http://localhost:$port （$replicas 个副本，端口 $first_port 起；按 Ctrl-C 停止）"
wait
