"""Drop-in modules for the seed applications' back ends: the names and signatures their code calls,
publishing to Runcast instead of their own sockets, so switching is one import.

* ``runcast.seeds.websocket_streaming`` — seed 000 (plan page): ``send_plan_update``,
  ``send_agent_message``, ``send_step_update``.
* ``runcast.seeds.streaming_manager`` — seed 001 (research plans): ``StreamingManager``,
  ``StreamingExecutionWrapper``, ``StreamEvent``, ``EventType``.
* ``runcast.seeds.reasoning`` — seed 002 (reasoning chat): ``stream_reasoning`` turns a
  ``run_with_reasoning_stream``-style iterator of steps into a chat run.
* ``runcast.seeds.manager`` — seed 003 (manager workflow): the six ``broadcast_*`` functions, with
  ``broadcast_user_decision_needed`` returning the answer.
* ``runcast.seeds.fleet`` — seed 004 (agent fleet): ``FleetStream``, one per workflow, guaranteeing
  one ``response.completed`` and one ``done``.

Each module publishes to ``RUNCAST_URL`` (default ``http://localhost:8000``) or the URL given to it
(``configure(url)``, ``url=``).
"""
