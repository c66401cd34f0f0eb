"""Fill in deploy/nginx.conf for N replicas: python tools/render_nginx.py RUN_DIR LISTEN PORT...

Writes RUN_DIR/nginx.conf (run it with nginx -p RUN_DIR -c RUN_DIR/nginx.conf). Used by
scripts/serve-replicas.sh and the replica test.
"""
from __future__ import annotations

import sys
from pathlib import Path

TEMPLATE = Path(__file__).resolve().parents[1] / "deploy" / "nginx.conf"


def render(run_dir: Path, listen: str, ports: list[int]) -> Path:
    servers = "\n".join(f"        server 127.0.0.1:{port};" for port in ports)
    text = (TEMPLATE.read_text().replace("@PREFIX@", str(run_dir)).replace("@LISTEN@", listen)
            .replace("@SERVERS@", servers))
    target = Path(run_dir) / "nginx.conf"
    target.write_text(text)
    return target


if __name__ == "__main__":
    render(Path(sys.argv[1]).resolve(), sys.argv[2], [int(p) for p in sys.argv[3:]])
