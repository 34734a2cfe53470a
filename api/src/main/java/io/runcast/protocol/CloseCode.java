package io.runcast.protocol;

/**
 * WebSocket close codes used by Runcast. The range alone tells a client what to do:
 * 4000–4499 (and 1001, 1006, 1011, 1012, 1013): reconnect with backoff and resume from the last seq;
 * 4500–4999 (and 1000, 1008, 1009): do not reconnect without changing something first.
 */
public enum CloseCode {
    NORMAL(1000, "normal closure"),
    GOING_AWAY(1001, "server shutting down; reconnect elsewhere or later"),
    MESSAGE_TOO_BIG(1009, "a frame exceeded the hard size limit"),
    SLOW_CONSUMER(4000, "the client did not keep up; reconnect and resume from the last seq"),
    IDLE_TIMEOUT(4001, "nothing heard from the client within the idle timeout"),
    HANDSHAKE_TIMEOUT(4002, "no first message within the handshake timeout"),
    SHUTDOWN(4003, "server restarting; reconnect and resume"),
    PROTOCOL_VIOLATION(4500, "too many bad frames from this client"),
    UNAUTHORIZED(4501, "credentials missing or invalid"),
    FORBIDDEN(4502, "credentials do not allow this connection");

    private final int code;
    private final String reason;

    CloseCode(int code, String reason) {
        this.code = code;
        this.reason = reason;
    }

    public int code() {
        return code;
    }

    public String reason() {
        return reason;
    }

    /** Whether a client receiving {@code code} should reconnect on its own. */
    public static boolean shouldReconnect(int code) {
        if (code >= 4000 && code < 4500) return true;
        if (code >= 4500 && code < 5000) return false;
        return code == 1001 || code == 1006 || code == 1011 || code == 1012 || code == 1013;
    }
}
