"""Seed 004's stream (the agent fleet's ``StreamEvent`` types), published to Runcast, with its
reliability rule kept by construction: **exactly one** ``response.completed`` and one ``done`` per
run, also when the workflow code raises or is cancelled.

Switch the back end's emitter for one :class:`FleetStream` per workflow::

    from runcast.seeds.fleet import FleetStream

    async with FleetStream("conv-1.1", message="What is 17 * 23 + 4?") as stream:
        stream.emit("orchestrator.message", message="Routing: light pipeline")
        stream.emit("agent.start", agent_id="calc")
        stream.emit("response.delta", delta="17 * 23 + 4 = ")
        stream.emit("response.delta", delta="395")
    # leaving the block: response.completed (the deltas so far, unless one was emitted) and done

``workflow_id`` is the run; name it ``<conversation>.<turn>`` and the fleet's front end on
``/api/ws/chat`` follows it when it sends that conversation and message. Each 004 type becomes the
catalogue event that Runcast's 004 format shows as that type again:

| 004 type | Runcast event |
| --- | --- |
| ``orchestrator.message`` / ``log_line`` | ``log.line`` (agent ``orchestrator``) |
| ``orchestrator.thought`` | ``agent.thinking`` (agent ``orchestrator``) |
| ``reasoning.delta`` | ``agent.thinking`` of ``agent_id`` (the server adds ``reasoning.completed``) |
| ``agent.start`` / ``agent.complete`` | ``step.started`` / ``step.completed`` (step and agent ``agent_id``) |
| ``agent.message`` / ``agent.output`` | ``agent.action`` / ``agent.result`` |
| ``response.delta`` / ``response.completed`` | ``answer.delta`` / ``answer.final`` (the first only) |
| ``error`` / ``cancelled`` / ``done`` | ``run.failed`` / ``run.cancelled`` / ``run.completed`` (the first terminal only) |
"""

from __future__ import annotations

import asyncio
import os
from enum import Enum
from typing import Any, List, Optional, Union

from ..async_publisher import AsyncPublisher

__all__ = ["FleetStream"]

_TERMINAL = {"error": "run.failed", "cancelled": "run.cancelled", "done": "run.completed"}


class FleetStream:
    """One workflow run of the fleet, as an async context manager (see the module's docstring)."""

    def __init__(self, workflow_id: str, message: Optional[str] = None, *, url: Optional[str] = None,
                 publisher: Optional[AsyncPublisher] = None) -> None:
        self.workflow_id = workflow_id
        self.message = message
        self._own = publisher is None
        self._pub = publisher or AsyncPublisher(url or os.environ.get("RUNCAST_URL", "http://localhost:8000"))
        self._deltas: List[str] = []
        self.completed = False  # a response.completed was published
        self.ended = False      # the terminal event (done) was published

    async def __aenter__(self) -> "FleetStream":
        data: dict[str, Any] = {}
        if self.message is not None:
            data = {"message": self.message, "query": self.message}
        self._pub.run_started(self.workflow_id, data)
        return self

    async def __aexit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        try:
            if exc is None:
                self.finish()
            elif isinstance(exc, asyncio.CancelledError):
                self.finish("cancelled")
            else:
                self.finish("error", error=f"{type(exc).__name__}: {exc}")
            await self._pub.flush()
        finally:
            if self._own:
                await self._pub.close()

    def emit(self, type: Union[str, Enum], message: Optional[str] = None, *, agent_id: Optional[str] = None,
             delta: Optional[str] = None, reasoning: Optional[str] = None, error: Optional[str] = None,
             data: Optional[dict[str, Any]] = None) -> None:
        """Publishes one 004 stream event (``type`` a name or a ``StreamEventType`` member)."""
        t = str(type.value if isinstance(type, Enum) else type).lower()
        if self.ended:
            return  # nothing follows done
        if t in _TERMINAL:
            self.finish(t, error=error or message)
            return
        extra = dict(data or {})
        run = self.workflow_id
        if t in ("orchestrator.message", "log_line"):
            self._pub.log(run, "info", message or "", agent="orchestrator")
        elif t == "orchestrator.thought":
            self._pub.thinking(run, message or "", agent="orchestrator")
        elif t == "reasoning.delta":
            self._pub.thinking(run, reasoning or message or "", agent=agent_id or "agent")
        elif t == "reasoning.completed":
            pass  # Runcast's 004 format sends it itself, with the whole stretch of reasoning
        elif t == "agent.start":
            self._pub.step_started(run, agent_id or "agent", agent=agent_id, data=extra)
        elif t == "agent.complete":
            self._pub.step_completed(run, agent_id or "agent", result=message, agent=agent_id)
        elif t == "agent.message":
            self._pub.action(run, message or "", agent=agent_id)
        elif t == "agent.output":
            self._pub.result(run, message or "", agent=agent_id)
        elif t == "response.delta":
            text = delta if delta is not None else message or ""
            self._deltas.append(text)
            self._pub.delta(run, text, agent=agent_id)
        elif t == "response.completed":
            self._complete(message if message is not None else "".join(self._deltas), agent_id)
        else:
            self._pub.publish(run, "x.fleet." + t.replace("_", "-"), {"message": message, **extra}, agent=agent_id)

    def finish(self, how: str = "done", error: Optional[str] = None) -> None:
        """Ends the run once: ``response.completed`` if none was sent (the deltas so far), then the
        terminal event — ``done`` (run.completed), ``error`` (run.failed) or ``cancelled``."""
        if self.ended:
            return
        self._complete("".join(self._deltas), None)
        self.ended = True
        if how == "error":
            self._pub.run_failed(self.workflow_id, error or "error")
        elif how == "cancelled":
            self._pub.publish(self.workflow_id, "run.cancelled", {"by": "producer"})
        else:
            self._pub.run_completed(self.workflow_id)

    def _complete(self, text: str, agent: Optional[str]) -> None:
        if not self.completed:
            self.completed = True
            self._pub.answer(self.workflow_id, text, agent=agent)
