"""A publisher killed mid-batch and run again with the same idempotency keys duplicates nothing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import httpx

from conftest import ROOT, Server, events_of

SCRIPT = Path(__file__).with_name("killed_publisher.py")


def _publisher(url: str, run: str, n: int) -> "subprocess.Popen[str]":
    env = dict(os.environ, PYTHONPATH=str(ROOT / "clients" / "python"))
    return subprocess.Popen([sys.executable, str(SCRIPT), url, run, str(n)], env=env,
                            stdout=subprocess.PIPE, text=True)


def test_publisherKilledMidBatch_andRerunWithTheSameKeys_duplicatesNothing(server: Server) -> None:
    run = f"killed-{uuid.uuid4().hex[:8]}"
    n = 20000
    first = _publisher(server.url, run, n)
    # kill -9 once some batches landed and before all of them did
    deadline = time.monotonic() + 60
    head = 0
    while time.monotonic() < deadline:
        r = httpx.get(f"{server.url}/api/runs/{run}")
        head = r.json()["head"] if r.status_code == 200 else 0
        if head > 0:
            break
        time.sleep(0.005)
    first.send_signal(signal.SIGKILL)
    first.wait(10)
    landed = httpx.get(f"{server.url}/api/runs/{run}").json()["head"]
    assert 0 < landed < n, f"the kill should land mid-run (head {landed})"

    second = _publisher(server.url, run, n)
    out, _ = second.communicate(timeout=120)
    assert second.returncode == 0 and "flushed" in out

    stored = events_of(server.url, run)
    assert [e["data"]["i"] for e in stored] == list(range(n))
