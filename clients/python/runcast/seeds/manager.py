"""Seed 003's broadcast functions (the manager workflow), publishing to Runcast.

Switch with one import::

    from runcast.seeds.manager import (broadcast_manager_thinking, broadcast_agent_substep,
        broadcast_user_decision_needed, broadcast_workflow_state_change, broadcast_brain_allocation,
        broadcast_error_recovery)

A session ``S`` is a Runcast conversation; what the manager broadcasts while it handles one message
goes to that message's turn, run ``S.n``. :func:`start_turn` opens it (a broadcast with no open turn
opens one), :func:`end_turn` ends it with the answer (or the error) — or use ``async with turn(S,
message)``, which always ends it. The manager workflow's front end on ``/api/chat/ws`` watching ``S``
gets the same frames as before, and a decision it answers (``user_decision_response``) is what
:func:`broadcast_user_decision_needed` returns.

| call | Runcast event |
| --- | --- |
| ``broadcast_manager_thinking(S, thinking_data)`` | ``agent.thinking`` by ``manager``: ``analysis`` → ``content``; the rest kept |
| ``broadcast_agent_substep(S, agent, substep, progress_pct, details)`` | ``step.progress`` (step and agent = ``agent``) |
| ``broadcast_user_decision_needed(S, ctx)`` | ``decision.requested``; waits for ``decision.resolved`` |
| ``broadcast_workflow_state_change(S, change_type, data)`` | ``workflow.stage`` |
| ``broadcast_brain_allocation(S, agent, allocation, reasoning)`` | ``model.selected`` |
| ``broadcast_error_recovery(S, error_msg, severity, ...)`` | ``error.recovery`` |
"""

from __future__ import annotations

import uuid
from contextlib import asynccontextmanager
from typing import Any, AsyncIterator, Dict, Mapping, Optional

from ..async_publisher import resolution
from ._shared import SharedPublisher, next_turn

__all__ = ["configure", "flush", "close", "start_turn", "end_turn", "turn", "broadcast_manager_thinking",
           "broadcast_agent_substep", "broadcast_user_decision_needed", "broadcast_workflow_state_change",
           "broadcast_brain_allocation", "broadcast_error_recovery"]

_shared = SharedPublisher()
_turns: Dict[str, str] = {}  # session → its open turn's run


def configure(url: str) -> None:
    _shared.configure(url)


async def start_turn(session_id: str, message: Optional[str] = None) -> str:
    """Opens the session's next turn and returns its run id (``<session_id>.<n>``)."""
    n = await next_turn(_shared.url, session_id)
    run = f"{session_id}.{n}"
    data: Dict[str, Any] = {"kind": "chat", "conversation": session_id, "turn": n, "agent": "manager"}
    if message is not None:
        data.update(message=message, query=message)
    _turns[session_id] = run
    await _shared.send(run, "run.started", data)
    return run


async def end_turn(session_id: str, answer: Optional[str] = None, error: Optional[str] = None) -> None:
    """Ends the open turn: the answer as the assistant's message, then ``run.completed`` — or
    ``run.failed`` with ``error``."""
    run = _turns.pop(session_id, None)
    if run is None:
        return
    if answer is not None:
        _shared.send(run, "answer.final", {"text": answer}, agent="manager")
    if error is not None:
        _shared.send(run, "run.failed", {"reason": error})
    else:
        _shared.send(run, "run.completed", {})
    await _shared.flush()


@asynccontextmanager
async def turn(session_id: str, message: Optional[str] = None) -> AsyncIterator[str]:
    """``async with turn(S, message) as run:`` — the turn always ends, failed if the block raises."""
    run = await start_turn(session_id, message)
    try:
        yield run
    except BaseException as e:
        await end_turn(session_id, error=f"{e.__class__.__name__}: {e}")
        raise
    else:
        await end_turn(session_id)


async def _run(session_id: str) -> str:
    return _turns.get(session_id) or await start_turn(session_id)


async def broadcast_manager_thinking(session_id: str, thinking_data: Mapping[str, Any]) -> None:
    data = {k: v for k, v in thinking_data.items() if k != "analysis"}
    data["content"] = thinking_data.get("analysis", "")
    _shared.send(await _run(session_id), "agent.thinking", data, agent="manager")


async def broadcast_agent_substep(session_id: str, agent_name: str, substep: str, progress_pct: float,
                                  details: Optional[Mapping[str, Any]] = None) -> None:
    data: Dict[str, Any] = {"progress": max(0.0, min(100.0, float(progress_pct))), "substep": substep}
    if details is not None:
        data["substep_details"] = dict(details)
    _shared.send(await _run(session_id), "step.progress", data, step=agent_name, agent=agent_name)


async def broadcast_user_decision_needed(session_id: str, ctx: Mapping[str, Any]) -> Any:
    """Asks the person watching the session and returns their answer (the ``response``); after
    ``timeout_seconds`` without one, the context's ``default_option`` (the server resolves it)."""
    run = await _run(session_id)
    decision = str(ctx.get("decision_id") or f"d-{uuid.uuid4().hex[:10]}")
    data: Dict[str, Any] = {k: v for k, v in ctx.items() if k not in ("decision_id", "default_option")}
    data.update(decision=decision, prompt=ctx.get("prompt", ""), options=list(ctx.get("options") or []),
                default=ctx.get("default_option"), timeout_seconds=ctx.get("timeout_seconds", 0),
                can_skip=bool(ctx.get("can_skip", False)))
    seq = await _shared.send(run, "decision.requested", data, agent="manager")
    resolved = await resolution(_shared.url, run, decision, after=seq)
    return resolved.get("choice")


async def broadcast_workflow_state_change(session_id: str, change_type: str, data: Mapping[str, Any]) -> None:
    viz = data.get("workflow_visualization") or {}
    out: Dict[str, Any] = {k: v for k, v in data.items() if k not in ("current_stage", "workflow_visualization")}
    out.update(change_type=change_type, stage=data.get("current_stage", change_type),
               stages=list(viz.get("stages") or []),
               completion_percentage=viz.get("completion_percentage", data.get("completion_percentage", 0)))
    _shared.send(await _run(session_id), "workflow.stage", out, agent="manager")


async def broadcast_brain_allocation(session_id: str, agent_name: str, allocation: Mapping[str, Any],
                                     reasoning: str) -> None:
    data = {k: v for k, v in allocation.items() if k not in ("model_selected", "model_tier")}
    data.update(model=allocation.get("model_selected") or allocation.get("model"),
                tier=allocation.get("model_tier") or allocation.get("tier"), reasoning=reasoning)
    _shared.send(await _run(session_id), "model.selected", data, agent=agent_name)


async def broadcast_error_recovery(session_id: str, error_msg: str, severity: str = "medium",
                                   recovery_strategy: str = "analyzing_options", can_continue: bool = True,
                                   **extra: Any) -> None:
    data: Dict[str, Any] = {"error_message": error_msg, "severity": severity, "strategy": recovery_strategy,
                            "recovery_strategy": recovery_strategy, "can_continue": can_continue,
                            "attempt": extra.pop("attempt", 1), **extra}
    _shared.send(await _run(session_id), "error.recovery", data, agent="manager")


async def flush() -> None:
    await _shared.flush()


async def close() -> None:
    await _shared.close()
