package io.runcast.hub;

import io.runcast.protocol.RuncastException;

/**
 * One connection's outbound side, as the hub sees it. A transport (WebSocket, SSE, a seed-compatible
 * endpoint) implements it.
 *
 * <p>Threading: for one subscription the hub calls {@link #subscribed}, {@link #event}, {@link #end}
 * and {@link #failed} one at a time and in stream order, but possibly from different threads (a
 * replay worker, then whichever thread commits events). Implementations only queue work and never
 * block; when a connection cannot keep up, the sink closes it (telling the client to resume) and the
 * hub learns of it through {@link Subscription#cancel()}.
 *
 * <p>Flow control: live events are pushed as they are committed (a connection that cannot take them
 * is cut off by its own byte limit), but history is replayed only as fast as the connection drains.
 * Before each replayed event the hub asks {@link #ready}; when the answer is no, the replay stops and
 * holds no thread until the sink calls back.
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
     * Demand for replayed history. Returns true when the connection can take more now; {@code onReady}
     * is then dropped. Otherwise returns false and runs {@code onReady} exactly once, later, on any
     * thread but never inside this call, as soon as the connection has drained enough to take more —
     * or never, when the connection closes first (the transport then cancels its subscriptions).
     * Never blocks; cheap enough to call before every event; {@code onReady} must itself be quick.
     */
    boolean ready(Runnable onReady);

    /** The connection could not keep up: close it with the slow-consumer code. */
    void tooSlow(String why);
}
