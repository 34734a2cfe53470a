"""Seed 000's drop-in: its back end's three broadcast calls, as the plan page's document uses them,
reach a native subscriber as catalogue events and the unchanged plan page as its own frames."""

from __future__ import annotations

import asyncio
import json
import uuid
from typing import Any, Dict, List

import websockets

from conftest import Server

from runcast import watch
from runcast.seeds import websocket_streaming as ws_streaming
from runcast.seeds.websocket_streaming import send_agent_message, send_plan_update, send_step_update


async def _plan(plan_id: str) -> None:
    await send_plan_update(plan_id, content="Analyse Q3 sales", status="in_progress")
    await send_agent_message(plan_id, "Data Analyst", "I'm analyzing the data...", "thinking")
    await send_step_update(plan_id, "s1", "in_progress")
    await send_agent_message(plan_id, "Data Analyst", "Querying the sales table", "action")
    await send_step_update(plan_id, "s1", "in_progress", "half the rows read")
    await send_step_update(plan_id, "s1", "completed", "Sales rose 12%")
    await send_agent_message(plan_id, "Data Analyst", "Sales rose 12%", "result")
    await send_step_update(plan_id, "s2", "in_progress")
    await send_step_update(plan_id, "s2", "error", "the report template is missing")
    await send_plan_update(plan_id, content="the report could not be written", status="error")
    await ws_streaming.flush()


EXPECTED_NATIVE = [
    ("run.started", None, None, {"query": "Analyse Q3 sales"}),
    ("agent.thinking", None, "Data Analyst", {"content": "I'm analyzing the data..."}),
    ("step.started", "s1", None, {}),
    ("agent.action", None, "Data Analyst", {"content": "Querying the sales table"}),
    ("step.progress", "s1", None, {"message": "half the rows read"}),
    ("step.completed", "s1", None, {"result": "Sales rose 12%"}),
    ("agent.result", None, "Data Analyst", {"content": "Sales rose 12%"}),
    ("step.started", "s2", None, {}),
    ("step.failed", "s2", None, {"error": "the report template is missing"}),
    ("run.failed", None, None, {"reason": "the report could not be written"}),
]

EXPECTED_PAGE = [  # (type, status, message_type, content) as the plan page's client reads them
    ("plan_update", "in_progress", "action", "Analyse Q3 sales"),
    ("agent_message", "in_progress", "thinking", "I'm analyzing the data..."),
    ("step_update", "in_progress", "action", "Starting step s1"),
    ("agent_message", "in_progress", "action", "Querying the sales table"),
    ("step_update", "in_progress", "action", "half the rows read"),
    ("step_update", "completed", "result", "Sales rose 12%"),
    ("agent_message", "completed", "result", "Sales rose 12%"),
    ("step_update", "in_progress", "action", "Starting step s2"),
    ("step_update", "error", "result", "the report template is missing"),
    ("plan_update", "error", "result", "Plan failed: the report could not be written"),
]


def test_seed000_calls_reachNativeSubscribers_andThePlanPageFormat(server: Server) -> None:
    plan_id = f"plan-{uuid.uuid4().hex[:8]}"
    ws_streaming.configure(server.url)

    async def page() -> List[Dict[str, Any]]:
        frames: List[Dict[str, Any]] = []
        async with websockets.connect(server.url.replace("http", "ws") + "/ws/streaming") as ws:
            await ws.send(json.dumps({"type": "subscribe_plan", "plan_id": plan_id}))
            while True:
                frame = json.loads(await ws.recv())
                if frame["type"] == "subscription_confirmed":
                    confirmed.set()
                    continue
                frames.append(frame)
                if frame["type"] == "plan_update" and frame["data"]["status"] != "in_progress":
                    return frames

    async def main() -> None:
        page_task = asyncio.create_task(page())
        await asyncio.wait_for(confirmed.wait(), 20)  # the plan page replays nothing: subscribe first
        await _plan(plan_id)
        native = [(e.type, e.step, e.agent, e.data) async for e in watch(server.url, plan_id)]
        assert native == EXPECTED_NATIVE
        frames = await asyncio.wait_for(page_task, 20)
        assert [(f["type"], f["data"]["status"], f["data"]["message_type"], f["data"]["content"])
                for f in frames] == EXPECTED_PAGE
        assert all(f["data"]["plan_id"] == plan_id for f in frames)
        assert frames[1]["data"]["agent_name"] == "Data Analyst" and frames[2]["data"]["step_id"] == "s1"
        await ws_streaming.close()

    confirmed = asyncio.Event()
    asyncio.run(asyncio.wait_for(main(), 60))
