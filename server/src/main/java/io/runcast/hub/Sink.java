package io.runcast.hub;

import io.runcast.protocol.RuncastException;

/**
 * One connection's outbound side, as the hub sees it. A transport (WebSocket, SSE, a seed-compatible
 * endpoint) implements it.
 *
 * <p>Threading: for one subscription the hub calls these methods one at a time and in stream order,
 * but possibly from different threads (a replay worker, then whichever thread commits events).
 * Implementations only queue work and never block; when a connection cannot keep up, the sink
 * closes it (telling the client to resume) and the hub learns of it through {@link Subscription#cancel()}.
 */
public interface Sink {
    /** The subscription is in place; history and live events follow. */
    void subscribed(Subscription subscription, Subscribed info);

    /** One event, in seq order, at most once per subscription. */
    void event(Subscription subscription, EncodedEvent event);

    /** The terminal event was delivered; nothing more will come on this subscription. */
    void end(Subscription subscription, long seq);

    /** The subscription could not be served (for example the store failed while replaying). */
    void failed(Subscription subscription, RuncastException error);

    /**
     * Whether the connection can take more right now. A replay of history waits while this is false,
     * up to the hub's replay timeout.
     */
    boolean writable();

    /** The connection could not keep up: close it with the slow-consumer code. */
    void tooSlow(String why);
}
