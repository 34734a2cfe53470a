package io.runcast.hub;

import io.runcast.event.Event;
import io.runcast.protocol.Frames;

/**
 * An event with its native wire frame, encoded once and shared by every subscriber. Sinks must not
 * modify {@link #frame()}.
 */
public record EncodedEvent(Event event, byte[] frame) {
    public static EncodedEvent of(Event e) {
        return new EncodedEvent(e, Frames.event(e));
    }

    public long seq() {
        return event.seq();
    }
}
