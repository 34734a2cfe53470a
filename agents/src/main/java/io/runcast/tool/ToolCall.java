package io.runcast.tool;

import java.util.UUID;

/**
 * One tool call as a model sends it.
 *
 * @param id        the call id the model gave (pairs the call with its result); a missing or blank id is
 *                  replaced by a generated {@code call_…} one, since some OpenAI-compatible servers omit it
 * @param name      the tool's name, possibly one that does not exist
 * @param arguments the arguments as the model wrote them: JSON text that may be malformed; null or blank
 *                  means no arguments ({@code {}})
 */
public record ToolCall(String id, String name, String arguments) {
    public ToolCall {
        if (id == null || id.isBlank()) id = "call_" + UUID.randomUUID().toString().replace("-", "").substring(0, 24);
        if (name == null) name = "";
        if (arguments == null) arguments = "";
    }

    /** A call with a generated id. */
    public static ToolCall of(String name, String arguments) {
        return new ToolCall(null, name, arguments);
    }
}
