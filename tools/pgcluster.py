"""A local PostgreSQL 15 cluster: throw-away for the tests, kept for scripts/serve-replicas.sh.

Debian's postgresql-15 is installed but not started. PostgreSQL refuses to run as root, so
as root the cluster runs as the `postgres` user, in a folder it owns; it listens only on a
Unix socket in that folder (no TCP port, nothing reachable from outside).

    python tools/pgcluster.py start FOLDER   # initdb if needed, start, print the URL of db "fupin"
    python tools/pgcluster.py stop FOLDER
"""
from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

import sqlalchemy as sa

PG_BIN = Path("/usr/lib/postgresql/15/bin")
PORT = 5432  # only names the socket file (.s.PGSQL.5432) inside our own folder: no TCP


class ClusterUnavailable(RuntimeError):
    pass


def _as_owner(command: list[str], owner: str | None) -> list[str]:
    return ["runuser", "-u", owner, "--", *command] if owner else command


class Cluster:
    def __init__(self, folder: Path):
        self.folder = folder
        self.data = folder / "data"
        self.owner = "postgres" if os.geteuid() == 0 else None

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@/{database}?host={self.folder}&port={PORT}"

    def start(self) -> None:
        if not (PG_BIN / "initdb").exists():
            raise ClusterUnavailable(f"{PG_BIN}/initdb 不存在：请安装 postgresql-15（scripts/test.sh 会安装）。")
        if self.owner:
            entry = pwd.getpwnam(self.owner)
            os.chown(self.folder, entry.pw_uid, entry.pw_gid)
        self.folder.chmod(0o700)
        run = dict(check=True, capture_output=True, text=True)
        if not (self.data / "PG_VERSION").exists():
            subprocess.run(_as_owner([str(PG_BIN / "initdb"), "-D", str(self.data), "-U", "postgres",
                                      "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"],
                                     self.owner), **run)
        options = (f"-c listen_addresses='' -c unix_socket_directories='{self.folder}' -p {PORT} "
                   "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
                   "-c max_connections=200 -c shared_buffers=64MB")
        subprocess.run(_as_owner([str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-o", options,
                                  "-l", str(self.folder / "server.log"), "-w", "-t", "60", "start"],
                                 self.owner), **run)

    def stop(self) -> None:
        subprocess.run(_as_owner([str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "immediate",
                                  "-w", "stop"], self.owner), capture_output=True)

    def create_database(self, template: str | None = None, name: str | None = None) -> str:
        """A new empty (or copied) database (`name` only if it does not exist); returns its URL."""
        name = name or f"t_{uuid.uuid4().hex[:12]}"
        engine = sa.create_engine(self.url(), isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            exists = connection.execute(sa.text("SELECT 1 FROM pg_database WHERE datname = :n"),
                                        {"n": name}).first()
            if not exists:
                clause = f" TEMPLATE {template}" if template else ""
                connection.exec_driver_sql(f"CREATE DATABASE {name}{clause}")
        engine.dispose()
        return self.url(name)


@contextlib.contextmanager
def running_cluster():
    folder = Path(tempfile.mkdtemp(prefix="fupin-pg-"))
    cluster = Cluster(folder)
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.stop()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    action, folder = sys.argv[1], Path(sys.argv[2]).resolve()
    folder.mkdir(parents=True, exist_ok=True)
    cluster = Cluster(folder)
    if action == "start":
        cluster.start()
        print(cluster.create_database(name="fupin"))
    else:
        cluster.stop()
