package io.runcast.seeds.plan;

import static io.runcast.event.EventTypes.*;
import static java.util.Map.entry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runcast.event.Event;
import io.runcast.event.Json;
import io.runcast.hub.WireFormat;
import io.runcast.protocol.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Seed 000's frames and the table that maps Runcast's catalogue onto them. Every frame carries a
 * non-empty {@code data.content}, because the plan page drops messages without one, and
 * {@code data.plan_id}, because its client hands listeners only {@code data}.
 */
public final class PlanFrames {
    /**
     * How one Runcast event type is shown.
     *
     * @param frame       {@code plan_update}, {@code step_update} or {@code agent_message}
     * @param status      {@code in_progress}, {@code completed} or {@code error}
     * @param messageType {@code thinking}, {@code action} or {@code result}
     * @param errorIf     a data field whose presence turns the status into {@code error} (tool results), or null
     * @param fields      data fields tried in order for {@code content} (text as is, anything else as JSON)
     * @param template    the content when none of them is there, with {@code {step}}, {@code {agent}} and
     *                    {@code {field}} placeholders; skipped when one of its placeholders is missing
     * @param plain       the content when the template cannot be filled
     */
    public record Row(String frame, String status, String messageType, String errorIf, List<String> fields,
                      String template, String plain) {
        public Row {
            if (!List.of("plan_update", "step_update", "agent_message").contains(frame)) throw new IllegalArgumentException(frame);
            if (!List.of("in_progress", "completed", "error").contains(status)) throw new IllegalArgumentException(status);
            if (!List.of("thinking", "action", "result").contains(messageType)) throw new IllegalArgumentException(messageType);
            if (plain == null || plain.isBlank()) throw new IllegalArgumentException("every row needs a plain content");
        }
    }

    private static Row row(String frame, String status, String messageType, List<String> fields, String template, String plain) {
        return new Row(frame, status, messageType, null, fields, template, plain);
    }

    /** Runcast event type → how the plan page shows it. */
    public static final Map<String, Row> SHOWN = Map.ofEntries(
            entry(RUN_STARTED, row("plan_update", "in_progress", "action", List.of("query"), null, "Plan started")),
            entry(RUN_PAUSED, row("plan_update", "in_progress", "action", List.of(), "Plan paused by {by}", "Plan paused")),
            entry(RUN_RESUMED, row("plan_update", "in_progress", "action", List.of(), "Plan resumed by {by}", "Plan resumed")),
            entry(RUN_COMPLETED, row("plan_update", "completed", "result", List.of(), null, "Plan completed")),
            entry(RUN_FAILED, row("plan_update", "error", "result", List.of(), "Plan failed: {reason}", "Plan failed")),
            entry(RUN_CANCELLED, row("plan_update", "error", "result", List.of(), "Plan cancelled by {by}", "Plan cancelled")),
            entry(WORKFLOW_STAGE, row("plan_update", "in_progress", "action", List.of(), "Stage: {stage}", "Next stage")),
            entry(STEP_STARTED, row("step_update", "in_progress", "action", List.of(), "Starting step {step}", "Starting a step")),
            entry(STEP_PROGRESS, row("step_update", "in_progress", "action", List.of("message"), "Step {step}: {progress}%", "Working…")),
            entry(STEP_COMPLETED, row("step_update", "completed", "result", List.of("result"), "Step {step} completed", "Step completed")),
            entry(STEP_FAILED, row("step_update", "error", "result", List.of("error"), "Step {step} failed", "Step failed")),
            entry(AGENT_THINKING, row("agent_message", "in_progress", "thinking", List.of("content"), null, "Thinking…")),
            entry(AGENT_ACTION, row("agent_message", "in_progress", "action", List.of("content"), null, "Acting…")),
            entry(AGENT_RESULT, row("agent_message", "completed", "result", List.of("content"), null, "Done")),
            entry(AGENT_ERROR, row("agent_message", "error", "result", List.of("message"), null, "The agent reported an error")),
            entry(TOOL_CALL, row("agent_message", "in_progress", "action", List.of(), "Calling {tool}", "Calling a tool")),
            entry(TOOL_RESULT, new Row("agent_message", "completed", "result", "error", List.of("output", "error"),
                    "{tool} returned", "The tool returned")),
            entry(ANSWER_FINAL, row("agent_message", "completed", "result", List.of("text"), null, "Answer ready")),
            entry(CHAT_MESSAGE, row("agent_message", "completed", "result", List.of("content"), null, "Message")),
            entry(DECISION_REQUESTED, row("agent_message", "in_progress", "action", List.of("prompt"), null, "Waiting for a decision")),
            entry(DECISION_RESOLVED, row("agent_message", "completed", "result", List.of(), "Decision {decision}: {choice}", "Decision made")),
            entry(WORKFLOW_ROUTE, row("agent_message", "in_progress", "thinking", List.of("reason"), "Route: {pipeline}", "Choosing a route")),
            entry(MODEL_SELECTED, row("agent_message", "in_progress", "thinking", List.of("reasoning"), "Model {model} selected", "Model selected")),
            entry(ERROR_RECOVERY, row("agent_message", "in_progress", "action", List.of(), "Retrying after: {error_message}", "Recovering from an error")),
            entry(QUALITY_CHECK, row("agent_message", "completed", "result", List.of(), "Quality check: score {score}", "Quality check")),
            entry(QUALITY_REVIEW, row("agent_message", "in_progress", "action", List.of("reason"), null, "Review required")));

