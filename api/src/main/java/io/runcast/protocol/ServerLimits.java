package io.runcast.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runcast.event.Json;

/**
 * The input limits a server states, so producers and clients can shape what they send instead of
 * learning them from refusals. Sent as {@code "limits"} in the WebSocket {@code connected} frame and in
 * {@code GET /api/health}:
 * {@code {"max_frame_bytes":262144,"max_batch":1000,"max_event_bytes":65536,"max_name_length":128}}.
 *
 * @param maxFrameBytes  the largest WebSocket text frame or HTTP request body, in UTF-8 bytes
 * @param maxBatch       the most events in one publish (one POST, one {@code publish} frame)
 * @param maxEventBytes  the longest {@code data} of one event, in characters of its compact JSON text
 * @param maxNameLength  the longest run id, step, agent or idempotency key
 */
public record ServerLimits(int maxFrameBytes, int maxBatch, int maxEventBytes, int maxNameLength) {
    /** What a server started with default settings states; the fallback when a server states nothing. */
    public static final ServerLimits DEFAULTS = new ServerLimits(256 * 1024, 1000, 64 * 1024, 128);

    public ServerLimits {
        if (maxFrameBytes < 1 || maxBatch < 1 || maxEventBytes < 1 || maxNameLength < 1) {
            throw new IllegalArgumentException("limits must be positive");
        }
    }

    public ObjectNode toJson() {
        return Json.object().put("max_frame_bytes", maxFrameBytes).put("max_batch", maxBatch)
                .put("max_event_bytes", maxEventBytes).put("max_name_length", maxNameLength);
    }

    /** The limits in a {@code limits} object, or null if it is absent or not a complete, valid one (an older server). */
    public static ServerLimits fromJson(JsonNode limits) {
        if (limits == null || !limits.isObject()) return null;
        int frame = limits.path("max_frame_bytes").asInt(0);
        int batch = limits.path("max_batch").asInt(0);
        int event = limits.path("max_event_bytes").asInt(0);
        int name = limits.path("max_name_length").asInt(0);
        if (frame < 1 || batch < 1 || event < 1 || name < 1) return null;
        return new ServerLimits(frame, batch, event, name);
    }

    /**
     * Why the server would refuse this one event whatever it is batched with, or null: data over
     * {@link #maxEventBytes}, an event that alone exceeds {@link #maxFrameBytes}, or a step, agent or key
     * longer than {@link #maxNameLength}. Same codes as the server (TOO_LARGE, BAD_REQUEST).
     */
    public RuncastException refusal(EncodedDraft e) {
        if (e.dataLength() > maxEventBytes) {
            return new RuncastException(ErrorCode.TOO_LARGE, "event data of " + e.dataLength()
                    + " bytes exceeds the server's limit of " + maxEventBytes + " (max_event_bytes)");
        }
        if (e.bytes() > maxFrameBytes) {
            return new RuncastException(ErrorCode.TOO_LARGE, "event of " + e.bytes()
                    + " bytes as JSON exceeds the server's limit of " + maxFrameBytes + " per request (max_frame_bytes)");
        }
        String name = tooLong("step", e.draft().step());
        if (name == null) name = tooLong("agent", e.draft().agent());
        if (name == null) name = tooLong("key", e.draft().key());
        return name == null ? null : new RuncastException(ErrorCode.BAD_REQUEST, name + " must be 1.." + maxNameLength + " characters");
    }

    private String tooLong(String field, String value) {
        return value != null && (value.isEmpty() || value.length() > maxNameLength) ? field : null;
    }

    @Override
    public String toString() {
        return "ServerLimits[frame " + maxFrameBytes + " B, batch " + maxBatch + ", event data " + maxEventBytes
                + " B, names " + maxNameLength + "]";
    }
}
