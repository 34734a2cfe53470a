package io.runcast.producer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runcast.event.EventDraft;
import io.runcast.event.EventTypes;
import io.runcast.event.Json;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * One run as a producer sees it: typed helpers for every catalogue event, plus {@link #emit} for
 * anything else (types under {@code x.}). Obtained from {@link RunProducer#open} or
 * {@link RunProducer#attach}; {@link #scoped} gives a view whose events carry a step and agent.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li><b>Order.</b> Events emitted through one handle (and its scoped views) from one thread are
 *       appended in the order of the calls, whatever the transport.</li>
 *   <li><b>Asynchrony.</b> Every method returns at once. The stage completes with the event's seq once
 *       Runcast acknowledged it, or fails with a {@link io.runcast.protocol.RuncastException} —
 *       {@code RUN_CLOSED} after the run ended (e.g. it was cancelled: stop working), {@code INVALID_TYPE},
 *       {@code TOO_LARGE}, {@code UNAVAILABLE}.</li>
 *   <li><b>Ending.</b> {@link #complete}, {@link #fail} and {@link #cancelled} append the run's one
 *       terminal event; anything emitted afterwards fails with {@code RUN_CLOSED}.</li>
 *   <li>Handles are thread-safe.</li>
 * </ul>
 */
public interface RunHandle {
    String run();

    /** The step stamped on events of this view, or null. */
    String step();

    /** The agent stamped on events of this view, or null. */
    String agent();

    /** A view of the same run whose events carry this step and agent (either may be null). */
    RunHandle scoped(String step, String agent);

    /** Appends one draft as given (its own step/agent are kept). */
    CompletionStage<Long> emit(EventDraft draft);

    /** Completes once everything emitted so far is acknowledged (or failed). */
    CompletionStage<Void> flush();

    /** Appends an event of this view's step and agent. */
    default CompletionStage<Long> emit(String type, ObjectNode data) {
        return emit(new EventDraft(type, step(), agent(), Json.write(data == null ? Json.object() : data), null));
    }

    // ---- lifecycle ---------------------------------------------------------------------------

    default CompletionStage<Long> started(ObjectNode plan) {
        return emit(EventTypes.RUN_STARTED, plan);
    }

    default CompletionStage<Long> complete(ObjectNode summary) {
        ObjectNode d = Json.object();
        if (summary != null) d.set("summary", summary);
        return emit(EventTypes.RUN_COMPLETED, d);
    }

    default CompletionStage<Long> fail(String reason, ObjectNode summary) {
        ObjectNode d = obj("reason", reason);
        if (summary != null) d.set("summary", summary);
        return emit(EventTypes.RUN_FAILED, d);
    }

    default CompletionStage<Long> cancelled(String by, String reason) {
        ObjectNode d = obj("by", by);
        if (reason != null) d.put("reason", reason);
        return emit(EventTypes.RUN_CANCELLED, d);
    }

    default CompletionStage<Long> stepStarted(ObjectNode info) {
        return emit(EventTypes.STEP_STARTED, info);
    }

    /** Progress inside this view's step: 0..100, a message and an optional sub-step name. */
    default CompletionStage<Long> progress(double percent, String message, String substep) {
        ObjectNode d = Json.object();
        d.put("progress", Math.max(0, Math.min(100, percent)));
        if (message != null) d.put("message", message);
        if (substep != null) d.put("substep", substep);
        return emit(EventTypes.STEP_PROGRESS, d);
    }

    default CompletionStage<Long> stepCompleted(JsonNode result, long durationMs) {
        ObjectNode d = Json.object();
        d.set("result", result);
        d.put("duration_ms", durationMs);
        return emit(EventTypes.STEP_COMPLETED, d);
    }

    default CompletionStage<Long> stepFailed(String error, long durationMs) {
        ObjectNode d = obj("error", error);
        d.put("duration_ms", durationMs);
        return emit(EventTypes.STEP_FAILED, d);
    }

    // ---- reasoning ---------------------------------------------------------------------------

    default CompletionStage<Long> thinking(String content) {
        return emit(EventTypes.AGENT_THINKING, obj("content", content));
    }

    default CompletionStage<Long> action(String content) {
        return emit(EventTypes.AGENT_ACTION, obj("content", content));
    }

    default CompletionStage<Long> result(String content) {
        return emit(EventTypes.AGENT_RESULT, obj("content", content));
    }

    default CompletionStage<Long> agentError(String message) {
        return emit(EventTypes.AGENT_ERROR, obj("message", message));
    }

    default CompletionStage<Long> toolCall(String tool, JsonNode input, String call) {
        ObjectNode d = obj("tool", tool);
        d.set("input", input);
        d.put("call", call);
        return emit(EventTypes.TOOL_CALL, d);
    }

    default CompletionStage<Long> toolResult(String tool, JsonNode output, String call, long durationMs) {
        ObjectNode d = obj("tool", tool);
        d.set("output", output);
        d.put("call", call);
        d.put("duration_ms", durationMs);
        return emit(EventTypes.TOOL_RESULT, d);
    }

    /** A chunk of streamed answer text (a token or a few). */
    default CompletionStage<Long> delta(String text) {
        return emit(EventTypes.ANSWER_DELTA, obj("text", text));
    }

    default CompletionStage<Long> answer(String text) {
        return emit(EventTypes.ANSWER_FINAL, obj("text", text));
    }

    default CompletionStage<Long> chat(String role, String content) {
        ObjectNode d = obj("role", role);
        d.put("content", content);
        return emit(EventTypes.CHAT_MESSAGE, d);
    }

    // ---- orchestration -----------------------------------------------------------------------

    default CompletionStage<Long> stage(String stage, List<String> stages, double completionPercentage) {
        ObjectNode d = obj("stage", stage);
        if (stages != null) stages.forEach(d.putArray("stages")::add);
        d.put("completion_percentage", completionPercentage);
        return emit(EventTypes.WORKFLOW_STAGE, d);
    }

    /** A router's choice of pipeline for a request ({@code light} or {@code full}), how sure it was, and why. */
    default CompletionStage<Long> route(String pipeline, double confidence, String reason) {
        ObjectNode d = obj("pipeline", pipeline);
        d.put("confidence", confidence);
        if (reason != null) d.put("reason", reason);
        return emit(EventTypes.WORKFLOW_ROUTE, d);
    }

    default CompletionStage<Long> modelSelected(String model, String tier, String reasoning) {
        ObjectNode d = obj("model", model);
        d.put("tier", tier);
        d.put("reasoning", reasoning);
        return emit(EventTypes.MODEL_SELECTED, d);
    }

    default CompletionStage<Long> recovery(String errorMessage, String strategy, int attempt) {
        ObjectNode d = obj("error_message", errorMessage);
        d.put("strategy", strategy);
        d.put("attempt", attempt);
        return emit(EventTypes.ERROR_RECOVERY, d);
    }

    default CompletionStage<Long> qualityCheck(double score, boolean passed, String gate) {
        ObjectNode d = Json.object();
        d.put("score", score);
        d.put("passed", passed);
        if (gate != null) d.put("gate", gate);
        return emit(EventTypes.QUALITY_CHECK, d);
    }

    default CompletionStage<Long> reviewRequested(String reason) {
        return emit(EventTypes.QUALITY_REVIEW, obj("reason", reason));
    }

    /** Asks a human; prefer the agent context's {@code decide}, which also waits for the answer. */
    default CompletionStage<Long> decisionRequested(String decision, String prompt, List<?> options, Object dflt,
                                                    double timeoutSeconds, boolean canSkip, JsonNode context) {
        ObjectNode d = obj("decision", decision);
        d.put("prompt", prompt);
        d.set("options", Json.MAPPER.valueToTree(options == null ? List.of() : options));
        d.set("default", Json.MAPPER.valueToTree(dflt));
        d.put("timeout_seconds", timeoutSeconds);
        d.put("can_skip", canSkip);
        if (context != null) d.set("context", context);
        return emit(EventTypes.DECISION_REQUESTED, d);
    }

    // ---- operations --------------------------------------------------------------------------

    default CompletionStage<Long> metrics(ObjectNode numbers) {
        return emit(EventTypes.METRICS_UPDATE, numbers);
    }

    default CompletionStage<Long> health(String status) {
        return emit(EventTypes.HEALTH_UPDATE, obj("status", status));
    }

    default CompletionStage<Long> log(String level, String message) {
        ObjectNode d = obj("level", level);
        d.put("message", message);
        return emit(EventTypes.LOG_LINE, d);
    }

    private static ObjectNode obj(String field, String value) {
        ObjectNode d = Json.object();
        d.put(field, value);
        return d;
    }
}
