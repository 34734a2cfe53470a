package io.runcast.agui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runcast.event.Json;

/**
 * The AG-UI 1.0 events Runcast writes, one factory per event type, with the field names of the spec
 * (docs.ag-ui.com/spec/1.0). Every event carries {@code timestamp} (epoch ms) of the Runcast event it
 * came from.
 */
final class AgUiEvents {
    private AgUiEvents() {}

    static ObjectNode event(String type, long timestamp) {
        ObjectNode e = Json.object();
        e.put("type", type);
        e.put("timestamp", timestamp);
        return e;
    }

    static ObjectNode runStarted(long ts, String threadId, String runId) {
        return event("RUN_STARTED", ts).put("threadId", threadId).put("runId", runId);
    }

    /** {@code outcome} is {@code success} or {@code cancelled}; {@code result} may be null. */
    static ObjectNode runFinished(long ts, String threadId, String runId, String outcome, JsonNode result) {
        ObjectNode e = event("RUN_FINISHED", ts).put("threadId", threadId).put("runId", runId);
        if (result != null && !result.isNull() && !result.isMissingNode()) e.set("result", result);
        e.putObject("outcome").put("type", outcome);
        return e;
    }

    static ObjectNode runError(long ts, String message, String code) {
        return event("RUN_ERROR", ts).put("message", message).put("code", code);
    }

    static ObjectNode stepStarted(long ts, String stepName) {
        return event("STEP_STARTED", ts).put("stepName", stepName);
    }

    static ObjectNode stepFinished(long ts, String stepName) {
        return event("STEP_FINISHED", ts).put("stepName", stepName);
    }

    static ObjectNode textStart(long ts, String messageId, String role) {
        return event("TEXT_MESSAGE_START", ts).put("messageId", messageId).put("role", role);
    }

    static ObjectNode textContent(long ts, String messageId, String delta) {
        return event("TEXT_MESSAGE_CONTENT", ts).put("messageId", messageId).put("delta", delta);
    }

    static ObjectNode textEnd(long ts, String messageId) {
        return event("TEXT_MESSAGE_END", ts).put("messageId", messageId);
    }

    static ObjectNode reasoning(String type, long ts, String messageId) {
        return event(type, ts).put("messageId", messageId);
    }

    static ObjectNode toolCallStart(long ts, String toolCallId, String toolCallName) {
        return event("TOOL_CALL_START", ts).put("toolCallId", toolCallId).put("toolCallName", toolCallName);
    }

    static ObjectNode toolCallArgs(long ts, String toolCallId, String delta) {
        return event("TOOL_CALL_ARGS", ts).put("toolCallId", toolCallId).put("delta", delta);
    }

    static ObjectNode toolCallEnd(long ts, String toolCallId) {
        return event("TOOL_CALL_END", ts).put("toolCallId", toolCallId);
    }

    static ObjectNode toolCallResult(long ts, String messageId, String toolCallId, String content) {
        return event("TOOL_CALL_RESULT", ts).put("messageId", messageId).put("toolCallId", toolCallId)
                .put("content", content).put("role", "tool");
    }

    static ObjectNode stateSnapshot(long ts, JsonNode snapshot) {
        ObjectNode e = event("STATE_SNAPSHOT", ts);
        e.set("snapshot", snapshot.deepCopy());
        return e;
    }

    static ObjectNode stateDelta(long ts, ArrayNode patch) {
        ObjectNode e = event("STATE_DELTA", ts);
        e.set("delta", patch);
        return e;
    }

    static ObjectNode custom(long ts, String name, JsonNode value) {
        ObjectNode e = event("CUSTOM", ts).put("name", name);
        e.set("value", value);
        return e;
    }
}
