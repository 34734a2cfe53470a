package io.runcast.tool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runcast.event.Json;
import io.runcast.tool.builtin.Builtins;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ToolRegistryTest {
    static final String ADD_SCHEMA = """
            {"type": "object",
             "properties": {"a": {"type": "number"}, "b": {"type": "number"}},
             "required": ["a", "b"],
             "additionalProperties": false}""";

    static Tool add() {
        return Tool.named("add")
                .describedAs("Adds two numbers.")
                .parameters(ADD_SCHEMA)
                .cachedFor(Duration.ofMinutes(5))
                .handler((args, ctx) -> args.get("a").asDouble() + args.get("b").asDouble());
    }

    private final ToolRegistry registry = new ToolRegistry().register(add());

    @Test
    void builder_makesAToolInAFewLines_thatRunsItsHandler() throws Exception {
        Tool add = registry.find("add").orElseThrow();
        assertThat(add.cacheTtl()).isEqualTo(Duration.ofMinutes(5));
        assertThat(add.requiresApproval()).isFalse();
        JsonNode r = add.call(Json.parse("{\"a\":2,\"b\":3}"), ToolContext.standalone("c1"));
        assertThat(r.asDouble()).isEqualTo(5.0);
        assertThat(Tool.named("x").describedAs("d").needsApproval().handler((a, c) -> null).requiresApproval()).isTrue();
    }

    @Test
    void definitions_areTheOpenAiToolsArray_inRegistrationOrder_orForASubset() {
        registry.register(Tool.named("now").describedAs("The time.").handler((a, c) -> "noon"));
        JsonNode defs = registry.definitions();
        assertThat(defs.size()).isEqualTo(2);
        JsonNode first = defs.get(0);
        assertThat(first.path("type").asText()).isEqualTo("function");
        assertThat(first.path("function").path("name").asText()).isEqualTo("add");
        assertThat(first.path("function").path("description").asText()).isEqualTo("Adds two numbers.");
        assertThat(first.path("function").path("parameters")).isEqualTo(Json.parse(ADD_SCHEMA));
        assertThat(defs.get(1).path("function").path("parameters")).isEqualTo(Json.parse("{\"type\":\"object\",\"properties\":{}}"));

        JsonNode subset = registry.definitions(List.of("now"));
        assertThat(subset.size()).isEqualTo(1);
        assertThat(subset.get(0).path("function").path("name").asText()).isEqualTo("now");
        assertThatThrownBy(() -> registry.definitions(List.of("nope"))).hasMessageContaining("unknown tool nope");
        assertThat(registry.names()).containsExactly("add", "now");
    }

    @Test
    void validate_acceptsValidArguments() {
        assertThat(registry.validate("add", Json.parse("{\"a\":1,\"b\":2.5}"))).isEmpty();
    }

    @Test
    void validate_reportsAMissingRequiredProperty() {
        assertThat(registry.validate("add", Json.parse("{\"a\":1}")))
                .singleElement().asString().contains("$").contains("'b'").contains("required");
    }

    @Test
    void validate_reportsAWrongType_withItsPath() {
        assertThat(registry.validate("add", Json.parse("{\"a\":\"one\",\"b\":2}")))
                .singleElement().asString().startsWith("$.a").contains("string").contains("number");
    }

    @Test
    void validate_reportsUnexpectedPropertiesAndNonObjects() {
        assertThat(registry.validate("add", Json.parse("{\"a\":1,\"b\":2,\"c\":3}")))
                .singleElement().asString().contains("'c'");
        assertThat(registry.validate("add", Json.parse("[1,2]"))).isNotEmpty();
    }

    @Test
    void validate_checksFormats() {
        registry.register(Tool.named("open").describedAs("Opens a link.")
                .parameters("{\"type\":\"object\",\"properties\":{\"u\":{\"type\":\"string\",\"format\":\"uri\"}}}")
                .handler((a, c) -> null));
        assertThat(registry.validate("open", Json.parse("{\"u\":\"https://example.org/a\"}"))).isEmpty();
        assertThat(registry.validate("open", Json.parse("{\"u\":\"not a uri\"}"))).singleElement().asString().contains("$.u");
    }

    @Test
    void unknownTool_isNotFound_andCannotBeValidated() {
        assertThat(registry.find("nope")).isEmpty();
        assertThatThrownBy(() -> registry.validate("nope", Json.object())).hasMessageContaining("unknown tool nope");
    }

    @Test
    void aSchemaThatIsNotValidJsonSchema_isRefusedAtRegistration_withTheReason() {
        Tool bad = Tool.named("bad").describedAs("d").parameters("{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"strng\"}}}")
                .handler((a, c) -> null);
        assertThatThrownBy(() -> registry.register(bad))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tool bad: parameters are not a valid JSON Schema")
                .hasMessageContaining("$.properties.a.type");
        Tool badRequired = Tool.named("bad2").describedAs("d").parameters("{\"type\":\"object\",\"required\":\"a\"}")
                .handler((a, c) -> null);
        assertThatThrownBy(() -> registry.register(badRequired)).hasMessageContaining("$.required");
        assertThat(registry.names()).containsExactly("add");
    }

    @Test
    void aSchemaWhoseRootIsNotAnObject_isRefused() {
        Tool t = Tool.named("s").describedAs("d").parameters("{\"type\":\"string\"}").handler((a, c) -> null);
        assertThatThrownBy(() -> registry.register(t)).hasMessageContaining("\"type\": \"object\" at the root");
    }

    @Test
    void aRemoteRef_isRefusedAtRegistration_notFetched() {
        Tool t = Tool.named("r").describedAs("d")
                .parameters("{\"type\":\"object\",\"properties\":{\"a\":{\"$ref\":\"http://127.0.0.1:1/schema.json\"}}}")
                .handler((a, c) -> null);
        assertThatThrownBy(() -> registry.register(t)).hasMessageContaining("is not allowed to be loaded");
    }

    @Test
    void anOlderDraft_namedByDollarSchema_isCheckedAgainstItsOwnMetaSchema() {
        Tool ok = Tool.named("d7").describedAs("d").parameters("""
                {"$schema": "http://json-schema.org/draft-07/schema#", "type": "object",
                 "properties": {"n": {"type": "integer", "exclusiveMinimum": 0}}}""").handler((a, c) -> null);
        registry.register(ok);
        assertThat(registry.validate("d7", Json.parse("{\"n\":0}"))).isNotEmpty();
        assertThat(registry.validate("d7", Json.parse("{\"n\":1}"))).isEmpty();
    }

    @Test
    void badNames_duplicates_andMissingDescriptions_areRefused() {
        assertThatThrownBy(() -> Tool.named("has space")).hasMessageContaining("must match");
        assertThatThrownBy(() -> Tool.named("x".repeat(65))).hasMessageContaining("must match");
        assertThatThrownBy(() -> Tool.named("ok").handler((a, c) -> null)).hasMessageContaining("needs a description");
        assertThatThrownBy(() -> registry.register(add())).hasMessageContaining("already registered");
        assertThatThrownBy(() -> Tool.named("p").parameters("{not json")).hasMessageContaining("parameters are not JSON");
    }

    @Test
    void theSchemaIsSnapshotAtRegistration() {
        ObjectNode schema = Json.parseObject(ADD_SCHEMA);
        Tool mutable = new Tool() {
            @Override public String name() { return "m"; }
            @Override public String description() { return "d"; }
            @Override public ObjectNode parameters() { return schema; }
            @Override public JsonNode call(JsonNode args, ToolContext ctx) { return null; }
        };
        registry.register(mutable);
        schema.putArray("required"); // no longer requires a and b
        assertThat(registry.validate("m", Json.object())).hasSize(2);
        assertThat(registry.definitions(List.of("m")).get(0).path("function").path("parameters").path("required").size()).isEqualTo(2);
    }

    @Test
    void builtinsRegistry_holdsTheBuiltInTools_withValidSchemas() {
        ToolRegistry r = Builtins.registry();
        assertThat(r.names()).containsExactly("calculator", "current_time", "fetch_url", "save_note", "search_notes");
        assertThat(r.find("save_note").orElseThrow().requiresApproval()).isTrue();
        assertThat(r.find("fetch_url").orElseThrow().cacheTtl()).isEqualTo(Duration.ofMinutes(5));
        assertThat(r.validate("calculator", Json.parse("{\"expression\":\"1+1\"}"))).isEmpty();
        assertThat(r.validate("calculator", Json.parse("{}"))).isNotEmpty();
    }
}
