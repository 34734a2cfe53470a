package io.runcast.tool;

import com.fasterxml.jackson.databind.JsonNode;
import io.runcast.event.Json;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What a dispatched call came to; {@link #content()} is what the agent hands back to the model as the
 * tool message. Every outcome, including refusals and failures, is a result: the model is told and can
 * correct itself.
 *
 * @param call   the call id (the model's, or the generated one)
 * @param tool   the tool name as the model gave it
 * @param status how the call ended
 * @param output the tool's output when {@link Status#OK}, else null
 * @param error  why the call did not produce an output, else null
 * @param errors the schema violations (or the parse/lookup problem) when {@link Status#INVALID}, else empty
 * @param cache  how the cache was used; null for tools that are not cached or calls that never reached it
 */
public record ToolResult(String call, String tool, Status status, JsonNode output, String error, List<String> errors,
                         Cache cache) {
    public enum Status {
        /** The tool ran (or its cached result was served) and returned {@code output}. */
        OK,
        /** Unknown tool, malformed JSON or arguments violating the schema; the tool did not run. */
        INVALID,
        /** A person denied the call, or nobody approved it in time; the tool did not run. */
        DENIED,
        /** The tool threw or timed out. */
        FAILED
    }

    public enum Cache {
        HIT, MISS, BYPASS;

        /** The value of {@code tool.result}'s {@code cache} field. */
        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public ToolResult {
        Objects.requireNonNull(call, "call");
        Objects.requireNonNull(status, "status");
        errors = errors == null ? List.of() : List.copyOf(errors);
        if ((status == Status.OK) != (error == null)) throw new IllegalArgumentException("an error goes with every status but OK");
    }

    /** The tool message content: the output as JSON text, or {@code {"error": "..."}}. */
    public String content() {
        if (status == Status.OK) return Json.write(output);
        return Json.write(Json.object().put("error", error));
    }

    public boolean ok() {
        return status == Status.OK;
    }

    public boolean invalid() {
        return status == Status.INVALID;
    }

    public boolean denied() {
        return status == Status.DENIED;
    }

    /** True when the output came from the cache. */
    public boolean cached() {
        return cache == Cache.HIT;
    }
}
