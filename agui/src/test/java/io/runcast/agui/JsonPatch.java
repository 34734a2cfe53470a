package io.runcast.agui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Applies the RFC 6902 operations the AG-UI stream uses ({@code add} on object members), as a client would. */
final class JsonPatch {
    private JsonPatch() {}

    static void apply(ObjectNode doc, JsonNode patch) {
        for (JsonNode op : patch) {
            if (!op.path("op").asText().equals("add")) throw new AssertionError("unexpected op " + op);
            String[] path = op.path("path").asText().substring(1).split("/", -1);
            ObjectNode parent = doc;
            for (int i = 0; i < path.length - 1; i++) {
                JsonNode next = parent.get(unescape(path[i]));
                if (!(next instanceof ObjectNode o)) throw new AssertionError("no parent for " + op);
                parent = o;
            }
            parent.set(unescape(path[path.length - 1]), op.get("value").deepCopy());
        }
    }

    private static String unescape(String token) {
        return token.replace("~1", "/").replace("~0", "~");
    }
}
