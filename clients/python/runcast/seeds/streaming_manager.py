"""Seed 001's ``framework.streaming_manager`` (research plans), publishing to Runcast.

Switch with one import::

    # from framework.streaming_manager import StreamingManager, StreamingExecutionWrapper, StreamEvent, EventType
    from runcast.seeds.streaming_manager import StreamingManager, StreamingExecutionWrapper, StreamEvent, EventType

``plan_id`` is the run. Runcast keeps the connections, subscriptions, history and heartbeats the
project's manager kept (its ``/api/v1/streaming/...`` endpoints serve the front end unchanged), so
what is left here is producing and listening:

| call | Runcast event |
| --- | --- |
| ``stream_plan_started(plan_id, plan_data)`` | ``run.started`` (``plan_data`` as data) |
| ``stream_step_started(plan_id, step_id, step_data)`` | ``step.started`` |
| ``stream_step_progress(plan_id, step_id, progress, message)`` | ``step.progress``: ``progress`` 0–1 → 0–100 |
| ``stream_step_completed(plan_id, step_id, result)`` / ``stream_step_failed`` | ``step.completed`` / ``step.failed`` |
| ``stream_quality_check(plan_id, quality_score, ...)`` | ``quality.check`` (``score``) |
| ``stream_metrics_update(plan_id, metrics)`` | ``metrics.update`` |
| ``stream_plan_completed`` / ``stream_plan_failed`` | ``run.completed`` / ``run.failed`` |
| ``stream_event(StreamEvent)`` | by its ``event_type``, as above |

``register_handler(event_type, handler)`` runs the handler (sync or async; its errors are logged, not
raised) for events of that 001 type **from any producer**: a watcher follows every run created after
the first registration, over Runcast's run feed. ``get_event_history(plan_id)`` reads the plan's
history in 001's shape from the server.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import os
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from enum import Enum
from typing import Any, Awaitable, Callable, Dict, List, Mapping, Optional, Set, Union

import httpx

from ..async_publisher import AsyncPublisher
from ..watcher import Event, watch

__all__ = ["EventType", "StreamEvent", "StreamingManager", "StreamingExecutionWrapper"]

log = logging.getLogger(__name__)


class EventType(str, Enum):
    PLAN_STARTED = "plan_started"
    PLAN_COMPLETED = "plan_completed"
    PLAN_FAILED = "plan_failed"
    PLAN_PAUSED = "plan_paused"
    PLAN_RESUMED = "plan_resumed"
    STEP_STARTED = "step_started"
    STEP_PROGRESS = "step_progress"
    STEP_COMPLETED = "step_completed"
    STEP_FAILED = "step_failed"
    QUALITY_CHECK = "quality_check"
    REVIEW_REQUIRED = "review_required"
    METRICS_UPDATE = "metrics_update"
    HEALTH_UPDATE = "health_update"
    ERROR = "error"
    PING = "ping"
    PONG = "pong"


@dataclass
class StreamEvent:
    event_type: Union[EventType, str]
    plan_id: str
    data: Dict[str, Any] = field(default_factory=dict)
    step_id: Optional[str] = None
    timestamp: str = field(default_factory=lambda: datetime.now(timezone.utc).isoformat())
    event_id: str = field(default_factory=lambda: str(uuid.uuid4()))

    @property
    def type_name(self) -> str:
        t = self.event_type
        return (t.value if isinstance(t, Enum) else str(t)).lower()

    def to_dict(self) -> Dict[str, Any]:
        return {"event_type": self.type_name, "plan_id": self.plan_id, "step_id": self.step_id,
                "data": self.data, "timestamp": self.timestamp, "event_id": self.event_id}

    def to_json(self) -> str:
        import json
        return json.dumps(self.to_dict())


# 001 type → Runcast type (data adjusted in StreamingManager._draft)
_TO_RUNCAST = {"plan_started": "run.started", "plan_completed": "run.completed", "plan_failed": "run.failed",
               "plan_paused": "run.paused", "plan_resumed": "run.resumed", "step_started": "step.started",
               "step_progress": "step.progress", "step_completed": "step.completed", "step_failed": "step.failed",
               "quality_check": "quality.check", "review_required": "quality.review",
               "metrics_update": "metrics.update", "health_update": "health.update", "error": "agent.error"}
_FROM_RUNCAST = {v: k for k, v in _TO_RUNCAST.items()}
_FROM_RUNCAST.update({"run.cancelled": "plan_failed", "decision.requested": "review_required"})

Handler = Callable[[StreamEvent], Union[None, Awaitable[None]]]


def _from_runcast(e: Event) -> Optional[StreamEvent]:
    name = _FROM_RUNCAST.get(e.type)
    if name is None:
        return None
    data = dict(e.data)
    if e.type == "step.progress" and isinstance(data.get("progress"), (int, float)):
        data["progress"] = data["progress"] / 100.0
    if e.type == "quality.check" and "score" in data:
        data.setdefault("quality_score", data["score"])
    if e.type == "run.failed":
        data.setdefault("error", data.get("reason"))
    return StreamEvent(name, e.run, data, e.step, e.time, e.id)


class StreamingManager:
    """The producer side of seed 001's manager (see the module's docstring)."""

    def __init__(self, ping_interval: int = 30, *, url: Optional[str] = None,
                 publisher: Optional[AsyncPublisher] = None) -> None:
        self.ping_interval = ping_interval  # the heartbeat is Runcast's (every 30 s on the 001 socket)
        self.url = url or (publisher.url if publisher else os.environ.get("RUNCAST_URL", "http://localhost:8000"))
        self._publisher = publisher
        self._handlers: Dict[str, List[Handler]] = {}
        self._listener: Optional["asyncio.Task[None]"] = None
        self._watching: Dict[str, "asyncio.Task[None]"] = {}
        self._listening = asyncio.Event()

    @property
    def publisher(self) -> AsyncPublisher:
        if self._publisher is None:
            self._publisher = AsyncPublisher(self.url)
        return self._publisher

    # ---- producing -------------------------------------------------------------------------
    async def stream_event(self, event: Union[StreamEvent, EventType, str], plan_id: Optional[str] = None,
                           data: Optional[Mapping[str, Any]] = None, step_id: Optional[str] = None) -> int:
        """Publishes one event (a ``StreamEvent``, or its type, plan, data and step) and returns its seq."""
        if not isinstance(event, StreamEvent):
            event = StreamEvent(event, plan_id or "", dict(data or {}), step_id)
        name = event.type_name
        if name not in _TO_RUNCAST:
            raise ValueError(f"001 has no producer event {name!r}")
        payload = dict(event.data)
        if name == "step_progress" and isinstance(payload.get("progress"), (int, float)):
            payload["progress"] = max(0.0, min(100.0, payload["progress"] * 100.0))
        elif name == "quality_check" and "quality_score" in payload:
            payload.setdefault("score", payload["quality_score"])
        elif name == "plan_failed":
            payload.setdefault("reason", str(payload.get("error", "failed")))
        elif name == "error":
            payload.setdefault("message", str(payload.get("error", "error")))
        return await self.publisher.publish(event.plan_id, _TO_RUNCAST[name], payload, step=event.step_id,
                                            key=event.event_id)

    async def stream_plan_started(self, plan_id: str, plan_data: Mapping[str, Any]) -> int:
        return await self.stream_event(EventType.PLAN_STARTED, plan_id, plan_data)

    async def stream_step_started(self, plan_id: str, step_id: str, step_data: Optional[Mapping[str, Any]] = None) -> int:
        return await self.stream_event(EventType.STEP_STARTED, plan_id, step_data, step_id)

    async def stream_step_progress(self, plan_id: str, step_id: str, progress: float, message: str = "") -> int:
        return await self.stream_event(EventType.STEP_PROGRESS, plan_id, {"progress": progress, "message": message}, step_id)

    async def stream_step_completed(self, plan_id: str, step_id: str, result: Any = None) -> int:
        return await self.stream_event(EventType.STEP_COMPLETED, plan_id, {"result": result}, step_id)

    async def stream_step_failed(self, plan_id: str, step_id: str, error: str) -> int:
        return await self.stream_event(EventType.STEP_FAILED, plan_id, {"error": error}, step_id)

    async def stream_quality_check(self, plan_id: str, quality_score: float, passed: Optional[bool] = None,
                                   step_id: Optional[str] = None, **details: Any) -> int:
        data: Dict[str, Any] = {"quality_score": quality_score, **details}
        if passed is not None:
            data["passed"] = passed
        return await self.stream_event(EventType.QUALITY_CHECK, plan_id, data, step_id)

    async def stream_metrics_update(self, plan_id: str, metrics: Mapping[str, Any]) -> int:
        return await self.stream_event(EventType.METRICS_UPDATE, plan_id, metrics)

    async def stream_plan_completed(self, plan_id: str, result: Optional[Mapping[str, Any]] = None) -> int:
        return await self.stream_event(EventType.PLAN_COMPLETED, plan_id, {} if result is None else {"result": dict(result)})

    async def stream_plan_failed(self, plan_id: str, error: str) -> int:
        return await self.stream_event(EventType.PLAN_FAILED, plan_id, {"error": error})

    # ---- listening -------------------------------------------------------------------------
    def register_handler(self, event_type: Union[EventType, str], handler: Handler) -> None:
        """Runs ``handler`` for every event of this 001 type in runs created from now on, whoever
        publishes them. Call from the event loop (or await :meth:`start_listening` later)."""
        name = (event_type.value if isinstance(event_type, Enum) else str(event_type)).lower()
        self._handlers.setdefault(name, []).append(handler)
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return
        self._start()

    async def start_listening(self) -> None:
        """Starts the watcher (if handlers are registered) and returns once it follows the run feed."""
        if self._handlers:
            self._start()
            await self._listening.wait()

    def _start(self) -> None:
        if self._listener is None:
            self._listener = asyncio.get_running_loop().create_task(self._follow_feed())

    async def _follow_feed(self) -> None:
        async with httpx.AsyncClient(base_url=self.url) as http:
            feed = (await http.get("/api/runs", params={"limit": 1})).json()["feed"]
        w = watch(self.url, "$runs", since=feed["head"], epoch=feed["epoch"], types=["runs.created"])
        self._listening.set()
        async for e in w:
            run = e.data.get("run")
            if isinstance(run, str) and run not in self._watching:
                self._watching[run] = asyncio.get_running_loop().create_task(self._follow_run(run))

    async def _follow_run(self, run: str) -> None:
        async for e in watch(self.url, run, since=0):
            event = _from_runcast(e)
            if event is None:
                continue
            for handler in self._handlers.get(event.type_name, []):
                try:
                    out = handler(event)
                    if inspect.isawaitable(out):
                        await out
                except Exception:  # noqa: BLE001 - a handler's error never affects streaming
                    log.exception("001 handler for %s failed", event.type_name)
        self._watching.pop(run, None)

    async def get_event_history(self, plan_id: str) -> List[StreamEvent]:
        """The plan's retained events, as the 001 history route shows them."""
        async with httpx.AsyncClient(base_url=self.url) as http:
            r = await http.get(f"/api/v1/streaming/plans/{plan_id}/history")
            r.raise_for_status()
            return [StreamEvent(f["event_type"], f["plan_id"], f.get("data") or {}, f.get("step_id"),
                                f.get("timestamp", ""), f.get("event_id", "")) for f in r.json()["events"]]

    async def close(self) -> None:
        for task in [self._listener, *self._watching.values()]:
            if task is not None:
                task.cancel()
        await asyncio.gather(*[t for t in [self._listener, *self._watching.values()] if t is not None],
                             return_exceptions=True)
        self._listener, self._watching = None, {}
        if self._publisher is not None:
            await self._publisher.close()
            self._publisher = None


