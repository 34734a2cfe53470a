package io.runcast.engine;

import io.runcast.protocol.ServerLimits;

/**
 * Input limits checked before anything reaches the store.
 *
 * @param maxEventBytes  the largest {@code data} object, in bytes of JSON text
 * @param maxBatch       the most events in one publish
 * @param maxNameLength  the longest run id, step, agent or idempotency key
 */
public record Limits(int maxEventBytes, int maxBatch, int maxNameLength) {
    public static final int DEFAULT_MAX_EVENT_BYTES = 64 * 1024;
    public static final int DEFAULT_MAX_BATCH = 1000;
    public static final int DEFAULT_MAX_NAME = 128;
    public static final Limits DEFAULT = new Limits(DEFAULT_MAX_EVENT_BYTES, DEFAULT_MAX_BATCH, DEFAULT_MAX_NAME);

    public Limits {
        if (maxEventBytes < 2 || maxBatch < 1 || maxNameLength < 1) throw new IllegalArgumentException("limits must be positive");
    }

    /** These limits as the server states them to clients, with the frame/body limit the transports enforce. */
    public ServerLimits stated(int maxFrameBytes) {
        return new ServerLimits(maxFrameBytes, maxBatch, maxEventBytes, maxNameLength);
    }
}
