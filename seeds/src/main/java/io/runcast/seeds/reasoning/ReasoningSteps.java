package io.runcast.seeds.reasoning;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runcast.event.Event;
import io.runcast.event.EventTypes;
import io.runcast.event.Json;
import io.runcast.hub.EncodedEvent;
import io.runcast.hub.WireFormat;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.function.Function;

/**
 * Seed 002's reasoning steps as a view of Runcast's catalogue: which event becomes which
 * {@code reasoning_step} type, and where its {@code content} (and {@code tool_name}) come from.
 *
 * <p>A step's {@code iteration} depends on the steps before it, so it is the one part written per
 * connection; everything else is encoded once per event by {@link #STEP}: the bytes after
 * {@code "data":{"iteration":N,}, which {@link #frame} puts behind the connection's own prefix.
 */
final class ReasoningSteps {
    private ReasoningSteps() {}

    /** How one Runcast event type reads as a reasoning step. */
    record Rule(String step, Function<ObjectNode, String> content, Function<ObjectNode, String> tool) {}

    static final String THOUGHT = "thought";
    static final String TOOL_USE = "tool_use";
    static final String TOOL_RESULT = "tool_result";
    static final String FINAL_ANSWER = "final_answer";
    static final String ERROR = "error";

    /** Runcast type → reasoning step. Types not listed (deltas, stages, metrics …) are not shown as steps. */
    static final Map<String, Rule> RULES = Map.of(
            EventTypes.AGENT_THINKING, new Rule(THOUGHT, d -> text(d.get("content")), d -> null),
            EventTypes.AGENT_ACTION, new Rule(THOUGHT, d -> text(d.get("content")), d -> null),
            EventTypes.TOOL_CALL, new Rule(TOOL_USE, d -> text(d.get("input")), d -> text(d.get("tool"))),
            EventTypes.TOOL_RESULT, new Rule(TOOL_RESULT,
                    d -> d.hasNonNull("error") ? "error: " + text(d.get("error")) : text(d.get("output")), d -> text(d.get("tool"))),
            EventTypes.AGENT_RESULT, new Rule(TOOL_RESULT, d -> text(d.get("content")), d -> null),
            EventTypes.ANSWER_FINAL, new Rule(FINAL_ANSWER, d -> text(d.get("text")), d -> null),
            EventTypes.AGENT_ERROR, new Rule(ERROR, d -> text(d.get("message")), d -> null),
            EventTypes.RUN_FAILED, new Rule(ERROR, d -> "the run failed: " + text(d.get("reason")), d -> null));

    /**
     * The shared tail of a step frame: {@code "type":…,"content":…,"timestamp":…[,"tool_name":…]}}}.
     * Empty for events that are not steps.
     */
    static final WireFormat STEP = ReasoningSteps::tail;

    private static final byte[] NONE = {};
    private static final byte[] PREFIX = "{\"type\":\"reasoning_step\",\"data\":{\"iteration\":".getBytes(StandardCharsets.US_ASCII);

    static Rule rule(String type) {
        return RULES.get(type);
    }

    /** A whole {@code reasoning_step} frame: the connection's iteration, then the event's shared tail. */
    static byte[] frame(int iteration, byte[] tail) {
        byte[] n = (iteration + ",").getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[PREFIX.length + n.length + tail.length];
        System.arraycopy(PREFIX, 0, out, 0, PREFIX.length);
        System.arraycopy(n, 0, out, PREFIX.length, n.length);
        System.arraycopy(tail, 0, out, PREFIX.length + n.length, tail.length);
        return out;
    }

    /** The seed's timestamp: epoch seconds with milliseconds as the fraction. */
    static double seconds(Instant t) {
        return t.toEpochMilli() / 1000.0;
    }

    private static byte[] tail(EncodedEvent encoded) {
        Event e = encoded.event();
        Rule rule = RULES.get(e.type());
        if (rule == null) return NONE;
        ObjectNode data = e.dataNode();
        ObjectNode step = Json.object().put("type", rule.step()).put("content", orEmpty(rule.content().apply(data)))
                .put("timestamp", seconds(e.time()));
        String tool = rule.tool().apply(data);
        if (tool != null) step.put("tool_name", tool);
        if (e.agent() != null) step.put("agent", e.agent());
        String json = Json.write(step); // {"type":…}
        return (json.substring(1) + "}").getBytes(StandardCharsets.UTF_8);
    }

    /** A field as the seed shows it: strings as they are, anything else as JSON text. */
    static String text(JsonNode v) {
        if (v == null || v.isNull() || v.isMissingNode()) return null;
        return v.isTextual() ? v.asText() : Json.write(v);
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
