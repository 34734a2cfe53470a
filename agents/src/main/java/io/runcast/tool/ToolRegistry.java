package io.runcast.tool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import io.runcast.event.Json;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The tools a model may call, by name, each with its compiled argument schema.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>{@link #register} checks everything once: the name ({@link Tool#NAME}), that it is not taken, and
 *       the schema (a valid JSON Schema whose root is an object; {@code $ref}s to URLs are refused, never
 *       fetched). A bad tool is refused with an {@link IllegalArgumentException} that says why; nothing
 *       is registered then.</li>
 *   <li>The schema is snapshot at registration: {@link #definitions()} and {@link #validate} use the same
 *       copy, whatever the tool returns from {@link Tool#parameters()} later.</li>
 *   <li>Thread-safe. Lookups and validation take no lock; registration is rare and copies the table.</li>
 *   <li>Listings are in registration order.</li>
 * </ul>
 * For a registry holding the built-in tools, see {@code Builtins.registry()} in the {@code builtin} subpackage.
 */
public final class ToolRegistry {
    private record Entry(Tool tool, ObjectNode schema, JsonSchema compiled) {}

    private volatile Map<String, Entry> tools = Map.of();

    /** Adds a tool; see the class contract for what is checked. Returns this registry. */
    public ToolRegistry register(Tool tool) {
        Objects.requireNonNull(tool, "tool");
        String name = tool.name();
        if (name == null || !Tool.NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("tool name '" + name + "' must match " + Tool.NAME.pattern());
        }
        if (tool.description() == null || tool.description().isBlank()) {
            throw new IllegalArgumentException("tool " + name + " needs a description");
        }
        if (tool.cacheTtl() == null || tool.cacheTtl().isNegative()) {
            throw new IllegalArgumentException("tool " + name + ": cache ttl must be zero or positive");
        }
        ObjectNode params = tool.parameters();
        if (params == null) throw new IllegalArgumentException("tool " + name + " has no parameters schema");
        ObjectNode schema = params.deepCopy();
        JsonSchema compiled = ToolSchemas.compile(name, schema);
        synchronized (this) {
            if (tools.containsKey(name)) throw new IllegalArgumentException("a tool named " + name + " is already registered");
            Map<String, Entry> next = new LinkedHashMap<>(tools);
            next.put(name, new Entry(tool, schema, compiled));
            tools = Collections.unmodifiableMap(next);
        }
        return this;
    }

    public Optional<Tool> find(String name) {
        Entry e = name == null ? null : tools.get(name);
        return e == null ? Optional.empty() : Optional.of(e.tool);
    }

    public List<Tool> tools() {
        return tools.values().stream().map(Entry::tool).toList();
    }

    public List<String> names() {
        return List.copyOf(tools.keySet());
    }

    /**
     * The OpenAI chat-completions {@code tools} array for every tool:
     * {@code [{"type":"function","function":{"name","description","parameters"}}]}.
     */
    public ArrayNode definitions() {
        return definitions(tools.keySet());
    }

    /** The {@code tools} array for these tools only, in the order given; an unknown name is refused. */
    public ArrayNode definitions(Collection<String> names) {
        Map<String, Entry> now = tools;
        ArrayNode arr = Json.MAPPER.createArrayNode();
        for (String n : names) {
            Entry e = now.get(n);
            if (e == null) throw new IllegalArgumentException("unknown tool " + n + "; known: " + String.join(", ", now.keySet()));
            ObjectNode fn = arr.addObject().put("type", "function").putObject("function");
            fn.put("name", n);
            fn.put("description", e.tool.description());
            fn.set("parameters", e.schema.deepCopy());
        }
        return arr;
    }

    /**
     * Checks arguments against a tool's schema: the violations as readable lines (each starts with the
     * JSON path of the offending value, {@code $} being the arguments object), empty when they are valid.
     *
     * @throws IllegalArgumentException when no such tool is registered
     */
    public List<String> validate(String name, JsonNode args) {
        Entry e = name == null ? null : tools.get(name);
        if (e == null) throw new IllegalArgumentException("unknown tool " + name);
        return ToolSchemas.validate(e.compiled, args);
    }
}
