package io.runcast.exec;

import java.time.Duration;

/** An attempt ran longer than its step's timeout; it counts as a failed attempt (and may be retried). */
public final class StepTimeoutException extends RuntimeException {
    public StepTimeoutException(String step, int attempt, Duration timeout) {
        super("step " + step + " attempt " + attempt + " timed out after " + timeout.toMillis() + " ms");
    }
}
