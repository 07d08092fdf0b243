"""A throwaway PostgreSQL server for the tests: initdb into a temporary folder, started on loopback.

The tests start it themselves (once per session) from the server binaries of the machine:
``AMU_PG_BIN`` if set, else the folder of ``pg_ctl`` on PATH, else Debian's
``/usr/lib/postgresql/*/bin``. PostgreSQL refuses to run as root, so under root the server
runs as the ``postgres`` user (Debian's package makes it) or ``nobody``.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

NEEDED = ("initdb", "pg_ctl", "postgres")
MISSING = ("no PostgreSQL server binaries (initdb, pg_ctl, postgres) found: install Debian's postgresql "
           "package (apt-get install -y postgresql; .ci/run does) or set AMU_PG_BIN to their folder")


def find_bin() -> Path | None:
    """The folder that holds initdb, pg_ctl and postgres, or None."""
    candidates: list[Path] = []
    if os.environ.get("AMU_PG_BIN"):
        candidates.append(Path(os.environ["AMU_PG_BIN"]))
    for name in NEEDED:
        found = shutil.which(name)
        if found:
            candidates.append(Path(found).resolve().parent)
    debian = Path("/usr/lib/postgresql")
    if debian.is_dir():
        versions = sorted((p for p in debian.iterdir() if p.name.isdigit()), key=lambda p: int(p.name), reverse=True)
        candidates += [p / "bin" for p in versions]
    for folder in candidates:
        if all((folder / n).is_file() and os.access(folder / n, os.X_OK) for n in NEEDED):
            return folder
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    bin: Path
    root: Path
    port: int
    user: int | None      # the uid the server runs as (None: as ourselves)
    group: int | None

    @property
    def data(self) -> Path:
        return self.root / "data"

    def url(self, dbname: str = "postgres") -> str:
        return f"postgresql://amu@127.0.0.1:{self.port}/{dbname}"

    def _run(self, *args: str) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "LC_ALL": "C", "LANG": "C"}
        return subprocess.run([str(self.bin / args[0]), *args[1:]], capture_output=True, text=True, env=env,
                              user=self.user, group=self.group, cwd=self.root, timeout=120)

    def start(self) -> None:
        done = self._run("initdb", "-D", str(self.data), "-U", "amu", "-A", "trust", "-E", "UTF8", "--locale=C",
                         "--no-sync")
        if done.returncode:
            raise RuntimeError(f"initdb failed:\n{done.stdout}\n{done.stderr}")
        options = (f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off "
                   "-c synchronous_commit=off -c full_page_writes=off -c max_connections=60")
        done = self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.root / "server.log"),
                         "-w", "-t", "60", "start")
        if done.returncode:
            log = (self.root / "server.log").read_text(errors="replace") if (self.root / "server.log").exists() else ""
            raise RuntimeError(f"pg_ctl start failed:\n{done.stdout}\n{done.stderr}\n{log}")

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.root, ignore_errors=True)


def start_server() -> Server:
    """A started server; raises RuntimeError when the binaries exist but the server cannot start."""
    folder = find_bin()
    if folder is None:
        raise FileNotFoundError(MISSING)
    root = Path(tempfile.mkdtemp(prefix="amu-pg-"))
    user = group = None
    if os.geteuid() == 0:
        try:
            account = pwd.getpwnam("postgres")
        except KeyError:
            account = pwd.getpwnam("nobody")
        user, group = account.pw_uid, account.pw_gid
        os.chown(root, user, group)
    server = Server(folder, root, _free_port(), user, group)
    try:
        server.start()
    except BaseException:
        shutil.rmtree(root, ignore_errors=True)
        raise
    return server
