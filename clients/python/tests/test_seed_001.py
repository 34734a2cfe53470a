"""Seed 001's drop-in: StreamingManager and StreamingExecutionWrapper used as the document shows,
checked natively and on the 001 socket; handlers fed by events from another producer."""

from __future__ import annotations

import asyncio
import json
import uuid
from typing import Any, Dict, List

import websockets

from conftest import Server, events_of

from runcast import Publisher
from runcast.seeds.streaming_manager import StreamEvent, StreamingExecutionWrapper, StreamingManager

SEQUENCE = ["plan_started"] + ["step_started", "step_progress", "step_progress", "step_progress", "step_completed"] * 3 + [
    "plan_completed"]


class ResearchAgent:
    async def execute_step(self, step: Dict[str, Any], context: Dict[str, Any]) -> Dict[str, Any]:
        return {"status": "success", "findings": [f"{step['id']} for {context['user']}"]}


def test_wrapper_streamsTheDocumentsSeventeenEvents_toThe001SocketAndNatively(server: Server) -> None:
    plan_id = f"plan-{uuid.uuid4().hex[:8]}"
    plan = {"plan_id": plan_id, "query": "Research query",
            "steps": [{"id": "step_1"}, {"id": "step_2"}, {"id": "step_3"}]}

    async def socket(ready: asyncio.Event) -> List[Dict[str, Any]]:
        frames: List[Dict[str, Any]] = []
        url = server.url.replace("http", "ws") + f"/api/v1/streaming/ws/client_123?plan_id={plan_id}"
        async with websockets.connect(url) as ws:
            async for raw in ws:
                f = json.loads(raw)
                if f["event_type"] == "ping":
                    ready.set()
                    continue
                frames.append(f)
                if f["event_type"] in ("plan_completed", "plan_failed"):
                    return frames
        raise AssertionError("socket closed")

    async def main() -> None:
        ready = asyncio.Event()
        client = asyncio.create_task(socket(ready))
        await asyncio.wait_for(ready.wait(), 20)
        manager = StreamingManager(ping_interval=30, url=server.url)
        result = await StreamingExecutionWrapper(ResearchAgent(), manager).execute_research_plan_streaming(
            plan=plan, context={"user": "ana"})
        assert result["status"] == "completed"
        frames = await asyncio.wait_for(client, 30)
        assert [f["event_type"] for f in frames] == SEQUENCE
        assert [f["data"]["progress"] for f in frames if f["event_type"] == "step_progress"] == [0.25, 0.5, 0.75] * 3
        assert frames[5]["data"]["result"] == {"status": "success", "findings": ["step_1 for ana"]}
        history = await manager.get_event_history(plan_id)
        assert [e.type_name for e in history] == SEQUENCE
        assert [e.event_id for e in history] == [f["event_id"] for f in frames]
        await manager.close()

    asyncio.run(asyncio.wait_for(main(), 60))
    native = [e["type"] for e in events_of(server.url, plan_id)]
    assert len(native) == 17 and native[0] == "run.started" and native[-1] == "run.completed"


def test_handlers_runOnEventsFromAnyProducer(server: Server) -> None:
    plan_id = f"plan-{uuid.uuid4().hex[:8]}"

    async def main() -> None:
        manager = StreamingManager(url=server.url)
        seen: List[StreamEvent] = []
        got = asyncio.Event()

        async def on_quality_check(event: StreamEvent) -> None:
            seen.append(event)
            got.set()

        def on_progress(event: StreamEvent) -> None:
            seen.append(event)

        manager.register_handler("quality_check", on_quality_check)
        manager.register_handler("step_progress", on_progress)
        await manager.start_listening()
        # another producer: a plain publisher, not this manager
        with Publisher(server.url) as other:
            other.run_started(plan_id, {"query": "q"})
            other.progress(plan_id, "step_1", 40, "reading")
            other.quality_check(plan_id, 0.62, False, gate="sources")
        await asyncio.wait_for(got.wait(), 20)
        await manager.close()
        assert [(e.type_name, e.plan_id) for e in seen] == [("step_progress", plan_id), ("quality_check", plan_id)]
        assert seen[0].data["progress"] == 0.4 and seen[1].data["quality_score"] == 0.62

    asyncio.run(asyncio.wait_for(main(), 60))
