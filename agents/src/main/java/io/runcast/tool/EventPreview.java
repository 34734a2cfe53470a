package io.runcast.tool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.runcast.event.Json;
import java.util.Map;

/**
 * What of a tool's input or output goes into an event. The model gets the whole value; the stream gets
 * a preview small enough for any server's event limit (64 KiB of data by default): long strings are cut
 * (the structure stays, so a UI still finds {@code status} or {@code title}), and a value still too big
 * becomes the start of its JSON text. {@code truncated} says whether anything was cut.
 */
record EventPreview(JsonNode node, boolean truncated) {
    /** Longest string kept whole inside a preview. */
    static final int MAX_STRING = 2_048;
    /** Longest preview, in characters of JSON text. */
    static final int MAX_JSON = 16_384;

    static EventPreview of(JsonNode value) {
        if (value == null) return new EventPreview(null, false);
        if (Json.write(value).length() <= MAX_JSON) return new EventPreview(value, false);
        JsonNode cut = cutStrings(value.deepCopy());
        String json = Json.write(cut);
        if (json.length() <= MAX_JSON) return new EventPreview(cut, true);
        return new EventPreview(TextNode.valueOf(json.substring(0, MAX_JSON) + "…"), true);
    }

    private static JsonNode cutStrings(JsonNode n) {
        if (n.isTextual()) return n.textValue().length() <= MAX_STRING ? n : TextNode.valueOf(n.textValue().substring(0, MAX_STRING) + "…");
        if (n instanceof ObjectNode o) {
            for (Map.Entry<String, JsonNode> e : o.properties()) e.setValue(cutStrings(e.getValue()));
        } else if (n instanceof ArrayNode a) {
            for (int i = 0; i < a.size(); i++) a.set(i, cutStrings(a.get(i)));
        }
        return n;
    }
}
