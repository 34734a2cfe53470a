package io.runcast.client;

import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with full jitter: attempt n (from 0) waits a uniformly random time in
 * [0, min(maxDelay, initialDelay × multiplier^n)). Full jitter spreads a crowd of clients that lost
 * the same server over the whole window, so a restarted server is not hit by all of them at once.
 */
public final class Backoff {
    private final ClientConfig config;
    private final DoubleSupplier random;

    public Backoff(ClientConfig config, DoubleSupplier random) {
        this.config = config;
        this.random = random;
    }

    /** The upper bound of attempt {@code n}'s delay, in milliseconds. */
    public long capMillis(int attempt) {
        double cap = config.initialDelay().toMillis() * Math.pow(config.multiplier(), attempt);
        return (long) Math.min(config.maxDelay().toMillis(), cap);
    }

    /** A delay for attempt {@code n}, in milliseconds. */
    public long delayMillis(int attempt) {
        return (long) (random.getAsDouble() * capMillis(attempt));
    }
}
