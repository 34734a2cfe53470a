package io.runcast.llm;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runcast.event.Json;

/**
 * One function call the model asked for, assembled from its streamed pieces.
 *
 * @param index     its position among the calls of the turn (0, 1, …)
 * @param id        the id to answer with ({@link Messages#tool}); {@code call_<index>} when the server sent none
 * @param name      the function's name
 * @param arguments the arguments as the model wrote them: usually a JSON object, but unchecked, since a model can
 *                  write broken JSON and the caller decides what to do about it
 */
public record ToolCall(int index, String id, String name, String arguments) {

    /** The call in the {@code tool_calls} format of an assistant message. */
    public ObjectNode toJson() {
        ObjectNode call = Json.object().put("id", id).put("type", "function");
        call.putObject("function").put("name", name).put("arguments", arguments);
        return call;
    }
}
