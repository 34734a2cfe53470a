"""Publishers against a real server: one event, many, over the limits, refusals, lost answers."""

from __future__ import annotations

import asyncio
import socket
import threading
import uuid

import httpx
import pytest

from conftest import Server, events_of

import runcast
from runcast import AsyncPublisher, Publisher


def new_run(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def test_publish_one_landsWithItsFieldsAndSeq(server: Server) -> None:
    run = new_run("one")
    with Publisher(server.url) as pub:
        seq = pub.tool_call(run, "search", {"q": "tides"}, "c1", step="s1", agent="researcher").result(10)
    assert seq == 1
    [e] = events_of(server.url, run)
    assert (e["type"], e["step"], e["agent"], e["data"]) == (
        "tool.call", "s1", "researcher", {"tool": "search", "input": {"q": "tides"}, "call": "c1"})


@pytest.mark.parametrize("pad, limit", [("", "max_batch"), ("x" * 300, "max_frame_bytes")])
def test_publishMany_overTheBatchOrFrameLimit_landsAllInOrder(server: Server, pad: str, limit: str) -> None:
    run = new_run("many")
    n = 2500
    with Publisher(server.url) as pub:
        limits = pub.limits()
        events = [{"type": "answer.delta", "data": {"i": i, "text": pad}} for i in range(n)]
        body = len(runcast._core.compact(events))
        # one request could not carry them: by count alone, or by bytes alone
        if limit == "max_batch":
            assert n > limits.max_batch and body < limits.max_frame_bytes
        else:
            assert body > limits.max_frame_bytes and body // limits.max_frame_bytes + 1 < limits.max_batch
            assert n * (limits.max_frame_bytes / body) < limits.max_batch  # bytes bind before the count
        futures = pub.publish_many(run, events)
        pub.flush()
        # cut before sending: no request was refused, and they shared few requests
        assert pub.stats.split == 0 and pub.stats.retries == 0
        assert pub.stats.requests <= 2 * (n // limits.max_batch + body // limits.max_frame_bytes + 1)
    assert [f.result() for f in futures] == list(range(1, n + 1))
    stored = events_of(server.url, run)
    assert [e["data"]["i"] for e in stored] == list(range(n))
    assert [e["seq"] for e in stored] == list(range(1, n + 1))


def test_oversizeEvent_raisesTheServersTooLarge_andOnlyItFails(server: Server) -> None:
    run = new_run("big")
    with Publisher(server.url) as pub:
        big = "y" * (pub.limits().max_event_bytes + 10)
        before = pub.thinking(run, "before")
        oversize = pub.thinking(run, big)
        after = pub.thinking(run, "after")
        with pytest.raises(runcast.TooLargeError) as raised:
            pub.flush()
    assert raised.value.code == "too_large"
    assert isinstance(oversize.exception(), runcast.TooLargeError)
    assert (before.result(), after.result()) == (1, 2)
    assert [e["data"]["content"] for e in events_of(server.url, run)] == ["before", "after"]


def test_unknownTypeInABatch_failsThatEventOnly(server: Server) -> None:
    run = new_run("type")
    with Publisher(server.url, linger=0.05) as pub:
        futures = pub.publish_many(run, [{"type": "agent.thinking", "data": {"content": "a"}},
                                         {"type": "nope"},
                                         {"type": "x.acme.cost", "data": {"usd": 1}}])
        with pytest.raises(runcast.InvalidTypeError):
            pub.flush()
        assert pub.stats.split == 1
    assert futures[0].result() == 1 and futures[2].result() == 2
    assert isinstance(futures[1].exception(), runcast.InvalidTypeError)


def test_asyncPublisher_publishesInOrder_andRefusesAfterTheTerminalEvent(server: Server) -> None:
    run = new_run("async")

    async def main() -> None:
        async with AsyncPublisher(server.url) as pub:
            first = pub.run_started(run, {"query": "q"})
            pub.publish_many(run, [{"type": "answer.delta", "data": {"text": str(i)}} for i in range(50)])
            pub.answer(run, "done")
            last = pub.run_completed(run)
            await pub.flush()
            assert (await first, await last) == (1, 53)
            late = pub.thinking(run, "too late")
            with pytest.raises(runcast.RunClosedError):
                await pub.flush()
            with pytest.raises(runcast.RunClosedError):
                await late

    asyncio.run(main())
    types = [e["type"] for e in events_of(server.url, run)]
    assert types[0] == "run.started" and types[-2:] == ["answer.final", "run.completed"] and len(types) == 53


class AnswerDroppingProxy:
    """A TCP proxy that forwards requests to the server but, while `drop` > 0, closes the client's
    connection instead of passing an answer back: the request was served, its answer lost."""

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self.drop = 0
        self.dropped = 0
        self.lock = threading.Lock()
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(("127.0.0.1", self.target_port))
            threading.Thread(target=self._pump, args=(client, upstream, False), daemon=True).start()
            threading.Thread(target=self._pump, args=(upstream, client, True), daemon=True).start()

    def _pump(self, src: socket.socket, dst: socket.socket, answers: bool) -> None:
        try:
            while chunk := src.recv(65536):
                if answers:
                    with self.lock:
                        if self.drop > 0:
                            self.drop -= 1
                            self.dropped += 1
                            raise OSError("answer dropped")
                dst.sendall(chunk)
        except OSError:
            pass
        for s in (src, dst):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            s.close()

    def close(self) -> None:
        self.listener.close()


def test_lostAnswers_areRetriedWithTheSameKeys_andDuplicateNothing(server: Server) -> None:
    run = new_run("lost")
    proxy = AnswerDroppingProxy(server.port)
    try:
        with Publisher(f"http://127.0.0.1:{proxy.port}", linger=0.05) as pub:
            pub.limits()  # learnt before answers start to vanish
            with proxy.lock:
                proxy.drop = 2
            futures = pub.publish_many(run, [{"type": "answer.delta", "data": {"i": i}} for i in range(20)])
            pub.flush(timeout=30)
        assert proxy.dropped == 2 and pub.stats.retries == 2
        assert [f.result() for f in futures] == list(range(1, 21))
        assert [e["data"]["i"] for e in events_of(server.url, run)] == list(range(20))
    finally:
        proxy.close()


def test_serverDown_isRetriedWithBackoff_untilItAnswers(own_server: Server) -> None:
    run = new_run("down")
    own_server.stop()
    restarter = threading.Timer(1.0, own_server.start)
    restarter.start()
    try:
        with Publisher(own_server.url) as pub:
            seq = pub.thinking(run, "held until the server is back").result(60)
    finally:
        restarter.join()
    assert seq == 1
    assert httpx.get(f"{own_server.url}/api/runs/{run}").json()["head"] == 1


def test_cancel_appendsRunCancelled(server: Server) -> None:
    run = new_run("cancel")
    with Publisher(server.url) as pub:
        pub.run_started(run, {"query": "q"}).result(10)
        seq = pub.cancel(run, reason="user left")
    assert seq == 2
    assert events_of(server.url, run)[-1]["type"] == "run.cancelled"
