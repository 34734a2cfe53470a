"""Seed 004's drop-in: a workflow published through FleetStream ends with exactly one
response.completed and one done — also when its code raises — natively and on the fleet's socket."""

from __future__ import annotations

import asyncio
import json
import uuid
from typing import Any, Dict, List

import pytest
import websockets

from conftest import Server, events_of

from runcast.seeds.fleet import FleetStream


async def fleet_frames(url: str, conversation: str, message: str) -> List[Dict[str, Any]]:
    """What the fleet's front end receives when it sends this conversation's latest message."""
    frames: List[Dict[str, Any]] = []
    async with websockets.connect(url.replace("http", "ws") + "/api/ws/chat") as ws:
        await ws.send(json.dumps({"message": message, "conversation_id": conversation, "stream": True}))
        while True:
            frame = json.loads(await ws.recv())
            if frame["type"] != "heartbeat":
                frames.append(frame)
            if frame["type"] == "done":
                return frames


def test_workflowThatRaises_stillEndsWithOneResponseCompletedAndOneDone(server: Server) -> None:
    conversation = f"conv-{uuid.uuid4().hex[:8]}"
    run, message = f"{conversation}.1", "Estimate the roof"

    async def workflow() -> None:
        async with FleetStream(run, message=message, url=server.url) as stream:
            stream.emit("orchestrator.message", message="Routing: full pipeline")
            stream.emit("agent.start", agent_id="estimator")
            stream.emit("reasoning.delta", reasoning="Area first, then materials", agent_id="estimator")
            stream.emit("response.delta", delta="The roof is ", agent_id="estimator")
            stream.emit("response.delta", delta="120 m²", agent_id="estimator")
            raise RuntimeError("pricing service down")

    with pytest.raises(RuntimeError):
        asyncio.run(workflow())

    native = events_of(server.url, run)
    types = [e["type"] for e in native]
    assert types.count("answer.final") == 1 and types[-1] == "run.failed"
    assert native[-2]["data"]["text"] == "The roof is 120 m²"
    assert "pricing service down" in native[-1]["data"]["reason"]

    frames = asyncio.run(asyncio.wait_for(fleet_frames(server.url, conversation, message), 30))
    kinds = [f["type"] for f in frames]
    assert kinds.count("response.completed") == 1 and kinds.count("done") == 1
    assert kinds[-3:] == ["response.completed", "error", "done"]
    assert "pricing service down" in frames[-2]["error"]
    assert {"connected", "orchestrator.message", "agent.start", "reasoning.delta", "response.delta"} <= set(kinds)
    assert all(f.get("workflow_id") == run for f in frames)


def test_workflowThatEmitsItsOwnEnd_isNotEndedTwice(server: Server) -> None:
    conversation = f"conv-{uuid.uuid4().hex[:8]}"
    run, message = f"{conversation}.1", "What is 2 + 2?"

    async def workflow() -> None:
        async with FleetStream(run, message=message, url=server.url) as stream:
            stream.emit("response.delta", delta="4")
            stream.emit("response.completed", message="2 + 2 = 4")
            stream.emit("response.completed", message="a second answer is dropped")
            stream.emit("done")
            stream.emit("agent.message", message="nothing follows done")

    asyncio.run(workflow())
    types = [e["type"] for e in events_of(server.url, run)]
    assert types == ["run.started", "answer.delta", "answer.final", "run.completed"]
    frames = asyncio.run(asyncio.wait_for(fleet_frames(server.url, conversation, message), 30))
    kinds = [f["type"] for f in frames]
    assert kinds.count("response.completed") == 1 and kinds[-1] == "done" and kinds.count("done") == 1
    assert next(f for f in frames if f["type"] == "response.completed")["message"] == "2 + 2 = 4"
