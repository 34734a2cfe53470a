package io.runcast.tool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * A function a model may call: a name, a description and a JSON Schema for its arguments, plus the code
 * that runs it. Tools are registered in a {@link ToolRegistry} and called through a {@link ToolDispatcher},
 * which validates the arguments, asks for approval, caches and streams {@code tool.call}/{@code tool.result}.
 *
 * <p>A new tool is a few lines with the builder:
 * <pre>{@code
 * Tool add = Tool.named("add")
 *         .describedAs("Adds two numbers.")
 *         .parameters("""
 *             {"type": "object",
 *              "properties": {"a": {"type": "number"}, "b": {"type": "number"}},
 *              "required": ["a", "b"]}""")
 *         .cachedFor(Duration.ofMinutes(5))
 *         .handler((args, ctx) -> args.get("a").asDouble() + args.get("b").asDouble());
 * registry.register(add);
 * }</pre>
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>{@link #name()} matches {@link #NAME} (the OpenAI function-name rule) and is unique in a registry.</li>
 *   <li>{@link #parameters()} is a JSON Schema (draft 2020-12 unless it says otherwise with {@code $schema})
 *       whose root is {@code "type": "object"}; it is compiled once, when the tool is registered.</li>
 *   <li>{@link #call} only ever sees arguments that passed that schema. It runs on a dispatcher thread,
 *       possibly several calls at once, so it must be thread-safe. It may throw anything: the dispatcher
 *       turns the exception's message into an error result the model is told about. It should call
 *       {@link ToolContext#checkpoint()} between units of work and register blocking resources with
 *       {@link ToolContext#onCancel}, so that a cancelled run or a timed-out call stops it.</li>
 *   <li>The returned JSON is what the model sees (as JSON text) and what {@code tool.result} streams.</li>
 * </ul>
 */
public interface Tool {
    /** What OpenAI-compatible APIs accept as a function name. */
    Pattern NAME = Pattern.compile("^[a-zA-Z0-9_-]{1,64}$");

    String name();

    /** Tells the model what the tool does and when to use it. */
    String description();

    /** The JSON Schema of the arguments object. */
    ObjectNode parameters();

    /** When true, every call first asks a person ({@code decision.requested}) and runs only once approved. */
    default boolean requiresApproval() {
        return false;
    }

    /** How long a result stays cached; {@link Duration#ZERO} (the default) means results are not cached. */
    default Duration cacheTtl() {
        return Duration.ZERO;
    }

    /**
     * The cache key of a call's arguments (the tool's name is added by the cache). The default is the
     * canonical JSON of the arguments: object keys sorted, every string trimmed with inner runs of
     * whitespace collapsed to one space, numbers written by value ({@code 2}, {@code 2.0} and {@code 2e0}
     * are one key); array order and letter case are kept. So {@code {"q":" a  b"}} and {@code {"q":"a b"}}
     * share an entry. Override when whitespace matters to the tool, or to key on fewer arguments.
     */
    default String cacheKey(JsonNode args) {
        return CanonicalJson.of(args);
    }

    /** Runs the tool on validated arguments; see the class contract for threading and errors. */
    JsonNode call(JsonNode args, ToolContext ctx) throws Exception;

    /** Starts building a tool; see the class example. */
    static ToolBuilder named(String name) {
        return new ToolBuilder(name);
    }

    /**
     * The code of a built tool. It may return a {@link JsonNode} or anything Jackson can turn into one
     * (a number, a string, a map, a record); null becomes JSON null.
     */
    @FunctionalInterface
    interface Handler {
        Object call(JsonNode args, ToolContext ctx) throws Exception;
    }
}
