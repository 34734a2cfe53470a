package io.runcast.hub;

import io.runcast.event.Event;
import io.runcast.protocol.Frames;
import java.util.Arrays;
import java.util.Objects;

/**
 * An event with its native wire frame, encoded once and shared by every subscriber, plus the
 * encodings other {@link WireFormat}s made of it, each made at most once. Nobody modifies the arrays
 * handed out.
 */
public final class EncodedEvent {
    private static final Object[] NONE = {};

    private final Event event;
    private final byte[] frame;
    /** Pairs of (format, bytes); replaced, never mutated, so readers need no lock. */
    private volatile Object[] encodings = NONE;

    private EncodedEvent(Event event, byte[] frame) {
        this.event = event;
        this.frame = frame;
    }

    public static EncodedEvent of(Event e) {
        return new EncodedEvent(e, Frames.event(e));
    }

    public Event event() {
        return event;
    }

    /** The native protocol's {@code event} frame. */
    public byte[] frame() {
        return frame;
    }

    public long seq() {
        return event.seq();
    }

    /**
     * This event in {@code format}, encoded by the first caller and the same array for every later
     * one. Thread-safe; a lookup allocates nothing.
     */
    public byte[] encoded(WireFormat format) {
        byte[] known = find(encodings, format);
        if (known != null) return known;
        synchronized (this) {
            Object[] current = encodings;
            known = find(current, format);
            if (known != null) return known;
            byte[] bytes = Objects.requireNonNull(format.encode(this), "a wire format returned null");
            Object[] grown = Arrays.copyOf(current, current.length + 2);
            grown[current.length] = format;
            grown[current.length + 1] = bytes;
            encodings = grown;
            return bytes;
        }
    }

    private static byte[] find(Object[] pairs, WireFormat format) {
        for (int i = 0; i < pairs.length; i += 2) {
            if (pairs[i] == format) return (byte[]) pairs[i + 1];
        }
        return null;
    }

    @Override
    public String toString() {
        return "EncodedEvent[" + event.run() + "#" + event.seq() + " " + event.type() + "]";
    }
}
