"""The `make prod` stack for benchmarks: the Procfile's processes under honcho, plus private
Redis and PostgreSQL instances the fault runs may restart without disturbing anyone else."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import redis
import requests

from bench.common import AES_KEY, APP_ID, ROOT, TOKEN, free_port

PG_BIN = sorted(Path("/usr/lib/postgresql").glob("*/bin"))[-1] if Path("/usr/lib/postgresql").exists() else None


def real_clock_env() -> dict:
    """The environment for third-party servers (Redis, PostgreSQL): without libfaketime, which a
    moved-clock test run preloads into every child and which Redis' allocator cannot start under.
    They keep the machine's clock, as the shared services of a moved-clock CI run do."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("FAKETIME") and k != "DONT_FAKE_MONOTONIC"}
    preload = [lib for lib in env.pop("LD_PRELOAD", "").split() if "faketime" not in lib]
    return {**env, "LD_PRELOAD": " ".join(preload)} if preload else env



DATA_KEY = "bench-data-key-0123456789abcdefghijk"  # the stack's data key: checks read its rows with it

class PrivateRedis:
    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.proc: subprocess.Popen | None = None

    def start(self) -> "PrivateRedis":
        self.proc = subprocess.Popen([shutil.which("redis-server"), "--port", str(self.port), "--bind", "127.0.0.1",
                                      "--save", "", "--appendonly", "no"], stdout=subprocess.DEVNULL,
                                     env=real_clock_env())
        _wait(lambda: redis.Redis(port=self.port).ping(), "redis")
        return self

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)


class PrivatePostgres:
    """initdb in a temporary directory, run as the postgres user (initdb refuses root)."""

    def __init__(self) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="xiaoer-pg-"))
        self.port = free_port()
        self.url = f"postgresql://postgres@127.0.0.1:{self.port}/postgres"
        shutil.chown(self.dir, "postgres", "postgres") if os.geteuid() == 0 else None
        self._run("initdb", "-D", str(self.dir / "data"), "-A", "trust", "-U", "postgres")

    def _run(self, tool: str, *args: str) -> None:
        cmd = [str(PG_BIN / tool), *args]
        if os.geteuid() == 0:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=real_clock_env())

    def start(self) -> "PrivatePostgres":
        self._run("pg_ctl", "-D", str(self.dir / "data"), "-l", str(self.dir / "log"), "-w", "-o",
                  f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off",
                  "start")
        return self

    def stop(self, mode: str = "immediate") -> None:
        self._run("pg_ctl", "-D", str(self.dir / "data"), "-m", mode, "-w", "stop")

    def destroy(self) -> None:
        try:
            self.stop()
        except subprocess.CalledProcessError:
            pass
        shutil.rmtree(self.dir, ignore_errors=True)


