package io.runcast.client;

/**
 * A connection-state event.
 *
 * @param state   the new state
 * @param attempt consecutive failed attempts so far (0 once open)
 * @param delayMillis when {@code RECONNECTING}: how long until the next attempt; otherwise 0
 * @param code    the close code that caused a drop, or 0
 * @param reason  a human-readable cause, or null
 */
public record StateChange(ConnectionState state, int attempt, long delayMillis, int code, String reason) {}
