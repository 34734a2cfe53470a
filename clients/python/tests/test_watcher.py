"""The watcher against a real server: resume across a restart, recovered:false surfaced, chat + decide."""

from __future__ import annotations

import asyncio
import uuid
from typing import List

from conftest import Server

from runcast import AsyncPublisher, Event, Publisher, watch


def new_run(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def test_watch_resumesAcrossAServerRestart_losingAndRepeatingNothing(own_server: Server) -> None:
    run = new_run("resume")
    with Publisher(own_server.url) as pub:
        pub.run_started(run, {"query": "q"})
        pub.publish_many(run, [{"type": "answer.delta", "data": {"i": i}} for i in range(4)])
        pub.flush()

    async def main() -> List[Event]:
        w = watch(own_server.url, run)
        seen: List[Event] = []
        async for event in w:
            seen.append(event)
            if event.seq == 5:
                # the server goes away with the watcher connected, and comes back on the same port and data
                await asyncio.to_thread(own_server.restart)
                async with AsyncPublisher(own_server.url) as apub:
                    apub.publish_many(run, [{"type": "answer.delta", "data": {"i": i}} for i in range(4, 9)])
                    apub.run_completed(run)
        assert w.ended and w.recovered and not w.lost
        assert w.reconnects >= 1
        assert w.repeats_dropped == 0  # the server resumed after seq 5 itself: since and epoch were sent
        assert all(s.recovered for s in w.subscriptions) and len(w.subscriptions) >= 2
        return seen

    seen = asyncio.run(asyncio.wait_for(main(), 90))
    assert [e.seq for e in seen] == list(range(1, 12))
    assert [e.data.get("i") for e in seen[1:10]] == list(range(9))
    assert seen[-1].type == "run.completed"


def test_watch_ofAnotherEpoch_isToldNotRecovered_andDeliversTheCurrentStream(server: Server) -> None:
    run = new_run("lost")
    with Publisher(server.url) as pub:
        pub.publish_many(run, [{"type": "answer.delta", "data": {"i": i}} for i in range(3)] + [{"type": "run.completed"}])
        pub.flush()

    async def main() -> None:
        w = watch(server.url, run, since=2, epoch="not-this-runs-epoch")
        seqs = [e.seq async for e in w]
        assert not w.recovered
        assert [(s.recovered, s.first, s.since) for s in w.lost] == [(False, 1, 2)]
        assert seqs == [1, 2, 3, 4]

    asyncio.run(asyncio.wait_for(main(), 30))


def test_watch_withTypes_deliversOnlyThoseAndTheTerminalEvent(server: Server) -> None:
    run = new_run("types")
    with Publisher(server.url) as pub:
        pub.thinking(run, "hmm")
        pub.delta(run, "a")
        pub.run_completed(run)
        pub.flush()

    async def main() -> List[str]:
        return [e.type async for e in watch(server.url, run, types=["answer.*"])]

    assert asyncio.run(asyncio.wait_for(main(), 30)) == ["answer.delta", "run.completed"]


def test_chat_startedFromPython_asksADecision_answeredFromPython(server: Server) -> None:
    async def main() -> List[Event]:
        async with AsyncPublisher(server.url) as pub:
            chat = await pub.start_chat("remember that the tide turns at six")
            assert chat["agent"] == "scripted"
            seen: List[Event] = []
            async for event in watch(server.url, chat["run"]):
                seen.append(event)
                if event.type == "decision.requested":
                    assert "approve" in event.data["options"]
                    await pub.decide(chat["run"], event.data["decision"], "approve", by="pytest")
            return seen

    seen = asyncio.run(asyncio.wait_for(main(), 120))
    types = [e.type for e in seen]
    resolved = next(e for e in seen if e.type == "decision.resolved")
    assert resolved.data["choice"] == "approve" and resolved.data["by"] == "pytest"
    result = next(e for e in seen if e.type == "tool.result" and e.data.get("tool") == "save_note")
    assert not result.data.get("denied")
    assert types[-1] == "run.completed"