class ProdStack:
    """`honcho start -f Procfile web worker`, as `make prod` runs it, with this environment.
    `processes=("web",)` leaves the worker out (honcho stops every process when one dies, so a
    fault run that kills the worker runs it as a `WorkerProcess` beside the stack)."""

    def __init__(self, database_url: str, redis_url: str, work: Path, web_workers: int = 2, extra: dict | None = None,
                 processes: tuple[str, ...] = ("web", "worker")):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.work = work
        self.env = {**os.environ, "DATABASE_URL": database_url, "REDIS_URL": redis_url, "WECHAT_TOKEN": TOKEN,
                    "WECHAT_APP_ID": APP_ID, "WECHAT_AES_KEY": AES_KEY, "SECRET_KEY": "bench-secret-key-0123456789abcdefghij",
                    "DATA_KEY": DATA_KEY,
                    "INSTANCE_PATH": str(work), "WEB_WORKERS": str(web_workers), "WEB_THREADS": "16",
                    "MODEL_PATH": str(ROOT / "models"), "PYTHONUNBUFFERED": "1", **(extra or {})}
        self.processes = processes
        self.proc: subprocess.Popen | None = None

    def start(self, timeout: float = 300) -> "ProdStack":
        subprocess.run([str(ROOT / ".venv/bin/python"), "-m", "bot.prod", "check"], env=self.env, check=True, cwd=ROOT,
                       stdout=subprocess.DEVNULL)
        subprocess.run([str(ROOT / ".venv/bin/flask"), "--app", "bot", "db", "upgrade"], env=self.env, check=True,
                       cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.proc = subprocess.Popen([str(ROOT / ".venv/bin/honcho"), "start", "-f", "Procfile", "-p", str(self.port),
                                      *self.processes], cwd=ROOT, env=self.env, start_new_session=True,
                                     stdout=open(self.work / "stack.log", "a"), stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        healthy = 0
        while healthy < 2 * int(self.env["WEB_WORKERS"]):  # every worker's model loaded (round robin-ish)
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"stack did not start; see {self.work / 'stack.log'}")
            try:
                healthy = healthy + 1 if requests.get(f"{self.url}/healthz", timeout=2).status_code == 200 else 0
            except requests.RequestException:
                healthy = 0
            time.sleep(0.5)
        return self

    def stop(self) -> None:
        """SIGTERM to every process of the stack at once, as systemd or a deploy stops it."""
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(10)

    def gunicorn_workers(self) -> list[int]:
        """The pids of the gunicorn worker processes: gunicorn processes (not the shell honcho starts
        them with) whose parent is a gunicorn process, the master."""
        tree = _process_tree()
        ours = {pid for pid in tree if _descends(tree, pid, self.proc.pid)}

        def gunicorn(pid: int) -> bool:
            cmd = tree.get(pid, (0, ""))[1]
            return pid in ours and "gunicorn" in cmd and "python" in cmd.split(" ")[0]

        return sorted(pid for pid, (ppid, _) in tree.items() if gunicorn(pid) and gunicorn(ppid))


class WorkerProcess:
    """`flask --app bot worker` (the Procfile's worker) on its own, so a fault run can kill it
    (and the job it is running, in its forked work horse) and start another."""

    def __init__(self, env: dict, log: Path) -> None:
        self.env, self.log = env, log
        self.proc: subprocess.Popen | None = None

    def start(self) -> "WorkerProcess":
        self.proc = subprocess.Popen([str(ROOT / ".venv/bin/flask"), "--app", "bot", "worker"], cwd=ROOT, env=self.env,
                                     start_new_session=True, stdout=open(self.log, "a"), stderr=subprocess.STDOUT)
        return self

    def kill(self, sig: int = signal.SIGKILL) -> None:
        """The worker and its work horse at once, as the OOM killer or `kill -9` on its cgroup does."""
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, sig)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(10)

    def stop(self) -> None:
        self.kill(signal.SIGTERM)


def _process_tree() -> dict[int, tuple[int, str]]:
    """pid -> (parent pid, command line) from /proc."""
    tree = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmd = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        tree[int(entry.name)] = (int(stat.rsplit(")", 1)[1].split()[1]), cmd)
    return tree


def _descends(tree: dict, pid: int, ancestor: int) -> bool:
    while pid and pid in tree:
        if pid == ancestor:
            return True
        pid = tree[pid][0]
    return False


class RasaProcess:
    """`rasa run --enable-api` outside honcho (honcho stops every process when one dies), so a
    fault run can kill it and start it again on the same port."""

    def __init__(self, token: str, work: Path, model: Path | None = None) -> None:
        self.port, self.token, self.log = free_port(), token, work / "rasa.log"
        self.model = model or ROOT / "models"
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen | None = None

    def start(self, timeout: float = 240) -> "RasaProcess":
        self.proc = subprocess.Popen([str(ROOT / ".venv/bin/rasa"), "run", "--enable-api", "--auth-token", self.token,
                                      "-m", str(self.model), "-i", "127.0.0.1", "-p", str(self.port)],
                                     cwd=ROOT, stdout=open(self.log, "a"), stderr=subprocess.STDOUT)
        _wait(lambda: requests.get(f"{self.url}/status", params={"token": self.token}, timeout=2).ok, "rasa", timeout)
        return self

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)


def _wait(check, what: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except Exception:
            pass
        time.sleep(0.05)
    raise SystemExit(f"{what} did not start")
