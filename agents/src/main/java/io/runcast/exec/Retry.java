package io.runcast.exec;

import java.time.Duration;

/**
 * How a step is retried after a failed attempt: up to {@code maxAttempts} attempts in all, waiting
 * {@code initialBackoff}, then that times {@code multiplier}, capped at {@code maxBackoff}. Each retry is
 * announced with an {@code error.recovery} event.
 */
public record Retry(int maxAttempts, Duration initialBackoff, double multiplier, Duration maxBackoff) {
    public static final Retry NONE = new Retry(1, Duration.ZERO, 1, Duration.ZERO);

    public Retry {
        if (maxAttempts < 1) throw new IllegalArgumentException("maxAttempts must be >= 1");
        if (initialBackoff.isNegative() || maxBackoff.isNegative() || multiplier < 1) {
            throw new IllegalArgumentException("backoff must be >= 0 and multiplier >= 1");
        }
    }

    public static Retry times(int maxAttempts, Duration initialBackoff) {
        return new Retry(maxAttempts, initialBackoff, 2, initialBackoff.multipliedBy(16));
    }

    /** The wait before attempt {@code next} (2, 3, …). */
    public Duration backoffBefore(int next) {
        double ms = initialBackoff.toMillis() * Math.pow(multiplier, Math.max(0, next - 2));
        return Duration.ofMillis((long) Math.min(ms, maxBackoff.toMillis()));
    }
}
