"""The async watcher: one run's events over the native WebSocket ``/ws``, resumed across reconnects."""

from __future__ import annotations

import asyncio
import json
import random
from dataclasses import dataclass, field
from typing import Any, AsyncIterator, Dict, List, Optional, Sequence

import websockets
from websockets.exceptions import ConnectionClosed, InvalidStatusCode

from .errors import RuncastError, error_for

#: close codes after which the server wants the client back (docs/protocol.md, "Close codes").
RECONNECT_CODES = frozenset({1001, 1006, 1011, 1012, 1013})


def should_reconnect(code: Optional[int]) -> bool:
    if code is None:
        return True
    return 4000 <= code < 4500 or code in RECONNECT_CODES


@dataclass(frozen=True)
class Event:
    """One event as the server delivered it."""

    run: str
    seq: int
    id: str
    type: str
    time: str
    data: Dict[str, Any]
    step: Optional[str] = None
    agent: Optional[str] = None

    @staticmethod
    def from_frame(f: Dict[str, Any]) -> "Event":
        return Event(f["run"], int(f["seq"]), f.get("id", ""), f["type"], f.get("time", ""),
                     f.get("data") or {}, f.get("step"), f.get("agent"))


@dataclass(frozen=True)
class Subscribed:
    """The server's answer to one (re)subscription."""

    epoch: Optional[str]
    head: int
    first: int
    recovered: bool
    since: Optional[int]


@dataclass
class Watch:
    """An async iterator over one run's events, in seq order, each once, until the run ends.

    It reconnects with backoff after any drop the server marks as resumable (4000–4499, 1001,
    1006 …), subscribing with the last seq and epoch it delivered, so nothing is lost or repeated.
    When the server answers ``recovered: false`` (the history asked for is gone), ``recovered``
    turns False and the answer is kept in ``lost``: the caller's view of the run is incomplete.
    ``subscriptions`` lists every answer, ``reconnects`` counts the reconnections, and
    ``repeats_dropped`` the events the server sent again that were already delivered (0 when the
    server resumed exactly, as it should).
    """

    url: str
    run: str
    since: Optional[int] = None
    epoch: Optional[str] = None
    types: Optional[Sequence[str]] = None
    max_backoff: float = 2.0
    give_up_after: float = 60.0
    recovered: bool = True
    lost: List[Subscribed] = field(default_factory=list)
    subscriptions: List[Subscribed] = field(default_factory=list)
    reconnects: int = 0
    repeats_dropped: int = 0
    ended: bool = False

    def __aiter__(self) -> AsyncIterator[Event]:
        return self._events()

    async def _events(self) -> AsyncIterator[Event]:
        attempt = 0
        loop = asyncio.get_running_loop()
        failing_since: Optional[float] = None
        while not self.ended:
            try:
                async with websockets.connect(_ws_url(self.url), max_size=None, ping_interval=None) as ws:
                    await ws.send(json.dumps(self._subscribe_frame()))
                    async for raw in ws:
                        frame = json.loads(raw)
                        op = frame.get("op")
                        if op == "event" and frame.get("run") == self.run:
                            event = Event.from_frame(frame)
                            if self.since is not None and event.seq <= self.since:
                                self.repeats_dropped += 1  # a server that resumed loosely; never yield twice
                                continue
                            self.since = event.seq
                            attempt, failing_since = 0, None
                            yield event
                        elif op == "subscribed" and frame.get("run") == self.run:
                            self._on_subscribed(frame)
                            attempt, failing_since = 0, None
                        elif op == "end" and frame.get("run") == self.run:
                            self.ended = True
                            return
                        elif op == "ping":
                            await ws.send('{"op":"pong"}')
                        elif op == "error":
                            raise error_for(frame.get("code"), frame.get("message", ""), request_id=frame.get("id"))
                    code: Optional[int] = ws.close_code
            except ConnectionClosed as e:
                code = e.rcvd.code if e.rcvd is not None else None
            except (OSError, InvalidStatusCode, asyncio.TimeoutError):
                code = None  # could not connect: the server is down or restarting
            if not should_reconnect(code):
                raise RuncastError(f"connection closed with {code}; not resuming", code="unavailable")
            now = loop.time()
            failing_since = failing_since if failing_since is not None else now
            if now - failing_since > self.give_up_after:
                raise error_for("unavailable", f"could not reach {self.url} for {self.give_up_after}s")
            d = min(self.max_backoff, 0.05 * (2 ** attempt))
            await asyncio.sleep(random.uniform(d / 2, d))
            attempt += 1
            self.reconnects += 1

    def _subscribe_frame(self) -> Dict[str, Any]:
        frame: Dict[str, Any] = {"op": "subscribe", "run": self.run, "id": 1}
        if self.since is not None:
            frame["since"] = self.since
        if self.epoch is not None:
            frame["epoch"] = self.epoch
        if self.types:
            frame["types"] = list(self.types)
        return frame

    def _on_subscribed(self, f: Dict[str, Any]) -> None:
        s = Subscribed(f.get("epoch"), int(f.get("head") or 0), int(f.get("first") or 0),
                       bool(f.get("recovered", True)), self.since)
        self.subscriptions.append(s)
        if not s.recovered:
            self.recovered = False
            self.lost.append(s)
            self.since = None  # a new stream: take what it delivers from `first`
        if s.epoch is not None:
            self.epoch = s.epoch


def watch(url: str, run: str, since: Optional[int] = None, epoch: Optional[str] = None,
          types: Optional[Sequence[str]] = None) -> Watch:
    """``async for event in watch("http://localhost:8000", "plan-42"): …`` — see :class:`Watch`."""
    return Watch(url, run, since, epoch, types)


def _ws_url(url: str) -> str:
    url = url.rstrip("/")
    if url.startswith("http://"):
        url = "ws://" + url[len("http://"):]
    elif url.startswith("https://"):
        url = "wss://" + url[len("https://"):]
    return url if url.endswith("/ws") else url + "/ws"
