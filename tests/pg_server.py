"""A throw-away PostgreSQL server from Debian's binaries, for the store tests and the store bench.

`initdb` refuses to run as root (CI runs as root): then the server runs as an unprivileged user (`postgres` when
the Debian package made it, else `nobody`) through `runuser`. It listens on 127.0.0.1 only, on a free port, with
no Unix socket, password authentication for TCP, and its data in its own temporary directory (never under
pytest's tmp dirs: they are not readable by another user, and another pytest session may prune them).
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path

USER, PASSWORD = "nblabel", "s3cret pass"


def binaries() -> Path | None:
    """The newest `/usr/lib/postgresql/<version>/bin` that has initdb and pg_ctl."""
    found = [Path(p).parent for p in glob.glob("/usr/lib/postgresql/*/bin/initdb")
             if Path(p).with_name("pg_ctl").exists()]
    found.sort(key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0)
    return found[-1] if found else None


def missing() -> str | None:
    """Why no server can be started here (None: it can)."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return 'psycopg is not installed (pip install "nblabel[postgres]")'
    if binaries() is None:
        return "PostgreSQL server binaries not found in /usr/lib/postgresql/*/bin (apt-get install postgresql)"
    if os.geteuid() == 0 and (shutil.which("runuser") is None or _run_as() is None):
        return "running as root without runuser or an unprivileged user for initdb"
    return None


def _run_as() -> str | None:
    for name in ("postgres", "nobody"):
        try:
            pwd.getpwnam(name)
            return name
        except KeyError:
            continue
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PgServer:
    """One PostgreSQL cluster in a temporary directory; `url(db)` names a database on it."""

    def __init__(self, fsync: bool = False) -> None:
        self.bin = binaries()
        self.user = _run_as() if os.geteuid() == 0 else None
        self.root = Path(tempfile.mkdtemp(prefix="nblabel-pg-"))
        self.data = self.root / "data"
        self.port = _free_port()
        self.fsync = fsync
        self._db_made = False

    def _cmd(self, *args: str) -> list[str]:
        return (["runuser", "-u", self.user, "--"] if self.user else []) + list(args)

    def _run(self, *args: str, timeout: float = 300) -> None:
        # its own process group: on a timeout, initdb (a child of runuser) is ended too, not left behind
        proc = subprocess.Popen(self._cmd(*args), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=self.root,
                                start_new_session=True)
        try:
            _, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            raise
        if proc.returncode:
            raise subprocess.CalledProcessError(proc.returncode, args[0], stderr=err)

    def start(self) -> "PgServer":
        """initdb, then start the server and wait until it accepts connections."""
        try:
            self._init()
        except BaseException:
            self.cleanup()
            raise
        return self

    def _init(self) -> None:
        pwfile = self.root / "pw"
        pwfile.write_text(PASSWORD + "\n")
        if self.user:
            info = pwd.getpwnam(self.user)
            os.chown(self.root, info.pw_uid, info.pw_gid)
            os.chown(pwfile, info.pw_uid, info.pw_gid)
        self._run(str(self.bin / "initdb"), "-D", str(self.data), "-U", USER, f"--pwfile={pwfile}",
                  "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8", "--no-sync")
        self._start()

    def _start(self) -> None:
        opts = (f"-p {self.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories='' "
                f"-c fsync={'on' if self.fsync else 'off'} -c max_connections=100 -c shared_buffers=32MB")
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.data / "server.log"),
                  "-o", opts, "-w", "-t", "120", "start")

    def stop(self, mode: str = "fast") -> None:
        """Stop the server (`mode`: smart, fast or immediate); the data stays until `cleanup`."""
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop")

    def restart(self) -> None:
        """Start it again on the same port, with the same data."""
        self._start()

    def cleanup(self) -> None:
        """Stop the server if it runs, and delete its data."""
        if (self.data / "postmaster.pid").exists():
            try:
                self.stop("immediate")
            except subprocess.SubprocessError:
                pass  # already stopped
        shutil.rmtree(self.root, ignore_errors=True)

    def url(self, db: str = "postgres") -> str:
        """A connection URL with the password (as a user would write it)."""
        from urllib.parse import quote
        return f"postgresql://{USER}:{quote(PASSWORD)}@127.0.0.1:{self.port}/{db}"

    def new_store(self) -> str:
        """The URL of a fresh, empty store: its own schema (the URL's search_path) in one shared test database."""
        import psycopg
        if not self._db_made:
            with psycopg.connect(self.url(), autocommit=True) as conn:
                conn.execute("CREATE DATABASE nblabel_tests STRATEGY FILE_COPY")
            self._db_made = True
        name = "t_" + uuid.uuid4().hex[:12]
        with psycopg.connect(self.url("nblabel_tests"), autocommit=True) as conn:
            conn.execute(f"CREATE SCHEMA {name}")
        return self.url("nblabel_tests") + f"?options=-csearch_path%3D{name}"


def rows(store: str, sql: str) -> list[tuple]:
    """`sql`'s rows read on a connection of its own (a SQLite path or a PostgreSQL URL): what another process sees."""
    if store.startswith("postgresql://"):
        import psycopg
        with psycopg.connect(store) as conn:
            return [tuple(r) for r in conn.execute(sql).fetchall()]
    import sqlite3
    with sqlite3.connect(store) as con:
        return con.execute(sql).fetchall()
