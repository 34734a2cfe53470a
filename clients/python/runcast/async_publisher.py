"""The asyncio publisher: the same contract as :class:`runcast.Publisher`, on ``httpx.AsyncClient``."""

from __future__ import annotations

import asyncio
import time
from collections import deque
from typing import Any, Deque, Iterable, List, Mapping, Optional, Sequence

import httpx

from . import _core
from ._core import Backoff, Limits, Pending, Stats
from .errors import RunClosedError, RuncastError, UnavailableError, from_http
from .helpers import EventHelpers
from .watcher import watch


async def resolution(url: str, run: str, decision: str, after: int) -> dict[str, Any]:
    """The data of ``decision``'s ``decision.resolved`` in ``run``, waiting for it from seq ``after``."""
    async for event in watch(url, run, since=after, types=["decision.resolved"]):
        if event.type == "decision.resolved" and event.data.get("decision") == decision:
            return event.data
    raise RunClosedError(f"run {run} ended before decision {decision} was answered")


class AsyncPublisher(EventHelpers["asyncio.Future[int]"]):
    """Publishes events from asyncio code. ``publish`` returns at once an ``asyncio.Future`` of the
    event's seq (await it for the seq, or just ``await flush()``); a sender task batches, retries and
    keeps each run's order. Ordering, idempotency, retries and errors are as in
    :class:`runcast.Publisher`. Use it from one event loop; ``async with`` closes it."""

    def __init__(self, url: str = "http://localhost:8000", *, linger: float = 0.005,
                 backoff: Backoff = Backoff(), timeout: float = 10.0,
                 headers: Optional[Mapping[str, str]] = None) -> None:
        self.url = url.rstrip("/")
        self.linger = linger
        self.backoff = backoff
        self._http = httpx.AsyncClient(base_url=self.url, timeout=timeout, headers=dict(headers or {}))
        self._limits: Optional[Limits] = None
        self.stats = Stats()
        self._queue: Deque[Pending] = deque()
        self._wake = asyncio.Event()
        self._settled = asyncio.Event()
        self._unsettled = 0
        self._failure: Optional[BaseException] = None
        self._flushing = 0
        self._closed = False
        self._task: Optional["asyncio.Task[None]"] = None

    # ---- publishing ------------------------------------------------------------------------
    def publish(self, run: str, type: str, data: Optional[Mapping[str, Any]] = None,
                step: Optional[str] = None, agent: Optional[str] = None,
                key: Optional[str] = None) -> "asyncio.Future[int]":
        if self._closed:
            raise UnavailableError("the publisher is closed")
        loop = asyncio.get_running_loop()
        future: "asyncio.Future[int]" = loop.create_future()

        def done(seq: Optional[int], err: Optional[BaseException]) -> None:
            if future.done():
                return
            if err is not None:
                future.set_exception(err)
                future.exception()  # a caller that only flushes has seen it there; no "never retrieved" noise
            else:
                future.set_result(int(seq or 0))

        self._queue.append(_core.encode(run, type, data, step, agent, key, done))
        self._unsettled += 1
        self._settled.clear()
        self._wake.set()
        if self._task is None:
            self._task = loop.create_task(self._run(), name="runcast-async-publisher")
        return future

    def publish_many(self, run: str, events: Iterable[Mapping[str, Any]]) -> "List[asyncio.Future[int]]":
        return [self.publish(run, e["type"], e.get("data"), e.get("step"), e.get("agent"), e.get("key"))
                for e in events]

    async def flush(self) -> None:
        """Waits until every event handed over so far is acknowledged or failed; raises the first
        failure since the last flush."""
        self._flushing += 1
        self._wake.set()
        try:
            while self._unsettled:
                await self._settled.wait()
        finally:
            self._flushing -= 1
        failure, self._failure = self._failure, None
        if failure is not None:
            raise failure

    async def close(self) -> None:
        try:
            await self.flush()
        finally:
            self._closed = True
            self._wake.set()
            if self._task is not None:
                await self._task
            await self._http.aclose()

    async def __aenter__(self) -> "AsyncPublisher":
        return self

    async def __aexit__(self, *exc: Any) -> None:
        await self.close()

    # ---- control ---------------------------------------------------------------------------
    async def limits(self) -> Limits:
        if self._limits is None:
            self._limits = Limits.from_health(await self._request("GET", "/api/health"))
        return self._limits

    async def start_chat(self, message: str, agent: Optional[str] = None, conversation: Optional[str] = None,
                         options: Optional[Mapping[str, Any]] = None) -> dict[str, Any]:
        body: dict[str, Any] = {"message": message}
        if agent is not None:
            body["agent"] = agent
        if conversation is not None:
            body["conversation"] = conversation
        if options is not None:
            body["options"] = dict(options)
        return await self._request("POST", "/api/chats", body, retry=False)

    async def decide(self, run: str, decision: str, choice: Any, by: Optional[str] = None) -> int:
        body: dict[str, Any] = {"choice": choice}
        if by is not None:
            body["by"] = by
        return int((await self._request("POST", f"/api/runs/{run}/decisions/{decision}", body))["seq"])

    async def cancel(self, run: str, reason: Optional[str] = None) -> int:
        body = {} if reason is None else {"reason": reason}
        return int((await self._request("POST", f"/api/runs/{run}/cancel", body))["seq"])

    async def ask(self, run: str, decision: str, prompt: str, options: Sequence[Any] = (), default: Any = None,
                  timeout_seconds: float = 0, can_skip: bool = False, context: Any = None,
                  step: Optional[str] = None, agent: Optional[str] = None) -> dict[str, Any]:
        """Asks a person: publishes ``decision.requested`` and waits for its ``decision.resolved``,
        answered by anyone (the dashboard, a WebSocket ``decide``, :meth:`decide`) or by the server
        when ``timeout_seconds`` pass (then with ``default``). Returns the resolution's data:
        ``decision``, ``choice`` (absent when it timed out without a default), ``by``, ``timed_out``?,
        ``skipped``?. Raises :class:`RunClosedError` if the run ends first."""
        seq = await self.decision_requested(run, decision, prompt, options, default, timeout_seconds, can_skip,
                                            context, step=step, agent=agent)
        return await resolution(self.url, run, decision, after=seq)

    async def _request(self, method: str, path: str, body: Any = None, retry: bool = True) -> Any:
        attempt, start = 0, time.monotonic()
        while True:
            try:
                r = await self._http.request(method, path, json=body)
                if r.status_code < 300:
                    return r.json()
                err: BaseException = from_http(r.status_code, r.content)
            except httpx.TransportError as e:
                err = UnavailableError(f"{type(e).__name__}: {e}")
            if not (retry and _core.retryable(err)) or time.monotonic() - start > self.backoff.give_up_after:
                raise err
            await asyncio.sleep(self.backoff.delay(attempt))
            attempt += 1

    # ---- the sender task -------------------------------------------------------------------
    async def _run(self) -> None:
        while True:
            while not self._queue:
                if self._closed:
                    return
                self._wake.clear()
                await self._wake.wait()
            until = time.monotonic() + self.linger
            full = self._limits.max_batch if self._limits else Limits().max_batch
            while not self._closed and not self._flushing and len(self._queue) < full:
                left = until - time.monotonic()
                if left <= 0:
                    break
                self._wake.clear()
                try:
                    await asyncio.wait_for(self._wake.wait(), left)
                except asyncio.TimeoutError:
                    break
            try:
                limits = await self.limits()
            except BaseException as e:  # noqa: BLE001 - every waiting event must learn the outcome
                batch = list(self._queue)
                self._queue.clear()
                self._settle(batch, None, e)
                continue
            await self._send(_core.next_batch(self._queue, limits))

    async def _send(self, batch: List[Pending]) -> None:
        body = _core.request_body(batch)
        path = f"/api/runs/{batch[0].run}/events"
        attempt, start = 0, time.monotonic()
        while True:
            self.stats.requests += 1
            try:
                r = await self._http.post(path, content=body, headers={"content-type": "application/json"})
                seqs, err = _core.parse_answer(r.status_code, r.content)
            except httpx.TransportError as e:
                seqs, err = None, UnavailableError(f"{type(e).__name__}: {e}")
            if err is None or not _core.retryable(err) or time.monotonic() - start > self.backoff.give_up_after:
                break
            await asyncio.sleep(self.backoff.delay(attempt))
            attempt += 1
            self.stats.retries += 1
        if isinstance(err, RuncastError) and err.code in _core.ISOLATE and len(batch) > 1:
            self.stats.split += 1
            for p in batch:
                await self._send([p])
            return
        self._settle(batch, seqs, err)

    def _settle(self, batch: List[Pending], seqs: Optional[List[int]], err: Optional[BaseException]) -> None:
        for i, p in enumerate(batch):
            p.done(seqs[i] if seqs is not None else None, err)
        if err is not None and self._failure is None:
            self._failure = err
        self._unsettled -= len(batch)
        if not self._unsettled:
            self._settled.set()
