package io.runcast.tool;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaId;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import com.networknt.schema.resource.AllowSchemaLoader;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Compiles tool schemas with networknt json-schema-validator (draft 2020-12 by default). Schemas are
 * checked against their meta-schema first, because the validator itself is lenient: it would compile
 * {@code {"type":"strng"}} and then refuse every call. Only the bundled meta-schemas may be loaded, so a
 * {@code $ref} to a URL is refused at registration instead of being fetched. Thread-safe.
 */
final class ToolSchemas {
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
            b -> b.schemaLoaders(l -> l.add(new AllowSchemaLoader(iri -> iri.toString().startsWith("classpath:")))));
    // Format assertions on: a model sending "not a url" where the schema says format uri should hear about it.
    // JSON paths ("$.a") read better in an error message for a model than JSON pointers ("/a").
    private static final SchemaValidatorsConfig CONFIG = SchemaValidatorsConfig.builder()
            .formatAssertionsEnabled(true)
            .pathType(PathType.JSON_PATH)
            .build();
    private static final Map<String, JsonSchema> META = new ConcurrentHashMap<>();

    private ToolSchemas() {}

    /** Compiles a tool's parameters schema, or throws IllegalArgumentException saying what is wrong with it. */
    static JsonSchema compile(String tool, JsonNode schema) {
        if (!schema.isObject()) throw new IllegalArgumentException("tool " + tool + ": parameters must be a JSON Schema object");
        if (!"object".equals(schema.path("type").asText(null))) {
            throw new IllegalArgumentException("tool " + tool + ": parameters must have \"type\": \"object\" at the root"
                    + " (function arguments are a JSON object)");
        }
        List<String> problems = messages(meta(tool, schema.path("$schema").asText(SchemaId.V202012)).validate(schema));
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("tool " + tool + ": parameters are not a valid JSON Schema: "
                    + String.join("; ", problems));
        }
        try {
            JsonSchema compiled = FACTORY.getSchema(schema, CONFIG);
            compiled.initializeValidators(); // resolves every $ref now, not on the first call
            return compiled;
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("tool " + tool + ": parameters schema does not compile: " + e.getMessage(), e);
        }
    }

    /** The meta-schema of a draft, loaded once from the validator's bundled copies. */
    private static JsonSchema meta(String tool, String iri) {
        try {
            return META.computeIfAbsent(iri, i -> {
                JsonSchema m = FACTORY.getSchema(SchemaLocation.of(i), CONFIG);
                m.initializeValidators();
                return m;
            });
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("tool " + tool + ": unknown $schema " + iri + " (use a JSON Schema draft)", e);
        }
    }

    /** The violations of {@code args} as readable lines, e.g. {@code $.a: string found, number expected}. */
    static List<String> validate(JsonSchema schema, JsonNode args) {
        return messages(schema.validate(args));
    }

    private static List<String> messages(Set<ValidationMessage> set) {
        return set.stream().map(ValidationMessage::getMessage).toList();
    }
}
