package io.runcast.exec;

import java.time.Duration;

/**
 * Settings of a {@link PlanExecutor}.
 *
 * @param parallelism   the most steps of one run executing at once
 * @param stepTimeout   how long one attempt of a step may take when the step does not say
 * @param shutdownGrace how long {@link PlanExecutor#close()} waits for the runs' terminal events
 */
public record ExecutorConfig(int parallelism, Duration stepTimeout, Duration shutdownGrace) {
    public static final int DEFAULT_PARALLELISM = 4;
    public static final Duration DEFAULT_STEP_TIMEOUT = Duration.ofMinutes(5);
    public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(5);
    public static final ExecutorConfig DEFAULT = new ExecutorConfig(DEFAULT_PARALLELISM, DEFAULT_STEP_TIMEOUT, DEFAULT_SHUTDOWN_GRACE);

    public ExecutorConfig {
        if (parallelism < 1) throw new IllegalArgumentException("parallelism must be >= 1");
        if (stepTimeout.isNegative() || stepTimeout.isZero()) throw new IllegalArgumentException("stepTimeout must be positive");
        if (shutdownGrace.isNegative()) throw new IllegalArgumentException("shutdownGrace must be >= 0");
    }

    public ExecutorConfig withParallelism(int n) {
        return new ExecutorConfig(n, stepTimeout, shutdownGrace);
    }

    public ExecutorConfig withStepTimeout(Duration d) {
        return new ExecutorConfig(parallelism, d, shutdownGrace);
    }
}
