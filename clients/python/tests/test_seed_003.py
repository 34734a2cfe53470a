"""Seed 003's drop-in: the manager's six broadcasts, made the way the document's examples make them,
reach the manager workflow's socket as its own frames; its decision is answered from that socket."""

from __future__ import annotations

import asyncio
import json
from typing import Any, Dict, List

import httpx
import websockets

from conftest import Server, events_of

from runcast.seeds import manager
from runcast.seeds.manager import (broadcast_agent_substep, broadcast_brain_allocation,
                                   broadcast_error_recovery, broadcast_manager_thinking,
                                   broadcast_user_decision_needed, broadcast_workflow_state_change)

DECISION = {"decision_type": "file_selection", "prompt": "Multiple files found. Please select which to analyze.",
            "options": ["file1.pdf", "file2.xlsx", "file3.docx"], "context": {"sheet_id": "abc123", "file_count": 3},
            "default_option": "analyze_all", "timeout_seconds": 300, "can_skip": False, "affects_workflow": True}


async def workflow(session: str) -> Any:
    async with manager.turn(session, "Estimate the Main St job"):
        await broadcast_manager_thinking(session, {
            "thinking_type": "route_planning", "stage": "Intent Classification & Route Planning",
            "analysis": "Analyzing user intent and optimal agent sequence",
            "factors": ["file_types", "user_query", "existing_data", "complexity"], "confidence": 0.85,
            "reasoning_depth": "standard"})
        await broadcast_agent_substep(session, "file_reader", "processing", 50, {
            "operation": "executing_agent_logic", "tokens_processed": 1500})
        choice = await broadcast_user_decision_needed(session, DECISION)
        await broadcast_workflow_state_change(session, "phase_transition", {
            "current_stage": "Autonomous Task Delegation",
            "workflow_visualization": {"stages": ["Universal Intake", "Intent Classification", "Task Delegation",
                                                  "Output Management"], "completion_percentage": 75.0},
            "active_agents": ["trade_mapper"]})
        await broadcast_brain_allocation(session, "trade_mapper", {
            "model_selected": "o3", "model_tier": "high", "complexity_assessment": "high",
            "context_window": 200000}, "Complex trade analysis requires advanced reasoning capabilities")
        await broadcast_error_recovery(session, "API rate limit exceeded", "medium")
        return choice


def test_manager_broadcasts_reachTheWorkflowSocket_andItsAnswerIsReturned(server: Server) -> None:
    # the front end creates the session over REST (served by Runcast), then the back end works in it
    session = httpx.post(f"{server.url}/api/chat/sessions", json={"name": "Main St"}).json()["id"]
    manager.configure(server.url)

    async def socket(ready: asyncio.Event) -> List[Dict[str, Any]]:
        frames: List[Dict[str, Any]] = []
        async with websockets.connect(server.url.replace("http", "ws") + f"/api/chat/ws?session_id={session}") as ws:
            async for raw in ws:
                f = json.loads(raw)
                if f["type"] == "connection_established":
                    ready.set()
                    continue
                frames.append(f)
                if f["type"] == "user_decision_needed":
                    await ws.send(json.dumps({"type": "user_decision_response", "session_id": session,
                                              "decision_id": f["data"]["decision_id"], "response": "file2.xlsx"}))
                if f["type"] == "workflow_state_change" and f["data"]["change_type"] == "workflow_completed":
                    return frames
        raise AssertionError("socket closed")

    async def main() -> None:
        ready = asyncio.Event()
        watcher = asyncio.create_task(socket(ready))
        await asyncio.wait_for(ready.wait(), 20)
        assert await workflow(session) == "file2.xlsx"
        frames = await asyncio.wait_for(watcher, 30)
        by_type: Dict[str, Dict[str, Any]] = {}
        for f in frames:
            by_type.setdefault(f["type"], f["data"])
        thinking = by_type["manager_thinking"]
        assert (thinking["analysis"], thinking["thinking_type"], thinking["confidence"]) == (
            "Analyzing user intent and optimal agent sequence", "route_planning", 0.85)
        substep = by_type["agent_substep"]
        assert (substep["agent_name"], substep["substep"], substep["progress_percentage"]) == ("file_reader", "processing", 50)
        asked = by_type["user_decision_needed"]
        assert asked["options"] == DECISION["options"] and asked["default_option"] == "analyze_all"
        assert by_type["decision_response_acknowledged"]["response"] == "file2.xlsx"
        brain = by_type["brain_allocation"]
        assert (brain["model_selected"], brain["model_tier"], brain["agent_name"]) == ("o3", "high", "trade_mapper")
        assert by_type["error_recovery"]["error_message"] == "API rate limit exceeded"
        stages = [f["data"] for f in frames if f["type"] == "workflow_state_change"]
        assert any(s["current_stage"] == "Autonomous Task Delegation" and s["workflow_visualization"]["completion_percentage"] == 75.0
                   for s in stages)
        await manager.close()

    asyncio.run(asyncio.wait_for(main(), 60))
    types = [e["type"] for e in events_of(server.url, f"{session}.1")]
    assert types == ["run.started", "agent.thinking", "step.progress", "decision.requested", "decision.resolved",
                     "workflow.stage", "model.selected", "error.recovery", "run.completed"]
