"""The synchronous publisher: a background thread batches events into ``POST /api/runs/{run}/events``."""

from __future__ import annotations

import asyncio
import threading
import time
from collections import deque
from concurrent.futures import Future
from typing import Any, Deque, Iterable, List, Mapping, Optional, Sequence

import httpx

from . import _core
from ._core import Backoff, Limits, Pending, Stats
from .errors import RuncastError, UnavailableError, from_http
from .async_publisher import resolution
from .helpers import EventHelpers


class Publisher(EventHelpers["Future[int]"]):
    """Publishes events to one Runcast server over HTTP.

    Contract:

    * **Order.** Events of one run are appended in the order of the ``publish`` calls (from one
      thread, or as those calls were serialised); a request being retried holds back the ones after it.
    * **Asynchrony.** ``publish`` returns at once a ``Future`` of the event's seq. Events wait at
      most ``linger`` seconds to share a request; requests respect the server's stated limits.
    * **No duplicates.** Every event carries an idempotency key (generated unless given); a request
      whose answer was lost is retried with the same keys, and the server appends each key once.
    * **Errors.** Connection errors, 5xx and 429 are retried with exponential backoff and jitter for
      up to ``backoff.give_up_after`` seconds, then fail with :class:`UnavailableError`. Other
      catalogue errors fail the events they concern (a refused batch is retried event by event so
      that only the offending one fails). :meth:`flush` raises the first failure since the last flush.
    * Thread-safe; ``close()`` (or leaving the ``with`` block) flushes first.
    """

    def __init__(self, url: str = "http://localhost:8000", *, linger: float = 0.005,
                 backoff: Backoff = Backoff(), timeout: float = 10.0,
                 headers: Optional[Mapping[str, str]] = None) -> None:
        self.url = url.rstrip("/")
        self.linger = linger
        self.backoff = backoff
        self._http = httpx.Client(base_url=self.url, timeout=timeout, headers=dict(headers or {}))
        self._limits: Optional[Limits] = None
        self.stats = Stats()
        self._queue: Deque[Pending] = deque()
        self._lock = threading.Condition()
        self._unsettled = 0  # handed over and not yet acknowledged or failed
        self._failure: Optional[BaseException] = None
        self._flushing = 0
        self._closed = False
        self._thread = threading.Thread(target=self._run, name="runcast-publisher", daemon=True)
        self._thread.start()

    # ---- publishing ------------------------------------------------------------------------
    def publish(self, run: str, type: str, data: Optional[Mapping[str, Any]] = None,
                step: Optional[str] = None, agent: Optional[str] = None,
                key: Optional[str] = None) -> "Future[int]":
        future: "Future[int]" = Future()

        def done(seq: Optional[int], err: Optional[BaseException]) -> None:
            if err is not None:
                future.set_exception(err)
            else:
                future.set_result(int(seq or 0))

        pending = _core.encode(run, type, data, step, agent, key, done)
        with self._lock:
            if self._closed:
                raise UnavailableError("the publisher is closed")
            self._queue.append(pending)
            self._unsettled += 1
            self._lock.notify_all()
        return future

    def publish_many(self, run: str, events: Iterable[Mapping[str, Any]]) -> "List[Future[int]]":
        """Publishes ``{"type", "data"?, "step"?, "agent"?, "key"?}`` objects in order."""
        return [self.publish(run, e["type"], e.get("data"), e.get("step"), e.get("agent"), e.get("key"))
                for e in events]

    def flush(self, timeout: Optional[float] = None) -> None:
        """Waits until every event handed over so far is acknowledged or failed; raises the first
        failure since the last flush."""
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._lock:
            self._flushing += 1
            self._lock.notify_all()
            try:
                while self._unsettled:
                    left = None if deadline is None else deadline - time.monotonic()
                    if left is not None and left <= 0:
                        raise TimeoutError("flush timed out")
                    self._lock.wait(left)
            finally:
                self._flushing -= 1
            failure, self._failure = self._failure, None
        if failure is not None:
            raise failure

    def close(self) -> None:
        try:
            self.flush()
        finally:
            with self._lock:
                self._closed = True
                self._lock.notify_all()
            self._thread.join()
            self._http.close()

    def __enter__(self) -> "Publisher":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    # ---- control ---------------------------------------------------------------------------
    def limits(self) -> Limits:
        """The server's stated limits (asked once, from ``GET /api/health``)."""
        if self._limits is None:
            self._limits = Limits.from_health(self._request("GET", "/api/health"))
        return self._limits

    def start_chat(self, message: str, agent: Optional[str] = None, conversation: Optional[str] = None,
                   options: Optional[Mapping[str, Any]] = None) -> dict[str, Any]:
        """Starts a chat run (``POST /api/chats``): ``{"run","conversation","turn","agent","stream"}``."""
        body: dict[str, Any] = {"message": message}
        if agent is not None:
            body["agent"] = agent
        if conversation is not None:
            body["conversation"] = conversation
        if options is not None:
            body["options"] = dict(options)
        return self._request("POST", "/api/chats", body, retry=False)

    def decide(self, run: str, decision: str, choice: Any, by: Optional[str] = None) -> int:
        """Answers a ``decision.requested``; returns the seq of its ``decision.resolved``."""
        body: dict[str, Any] = {"choice": choice}
        if by is not None:
            body["by"] = by
        return int(self._request("POST", f"/api/runs/{run}/decisions/{decision}", body)["seq"])

    def cancel(self, run: str, reason: Optional[str] = None) -> int:
        """Cancels a run (``run.cancelled``); returns that event's seq."""
        body = {} if reason is None else {"reason": reason}
        return int(self._request("POST", f"/api/runs/{run}/cancel", body)["seq"])

    def ask(self, run: str, decision: str, prompt: str, options: Sequence[Any] = (), default: Any = None,
            timeout_seconds: float = 0, can_skip: bool = False, context: Any = None,
            step: Optional[str] = None, agent: Optional[str] = None) -> dict[str, Any]:
        """Asks a person and blocks until the decision is resolved; see :meth:`AsyncPublisher.ask`.
        Not for use inside a running event loop (use :class:`AsyncPublisher` there)."""
        seq = self.decision_requested(run, decision, prompt, options, default, timeout_seconds, can_skip,
                                      context, step=step, agent=agent).result()
        return asyncio.run(resolution(self.url, run, decision, after=seq))

    def _request(self, method: str, path: str, body: Any = None, retry: bool = True) -> Any:
        attempt, start = 0, time.monotonic()
        while True:
            try:
                r = self._http.request(method, path, json=body)
                if r.status_code < 300:
                    return r.json()
                err: BaseException = from_http(r.status_code, r.content)
            except httpx.TransportError as e:
                err = UnavailableError(f"{type(e).__name__}: {e}")
            if not (retry and _core.retryable(err)) or time.monotonic() - start > self.backoff.give_up_after:
                raise err
            time.sleep(self.backoff.delay(attempt))
            attempt += 1

    # ---- the sender thread -----------------------------------------------------------------
    def _run(self) -> None:
        while True:
            with self._lock:
                while not self._queue and not self._closed:
                    self._lock.wait()
                if not self._queue:
                    return
                # linger: let a burst gather, unless someone waits or a request is already full
                until = time.monotonic() + self.linger
                full = self._limits.max_batch if self._limits else Limits().max_batch
                while (not self._closed and not self._flushing and len(self._queue) < full
                       and (left := until - time.monotonic()) > 0):
                    self._lock.wait(left)
            try:
                limits = self.limits()
            except BaseException as e:  # noqa: BLE001 - every waiting event must learn the outcome
                with self._lock:
                    batch = list(self._queue)
                    self._queue.clear()
                self._settle(batch, None, e)
                continue
            with self._lock:
                batch = _core.next_batch(self._queue, limits)
            self._send(batch)

    def _send(self, batch: List[Pending]) -> None:
        body = _core.request_body(batch)
        path = f"/api/runs/{batch[0].run}/events"
        attempt, start = 0, time.monotonic()
        while True:
            self.stats.requests += 1
            try:
                r = self._http.post(path, content=body, headers={"content-type": "application/json"})
                seqs, err = _core.parse_answer(r.status_code, r.content)
            except httpx.TransportError as e:
                seqs, err = None, UnavailableError(f"{type(e).__name__}: {e}")
            if err is None or not _core.retryable(err):
                break
            if time.monotonic() - start > self.backoff.give_up_after:
                break
            time.sleep(self.backoff.delay(attempt))
            attempt += 1
            self.stats.retries += 1
        if isinstance(err, RuncastError) and err.code in _core.ISOLATE and len(batch) > 1:
            self.stats.split += 1
            for p in batch:
                self._send([p])
            return
        self._settle(batch, seqs, err)

    def _settle(self, batch: List[Pending], seqs: Optional[List[int]], err: Optional[BaseException]) -> None:
        for i, p in enumerate(batch):
            p.done(seqs[i] if seqs is not None else None, err)
        with self._lock:
            if err is not None and self._failure is None:
                self._failure = err
            self._unsettled -= len(batch)
            self._lock.notify_all()
