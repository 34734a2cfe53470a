"""A decision asked from Python, answered from a WebSocket the way the dashboard answers (op decide),
or by the server's timeout with the default."""

from __future__ import annotations

import asyncio
import json
import uuid
from typing import Any, Dict

import websockets

from conftest import Server

from runcast import AsyncPublisher, Publisher


def test_decisionAskedFromPython_isAnsweredFromTheDashboardsWebSocket(server: Server) -> None:
    run = f"ask-{uuid.uuid4().hex[:8]}"

    async def dashboard() -> str:
        """Subscribes like runcast.js, and answers the first decision it is shown."""
        async with websockets.connect(server.url.replace("http", "ws") + "/ws") as ws:
            connected = json.loads(await ws.recv())
            await ws.send(json.dumps({"op": "subscribe", "run": run, "id": 1}))
            async for raw in ws:
                f = json.loads(raw)
                if f.get("op") == "event" and f["type"] == "decision.requested":
                    assert f["data"]["options"] == ["publish", "hold"]
                    await ws.send(json.dumps({"op": "decide", "run": run, "decision": f["data"]["decision"],
                                              "choice": "publish", "id": 2}))
                elif f.get("op") == "ok" and f.get("id") == 2:
                    return str(connected["connection"])
        raise AssertionError("the socket closed before the decision was answered")

    async def main() -> None:
        answerer = asyncio.create_task(dashboard())
        async with AsyncPublisher(server.url) as pub:
            pub.run_started(run, {"query": "draft the report"})
            answer: Dict[str, Any] = await pub.ask(run, "d1", "Publish the report?", ["publish", "hold"],
                                                   default="hold", timeout_seconds=60)
            connection = await answerer
            assert answer["choice"] == "publish" and answer["by"] == connection
            assert not answer.get("timed_out")
            pub.run_completed(run)

    asyncio.run(asyncio.wait_for(main(), 60))


def test_decisionNobodyAnswers_resolvesWithTheDefaultAfterItsTimeout(server: Server) -> None:
    run = f"ask-{uuid.uuid4().hex[:8]}"
    with Publisher(server.url) as pub:
        pub.run_started(run, {"query": "q"})
        answer = pub.ask(run, "d1", "Go on?", ["yes", "no"], default="no", timeout_seconds=0.5)
        pub.run_completed(run)
    assert answer["choice"] == "no" and answer["timed_out"] is True and answer["by"] == "timeout"
