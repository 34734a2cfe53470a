"""A real Runcast server for the tests: started from the jar named by RUNCAST_JAR (default:
cli/target/runcast.jar of this checkout), on a free port, with a temporary SQLite data dir."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Iterator, List, Optional

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "clients" / "python"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """One `runcast serve` process; `restart()` stops it and starts it again on the same port and data."""

    def __init__(self, jar: Path, data: Path, extra: Optional[List[str]] = None) -> None:
        self.jar, self.data, self.extra = jar, data, extra or []
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: Optional[subprocess.Popen[bytes]] = None
        self.log = open(data / "server.log", "ab")

    def start(self) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith("RUNCAST_")}
        cmd = ["java", "-jar", str(self.jar), "serve", "--port", str(self.port), "--store", "sqlite",
               "--data", str(self.data / "store"), *self.extra]
        self.proc = subprocess.Popen(cmd, cwd=self.data, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"runcast serve exited with {self.proc.returncode}; see {self.log.name}")
            try:
                if httpx.get(self.url + "/api/health", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"runcast serve did not answer /api/health within 60s; see {self.log.name}")

    def stop(self, kill: bool = False) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill() if kill else self.proc.terminate()
            self.proc.wait(30)
        self.proc = None

    def restart(self) -> None:
        self.stop()
        self.start()


@pytest.fixture(scope="session")
def jar() -> Path:
    jar = Path(os.environ.get("RUNCAST_JAR", ROOT / "cli" / "target" / "runcast.jar"))
    if not jar.is_file():
        pytest.fail(f"{jar} is missing: build it with ./mvnw -B -q -pl cli -am package -DskipTests")
    return jar


@pytest.fixture(scope="session")
def server(jar: Path) -> Iterator[Server]:
    with tempfile.TemporaryDirectory(prefix="runcast-py-") as tmp:
        s = Server(jar, Path(tmp))
        s.start()
        try:
            yield s
        finally:
            s.stop()
            s.log.close()


@pytest.fixture()
def own_server(jar: Path) -> Iterator[Server]:
    """A server of this test's own, which the test may restart or kill."""
    with tempfile.TemporaryDirectory(prefix="runcast-py-") as tmp:
        s = Server(jar, Path(tmp))
        s.start()
        try:
            yield s
        finally:
            s.stop()
            s.log.close()


def events_of(url: str, run: str) -> list:
    """Every stored event of a run, read back over HTTP."""
    out: list = []
    after = 0
    while True:
        page = httpx.get(f"{url}/api/runs/{run}/events", params={"after": after, "limit": 1000}).json()
        out += page["events"]
        if not page["events"] or page["events"][-1]["seq"] >= page["head"]:
            return out
        after = page["events"][-1]["seq"]
