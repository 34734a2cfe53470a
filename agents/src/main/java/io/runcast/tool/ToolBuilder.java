package io.runcast.tool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runcast.event.Json;
import java.time.Duration;
import java.util.Objects;

/**
 * Builds a {@link Tool} from a name, a description, a schema and a lambda; started by {@link Tool#named}.
 * Without {@link #parameters} the tool takes no arguments ({@code {"type":"object","properties":{}}}).
 * The schema itself is checked when the tool is registered.
 */
public final class ToolBuilder {
    private final String name;
    private String description;
    private ObjectNode parameters;
    private Duration cacheTtl = Duration.ZERO;
    private boolean approval;

    ToolBuilder(String name) {
        if (name == null || !Tool.NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("tool name '" + name + "' must match " + Tool.NAME.pattern());
        }
        this.name = name;
    }

    public ToolBuilder describedAs(String description) {
        this.description = description;
        return this;
    }

    /** The arguments' JSON Schema as JSON text. */
    public ToolBuilder parameters(String schemaJson) {
        JsonNode node;
        try {
            node = Json.parse(schemaJson);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("tool " + name + ": parameters are not JSON: " + e.getMessage(), e);
        }
        if (!(node instanceof ObjectNode o)) throw new IllegalArgumentException("tool " + name + ": parameters must be a JSON object");
        return parameters(o);
    }

    public ToolBuilder parameters(ObjectNode schema) {
        this.parameters = Objects.requireNonNull(schema, "schema").deepCopy();
        return this;
    }

    /** Caches results for {@code ttl}, keyed by the normalized arguments ({@link Tool#cacheKey}). */
    public ToolBuilder cachedFor(Duration ttl) {
        if (ttl == null || ttl.isNegative()) throw new IllegalArgumentException("cache ttl must be zero or positive");
        this.cacheTtl = ttl;
        return this;
    }

    /** Every call waits for a person's approval. */
    public ToolBuilder needsApproval() {
        this.approval = true;
        return this;
    }

    /** Finishes the tool with its code. */
    public Tool handler(Tool.Handler handler) {
        Objects.requireNonNull(handler, "handler");
        if (description == null || description.isBlank()) throw new IllegalArgumentException("tool " + name + " needs a description");
        ObjectNode schema = parameters != null ? parameters : Json.parseObject("{\"type\":\"object\",\"properties\":{}}");
        return new Built(name, description, schema, approval, cacheTtl, handler);
    }

    private record Built(String name, String description, ObjectNode schema, boolean requiresApproval, Duration cacheTtl,
                         Tool.Handler handler) implements Tool {
        @Override
        public ObjectNode parameters() {
            return schema.deepCopy(); // a caller editing it must not change what was registered
        }

        @Override
        public JsonNode call(JsonNode args, ToolContext ctx) throws Exception {
            Object r = handler.call(args, ctx);
            return r instanceof JsonNode n ? n : Json.MAPPER.valueToTree(r);
        }

        @Override
        public String toString() {
            return "Tool[" + name + "]";
        }
    }
}
