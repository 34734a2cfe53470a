package io.runcast.store;

import java.time.Duration;

/**
 * How much history a store keeps.
 *
 * @param maxEventsPerRun  the newest this many events of each run are kept (older ones are trimmed)
 * @param maxEventAge      events older than this are trimmed (Duration.ZERO: no age limit)
 * @param closedRunTtl     a closed run is removed entirely this long after its terminal event (ZERO: never)
 * @param idempotencyWindow how long an idempotency key is remembered
 */
public record Retention(int maxEventsPerRun, Duration maxEventAge, Duration closedRunTtl, Duration idempotencyWindow) {
    public static final int DEFAULT_MAX_EVENTS = 10_000;
    public static final Duration DEFAULT_MAX_AGE = Duration.ofHours(24);
    public static final Duration DEFAULT_CLOSED_TTL = Duration.ofDays(7);
    public static final Duration DEFAULT_IDEMPOTENCY_WINDOW = Duration.ofMinutes(10);

    public static final Retention DEFAULT =
            new Retention(DEFAULT_MAX_EVENTS, DEFAULT_MAX_AGE, DEFAULT_CLOSED_TTL, DEFAULT_IDEMPOTENCY_WINDOW);

    public Retention {
        if (maxEventsPerRun < 1) throw new IllegalArgumentException("maxEventsPerRun must be >= 1");
        if (maxEventAge.isNegative() || closedRunTtl.isNegative() || idempotencyWindow.isNegative()) {
            throw new IllegalArgumentException("retention durations must not be negative");
        }
    }
}
