package io.runcast.event;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * What a producer hands to Runcast: an event without its seq, id and time, which the store assigns.
 *
 * @param type  a dotted type name from the catalogue ({@link EventTypes}) or under {@code x.}
 * @param step  the plan step, or null
 * @param agent the agent, or null
 * @param data  JSON object text ("{}" when empty)
 * @param key   an optional idempotency key: a repeat of the same key on the same run within the
 *              store's idempotency window returns the original event instead of appending again
 */
public record EventDraft(String type, String step, String agent, String data, String key) {
    public EventDraft {
        Objects.requireNonNull(type, "type");
        data = data == null ? "{}" : data;
    }

    public static EventDraft of(String type, ObjectNode data) {
        return new EventDraft(type, null, null, data == null ? "{}" : Json.write(data), null);
    }

    public static EventDraft of(String type, String step, String agent, ObjectNode data) {
        return new EventDraft(type, step, agent, data == null ? "{}" : Json.write(data), null);
    }

    public EventDraft withKey(String idempotencyKey) {
        return new EventDraft(type, step, agent, data, idempotencyKey);
    }

    public boolean isTerminal() {
        return EventTypes.isTerminal(type);
    }
}
