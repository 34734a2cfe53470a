package io.runcast.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runcast.event.Json;
import java.util.List;
import java.util.Objects;

/**
 * One chat-completions request, in the OpenAI wire format: the conversation so far, and optionally the tools the
 * model may call. Build messages with {@link Messages}. The record holds its own copies, so the caller may go on
 * changing the nodes it passed.
 *
 * @param messages   system / user / assistant (with {@code tool_calls}) / tool (with {@code tool_call_id}) messages
 * @param tools      OpenAI function tool definitions ({@link Messages#functionTool}), or null for none
 * @param toolChoice {@code "auto"}, {@code "none"}, {@code "required"} or {@code {"type":"function",…}}; null leaves
 *                   it to the server
 * @param extra      further fields for this request only, over {@link LlmConfig#extraFields()}; null for none
 */
public record ChatRequest(List<ObjectNode> messages, ArrayNode tools, JsonNode toolChoice, ObjectNode extra) {

    public ChatRequest {
        Objects.requireNonNull(messages, "messages");
        if (messages.isEmpty()) throw new IllegalArgumentException("a request needs at least one message");
        messages = messages.stream().map(m -> {
            if (m == null || !m.path("role").isTextual()) throw new IllegalArgumentException("every message needs a role: " + m);
            return m.deepCopy();
        }).toList();
        tools = tools == null || tools.isEmpty() ? null : tools.deepCopy();
        toolChoice = toolChoice == null || toolChoice.isNull() ? null : toolChoice.deepCopy();
        extra = extra == null ? null : extra.deepCopy();
        if (extra != null) {
            for (String reserved : LlmConfig.RESERVED_FIELDS) {
                if (extra.has(reserved)) throw new IllegalArgumentException("extra may not set '" + reserved + "': the client sets it");
            }
        }
    }

    public static ChatRequest of(List<ObjectNode> messages) {
        return new ChatRequest(messages, null, null, null);
    }

    public static ChatRequest of(ObjectNode... messages) {
        return of(List.of(messages));
    }

    public ChatRequest withTools(ArrayNode tools, JsonNode toolChoice) {
        return new ChatRequest(messages, tools, toolChoice, extra);
    }

    public ChatRequest withExtra(ObjectNode extra) {
        return new ChatRequest(messages, tools, toolChoice, extra);
    }

    /** The JSON body the client POSTs: always streaming, always asking for the usage chunk. */
    ObjectNode body(LlmConfig config) {
        ObjectNode body = Json.object();
        body.put("model", config.model());
        ArrayNode list = body.putArray("messages");
        messages.forEach(list::add);
        if (tools != null) body.set("tools", tools);
        if (toolChoice != null) body.set("tool_choice", toolChoice);
        body.setAll(config.extraFields());
        if (extra != null) body.setAll(extra);
        body.put("stream", true);
        body.putObject("stream_options").put("include_usage", true);
        return body;
    }
}
