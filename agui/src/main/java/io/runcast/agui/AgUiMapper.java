package io.runcast.agui;

import static io.runcast.agui.AgUiEvents.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.runcast.event.Event;
import io.runcast.event.Json;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runcast's catalogue (docs/events.md) as AG-UI 1.0 events, for one run, in seq order. The table
 * {@link #RULES} says what each type becomes; a type it does not name becomes {@code CUSTOM}.
 *
 * <p>The mapping is stateful — a text message is opened by the first {@code answer.delta}, the state
 * is a snapshot and then patches — so it is a function of the run's events up to and including the
 * one mapped, never of the connection: replaying the same events always yields the same AG-UI
 * events, which is what lets a stream resume by replaying and skipping. Not thread-safe: one per stream.
 *
 * <p>Guarantees: the first AG-UI event is {@code RUN_STARTED} (made up from the run's first event when
 * that is not {@code run.started}); exactly one terminal ({@code RUN_FINISHED} or {@code RUN_ERROR})
 * ends it, and nothing follows it; before {@code RUN_FINISHED} the open text message and the running
 * steps are closed ({@code RUN_ERROR} ends them with the run, as the spec allows).
 */
final class AgUiMapper {
    /** One Runcast type's mapping: appends the AG-UI events it yields to {@code out}. */
    @FunctionalInterface
    private interface Rule {
        void map(AgUiMapper m, Event e, JsonNode data, long ts, List<ObjectNode> out);
    }

    private static final Map<String, Rule> RULES = Map.ofEntries(
            Map.entry("run.started", (m, e, d, ts, out) -> out.add(stateSnapshot(ts, m.state.start(d)))),
            Map.entry("run.completed", (m, e, d, ts, out) -> m.finish(ts, "success", d.path("summary"), out)),
            Map.entry("run.cancelled", (m, e, d, ts, out) -> m.finish(ts, "cancelled", d.path("summary"), out)),
            Map.entry("run.failed", (m, e, d, ts, out) -> m.fail(ts, d.path("reason").asText("run failed"), out)),
            Map.entry("step.started", (m, e, d, ts, out) -> m.step(e, ts, "running", true, out)),
            Map.entry("step.completed", (m, e, d, ts, out) -> m.step(e, ts, "completed", false, out)),
            Map.entry("step.failed", (m, e, d, ts, out) -> m.step(e, ts, "failed", false, out)),
            Map.entry("step.progress", (m, e, d, ts, out) -> m.progress(e, d, ts, out)),
            Map.entry("workflow.stage", (m, e, d, ts, out) -> m.stage(d, ts, out)),
            Map.entry("answer.delta", (m, e, d, ts, out) -> m.answerDelta(e, d.path("text").asText(""), ts, out)),
            Map.entry("answer.final", (m, e, d, ts, out) -> m.answerFinal(e, d.path("text").asText(""), ts, out)),
            Map.entry("chat.message", (m, e, d, ts, out) -> m.chatMessage(e, d, ts, out)),
            Map.entry("agent.thinking", (m, e, d, ts, out) -> m.thinking(e, d.path("content").asText(""), ts, out)),
            Map.entry("tool.call", (m, e, d, ts, out) -> m.toolCall(e, d, ts, out)),
            Map.entry("tool.result", (m, e, d, ts, out) -> m.toolResult(e, d, ts, out)));

    /** The roles a {@code chat.message} keeps as a text message; others are {@code CUSTOM}. */
    private static final Set<String> TEXT_ROLES = Set.of("assistant", "user", "system", "developer");

    private final String run;
    private final RunState state = new RunState();
    private final Set<String> runningSteps = new LinkedHashSet<>();
    private String threadId;
    private boolean started;
    private boolean ended;
    private String openText;
    private int answers;

    AgUiMapper(String run) {
        this.run = run;
    }

    /** The AG-UI events {@code e} yields (possibly none). */
    List<ObjectNode> map(Event e) {
        List<ObjectNode> out = new ArrayList<>(4);
        if (ended) return out;
        JsonNode data = e.data() == null ? Json.object() : Json.parse(e.data());
        long ts = e.time().toEpochMilli();
        if (!started) {
            started = true;
            threadId = data.path("conversation").asText(data.path("thread").asText(run));
            out.add(runStarted(ts, threadId, run));
            if (!e.type().equals("run.started")) out.add(stateSnapshot(ts, state.snapshot()));
        }
        Rule rule = RULES.get(e.type());
        if (rule != null) {
            rule.map(this, e, data, ts, out);
        } else {
            ObjectNode value = Json.object();
            value.put("seq", e.seq());
            if (e.step() != null) value.put("step", e.step());
            if (e.agent() != null) value.put("agent", e.agent());
            value.set("data", data);
            out.add(custom(ts, e.type(), value));
        }
        return out;
    }

    boolean ended() {
        return ended;
    }

    private void finish(long ts, String outcome, JsonNode result, List<ObjectNode> out) {
        closeText(ts, out);
        for (String step : runningSteps) out.add(stepFinished(ts, step));
        runningSteps.clear();
        out.add(runFinished(ts, threadId, run, outcome, result));
        ended = true;
    }

    void fail(long ts, String message, List<ObjectNode> out) {
        out.add(runError(ts, message, "run_failed"));
        ended = true;
    }

    private void step(Event e, long ts, String status, boolean starts, List<ObjectNode> out) {
        String id = e.step() == null ? "?" : e.step();
        if (starts && runningSteps.add(id)) out.add(stepStarted(ts, id));
        if (!starts && runningSteps.remove(id)) out.add(stepFinished(ts, id));
        out.add(stateDelta(ts, state.setStep(id, e.agent(), "status", TextNode.valueOf(status))));
    }

    private void progress(Event e, JsonNode d, long ts, List<ObjectNode> out) {
        String id = e.step() == null ? "?" : e.step();
        ArrayNode patch = state.setStep(id, e.agent(), "progress", d.path("progress"));
        if (d.has("message")) patch.addAll(state.setStep(id, e.agent(), "message", d.get("message")));
        out.add(stateDelta(ts, patch));
    }

    private void stage(JsonNode d, long ts, List<ObjectNode> out) {
        ArrayNode patch = Json.MAPPER.createArrayNode();
        state.set(patch, "stage", d.path("stage"));
        if (d.has("stages")) state.set(patch, "stages", d.get("stages"));
        if (d.has("completion_percentage")) state.set(patch, "completion", d.get("completion_percentage"));
        out.add(stateDelta(ts, patch));
    }

    private void answerDelta(Event e, String text, long ts, List<ObjectNode> out) {
        if (text.isEmpty()) return; // AG-UI forbids empty content
        openText(e, ts, "assistant", out);
        out.add(textContent(ts, openText, text));
    }

    private void answerFinal(Event e, String text, long ts, List<ObjectNode> out) {
        if (openText == null) {
            // no deltas came first: the whole answer is one message
            openText(e, ts, "assistant", out);
            if (!text.isEmpty()) out.add(textContent(ts, openText, text));
        }
        closeText(ts, out);
    }

    private void chatMessage(Event e, JsonNode d, long ts, List<ObjectNode> out) {
        String role = d.path("role").asText("assistant");
        String content = d.path("content").asText("");
        if (!TEXT_ROLES.contains(role)) {
            out.add(custom(ts, e.type(), d));
            return;
        }
        closeText(ts, out);
        String id = run + "-msg-" + e.seq();
        out.add(textStart(ts, id, role));
        if (!content.isEmpty()) out.add(textContent(ts, id, content));
        out.add(textEnd(ts, id));
    }

    /** Each {@code agent.thinking} is one whole thought: one reasoning message in its own reasoning block. */
    private void thinking(Event e, String content, long ts, List<ObjectNode> out) {
        String id = run + "-reasoning-" + e.seq();
        out.add(reasoning("REASONING_START", ts, id));
        out.add(reasoning("REASONING_MESSAGE_START", ts, id).put("role", "reasoning"));
        if (!content.isEmpty()) out.add(reasoning("REASONING_MESSAGE_CONTENT", ts, id).put("delta", content));
        out.add(reasoning("REASONING_MESSAGE_END", ts, id));
        out.add(reasoning("REASONING_END", ts, id));
    }

    private void toolCall(Event e, JsonNode d, long ts, List<ObjectNode> out) {
        String call = callId(e, d);
        out.add(toolCallStart(ts, call, d.path("tool").asText("tool")));
        JsonNode input = d.path("input");
        String args = input.isMissingNode() || input.isNull() ? "" : input.isTextual() ? input.asText() : Json.write(input);
        if (!args.isEmpty()) out.add(toolCallArgs(ts, call, args));
        out.add(toolCallEnd(ts, call));
    }

    private void toolResult(Event e, JsonNode d, long ts, List<ObjectNode> out) {
        JsonNode body = d.has("error") ? d.get("error") : d.path("output");
        String content = body.isMissingNode() || body.isNull() ? "" : body.isTextual() ? body.asText() : Json.write(body);
        out.add(toolCallResult(ts, run + "-result-" + e.seq(), callId(e, d), content));
    }

    private String callId(Event e, JsonNode d) {
        String call = d.path("call").asText("");
        return call.isEmpty() ? run + "-call-" + e.seq() : call;
    }

    private void openText(Event e, long ts, String role, List<ObjectNode> out) {
        if (openText != null) return;
        openText = run + "-answer-" + (++answers);
        out.add(textStart(ts, openText, role));
    }

    private void closeText(long ts, List<ObjectNode> out) {
        if (openText == null) return;
        out.add(textEnd(ts, openText));
        openText = null;
    }
}
