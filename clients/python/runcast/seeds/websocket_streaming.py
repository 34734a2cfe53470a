"""Seed 000's broadcast functions (its ``websocket_streaming.py``), publishing to Runcast.

Switch with one import::

    # from websocket_streaming import send_plan_update, send_agent_message, send_step_update
    from runcast.seeds.websocket_streaming import send_plan_update, send_agent_message, send_step_update

Each call maps the seed's message onto Runcast's catalogue (docs/events.md, "Mapping the seeds"):
``plan_id`` is the run, ``step_id`` the step, ``agent_name`` the agent. The plan page keeps working
unchanged on Runcast's ``/ws/streaming``, and native subscribers see ordinary runs.

| call | Runcast event |
| --- | --- |
| ``send_plan_update`` ``in_progress`` | ``run.started`` (``query`` = content) the first time for a plan, ``workflow.stage`` (``stage`` = content) after |
| ``send_plan_update`` ``completed`` / ``error`` | ``run.completed`` / ``run.failed`` (``reason`` = content) |
| ``send_agent_message`` ``thinking`` / ``action`` / ``result`` | ``agent.thinking`` / ``agent.action`` / ``agent.result`` |
| ``send_agent_message`` with ``status="error"`` | ``agent.error`` (``message`` = content) |
| ``send_step_update`` ``in_progress`` | ``step.started`` the first time for a step, ``step.progress`` (``message`` = content) after |
| ``send_step_update`` ``completed`` / ``error`` | ``step.completed`` (``result``) / ``step.failed`` (``error``) |

The calls are coroutines, as in the seed; each hands its event to a shared
:class:`runcast.AsyncPublisher` and returns the ``asyncio.Future`` of its seq without waiting for it,
so bursts share requests. ``await flush()`` waits for everything sent; failures are logged and raised
by ``flush()``. Which plans and steps have started is remembered in this process, as the seed's own
connection manager did.
"""

from __future__ import annotations

import asyncio
from typing import Optional, Set

from ._shared import SharedPublisher

__all__ = ["configure", "flush", "close", "send_plan_update", "send_agent_message", "send_step_update"]

_shared = SharedPublisher()
_send = _shared.send
_started_plans: Set[str] = set()
_started_steps: Set[tuple[str, str]] = set()

_AGENT_TYPES = {"thinking": "agent.thinking", "action": "agent.action", "result": "agent.result"}


def configure(url: str) -> None:
    """Publishes to this Runcast server from now on (default: ``RUNCAST_URL`` or localhost:8000)."""
    _shared.configure(url)


async def send_plan_update(plan_id: str, step_id: Optional[str] = None, agent_name: Optional[str] = None,
                           content: Optional[str] = None, status: str = "in_progress",
                           message_type: str = "action") -> "asyncio.Future[int]":
    if status == "completed":
        return _send(plan_id, "run.completed", {} if content is None else {"content": content}, step_id, agent_name)
    if status == "error":
        return _send(plan_id, "run.failed", {"reason": content or "error"}, step_id, agent_name)
    if plan_id not in _started_plans:
        _started_plans.add(plan_id)
        return _send(plan_id, "run.started", {} if content is None else {"query": content}, step_id, agent_name)
    return _send(plan_id, "workflow.stage", {"stage": content or "in progress"}, step_id, agent_name)


async def send_agent_message(plan_id: str, agent_name: str, content: str, message_type: str = "thinking",
                             status: str = "in_progress", step_id: Optional[str] = None) -> "asyncio.Future[int]":
    if status == "error":
        return _send(plan_id, "agent.error", {"message": content}, step_id, agent_name)
    return _send(plan_id, _AGENT_TYPES.get(message_type, "agent.action"), {"content": content}, step_id, agent_name)


async def send_step_update(plan_id: str, step_id: str, status: str,
                           content: Optional[str] = None) -> "asyncio.Future[int]":
    if status == "completed":
        return _send(plan_id, "step.completed", {"result": content}, step_id)
    if status == "error":
        return _send(plan_id, "step.failed", {"error": content or "error"}, step_id)
    if (plan_id, step_id) not in _started_steps:
        _started_steps.add((plan_id, step_id))
        return _send(plan_id, "step.started", {} if content is None else {"input": content}, step_id)
    return _send(plan_id, "step.progress", {} if content is None else {"message": content}, step_id)


async def flush() -> None:
    """Waits until every message sent so far is stored (raises the first failure)."""
    await _shared.flush()


async def close() -> None:
    await _shared.close()
