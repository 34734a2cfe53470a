package io.runcast.llm;

import java.time.Duration;

/**
 * A failed attempt that will be retried after {@code delay}.
 *
 * @param retry      which retry this is: 1 for the second attempt, 2 for the third…
 * @param maxRetries how many retries the config allows
 * @param failure    what went wrong with the attempt
 * @param delay      how long the client waits before the next attempt: the server's {@code Retry-After} when it
 *                   gave one (capped at {@link LlmConfig#retryMaxBackoff()}), else the jittered backoff
 */
public record RetryNotice(int retry, int maxRetries, LlmException failure, Duration delay) {
    /** The HTTP status of the failed attempt, or 0 when it failed without one. */
    public int status() {
        return failure.status();
    }

    public String reason() {
        return failure.getMessage();
    }
}
