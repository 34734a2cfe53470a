"""Seed 002's reasoning stream, published to Runcast: any ``run_with_reasoning_stream(...)``-style
async iterator of reasoning steps (``{"type", "content", "iteration", ...}``) becomes one chat run.

Where the back end looped over the steps and sent each on its socket::

    async for step in agent.run_with_reasoning_stream(message):
        await websocket.send_json({"type": "reasoning_step", "data": step})

it hands the iterator over instead::

    from runcast.seeds.reasoning import stream_reasoning

    run = await stream_reasoning(agent.run_with_reasoning_stream(message), session_id, message,
                                 agent="researcher")

The run is turn ``n`` of the session (``<session_id>.<n>``, the next free one unless ``turn`` is
given), so the reasoning chat's front end on ``/ws/chat/{session_id}`` shows it as reasoning steps,
and native subscribers see ordinary events:

| step ``type`` | Runcast event |
| --- | --- |
| ``thought`` | ``agent.thinking`` (``content``, ``iteration``) |
| ``tool_use`` | ``tool.call`` (``tool`` = ``tool_name``, ``input`` = ``content``, parsed when it is JSON) |
| ``tool_result`` | ``tool.result`` (``tool``, ``output`` = ``content``, parsed when it is JSON) |
| ``final_answer`` | ``answer.final`` (``text``) |
| ``error`` | ``agent.error`` (``message``) |
| any other | ``agent.action`` (``content``) |

The run ends with exactly one terminal event: ``run.completed`` when the iterator is exhausted,
``run.failed`` (its error as ``reason``) when it raises — the error is raised again — and
``run.cancelled`` when the task is cancelled.
"""

from __future__ import annotations

import asyncio
import json
import os
from typing import Any, AsyncIterable, Dict, Mapping, Optional

from ..async_publisher import AsyncPublisher
from ._shared import next_turn

__all__ = ["stream_reasoning", "step_event"]


def _parsed(content: Any) -> Any:
    if isinstance(content, str):
        try:
            return json.loads(content)
        except ValueError:
            return content
    return content


def step_event(step: Mapping[str, Any]) -> tuple[str, Dict[str, Any]]:
    """The Runcast type and data of one reasoning step."""
    kind, content = step.get("type"), step.get("content")
    extra = {k: v for k, v in step.items() if k not in ("type", "content", "timestamp", "tool_name")}
    tool = step.get("tool_name") or step.get("tool") or "tool"
    if kind == "thought":
        return "agent.thinking", {"content": content, **extra}
    if kind == "tool_use":
        return "tool.call", {"tool": tool, "input": _parsed(content), **extra}
    if kind == "tool_result":
        return "tool.result", {"tool": tool, "output": _parsed(content), **extra}
    if kind == "final_answer":
        return "answer.final", {"text": content, **extra}
    if kind == "error":
        return "agent.error", {"message": content, **extra}
    return "agent.action", {"content": content, "step_type": kind, **extra}


async def stream_reasoning(steps: AsyncIterable[Mapping[str, Any]], session_id: str, message: str, *,
                           agent: str = "researcher", turn: Optional[int] = None, url: Optional[str] = None,
                           publisher: Optional[AsyncPublisher] = None) -> str:
    """Publishes the steps as turn ``turn`` of ``session_id`` and returns the run id once all of it,
    its terminal event included, is stored."""
    url = url or (publisher.url if publisher else os.environ.get("RUNCAST_URL", "http://localhost:8000"))
    pub = publisher or AsyncPublisher(url)
    try:
        n = turn if turn is not None else await next_turn(url, session_id)
        run = f"{session_id}.{n}"
        pub.run_started(run, {"kind": "chat", "conversation": session_id, "turn": n, "message": message,
                              "query": message, "agent": agent})
        try:
            async for step in steps:
                event_type, data = step_event(step)
                pub.publish(run, event_type, data, agent=agent)
        except asyncio.CancelledError:
            pub.publish(run, "run.cancelled", {"by": "producer"})
            raise
        except Exception as e:
            pub.run_failed(run, f"{e.__class__.__name__}: {e}")
            raise
        else:
            pub.run_completed(run)
        finally:
            await asyncio.shield(pub.flush())
        return run
    finally:
        if publisher is None:
            await pub.close()
