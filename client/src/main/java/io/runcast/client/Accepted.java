package io.runcast.client;

/** One published event as the server recorded it; {@code duplicate} when its idempotency key was seen before. */
public record Accepted(long seq, String id, boolean duplicate) {}
