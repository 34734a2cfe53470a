package io.runcast.protocol;

import java.util.Objects;

/** A refusal with a code from the {@link ErrorCode} catalogue; transports turn it into an error frame or response. */
public class RuncastException extends RuntimeException {
    private final ErrorCode code;

    public RuncastException(ErrorCode code, String message) {
        super(message);
        this.code = Objects.requireNonNull(code);
    }

    public RuncastException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = Objects.requireNonNull(code);
    }

    public ErrorCode code() {
        return code;
    }
}
