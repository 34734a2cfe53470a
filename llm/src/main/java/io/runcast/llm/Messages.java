package io.runcast.llm;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runcast.event.Json;
import java.util.List;

/** Builds the OpenAI-format JSON objects a {@link ChatRequest} carries. */
public final class Messages {
    private Messages() {}

    public static ObjectNode system(String content) {
        return text("system", content);
    }

    public static ObjectNode user(String content) {
        return text("user", content);
    }

    /** An assistant turn as the model gave it; {@code content} may be null when it only called tools. */
    public static ObjectNode assistant(String content, List<ToolCall> toolCalls) {
        ObjectNode m = Json.object().put("role", "assistant");
        if (content == null) m.putNull("content");
        else m.put("content", content);
        if (toolCalls != null && !toolCalls.isEmpty()) {
            ArrayNode calls = m.putArray("tool_calls");
            toolCalls.forEach(c -> calls.add(c.toJson()));
        }
        return m;
    }

    /** The result of the tool call {@code toolCallId}, to send back to the model. */
    public static ObjectNode tool(String toolCallId, String content) {
        return text("tool", content).put("tool_call_id", toolCallId);
    }

    /** A function tool definition for {@link ChatRequest#tools()}; {@code parameters} is a JSON Schema object. */
    public static ObjectNode functionTool(String name, String description, ObjectNode parameters) {
        ObjectNode tool = Json.object().put("type", "function");
        ObjectNode function = tool.putObject("function").put("name", name);
        if (description != null) function.put("description", description);
        function.set("parameters", parameters == null ? Json.object().put("type", "object") : parameters);
        return tool;
    }

    private static ObjectNode text(String role, String content) {
        return Json.object().put("role", role).put("content", content);
    }
}
