# Shared by scripts/run.sh and scripts/test.sh: a Python 3.11 virtualenv in .venv whose
# packages match the given requirement files. pip runs only when those files change, so
# the app starts offline once installed.
VENV=.venv

find_python() {
  for candidate in python3.11 python3; do
    if command -v "$candidate" >/dev/null 2>&1 &&
       "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then
      echo "$candidate"; return 0
    fi
  done
  echo "需要 Python 3.11（未找到 python3.11）。Debian: apt-get install python3" >&2
  return 1
}

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "需要管理员权限来运行：$*" >&2; return 1; fi
}

apt_install() {
  # Debian packages, installed only if missing (needs root or sudo).
  local missing=()
  for package in "$@"; do
    dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "==> 安装系统软件包：${missing[*]}"
  as_root apt-get update -q
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -q --no-install-recommends "${missing[@]}"
}

ensure_venv() {
  local python stamp wanted
  python=$(find_python)
  if [ ! -x "$VENV/bin/python" ]; then
    echo "==> 创建虚拟环境 $VENV"
    if ! "$python" -m venv "$VENV" 2>/dev/null; then
      rm -rf "$VENV"
      apt_install python3-venv
      "$python" -m venv "$VENV"
    fi
  fi
  stamp="$VENV/.requirements.sha256"
  wanted=$(cat "$@" requirements.txt | sha256sum | cut -d' ' -f1)
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$wanted" ]; then
    echo "==> 安装 Python 依赖（$*）"
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check $(printf -- '-r %s ' "$@")
    echo "$wanted" > "$stamp"
  fi
}
