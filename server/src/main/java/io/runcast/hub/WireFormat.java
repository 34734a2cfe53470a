package io.runcast.hub;

/**
 * One way of writing an event on the wire: the SSE message, a seed application's frame, an AG-UI or
 * AI SDK stream part. {@link EncodedEvent#encoded(WireFormat)} caches each format's bytes on the
 * event, so an event is encoded at most once per format however many subscribers use that format,
 * and all of them are handed the same array.
 *
 * <p>Contract: {@link #encode} depends on the event alone — never on the subscriber (its request id,
 * filter or position), since its result is shared by all of them. It may run on any thread, must not
 * block, must not return null, and nobody modifies the returned bytes afterwards. The cache is keyed
 * by identity: each format is one shared instance (a constant), not a new object per connection.
 */
@FunctionalInterface
public interface WireFormat {
    byte[] encode(EncodedEvent event);
}
