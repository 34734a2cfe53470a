package io.runcast.client;

/** Where a {@link RuncastClient}'s connection stands. */
public enum ConnectionState {
    /** Opening the first connection. */
    CONNECTING,
    /** Connected: the server said {@code connected}; subscriptions are (re)sent. */
    OPEN,
    /** The connection dropped; waiting out the backoff or trying again. */
    RECONNECTING,
    /** Closed for good: by {@link RuncastClient#close()}, a non-reconnect close code, or too many attempts. */
    CLOSED
}
