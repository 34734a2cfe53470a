"""What the sync and async publishers share: limits, encoding, cutting batches, backoff.

Kept free of I/O so that both publishers cut and retry exactly alike.
"""

from __future__ import annotations

import json
import random
import uuid
from collections import deque
from dataclasses import dataclass, field
from typing import Any, Callable, Deque, List, Mapping, Optional, Tuple

from .errors import RETRYABLE, RuncastError, from_http

TERMINAL_TYPES = frozenset({"run.completed", "run.failed", "run.cancelled"})


@dataclass(frozen=True)
class Limits:
    """The input limits a server states in ``GET /api/health`` (docs/protocol.md, "Limits")."""

    max_frame_bytes: int = 262144
    max_batch: int = 1000
    max_event_bytes: int = 65536
    max_name_length: int = 128

    @staticmethod
    def from_health(health: Mapping[str, Any]) -> "Limits":
        raw = health.get("limits") or {}
        d = Limits()
        return Limits(
            max_frame_bytes=int(raw.get("max_frame_bytes", d.max_frame_bytes)),
            max_batch=int(raw.get("max_batch", d.max_batch)),
            max_event_bytes=int(raw.get("max_event_bytes", d.max_event_bytes)),
            max_name_length=int(raw.get("max_name_length", d.max_name_length)),
        )


def compact(value: Any) -> bytes:
    """JSON as the server measures it: compact, UTF-8."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def new_key() -> str:
    return uuid.uuid4().hex


@dataclass
class Pending:
    """One event handed to a publisher and not yet acknowledged."""

    run: str
    key: str
    body: bytes  # the event's JSON object, as it goes into the request's array
    data_bytes: int
    terminal: bool
    done: Callable[[Optional[int], Optional[BaseException]], None] = field(repr=False)


def encode(run: str, type: str, data: Optional[Mapping[str, Any]], step: Optional[str],
           agent: Optional[str], key: Optional[str],
           done: Callable[[Optional[int], Optional[BaseException]], None]) -> Pending:
    if not isinstance(run, str) or not isinstance(type, str):
        raise TypeError("run and type must be strings")
    event: dict[str, Any] = {"type": type}
    if step is not None:
        event["step"] = step
    if agent is not None:
        event["agent"] = agent
    data_json = compact(dict(data) if data is not None else {})
    event["key"] = key if key is not None else new_key()
    body = compact(event)
    # splice the already-encoded data in, so it is serialised once
    body = body[:-1] + b',"data":' + data_json + b"}"
    return Pending(run, event["key"], body, len(data_json), type in TERMINAL_TYPES, done)


def oversize(p: Pending, limits: Limits) -> bool:
    """Whether no request but one of its own could carry this event (the server then decides)."""
    return p.data_bytes > limits.max_event_bytes or len(p.body) + 2 > limits.max_frame_bytes


def next_batch(queue: Deque[Pending], limits: Limits) -> List[Pending]:
    """Takes the next request's events off the head of ``queue``: one run, at most ``max_batch``
    events and ``max_frame_bytes`` of body, ending at a terminal event; an oversize event goes alone
    so that the server's refusal fails it and nothing else."""
    first = queue.popleft()
    batch = [first]
    if first.terminal or oversize(first, limits):
        return batch
    size = len(first.body) + 2
    while queue and len(batch) < limits.max_batch:
        nxt = queue[0]
        if nxt.run != first.run or oversize(nxt, limits) or size + len(nxt.body) + 1 > limits.max_frame_bytes:
            break
        queue.popleft()
        batch.append(nxt)
        size += len(nxt.body) + 1
        if nxt.terminal:
            break
    return batch


def request_body(batch: List[Pending]) -> bytes:
    return b"[" + b",".join(p.body for p in batch) + b"]"


def parse_answer(status: int, body: bytes) -> Tuple[Optional[List[int]], Optional[RuncastError]]:
    """``(seqs, None)`` for an accepted publish, else ``(None, error)``."""
    if 200 <= status < 300:
        accepted = json.loads(body)["accepted"]
        return [int(a["seq"]) for a in accepted], None
    return None, from_http(status, body)


def retryable(err: BaseException) -> bool:
    return isinstance(err, RuncastError) and err.code in RETRYABLE


#: codes for which a refused batch of several events is retried one event at a time, so that only
#: the offending event fails (a publish is all or nothing, so none of them was appended).
ISOLATE = frozenset({"bad_request", "invalid_type", "too_large"})


@dataclass
class Stats:
    """What a publisher sent: ``requests`` (each attempt), ``retries`` (attempts after a connection
    error, 5xx or 429) and ``split`` (refused batches retried event by event)."""

    requests: int = 0
    retries: int = 0
    split: int = 0


@dataclass(frozen=True)
class Backoff:
    """Exponential backoff with jitter: attempt n waits a random time in [d/2, d], d = min(cap, base·2ⁿ)."""

    base: float = 0.05
    cap: float = 2.0
    give_up_after: float = 30.0

    def delay(self, attempt: int) -> float:
        d = min(self.cap, self.base * (2 ** attempt))
        return random.uniform(d / 2, d)
