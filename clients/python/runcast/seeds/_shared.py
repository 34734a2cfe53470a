"""What the seed modules share: one publisher per event loop, and the next turn of a conversation."""

from __future__ import annotations

import asyncio
import logging
import os
from typing import Any, Mapping, Optional

import httpx

from ..async_publisher import AsyncPublisher

log = logging.getLogger("runcast.seeds")


class SharedPublisher:
    """The module-level publisher of a seed module: created on first use in the running event loop,
    publishing to ``RUNCAST_URL`` (default localhost:8000) or the URL given to :meth:`configure`."""

    def __init__(self) -> None:
        self.url = os.environ.get("RUNCAST_URL", "http://localhost:8000")
        self._pub: Optional[AsyncPublisher] = None
        self._loop: Optional[asyncio.AbstractEventLoop] = None

    def configure(self, url: str) -> None:
        self.url, self._pub = url, None

    def get(self) -> AsyncPublisher:
        loop = asyncio.get_running_loop()
        if self._pub is None or self._loop is not loop:
            self._pub, self._loop = AsyncPublisher(self.url), loop
        return self._pub

    def send(self, run: str, type: str, data: Mapping[str, Any], step: Optional[str] = None,
             agent: Optional[str] = None) -> "asyncio.Future[int]":
        """Hands one event over without waiting; a failure is logged (and raised by :meth:`flush`)."""
        future = self.get().publish(run, type, data, step=step, agent=agent)
        future.add_done_callback(
            lambda f: f.exception() and log.warning("runcast: %s on %s not published: %s", type, run, f.exception()))
        return future

    async def flush(self) -> None:
        if self._pub is not None:
            await self._pub.flush()

    async def close(self) -> None:
        if self._pub is not None:
            pub, self._pub = self._pub, None
            await pub.close()


async def next_turn(url: str, conversation: str) -> int:
    """The first n for which run ``<conversation>.<n>`` does not exist yet."""
    async with httpx.AsyncClient(base_url=url) as http:
        n = 1
        while (await http.get(f"/api/runs/{conversation}.{n}")).status_code == 200:
            n += 1
        return n
