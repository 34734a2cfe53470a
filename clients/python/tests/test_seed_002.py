"""Seed 002's drop-in: a run_with_reasoning_stream-style iterator becomes a chat run that the
reasoning chat's socket shows as reasoning steps and a native subscriber as catalogue events."""

from __future__ import annotations

import asyncio
import json
import uuid
from typing import Any, AsyncIterator, Dict, List

import pytest
import websockets

from conftest import Server, events_of

from runcast.seeds.reasoning import stream_reasoning


async def run_with_reasoning_stream(prompt: str, fail: bool = False) -> AsyncIterator[Dict[str, Any]]:
    """Shaped like the document's BaseAgent method: one dict per reasoning step."""
    yield {"type": "thought", "content": f"I need to compute {prompt}", "iteration": 1, "timestamp": 1.0}
    yield {"type": "tool_use", "content": '{"expression": "17 * 23 + 4"}', "tool_name": "calculator", "iteration": 1}
    yield {"type": "tool_result", "content": '{"result": 395}', "tool_name": "calculator", "iteration": 1}
    if fail:
        raise RuntimeError("the model went away")
    yield {"type": "final_answer", "content": "17 * 23 + 4 = 395.", "iteration": 2}


async def reasoning_socket(url: str, session: str, ready: asyncio.Event) -> List[Dict[str, Any]]:
    frames: List[Dict[str, Any]] = []
    async with websockets.connect(url.replace("http", "ws") + f"/ws/chat/{session}") as ws:
        while True:
            frame = json.loads(await ws.recv())
            if frame["type"] == "connected":
                ready.set()
            elif frame["type"] != "ping":
                frames.append(frame)
            if frame["type"] == "reasoning_complete":
                return frames


@pytest.mark.parametrize("fail", [False, True])
def test_reasoningSteps_becomeAChatRun_shownOnTheReasoningSocket(server: Server, fail: bool) -> None:
    session = f"s-{uuid.uuid4().hex[:8]}"
    message = "17 * 23 + 4"

    async def main() -> None:
        ready = asyncio.Event()
        socket = asyncio.create_task(reasoning_socket(server.url, session, ready))
        await asyncio.wait_for(ready.wait(), 20)
        if fail:
            with pytest.raises(RuntimeError):
                await stream_reasoning(run_with_reasoning_stream(message, fail), session, message, url=server.url)
        else:
            run = await stream_reasoning(run_with_reasoning_stream(message), session, message, url=server.url)
            assert run == f"{session}.1"
        frames = await asyncio.wait_for(socket, 30)
        steps = [(f["data"]["type"], f["data"]["content"], f["data"].get("tool_name"))
                 for f in frames if f["type"] == "reasoning_step"]
        assert steps[:3] == [("thought", f"I need to compute {message}", None),
                             ("tool_use", '{"expression":"17 * 23 + 4"}', "calculator"),
                             ("tool_result", '{"result":395}', "calculator")]
        assert frames[0]["type"] == "reasoning_start" and frames[0]["data"]["message"] == message
        if fail:
            assert steps[3][0] == "error" and "the model went away" in steps[3][1]
            assert frames[-1]["data"]["status"] == "failed"
        else:
            assert steps[3] == ("final_answer", "17 * 23 + 4 = 395.", None)
            assert frames[-1]["data"]["status"] == "completed"

    asyncio.run(asyncio.wait_for(main(), 60))
    native = events_of(server.url, f"{session}.1")
    assert [e["type"] for e in native] == ["run.started", "agent.thinking", "tool.call", "tool.result",
                                           "run.failed" if fail else "answer.final"] + ([] if fail else ["run.completed"])
    assert native[2]["data"]["input"] == {"expression": "17 * 23 + 4"}
