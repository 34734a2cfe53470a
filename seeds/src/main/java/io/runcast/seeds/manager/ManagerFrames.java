package io.runcast.seeds.manager;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runcast.event.Event;
import io.runcast.event.EventTypes;
import io.runcast.event.Json;
import io.runcast.hub.EncodedEvent;
import io.runcast.hub.WireFormat;
import io.runcast.seeds.common.TurnWatchers;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Seed 003's frames, {@code {type, session_id, timestamp, data}}, and the mapping of Runcast's events to
 * them as a table ({@link #BY_EVENT}): each event type becomes zero, one or two frames, each built by
 * one {@link Frame}. A {@link Frame} is a {@link WireFormat} constant, so an event is encoded once per
 * frame kind however many connections watch its session. Events without a row (answer deltas, tool
 * calls, metrics, logs …) have no 003 frame: the project's front end has nothing to show them in.
 */
final class ManagerFrames {
    private ManagerFrames() {}

    static final List<String> FEATURES = List.of("manager_thinking", "agent_substeps", "user_decisions",
            "workflow_visualization", "brain_allocation", "error_recovery");

    /** The frame types a client may name in a type filter. */
    static final List<String> TYPES = List.of("manager_thinking", "agent_substep", "user_decision_needed",
            "user_decision_resolved", "workflow_state_change", "brain_allocation", "error_recovery", "chat_message");

    /**
     * One kind of frame an event becomes: its {@code type} and how its {@code data} is built from the
     * event (null: this event makes no such frame). Encodes to no bytes then.
     */
    record Frame(String type, Function<Event, ObjectNode> data) implements WireFormat {
        @Override
        public byte[] encode(EncodedEvent encoded) {
            Event e = encoded.event();
            ObjectNode d = data.apply(e);
            if (d == null) return new byte[0];
            ObjectNode f = envelope(type, sessionOf(e.run()), e.time()).set("data", d);
            f.put("run", e.run()).put("seq", e.seq());
            return Json.write(f).getBytes(StandardCharsets.UTF_8);
        }
    }

    static final Frame MANAGER_THINKING = new Frame("manager_thinking", e -> {
        JsonNode d = e.dataNode();
        ObjectNode o = Json.object().put("thinking_type", text(d, "thinking_type", "analysis"))
                .put("stage", text(d, "stage", e.step() != null ? e.step() : "analysis"))
                .put("analysis", text(d, "content", text(d, "analysis", "")));
        o.set("factors", array(d.get("factors")));
        o.set("confidence", d.path("confidence").isNumber() ? d.get("confidence") : null);
        o.put("reasoning_depth", text(d, "reasoning_depth", "standard"));
        return agent(o, e);
    });

    /** The chat router's choice is the manager's route planning. */
    static final Frame ROUTE_PLANNING = new Frame("manager_thinking", e -> {
        JsonNode d = e.dataNode();
        ObjectNode o = Json.object().put("thinking_type", "route_planning").put("stage", "route_planning")
                .put("analysis", text(d, "reason", "routing to the " + text(d, "pipeline", "full") + " pipeline"));
        o.set("factors", Json.MAPPER.createArrayNode().add("pipeline:" + text(d, "pipeline", "")).add("mode:" + text(d, "mode", "")));
        o.set("confidence", d.get("confidence"));
        o.put("reasoning_depth", text(d, "pipeline", "standard").equals("light") ? "light" : "standard");
        o.set("route", d);
        return agent(o, e);
    });

    static final Frame QUALITY_THINKING = new Frame("manager_thinking", e -> {
        JsonNode d = e.dataNode();
        ObjectNode o = Json.object().put("thinking_type", "quality_check").put("stage", text(d, "gate", "review"))
                .put("analysis", "quality " + (d.path("passed").asBoolean() ? "passed" : "failed")
                        + " (score " + d.path("score").asText() + ")");
        o.set("factors", Json.MAPPER.createArrayNode().add("quality_score"));
        o.set("confidence", d.get("score"));
        o.put("reasoning_depth", "standard");
        return agent(o, e);
    });

    static final Frame SUBSTEP_STARTED = substep("initializing", 0, "step_started");
    static final Frame SUBSTEP_COMPLETED = substep("completed", 100, "step_completed");

    static final Frame SUBSTEP_PROGRESS = new Frame("agent_substep", e -> {
        JsonNode d = e.dataNode();
        ObjectNode o = Json.object().put("agent_name", agentName(e)).put("substep", text(d, "substep", "processing"));
        o.set("progress_percentage", d.path("progress").isNumber() ? d.get("progress") : null);
        ObjectNode details = d.path("substep_details").isObject() ? ((ObjectNode) d.get("substep_details")).deepCopy()
                : Json.object().put("operation", text(d, "message", "processing"));
        o.set("substep_details", details);
        if (e.step() != null) o.put("step", e.step());
        return o;
    });

    static final Frame DECISION_NEEDED = new Frame("user_decision_needed", e -> {
        JsonNode d = e.dataNode();
        JsonNode context = d.path("context").isObject() ? d.get("context") : Json.object();
        ObjectNode o = Json.object().put("decision_id", text(d, "decision", ""))
                .put("decision_type", text(d, "decision_type", context.has("tool") ? "tool_approval" : "choice"))
                .put("prompt", text(d, "prompt", ""));
        o.set("options", array(d.get("options")));
        o.set("context", context);
        o.set("default_option", d.get("default"));
        o.put("timeout_seconds", d.path("timeout_seconds").asInt(0)).put("can_skip", d.path("can_skip").asBoolean(false))
                .put("affects_workflow", true);
        return agent(o, e);
    });

    static final Frame DECISION_RESOLVED = new Frame("user_decision_resolved", e -> {
        JsonNode d = e.dataNode();
        ObjectNode o = Json.object().put("decision_id", text(d, "decision", ""));
        o.set("response", d.get("choice"));
        o.put("by", text(d, "by", "")).put("timed_out", d.path("timed_out").asBoolean(false))
                .put("skipped", d.path("skipped").asBoolean(false));
        return o;
    });

    static final Frame PHASE_TRANSITION = new Frame("workflow_state_change", e -> {
        JsonNode d = e.dataNode();
        JsonNode pct = d.path("completion_percentage").isNumber() ? d.get("completion_percentage") : null;
        return workflow("phase_transition", text(d, "stage", ""), array(d.get("stages")), pct, e);
    });

    static final Frame WORKFLOW_STARTED = new Frame("workflow_state_change", e -> {
        ArrayNode stages = Json.MAPPER.createArrayNode();
        for (JsonNode s : e.dataNode().path("steps")) stages.add(s.isObject() ? s.path("id").asText() : s.asText());
        return workflow("workflow_started", "started", stages, Json.MAPPER.getNodeFactory().numberNode(0), e);
    });

    static final Frame WORKFLOW_PAUSED = lifecycle("workflow_paused", null);
    static final Frame WORKFLOW_RESUMED = lifecycle("workflow_resumed", null);
    static final Frame WORKFLOW_COMPLETED = lifecycle("workflow_completed", 100);
    static final Frame WORKFLOW_FAILED = lifecycle("workflow_failed", null);
    static final Frame WORKFLOW_CANCELLED = lifecycle("workflow_cancelled", null);

    static final Frame BRAIN_ALLOCATION = new Frame("brain_allocation", e -> {
        JsonNode d = e.dataNode();
        ObjectNode o = Json.object().put("agent_name", text(d, "agent_name", agentName(e)))
                .put("model_selected", text(d, "model", "")).put("model_tier", text(d, "tier", "standard"))
                .put("reasoning", text(d, "reasoning", ""))
                .put("complexity_assessment", text(d, "complexity_assessment", text(d, "tier", "standard")));
        o.set("context_window", d.get("context_window"));
        o.put("expected_cost", text(d, "expected_cost", "calculating"))
                .put("performance_expectation", text(d, "performance_expectation", ""));
        o.set("factors_considered", array(d.get("factors_considered")));
        return o;
    });

    static final Frame RECOVERY = new Frame("error_recovery", e -> {
        JsonNode d = e.dataNode();
        ObjectNode o = Json.object().put("error_message", text(d, "error_message", ""))
                .put("severity", text(d, "severity", "medium"))
                .put("recovery_strategy", text(d, "recovery_strategy", text(d, "strategy", "retry")))
                .put("can_continue", d.path("can_continue").asBoolean(true));
        o.set("affected_agents", d.has("affected_agents") ? array(d.get("affected_agents")) : agents(e));
        o.put("user_action_required", d.path("user_action_required").asBoolean(false));
        for (String f : List.of("attempt", "next_attempt", "max_attempts", "backoff_ms")) {
            if (d.has(f)) o.set(f, d.get(f));
        }
        return o;
    });

    /** An error the agent reports, and a failed step, are what 003 calls error recovery too. */
    static final Frame AGENT_ERROR = recovery("message", "medium", "reported", true);
    static final Frame STEP_FAILED = recovery("error", "high", "none", false);

    /** The person's message, as the project's UI shows it: from this echo only. */
    static final Frame USER_MESSAGE = new Frame("chat_message", e -> {
        JsonNode d = e.dataNode();
        if (!d.path("message").isTextual()) return null;
        return message(e.run() + ":user", d.get("message").asText(), "user", null, e);
    });

    static final Frame ANSWER = new Frame("chat_message", e ->
            message(e.run() + ":assistant", text(e.dataNode(), "text", ""), "assistant", agentName(e), e));

    static final Frame CHAT_MESSAGE = new Frame("chat_message", e -> {
        JsonNode d = e.dataNode();
        return message(e.id(), text(d, "content", ""), text(d, "role", "assistant"), e.agent(), e);
    });

    /** Runcast event type → the 003 frames it becomes, in order. */
    static final Map<String, List<Frame>> BY_EVENT = Map.ofEntries(
            Map.entry(EventTypes.RUN_STARTED, List.of(USER_MESSAGE, WORKFLOW_STARTED)),
            Map.entry(EventTypes.RUN_PAUSED, List.of(WORKFLOW_PAUSED)),
            Map.entry(EventTypes.RUN_RESUMED, List.of(WORKFLOW_RESUMED)),
            Map.entry(EventTypes.RUN_COMPLETED, List.of(WORKFLOW_COMPLETED)),
            Map.entry(EventTypes.RUN_FAILED, List.of(WORKFLOW_FAILED)),
            Map.entry(EventTypes.RUN_CANCELLED, List.of(WORKFLOW_CANCELLED)),
            Map.entry(EventTypes.STEP_STARTED, List.of(SUBSTEP_STARTED)),
            Map.entry(EventTypes.STEP_PROGRESS, List.of(SUBSTEP_PROGRESS)),
            Map.entry(EventTypes.STEP_COMPLETED, List.of(SUBSTEP_COMPLETED)),
            Map.entry(EventTypes.STEP_FAILED, List.of(STEP_FAILED)),
            Map.entry(EventTypes.DECISION_REQUESTED, List.of(DECISION_NEEDED)),
            Map.entry(EventTypes.DECISION_RESOLVED, List.of(DECISION_RESOLVED)),
            Map.entry(EventTypes.AGENT_THINKING, List.of(MANAGER_THINKING)),
            Map.entry(EventTypes.WORKFLOW_ROUTE, List.of(ROUTE_PLANNING)),
            Map.entry(EventTypes.QUALITY_CHECK, List.of(QUALITY_THINKING)),
            Map.entry(EventTypes.WORKFLOW_STAGE, List.of(PHASE_TRANSITION)),
            Map.entry(EventTypes.MODEL_SELECTED, List.of(BRAIN_ALLOCATION)),
            Map.entry(EventTypes.ERROR_RECOVERY, List.of(RECOVERY)),
            Map.entry(EventTypes.AGENT_ERROR, List.of(AGENT_ERROR)),
            Map.entry(EventTypes.CHAT_MESSAGE, List.of(CHAT_MESSAGE)),
            Map.entry(EventTypes.ANSWER_FINAL, List.of(ANSWER)));

    /** The frames an event becomes (none for a type without a row). */
    static List<Frame> framesOf(String eventType) {
        return BY_EVENT.getOrDefault(eventType, List.of());
    }

    // ---- replies and sessions -----------------------------------------------------------------

    /** A frame's envelope: {@code {type, session_id?, timestamp}}. */
    static ObjectNode envelope(String type, String session, Instant time) {
        ObjectNode f = Json.object().put("type", type);
        if (session != null) f.put("session_id", session);
        return f.put("timestamp", time.toString());
    }

    /** A reply frame with data, stamped now. */
    static ObjectNode reply(String type, String session, ObjectNode data) {
        return envelope(type, session, Instant.now()).set("data", data);
    }

    /** The 003 error frame: {@code {type: "error", session_id?, timestamp, data: {code, message}}}. */
    static ObjectNode error(String session, String code, String message) {
        return reply("error", session, Json.object().put("code", code).put("message", message));
    }

    /** A session's turns are runs {@code {session}.{n}}; the session of any other run is the run itself. */
    static String sessionOf(String run) {
        return TurnWatchers.conversationOf(run);
    }

    // ---- builders -----------------------------------------------------------------------------

    private static Frame substep(String substep, int percent, String operation) {
        return new Frame("agent_substep", e -> {
            JsonNode d = e.dataNode();
            ObjectNode details = Json.object().put("operation", operation);
            for (String f : List.of("duration_ms", "attempts")) {
                if (d.has(f)) details.set(f, d.get(f));
            }
            ObjectNode o = Json.object().put("agent_name", agentName(e)).put("substep", substep)
                    .put("progress_percentage", percent);
            o.set("substep_details", details);
            if (e.step() != null) o.put("step", e.step());
            return o;
        });
    }

    private static Frame lifecycle(String change, Integer percent) {
        return new Frame("workflow_state_change", e -> {
            ObjectNode o = workflow(change, change.substring("workflow_".length()), Json.MAPPER.createArrayNode(),
                    percent == null ? null : Json.MAPPER.getNodeFactory().numberNode(percent), e);
            JsonNode d = e.dataNode();
            for (String f : List.of("reason", "by", "summary")) {
                if (d.has(f)) o.set(f, d.get(f));
            }
            return o;
        });
    }

    private static ObjectNode workflow(String change, String stage, ArrayNode stages, JsonNode percent, Event e) {
        ObjectNode o = Json.object().put("change_type", change).put("current_stage", stage);
        ObjectNode viz = o.putObject("workflow_visualization");
        viz.set("stages", stages);
        viz.putObject("dependencies");
        viz.set("completion_percentage", percent);
        viz.putArray("parallel_tracks");
        o.set("active_agents", agents(e));
        o.putObject("pipeline_status");
        return o;
    }

    private static Frame recovery(String messageField, String severity, String strategy, boolean canContinue) {
        return new Frame("error_recovery", e -> {
            ObjectNode o = Json.object().put("error_message", text(e.dataNode(), messageField, ""))
                    .put("severity", severity).put("recovery_strategy", strategy).put("can_continue", canContinue);
            o.set("affected_agents", agents(e));
            return o.put("user_action_required", false);
        });
    }

    private static ObjectNode message(String id, String content, String role, String agentType, Event e) {
        ObjectNode o = Json.object().put("id", id).put("content", content).put("role", role)
                .put("timestamp", e.time().toString()).put("session_id", sessionOf(e.run()));
        if (agentType != null) o.put("agent_type", agentType);
        o.putObject("metadata").put("run", e.run());
        return o;
    }

    private static ObjectNode agent(ObjectNode o, Event e) {
        if (e.agent() != null) o.put("agent_name", e.agent());
        return o;
    }

    private static String agentName(Event e) {
        return e.agent() != null ? e.agent() : "manager";
    }

    private static ArrayNode agents(Event e) {
        ArrayNode a = Json.MAPPER.createArrayNode();
        if (e.agent() != null) a.add(e.agent());
        return a;
    }

    private static ArrayNode array(JsonNode n) {
        return n instanceof ArrayNode a ? a.deepCopy() : Json.MAPPER.createArrayNode();
    }

    private static String text(JsonNode d, String field, String otherwise) {
        JsonNode v = d.get(field);
        return v == null || v.isNull() ? otherwise : v.asText();
    }
}