    /** Runcast event types the plan page is not sent, each with the reason (docs/compat.md repeats it). */
    public static final Map<String, String> NOT_SHOWN = Map.of(
            ANSWER_DELTA, "token chunks: the page shows whole messages, and answer.final carries the full text",
            METRICS_UPDATE, "numbers, not a message of the plan",
            HEALTH_UPDATE, "server health, not a message of the plan",
            LOG_LINE, "log lines are diagnostics, not messages of the plan",
            CUSTOM_PREFIX + "*", "producers' own types have no meaning the page could show");

    /** Each event as its seed 000 frame, encoded once and shared; an empty array for a type the page is not sent. */
    public static final WireFormat FORMAT = e -> encode(e.event());

    private static final byte[] NONE = {};
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-z_]+)}");

    private PlanFrames() {}

    /** The row for a type, or null when the page is not sent it. */
    public static Row row(String type) {
        return SHOWN.get(type);
    }

    static byte[] encode(Event e) {
        Row row = SHOWN.get(e.type());
        if (row == null) return NONE;
        ObjectNode in = e.dataNode();
        ObjectNode data = Json.object();
        data.put("plan_id", e.run());
        if (e.step() != null) data.put("step_id", e.step());
        if (e.agent() != null) data.put("agent_name", e.agent());
        data.put("content", content(row, e, in));
        data.put("status", row.errorIf() != null && in.hasNonNull(row.errorIf()) ? "error" : row.status());
        data.put("message_type", row.messageType());
        data.put("timestamp", e.time().toString());
        data.put("event_id", e.id());
        ObjectNode frame = Json.object().put("type", row.frame());
        frame.set("data", data);
        return Json.write(frame).getBytes(StandardCharsets.UTF_8);
    }

    static String content(Row row, Event e, ObjectNode in) {
        for (String f : row.fields()) {
            JsonNode v = in.get(f);
            if (v == null || v.isNull()) continue;
            String text = v.isTextual() ? v.asText() : Json.write(v);
            if (!text.isBlank()) return text;
        }
        if (row.template() != null) {
            Matcher m = PLACEHOLDER.matcher(row.template());
            StringBuilder sb = new StringBuilder();
            boolean complete = true;
            while (m.find()) {
                String value = switch (m.group(1)) {
                    case "step" -> e.step();
                    case "agent" -> e.agent();
                    default -> in.hasNonNull(m.group(1)) ? in.get(m.group(1)).asText() : null;
                };
                if (value == null || value.isBlank()) {
                    complete = false;
                    break;
                }
                m.appendReplacement(sb, Matcher.quoteReplacement(value));
            }
            if (complete) {
                m.appendTail(sb);
                return sb.toString();
            }
        }
        return row.plain();
    }

    /** {@code {"type":"subscription_confirmed","plan_id":…}}, with the same facts in {@code data} for the page's listeners. */
    static ObjectNode confirmed(String plan) {
        ObjectNode frame = Json.object().put("type", "subscription_confirmed").put("plan_id", plan);
        frame.set("data", Json.object().put("plan_id", plan).put("content", "Subscribed to plan updates: " + plan)
                .put("status", "in_progress"));
        return frame;
    }

    /** {@code {"type":"error","data":{error, code, content, plan_id?}}}: the client's own error event shape. */
    static ObjectNode error(ErrorCode code, String message, String plan) {
        ObjectNode data = Json.object();
        if (plan != null) data.put("plan_id", plan);
        data.put("error", message).put("code", code.wire()).put("content", message).put("status", "error");
        ObjectNode frame = Json.object().put("type", "error");
        frame.set("data", data);
        return frame;
    }
}
