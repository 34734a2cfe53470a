package io.runcast.llm;

/**
 * Why a chat completion failed. {@link #getMessage()} is a complete sentence for a person (it becomes the
 * run's failure reason); {@link #kind()} is for code.
 */
public final class LlmException extends RuntimeException {

    /** The closed catalogue of failures. */
    public enum Kind {
        /** The server answered with a status other than 2xx; {@link #status()} and {@link #serverMessage()} say which. */
        HTTP_STATUS,
        /** No TCP (and TLS) connection within {@link LlmConfig#connectTimeout()}. */
        CONNECT_TIMEOUT,
        /** The connection was refused or could not be made (unknown host, TLS failure…). */
        CONNECT_FAILED,
        /** No token arrived within {@link LlmConfig#firstTokenTimeout()} of sending the request. */
        FIRST_TOKEN_TIMEOUT,
        /** Once streaming, no chunk arrived within {@link LlmConfig#idleTimeout()}. */
        IDLE_TIMEOUT,
        /** The connection ended before {@code [DONE]} and before a {@code finish_reason}: cut, reset, or cut mid-chunk. */
        STREAM_BROKEN,
        /** A chunk was not the JSON object the protocol promises. */
        MALFORMED_CHUNK,
        /** The server reported an error inside an otherwise healthy stream ({@code data: {"error": …}}). */
        STREAM_ERROR,
        /** {@link LlmCall#cancel()} was called, or the client was closed. */
        CANCELLED
    }

    private final Kind kind;
    private final int status;
    private final String serverMessage;

    public LlmException(Kind kind, String reason) {
        this(kind, reason, 0, null, null);
    }

    public LlmException(Kind kind, String reason, Throwable cause) {
        this(kind, reason, 0, null, cause);
    }

    LlmException(Kind kind, String reason, int status, String serverMessage, Throwable cause) {
        super(reason, cause);
        this.kind = kind;
        this.status = status;
        this.serverMessage = serverMessage;
    }

    static LlmException httpStatus(int status, String serverMessage, String endpoint) {
        String reason = "HTTP " + status + " from " + endpoint + (serverMessage == null ? "" : ": " + serverMessage);
        return new LlmException(Kind.HTTP_STATUS, reason, status, serverMessage, null);
    }

    public Kind kind() {
        return kind;
    }

    /** The HTTP status for {@link Kind#HTTP_STATUS}, else 0. */
    public int status() {
        return status;
    }

    /** The server's own words ({@code error.message} of its JSON body, or of an in-stream error), or null. */
    public String serverMessage() {
        return serverMessage;
    }

    /**
     * Whether the client retries this failure when nothing has streamed yet: 429, 5xx and connection failures.
     * Everything else is final: retrying a 4xx repeats the same mistake, and a timeout or a broken stream may
     * have cost the server a whole generation.
     */
    public boolean retryable() {
        return switch (kind) {
            case HTTP_STATUS -> status == 429 || status >= 500;
            case CONNECT_TIMEOUT, CONNECT_FAILED -> true;
            default -> false;
        };
    }

    /** The same failure, its reason saying how many attempts were made. */
    LlmException afterAttempts(int attempts) {
        if (attempts < 2) return this;
        return new LlmException(kind, getMessage() + " (gave up after " + attempts + " attempts)", status, serverMessage, getCause());
    }
}
