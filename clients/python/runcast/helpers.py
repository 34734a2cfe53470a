"""Typed helpers for the catalogue's common events (docs/events.md), shared by both publishers.

They mirror the Java ``RunHandle`` helpers and write the same ``data`` shapes.
"""

from __future__ import annotations

from typing import Any, Generic, Mapping, Optional, Sequence, TypeVar

F = TypeVar("F")


class EventHelpers(Generic[F]):
    """Mixin: each helper is one :meth:`publish` of a catalogue type; ``F`` is what publish returns."""

    def publish(self, run: str, type: str, data: Optional[Mapping[str, Any]] = None,
                step: Optional[str] = None, agent: Optional[str] = None,
                key: Optional[str] = None) -> F:
        raise NotImplementedError

    # ---- lifecycle -------------------------------------------------------------------------
    def run_started(self, run: str, data: Optional[Mapping[str, Any]] = None, **kw: Any) -> F:
        return self.publish(run, "run.started", data, **kw)

    def run_completed(self, run: str, summary: Optional[Mapping[str, Any]] = None, **kw: Any) -> F:
        return self.publish(run, "run.completed", {} if summary is None else {"summary": dict(summary)}, **kw)

    def run_failed(self, run: str, reason: str, step: Optional[str] = None, **kw: Any) -> F:
        data: dict[str, Any] = {"reason": reason}
        if step is not None:
            data["step"] = step
        return self.publish(run, "run.failed", data, **kw)

    def step_started(self, run: str, step: str, agent: Optional[str] = None,
                     data: Optional[Mapping[str, Any]] = None, **kw: Any) -> F:
        return self.publish(run, "step.started", data, step=step, agent=agent, **kw)

    def progress(self, run: str, step: str, percent: float, message: Optional[str] = None,
                 substep: Optional[str] = None, agent: Optional[str] = None, **kw: Any) -> F:
        """``percent`` is 0–100 (clamped), as the catalogue's ``step.progress`` says."""
        data: dict[str, Any] = {"progress": max(0.0, min(100.0, float(percent)))}
        if message is not None:
            data["message"] = message
        if substep is not None:
            data["substep"] = substep
        return self.publish(run, "step.progress", data, step=step, agent=agent, **kw)

    def step_completed(self, run: str, step: str, result: Any = None, duration_ms: Optional[int] = None,
                       agent: Optional[str] = None, **kw: Any) -> F:
        data: dict[str, Any] = {"result": result}
        if duration_ms is not None:
            data["duration_ms"] = int(duration_ms)
        return self.publish(run, "step.completed", data, step=step, agent=agent, **kw)

    def step_failed(self, run: str, step: str, error: str, duration_ms: Optional[int] = None,
                    agent: Optional[str] = None, **kw: Any) -> F:
        data: dict[str, Any] = {"error": error}
        if duration_ms is not None:
            data["duration_ms"] = int(duration_ms)
        return self.publish(run, "step.failed", data, step=step, agent=agent, **kw)

    # ---- reasoning -------------------------------------------------------------------------
    def thinking(self, run: str, content: str, **kw: Any) -> F:
        return self.publish(run, "agent.thinking", {"content": content}, **kw)

    def action(self, run: str, content: str, **kw: Any) -> F:
        return self.publish(run, "agent.action", {"content": content}, **kw)

    def result(self, run: str, content: str, **kw: Any) -> F:
        return self.publish(run, "agent.result", {"content": content}, **kw)

    def agent_error(self, run: str, message: str, **kw: Any) -> F:
        return self.publish(run, "agent.error", {"message": message}, **kw)

    def tool_call(self, run: str, tool: str, input: Any, call: str, **kw: Any) -> F:
        return self.publish(run, "tool.call", {"tool": tool, "input": input, "call": call}, **kw)

    def tool_result(self, run: str, tool: str, output: Any, call: str, duration_ms: int = 0, **kw: Any) -> F:
        return self.publish(run, "tool.result",
                            {"tool": tool, "output": output, "call": call, "duration_ms": int(duration_ms)}, **kw)

    def delta(self, run: str, text: str, **kw: Any) -> F:
        return self.publish(run, "answer.delta", {"text": text}, **kw)

    def answer(self, run: str, text: str, **kw: Any) -> F:
        return self.publish(run, "answer.final", {"text": text}, **kw)

    def chat_message(self, run: str, role: str, content: str, **kw: Any) -> F:
        return self.publish(run, "chat.message", {"role": role, "content": content}, **kw)

    # ---- orchestration and operations ------------------------------------------------------
    def stage(self, run: str, stage: str, stages: Optional[Sequence[str]] = None,
              completion_percentage: float = 0.0, **kw: Any) -> F:
        data: dict[str, Any] = {"stage": stage, "completion_percentage": completion_percentage}
        if stages is not None:
            data["stages"] = list(stages)
        return self.publish(run, "workflow.stage", data, **kw)

    def model_selected(self, run: str, model: str, tier: str, reasoning: str, **kw: Any) -> F:
        return self.publish(run, "model.selected", {"model": model, "tier": tier, "reasoning": reasoning}, **kw)

    def recovery(self, run: str, error_message: str, strategy: str, attempt: int, **kw: Any) -> F:
        return self.publish(run, "error.recovery",
                            {"error_message": error_message, "strategy": strategy, "attempt": attempt}, **kw)

    def quality_check(self, run: str, score: float, passed: bool, gate: Optional[str] = None, **kw: Any) -> F:
        data: dict[str, Any] = {"score": score, "passed": passed}
        if gate is not None:
            data["gate"] = gate
        return self.publish(run, "quality.check", data, **kw)

    def metrics(self, run: str, numbers: Mapping[str, Any], **kw: Any) -> F:
        return self.publish(run, "metrics.update", numbers, **kw)

    def log(self, run: str, level: str, message: str, **kw: Any) -> F:
        return self.publish(run, "log.line", {"level": level, "message": message}, **kw)

    def decision_requested(self, run: str, decision: str, prompt: str, options: Sequence[Any] = (),
                           default: Any = None, timeout_seconds: float = 0, can_skip: bool = False,
                           context: Any = None, **kw: Any) -> F:
        data: dict[str, Any] = {"decision": decision, "prompt": prompt, "options": list(options),
                                "default": default, "timeout_seconds": timeout_seconds, "can_skip": can_skip}
        if context is not None:
            data["context"] = context
        return self.publish(run, "decision.requested", data, **kw)
