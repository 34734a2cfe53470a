package io.runcast.seeds.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runcast.event.Event;
import io.runcast.event.EventTypes;
import io.runcast.event.Json;
import io.runcast.hub.EncodedEvent;
import io.runcast.hub.WireFormat;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Seed 004's stream events as a view of Runcast's catalogue: for each Runcast type, the fleet
 * {@code type}, its {@code kind} and {@code category}, the UI hint, and which field carries the text
 * ({@code message}, {@code delta} or {@code reasoning}). {@link #FRAME} encodes an event once for every
 * fleet socket. The terminal events are not here: what they become ({@code response.completed} when
 * none came, {@code error}, {@code cancelled}, then {@code done}) depends on what the socket already sent.
 */
final class FleetEvents {
    private FleetEvents() {}

    static final String ORCHESTRATOR_MESSAGE = "orchestrator.message";
    static final String ORCHESTRATOR_THOUGHT = "orchestrator.thought";
    static final String AGENT_START = "agent.start";
    static final String AGENT_MESSAGE = "agent.message";
    static final String AGENT_OUTPUT = "agent.output";
    static final String AGENT_COMPLETE = "agent.complete";
    static final String REASONING_DELTA = "reasoning.delta";
    static final String REASONING_COMPLETED = "reasoning.completed";
    static final String RESPONSE_DELTA = "response.delta";
    static final String RESPONSE_COMPLETED = "response.completed";

    /** Where the text of a frame goes. */
    enum Field { MESSAGE, DELTA, REASONING }

    /** How one Runcast type reads as a fleet event. */
    record Rule(String type, String kind, String category, String component, Field field, Function<Event, String> text) {}

    /** Agents whose thinking is the orchestrator's, not a worker's reasoning. */
    static final Set<String> ORCHESTRATORS = Set.of("manager", "orchestrator", "router");

    private static Rule rule(String type, String kind, String category, String component, Function<Event, String> text) {
        return new Rule(type, kind, category, component, Field.MESSAGE, text);
    }

    static final Map<String, Rule> RULES = Map.ofEntries(
            Map.entry(EventTypes.RUN_STARTED, rule(ORCHESTRATOR_MESSAGE, "start", "status", "StatusIndicator",
                    e -> "Workflow started: " + str(e, "message", str(e, "query", "")))),
            Map.entry(EventTypes.RUN_PAUSED, rule(ORCHESTRATOR_MESSAGE, "paused", "status", "StatusIndicator", e -> "Workflow paused")),
            Map.entry(EventTypes.RUN_RESUMED, rule(ORCHESTRATOR_MESSAGE, "resumed", "status", "StatusIndicator", e -> "Workflow resumed")),
            Map.entry(EventTypes.WORKFLOW_ROUTE, rule(ORCHESTRATOR_MESSAGE, "routing", "routing", "StatusIndicator",
                    e -> "Routing: " + str(e, "pipeline", "?") + " pipeline — " + str(e, "reason", ""))),
            Map.entry(EventTypes.WORKFLOW_STAGE, rule(ORCHESTRATOR_MESSAGE, "stage", "phase", "StatusIndicator",
                    e -> "Phase: " + str(e, "stage", "?"))),
            Map.entry(EventTypes.MODEL_SELECTED, rule(ORCHESTRATOR_MESSAGE, "routing", "routing", "StatusIndicator",
                    e -> "Model: " + str(e, "model", "?"))),
            Map.entry(EventTypes.QUALITY_CHECK, rule(ORCHESTRATOR_MESSAGE, "quality", "quality", "StatusIndicator",
                    e -> "Quality score " + e.dataNode().path("score").asText("?") + (e.dataNode().path("passed").asBoolean() ? " (passed)" : " (failed)"))),
            Map.entry(EventTypes.QUALITY_REVIEW, rule(ORCHESTRATOR_MESSAGE, "quality", "quality", "StatusIndicator",
                    e -> "Review required: " + str(e, "reason", ""))),
            Map.entry(EventTypes.DECISION_REQUESTED, rule(ORCHESTRATOR_MESSAGE, "approval", "hitl", "StatusIndicator",
                    e -> "Waiting for approval: " + str(e, "prompt", ""))),
            Map.entry(EventTypes.DECISION_RESOLVED, rule(ORCHESTRATOR_MESSAGE, "approval", "hitl", "StatusIndicator",
                    e -> "Decided: " + (e.dataNode().has("choice") ? text(e.dataNode().get("choice")) : "no answer"))),
            Map.entry(EventTypes.ERROR_RECOVERY, rule(ORCHESTRATOR_MESSAGE, "retry", "error", "ErrorBanner",
                    e -> "Retrying after: " + str(e, "error_message", ""))),
            Map.entry(EventTypes.METRICS_UPDATE, rule(ORCHESTRATOR_MESSAGE, "metrics", "telemetry", "StatusIndicator", e -> "Metrics")),
            Map.entry(EventTypes.HEALTH_UPDATE, rule(ORCHESTRATOR_MESSAGE, "health", "telemetry", "StatusIndicator",
                    e -> "Health: " + str(e, "status", "?"))),
            Map.entry(EventTypes.LOG_LINE, rule(ORCHESTRATOR_MESSAGE, "log", "log", "StatusIndicator", e -> str(e, "message", ""))),
            Map.entry(EventTypes.STEP_STARTED, rule(AGENT_START, "step", "step", "ChainOfThought",
                    e -> nameOf(e) + " started " + (e.step() == null ? "" : e.step()))),
            Map.entry(EventTypes.STEP_PROGRESS, rule(AGENT_MESSAGE, "progress", "step", "ChainOfThought",
                    e -> str(e, "message", e.dataNode().path("progress").asText("") + "%"))),
            Map.entry(EventTypes.STEP_COMPLETED, rule(AGENT_COMPLETE, "step", "step", "ChainOfThought",
                    e -> nameOf(e) + " finished " + (e.step() == null ? "" : e.step()))),
            Map.entry(EventTypes.STEP_FAILED, rule(AGENT_COMPLETE, "step_failed", "error", "ErrorBanner",
                    e -> nameOf(e) + " failed: " + str(e, "error", ""))),
            Map.entry(EventTypes.AGENT_ACTION, rule(AGENT_MESSAGE, "action", "step", "ChainOfThought", e -> str(e, "content", ""))),
            Map.entry(EventTypes.AGENT_RESULT, rule(AGENT_OUTPUT, "result", "output", "MessageBubble", e -> str(e, "content", ""))),
            Map.entry(EventTypes.AGENT_ERROR, rule(AGENT_MESSAGE, "error", "error", "ErrorBanner", e -> str(e, "message", ""))),
            Map.entry(EventTypes.CHAT_MESSAGE, rule(AGENT_MESSAGE, "chat", "step", "MessageBubble", e -> str(e, "content", ""))),
            Map.entry(EventTypes.TOOL_CALL, rule(AGENT_MESSAGE, "tool_call", "tool", "ChainOfThought",
                    e -> "Calling " + str(e, "tool", "?") + " " + text(e.dataNode().get("input")))),
            Map.entry(EventTypes.TOOL_RESULT, rule(AGENT_OUTPUT, "tool_result", "tool", "ChainOfThought",
                    e -> e.dataNode().hasNonNull("error") ? str(e, "tool", "?") + " failed: " + text(e.dataNode().get("error"))
                            : str(e, "tool", "?") + " → " + text(e.dataNode().get("output")))),
            Map.entry(EventTypes.AGENT_THINKING, new Rule(REASONING_DELTA, "reasoning", "reasoning", "Reasoning", Field.REASONING,
                    e -> str(e, "content", "") + "\n")),
            Map.entry(EventTypes.ANSWER_DELTA, new Rule(RESPONSE_DELTA, null, "response", "MessageBubble", Field.DELTA, e -> str(e, "text", ""))),
            Map.entry(EventTypes.ANSWER_FINAL, rule(RESPONSE_COMPLETED, null, "response", "MessageBubble", e -> str(e, "text", ""))));

    /** The orchestrator's own thinking: a thought step, not a worker's reasoning. */
    static final Rule ORCHESTRATOR_THINKING = rule(ORCHESTRATOR_THOUGHT, "thought", "reasoning", "ChainOfThought", e -> str(e, "content", ""));

    /** Producer types outside the table ({@code x.…}) still show, as orchestrator messages named by their type. */
    static final Rule OTHER = rule(ORCHESTRATOR_MESSAGE, null, "custom", "StatusIndicator",
            e -> str(e, "message", str(e, "content", e.type())));

    /** The fleet frame of an event, or null for the terminal events. */
    static Rule ruleFor(Event e) {
        if (e.isTerminal()) return null;
        if (e.type().equals(EventTypes.AGENT_THINKING) && e.agent() != null && ORCHESTRATORS.contains(e.agent())) return ORCHESTRATOR_THINKING;
        Rule r = RULES.get(e.type());
        return r != null ? r : OTHER;
    }

    static final WireFormat FRAME = FleetEvents::encode;
    private static final byte[] NONE = {};

    private static byte[] encode(EncodedEvent encoded) {
        Event e = encoded.event();
        Rule r = ruleFor(e);
        if (r == null) return NONE;
        String text = r.text().apply(e);
        ObjectNode f = Json.object().put("type", r.type());
        f.put(switch (r.field()) {
            case MESSAGE -> "message";
            case DELTA -> "delta";
            case REASONING -> "reasoning";
        }, text);
        if (e.agent() != null) f.put("agent_id", e.agent()).put("author", e.agent());
        if (r.kind() != null) f.put("kind", r.kind());
        if (r.field() == Field.MESSAGE) f.set("data", e.dataNode()); // deltas stay small
        f.put("category", r.category());
        f.putObject("ui_hint").put("component", r.component()).put("priority", r.category().equals("error") ? "high" : "medium")
                .put("collapsible", r.field() != Field.DELTA && !r.type().equals(RESPONSE_COMPLETED));
        f.put("workflow_id", e.run());
        if (r.field() == Field.MESSAGE) f.put("log_line", logLine(e, text));
        f.put("timestamp", iso(e.time()));
        return Json.write(f).getBytes(StandardCharsets.UTF_8);
    }

    /** The line the project's terminal log would show for this event. */
    static String logLine(Event e, String text) {
        return TIME.format(e.time()) + " [" + e.type() + "]" + (e.agent() == null ? "" : " " + e.agent() + ":") + " " + text;
    }

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

    static String iso(Instant t) {
        return DateTimeFormatter.ISO_INSTANT.format(t);
    }

    private static String nameOf(Event e) {
        return e.agent() == null ? "agent" : e.agent();
    }

    private static String str(Event e, String field, String otherwise) {
        JsonNode v = e.dataNode().get(field);
        return v == null || v.isNull() ? otherwise : text(v);
    }

    static String text(JsonNode v) {
        if (v == null || v.isNull() || v.isMissingNode()) return "";
        return v.isTextual() ? v.asText() : Json.write(v);
    }
}
