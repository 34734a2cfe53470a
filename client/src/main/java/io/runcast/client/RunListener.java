package io.runcast.client;

import io.runcast.event.Event;
import io.runcast.protocol.RuncastException;

/**
 * Receives one run's stream. Contract: callbacks for one run are never concurrent; {@link #onEvent}
 * sees seqs strictly increasing, each event once, across any number of reconnects. Callbacks run on
 * the client's socket thread: return quickly (a slow listener delays every run of this client).
 */
public interface RunListener {
    void onEvent(Event event);

    /** Sent on every (re)subscribe, before the events it brings. */
    default void onSubscribed(SubscribeReply reply) {}

    /**
     * The server could not resume from {@code hadSeq}: the history was lost (epoch changed) or trimmed.
     * Events that follow may restart from the oldest retained one; drop any state built from earlier ones.
     */
    default void onReset(SubscribeReply reply, long hadSeq) {}

    /** The run ended; {@code seq} is its terminal event's. No more callbacks follow. */
    default void onEnd(String run, long seq) {}

    /** The subscription failed for good (refused by the server, or the client closed). */
    default void onError(RuncastException error) {}
}
