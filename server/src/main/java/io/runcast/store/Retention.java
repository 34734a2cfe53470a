package io.runcast.store;

import java.time.Duration;

/**
 * How much history a store keeps. By default a run's whole history is kept while it runs and for
 * {@link #closedRunTtl} after it ends, so a late joiner always sees how a run began; the count and
 * age limits are off (0 / {@link Duration#ZERO}) unless set. The memory store, whose history lives in
 * the heap, is bounded by {@link #memoryBudgetBytes} instead (see
 * {@link io.runcast.store.memory.MemoryEventStore} for what it drops first).
 *
 * @param maxEventsPerRun   the newest this many events of each run are kept, older ones trimmed (0: no limit)
 * @param maxEventAge       events older than this are trimmed (ZERO: no limit)
 * @param closedRunTtl      a closed run is removed entirely this long after its terminal event (ZERO: never)
 * @param idempotencyWindow how long an idempotency key is remembered (ZERO: keys are ignored)
 * @param memoryBudgetBytes the most heap the memory store's history may take, by its estimate; the
 *                          durable stores keep history on disk and ignore it
 */
public record Retention(int maxEventsPerRun, Duration maxEventAge, Duration closedRunTtl, Duration idempotencyWindow,
                        long memoryBudgetBytes) {
    /** No count limit: a durable run keeps its whole history. */
    public static final int DEFAULT_MAX_EVENTS = 0;
    /** No age limit: a durable run keeps its whole history. */
    public static final Duration DEFAULT_MAX_AGE = Duration.ZERO;
    public static final Duration DEFAULT_CLOSED_TTL = Duration.ofDays(7);
    public static final Duration DEFAULT_IDEMPOTENCY_WINDOW = Duration.ofMinutes(10);
    /** The smallest memory budget accepted: below one maximal event it would keep nothing useful. */
    public static final long MIN_MEMORY_BUDGET = 64L * 1024;
    /**
     * The memory store's default budget: 256 MiB, or a quarter of the maximum heap when that is less.
     * 256 MiB holds about half a million typical token-delta events by the store's (high) estimate;
     * the quarter-heap cap leaves a small heap room for connections, replays and JSON, so the default
     * cannot by itself run the process out of memory.
     */
    public static final long DEFAULT_MEMORY_BUDGET =
            Math.max(MIN_MEMORY_BUDGET, Math.min(256L << 20, Runtime.getRuntime().maxMemory() / 4));

    public static final Retention DEFAULT = new Retention(DEFAULT_MAX_EVENTS, DEFAULT_MAX_AGE, DEFAULT_CLOSED_TTL,
            DEFAULT_IDEMPOTENCY_WINDOW, DEFAULT_MEMORY_BUDGET);

    public Retention {
        if (maxEventsPerRun < 0) {
            throw new IllegalArgumentException("history events per run must be >= 0 (0 = no limit), was " + maxEventsPerRun);
        }
        if (maxEventAge.isNegative() || closedRunTtl.isNegative() || idempotencyWindow.isNegative()) {
            throw new IllegalArgumentException("retention durations must not be negative (0 = no limit)");
        }
        if (memoryBudgetBytes < MIN_MEMORY_BUDGET) {
            throw new IllegalArgumentException("memory budget must be at least " + MIN_MEMORY_BUDGET + " bytes, was " + memoryBudgetBytes);
        }
    }

    /** With the default memory budget. */
    public Retention(int maxEventsPerRun, Duration maxEventAge, Duration closedRunTtl, Duration idempotencyWindow) {
        this(maxEventsPerRun, maxEventAge, closedRunTtl, idempotencyWindow, DEFAULT_MEMORY_BUDGET);
    }

    /** True when runs are trimmed to a number of events. */
    public boolean limitsCount() {
        return maxEventsPerRun > 0;
    }

    public Retention withMemoryBudget(long bytes) {
        return new Retention(maxEventsPerRun, maxEventAge, closedRunTtl, idempotencyWindow, bytes);
    }
}
