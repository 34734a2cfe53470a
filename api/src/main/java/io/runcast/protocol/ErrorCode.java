package io.runcast.protocol;

/**
 * The one catalogue of error codes, shared by the WebSocket protocol, the HTTP API and the clients.
 * The wire form is {@link #wire()} (e.g. {@code run_closed}); {@link #httpStatus()} is what the
 * HTTP API answers with. docs/protocol.md documents each code; keep the two in step.
 */
public enum ErrorCode {
    BAD_JSON(400, "the frame or body is not valid JSON"),
    BAD_REQUEST(400, "a field is missing, has the wrong type or an invalid value"),
    UNKNOWN_OP(400, "the op is not part of the protocol"),
    INVALID_RUN(400, "the run id is empty, too long or has characters outside [A-Za-z0-9._:-]"),
    INVALID_TYPE(400, "the event type is neither in the catalogue nor under x."),
    TOO_LARGE(413, "the frame, body or event data is larger than allowed"),
    NOT_FOUND(404, "no such run, route or object"),
    RUN_CLOSED(409, "the run has ended; no more events are accepted"),
    ALREADY_SUBSCRIBED(409, "this connection is already subscribed to the run"),
    NOT_SUBSCRIBED(409, "this connection is not subscribed to the run"),
    DECISION_NOT_FOUND(404, "no such pending decision on this run"),
    DECISION_CLOSED(409, "the decision was already resolved"),
    INVALID_CHOICE(400, "the choice is not one of the decision's options"),
    NOT_RUNNING(409, "the run is not executing on this server, so it cannot be controlled here"),
    CONVERSATION_BUSY(409, "the conversation's previous turn is still running; wait for its end or cancel it"),
    LIMIT_EXCEEDED(429, "too many subscriptions, requests or events; slow down"),
    UNAUTHORIZED(401, "credentials are missing or invalid"),
    FORBIDDEN(403, "the credentials do not allow this"),
    UNAVAILABLE(503, "the store is unavailable or the server is shutting down; retry"),
    INTERNAL(500, "an unexpected server error; the request may be retried");

    private final int httpStatus;
    private final String description;

    ErrorCode(int httpStatus, String description) {
        this.httpStatus = httpStatus;
        this.description = description;
    }

    public String wire() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public int httpStatus() {
        return httpStatus;
    }

    public String description() {
        return description;
    }

    public static ErrorCode fromWire(String wire) {
        for (ErrorCode c : values()) if (c.wire().equals(wire)) return c;
        return INTERNAL;
    }
}
