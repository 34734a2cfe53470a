package io.runcast.seeds.research;

import static io.runcast.event.EventTypes.*;
import static java.util.Map.entry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runcast.event.Event;
import io.runcast.event.Json;
import io.runcast.hub.WireFormat;
import io.runcast.protocol.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Seed 001's frames — {@code {event_type, plan_id, step_id, data, timestamp, event_id}}, the fields of
 * the project's {@code StreamEvent} in its order — and the table that maps Runcast's catalogue onto
 * them. {@code data} is the event's data with the row's adjustments; {@code event_id} is the Runcast
 * event's id, so a replayed event and its live delivery carry the same id.
 */
public final class ResearchFrames {
    /** The plan id of frames that belong to no plan: the welcome, pongs, heartbeats and errors. */
    public static final String SYSTEM = "system";

    /**
     * How one Runcast event type becomes a seed 001 event.
     *
     * @param eventType the lowercase 001 type
     * @param defaults  fields set in {@code data} when the event did not carry them
     * @param copies    data field → the 001 field that gets a copy of it ({@code score → quality_score});
     *                  the envelope's {@code step} counts as a field
     * @param fraction  a data field holding 0–100 that 001 wants as a fraction 0–1, or null
     */
    public record Row(String eventType, Map<String, String> defaults, Map<String, String> copies, String fraction) {
        public Row {
            defaults = Map.copyOf(defaults);
            copies = Map.copyOf(copies);
        }
    }

    private static Row as(String eventType) {
        return new Row(eventType, Map.of(), Map.of(), null);
    }

    /** The project's 14 event types (plus ping and pong, which only the connection itself sends). */
    public static final List<String> TYPES = List.of("plan_started", "plan_completed", "plan_failed", "plan_paused",
            "plan_resumed", "step_started", "step_progress", "step_completed", "step_failed", "quality_check",
            "review_required", "metrics_update", "health_update", "error");

    /** Runcast event type → seed 001 event. */
    public static final Map<String, Row> SHOWN = Map.ofEntries(
            entry(RUN_STARTED, as("plan_started")),
            entry(RUN_PAUSED, as("plan_paused")),
            entry(RUN_RESUMED, as("plan_resumed")),
            entry(RUN_COMPLETED, new Row("plan_completed", Map.of("status", "completed"), Map.of(), null)),
            entry(RUN_FAILED, new Row("plan_failed", Map.of("status", "failed"), Map.of("reason", "error", "step", "failed_step"), null)),
            // 001 has no cancelled plan; its clients stop on plan_completed or plan_failed, so a cancelled run must end as one
            entry(RUN_CANCELLED, new Row("plan_failed", Map.of("status", "cancelled", "error", "cancelled"), Map.of("reason", "error"), null)),
            entry(STEP_STARTED, as("step_started")),
            entry(STEP_PROGRESS, new Row("step_progress", Map.of(), Map.of(), "progress")),
            entry(STEP_COMPLETED, new Row("step_completed", Map.of("status", "success"), Map.of(), null)),
            entry(STEP_FAILED, new Row("step_failed", Map.of("status", "failed"), Map.of(), null)),
            entry(QUALITY_CHECK, new Row("quality_check", Map.of(), Map.of("score", "quality_score"), null)),
            entry(QUALITY_REVIEW, as("review_required")),
            // a person is asked: the nearest 001 has is a review request
            entry(DECISION_REQUESTED, new Row("review_required", Map.of(), Map.of("decision", "review_id", "prompt", "reason"), null)),
            entry(METRICS_UPDATE, as("metrics_update")),
            entry(HEALTH_UPDATE, as("health_update")),
            entry(AGENT_ERROR, as("error")));

