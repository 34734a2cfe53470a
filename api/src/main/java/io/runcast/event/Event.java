package io.runcast.event;

import java.time.Instant;
import java.util.Objects;

/**
 * One immutable record of a run's stream, as stored and as delivered.
 *
 * <p>{@code seq} is assigned by the store: 1, 2, 3 … per run with no gaps. {@code data} is the
 * JSON text of an object; it is kept as text so that the same bytes go to the store, the wire and
 * every subscriber without being parsed again (use {@link #dataNode()} when you need the tree).
 *
 * @param run   the run id
 * @param seq   position in the run, starting at 1
 * @param id    a unique id, assigned by Runcast
 * @param type  a dotted type name, see {@link EventTypes}
 * @param time  when Runcast accepted the event
 * @param step  the plan step this event belongs to, or null
 * @param agent the agent that produced it, or null
 * @param data  JSON object text, never null ("{}" when empty)
 */
public record Event(String run, long seq, String id, String type, Instant time, String step, String agent, String data) {
    public Event {
        Objects.requireNonNull(run, "run");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(data, "data");
        if (seq < 1) throw new IllegalArgumentException("seq must be >= 1, was " + seq);
    }

    /** True for {@code run.completed}, {@code run.failed} and {@code run.cancelled}. */
    public boolean isTerminal() {
        return EventTypes.isTerminal(type);
    }

    /** The data parsed as a Jackson tree (a fresh copy on each call). */
    public com.fasterxml.jackson.databind.node.ObjectNode dataNode() {
        return Json.parseObject(data);
    }
}
