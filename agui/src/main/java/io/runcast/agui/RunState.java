package io.runcast.agui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runcast.event.Json;

/**
 * The AG-UI shared state of a run: its plan and progress, as a front end would draw them.
 *
 * <pre>{"steps": {"&lt;id&gt;": {"agent", "after", "status", "progress", "message"}},
 *  "stage": …, "stages": […], "completion": …}</pre>
 *
 * {@code status} is {@code pending}, {@code running}, {@code completed} or {@code failed}. The state
 * starts as a snapshot (from {@code run.started}'s {@code steps}); every later change is returned as
 * an RFC 6902 patch that turns the previous state into the new one. Patches only use {@code add} on
 * object members (which replaces an existing member), so they apply whatever the client's copy holds.
 */
final class RunState {
    private final ObjectNode state = Json.object();

    RunState() {
        state.putObject("steps");
        state.putNull("stage");
        state.putArray("stages");
        state.putNull("completion");
    }

    /** The snapshot after {@code run.started}: every planned step, pending. */
    ObjectNode start(JsonNode data) {
        JsonNode steps = data.path("steps");
        if (steps.isArray()) {
            for (JsonNode s : steps) {
                String id = s.path("id").asText("");
                if (id.isEmpty()) continue;
                ObjectNode step = steps().putObject(id);
                step.put("agent", s.path("agent").asText(null));
                step.set("after", s.path("after").isArray() ? s.path("after").deepCopy() : Json.MAPPER.createArrayNode());
                step.put("status", "pending");
            }
        }
        return state;
    }

    ObjectNode snapshot() {
        return state;
    }

    /** A step's field changed; the patch also adds the step when the plan did not name it. */
    ArrayNode setStep(String id, String agent, String field, JsonNode value) {
        ArrayNode patch = Json.MAPPER.createArrayNode();
        ObjectNode step = (ObjectNode) steps().get(id);
        if (step == null) {
            step = steps().putObject(id);
            step.put("agent", agent);
            step.putArray("after");
            step.put("status", "pending");
            add(patch, "/steps/" + escape(id), step.deepCopy());
        }
        step.set(field, value);
        add(patch, "/steps/" + escape(id) + "/" + field, value);
        return patch;
    }

    /** A top-level field changed ({@code stage}, {@code stages}, {@code completion}). */
    void set(ArrayNode patch, String field, JsonNode value) {
        state.set(field, value);
        add(patch, "/" + field, value);
    }

    private ObjectNode steps() {
        return (ObjectNode) state.get("steps");
    }

    private static void add(ArrayNode patch, String path, JsonNode value) {
        patch.addObject().put("op", "add").put("path", path).set("value", value.deepCopy());
    }

    /** RFC 6901: a member name inside a JSON Pointer. */
    static String escape(String name) {
        return name.replace("~", "~0").replace("/", "~1");
    }
}