    /** Runcast event types seed 001 is not sent, each with the reason (docs/compat.md repeats it). */
    public static final Map<String, String> NOT_SHOWN = Map.ofEntries(
            entry(AGENT_THINKING, "001 streams plan and step progress, not agents' reasoning"),
            entry(AGENT_ACTION, "001 streams plan and step progress, not agents' reasoning"),
            entry(AGENT_RESULT, "a step's result arrives with step_completed"),
            entry(TOOL_CALL, "tool calls happen inside a step; 001 has no event for them"),
            entry(TOOL_RESULT, "tool calls happen inside a step; 001 has no event for them"),
            entry(ANSWER_DELTA, "001 has no text streaming"),
            entry(ANSWER_FINAL, "the plan's outcome arrives with step_completed and plan_completed"),
            entry(CHAT_MESSAGE, "001 plans are not chats"),
            entry(DECISION_RESOLVED, "001 has no event for an answered review"),
            entry(WORKFLOW_STAGE, "001 tracks steps, not stages"),
            entry(WORKFLOW_ROUTE, "a chat router's choice; 001 has no event for it"),
            entry(MODEL_SELECTED, "001 has no event for model choice"),
            entry(ERROR_RECOVERY, "a retry inside a step; step_failed or step_completed tells its outcome"),
            entry(LOG_LINE, "001 has no log event"),
            entry(CUSTOM_PREFIX + "*", "producers' own types have no 001 meaning"));

    /** Each event as its seed 001 frame, encoded once and shared; an empty array for a type 001 is not sent. */
    public static final WireFormat FORMAT = e -> {
        ObjectNode frame = frame(e.event());
        return frame == null ? new byte[0] : Json.write(frame).getBytes(StandardCharsets.UTF_8);
    };

    private ResearchFrames() {}

    /** The 001 frame of an event, or null when 001 is not sent its type. */
    static ObjectNode frame(Event e) {
        Row row = SHOWN.get(e.type());
        if (row == null) return null;
        ObjectNode in = e.dataNode();
        ObjectNode data = in.deepCopy();
        if (e.agent() != null && !data.has("agent")) data.put("agent", e.agent());
        row.defaults().forEach((k, v) -> {
            if (!data.hasNonNull(k)) data.put(k, v);
        });
        row.copies().forEach((from, to) -> {
            JsonNode v = from.equals("step") && e.step() != null ? Json.MAPPER.getNodeFactory().textNode(e.step()) : in.get(from);
            if (v != null && !v.isNull()) data.set(to, v);
        });
        if (row.fraction() != null && in.path(row.fraction()).isNumber()) {
            double percent = in.get(row.fraction()).asDouble();
            data.put(row.fraction(), Math.max(0, Math.min(1, percent / 100.0)));
            if (!data.hasNonNull("message")) data.put("message", "Processing " + Math.round(percent) + "%");
        }
        return envelope(row.eventType(), e.run(), e.step(), data, e.time(), e.id());
    }

    static ObjectNode envelope(String type, String plan, String step, ObjectNode data, Instant time, String id) {
        ObjectNode f = Json.object().put("event_type", type).put("plan_id", plan);
        if (step == null) f.putNull("step_id");
        else f.put("step_id", step);
        f.set("data", data);
        f.put("timestamp", time.toString());
        f.put("event_id", id);
        return f;
    }

    /** A frame of the connection itself ({@code ping}, {@code pong}, {@code error}), under plan {@code system}. */
    static ObjectNode system(String type, ObjectNode data) {
        return envelope(type, SYSTEM, null, data, Instant.now(), UUID.randomUUID().toString());
    }

    static ObjectNode welcome() {
        return system("ping", Json.object().put("message", "Connected to Runcast streaming service"));
    }

    static ObjectNode heartbeat() {
        return system("ping", Json.object().put("message", "heartbeat"));
    }

    static ObjectNode pong(JsonNode timestamp) {
        ObjectNode data = Json.object();
        data.set("timestamp", timestamp == null ? Json.MAPPER.getNodeFactory().nullNode() : timestamp);
        return system("pong", data);
    }

    /** The format's error: {@code event_type "error"} with {@code data.code} (Runcast's catalogue) and {@code data.message}. */
    static ObjectNode error(ErrorCode code, String message, String plan) {
        ObjectNode data = Json.object().put("code", code.wire()).put("message", message);
        ObjectNode f = system("error", data);
        if (plan != null) f.put("plan_id", plan);
        return f;
    }
}