def _get(obj: Any, name: str, default: Any = None) -> Any:
    if isinstance(obj, Mapping):
        return obj.get(name, default)
    return getattr(obj, name, default)


class StreamingExecutionWrapper:
    """Runs a research plan through an agent, streaming it: ``plan_started``; per step
    ``step_started``, ``step_progress`` 25/50/75 %, ``step_completed``; ``plan_completed`` — 17 events
    for three steps. A step that raises ends with ``step_failed`` and ``plan_failed``, and the error
    is raised again. The agent's ``execute_step(step, context)`` (sync or async) runs each step when
    it has one."""

    def __init__(self, agent: Any, manager: StreamingManager) -> None:
        self.agent = agent
        self.manager = manager

    async def execute_research_plan_streaming(self, plan: Any, context: Any = None) -> Dict[str, Any]:
        m = self.manager
        plan_id = str(_get(plan, "plan_id") or _get(plan, "id") or f"plan-{uuid.uuid4().hex[:8]}")
        steps = list(_get(plan, "steps", []) or [])
        await m.stream_plan_started(plan_id, {"query": _get(plan, "query", ""), "total_steps": len(steps)})
        results: Dict[str, Any] = {}
        for i, step in enumerate(steps, 1):
            step_id = str(_get(step, "step_id") or _get(step, "id") or f"step_{i}")
            await m.stream_step_started(plan_id, step_id, {"description": _get(step, "description", ""),
                                                           "index": i, "total_steps": len(steps)})
            try:
                await m.stream_step_progress(plan_id, step_id, 0.25, "Preparing step")
                await m.stream_step_progress(plan_id, step_id, 0.5, "Executing step")
                result = None
                run_step = getattr(self.agent, "execute_step", None)
                if run_step is not None:
                    result = run_step(step, context)
                    if inspect.isawaitable(result):
                        result = await result
                await m.stream_step_progress(plan_id, step_id, 0.75, "Finalizing step")
            except Exception as e:
                await m.stream_step_failed(plan_id, step_id, f"{e.__class__.__name__}: {e}")
                await m.stream_plan_failed(plan_id, f"step {step_id} failed: {e}")
                raise
            results[step_id] = result
            await m.stream_step_completed(plan_id, step_id, result)
        await m.stream_plan_completed(plan_id, {"steps": len(steps)})
        return {"plan_id": plan_id, "status": "completed", "results": results}
