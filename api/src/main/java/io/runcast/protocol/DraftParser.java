package io.runcast.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runcast.event.EventDraft;
import io.runcast.event.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns producer JSON ({@code {"type","step","agent","data","key"}} or an array of them) into drafts,
 * with a precise BAD_REQUEST for anything missing or mistyped, and drafts back into that JSON for
 * clients. Shared by HTTP and WebSocket publish so both refuse the same input the same way.
 */
public final class DraftParser {
    private DraftParser() {}

    /** One event object or a non-empty array of them. */
    public static List<EventDraft> parse(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            throw bad("an event object or an array of events is required");
        }
        if (node.isArray()) {
            List<EventDraft> out = new ArrayList<>(node.size());
            for (int i = 0; i < node.size(); i++) out.add(parseOne(node.get(i), "events[" + i + "]"));
            if (out.isEmpty()) throw bad("the events array is empty");
            return out;
        }
        return List.of(parseOne(node, "event"));
    }

    public static EventDraft parseOne(JsonNode node, String where) {
        if (!(node instanceof ObjectNode o)) throw bad(where + " must be a JSON object");
        var fields = o.fieldNames();
        while (fields.hasNext()) {
            String f = fields.next();
            if (!f.equals("type") && !f.equals("step") && !f.equals("agent") && !f.equals("data") && !f.equals("key")) {
                throw bad(where + "." + f + " is not an event field (type, step, agent, data, key)");
            }
        }
        String type = text(o, "type", where, true);
        String step = text(o, "step", where, false);
        String agent = text(o, "agent", where, false);
        String key = text(o, "key", where, false);
        JsonNode data = o.get("data");
        String dataText;
        if (data == null || data.isNull()) dataText = "{}";
        else if (data.isObject()) dataText = Json.write(data);
        else throw bad(where + ".data must be a JSON object");
        return new EventDraft(type, step, agent, dataText, key);
    }

    private static String text(ObjectNode o, String field, String where, boolean required) {
        JsonNode v = o.get(field);
        if (v == null || v.isNull()) {
            if (required) throw bad(where + "." + field + " is required");
            return null;
        }
        if (!v.isTextual()) throw bad(where + "." + field + " must be a string");
        return v.asText();
    }

    private static RuncastException bad(String message) {
        return new RuncastException(ErrorCode.BAD_REQUEST, message);
    }

    /** The producer JSON of a draft: the inverse of {@link #parseOne}. */
    public static ObjectNode toJson(EventDraft d) {
        ObjectNode o = Json.object().put("type", d.type());
        if (d.step() != null) o.put("step", d.step());
        if (d.agent() != null) o.put("agent", d.agent());
        if (d.key() != null) o.put("key", d.key());
        o.set("data", Json.parse(d.data()));
        return o;
    }
}
