package io.runcast.transport.endpoint;

import io.runcast.hub.EncodedEvent;
import io.runcast.hub.Subscribed;
import io.runcast.protocol.RuncastException;

/**
 * What one SSE stream writes for a run's events: the native messages, or another protocol's (AG-UI)
 * made from them. The server's SSE session owns the connection — headers, heartbeat, backpressure, closing —
 * and asks its view only for bytes.
 *
 * <p>A view belongs to one stream. The session calls it one method at a time and in stream order,
 * possibly from different threads (replay, then live commits), so a view may keep state across
 * events without locking; it must not block. Each method returns whole SSE messages (ending in a
 * blank line), or an empty array / null when the event yields nothing on this stream. A view that
 * depends on the event alone should return {@link EncodedEvent#encoded} bytes so every stream shares them.
 */
public interface SseView {
    /** The transport name shown for the connection ({@code "sse"}, {@code "agui"}). */
    String transport();

    /** The subscription is in place; may be null (nothing to say). */
    byte[] subscribed(Subscribed info);

    /** One event of the run, in seq order. */
    byte[] event(EncodedEvent event);

    /** The terminal event was delivered; the stream closes after these bytes. May be null. */
    byte[] end(String run, long seq);

    /** The subscription failed (for example the store failed while replaying); the stream closes after these bytes. */
    byte[] failed(RuncastException error);
}
