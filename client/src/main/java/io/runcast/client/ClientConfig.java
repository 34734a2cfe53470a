package io.runcast.client;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link RuncastClient} reconnects and times out. The defaults match the browser client
 * (runcast.js {@code DEFAULTS}).
 *
 * @param initialDelay     backoff base: the first retry waits a random time in [0, initialDelay)
 * @param maxDelay         backoff cap: no retry waits longer
 * @param multiplier       the cap of attempt n is min(maxDelay, initialDelay × multiplier^n)
 * @param maxAttempts      consecutive failed attempts before giving up; {@code Integer.MAX_VALUE} = unlimited
 * @param connectTimeout   a socket that has not said {@code connected} by then is dropped and retried
 * @param heartbeatFactor  silence longer than the server's heartbeat × factor means the connection is dead
 * @param requestTimeout   decide/cancel/pause/resume/publish fail after this long
 */
public record ClientConfig(Duration initialDelay, Duration maxDelay, double multiplier, int maxAttempts,
                           Duration connectTimeout, double heartbeatFactor, Duration requestTimeout) {
    public static final Duration DEFAULT_INITIAL_DELAY = Duration.ofMillis(500);
    public static final Duration DEFAULT_MAX_DELAY = Duration.ofSeconds(30);
    public static final double DEFAULT_MULTIPLIER = 2.0;
    public static final int UNLIMITED = Integer.MAX_VALUE;
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    public static final double DEFAULT_HEARTBEAT_FACTOR = 2.5;
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(15);

    public static final ClientConfig DEFAULTS = new ClientConfig(DEFAULT_INITIAL_DELAY, DEFAULT_MAX_DELAY,
            DEFAULT_MULTIPLIER, UNLIMITED, DEFAULT_CONNECT_TIMEOUT, DEFAULT_HEARTBEAT_FACTOR, DEFAULT_REQUEST_TIMEOUT);

    public ClientConfig {
        Objects.requireNonNull(initialDelay, "initialDelay");
        Objects.requireNonNull(maxDelay, "maxDelay");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        if (initialDelay.isNegative() || initialDelay.isZero()) throw new IllegalArgumentException("initialDelay must be > 0");
        if (maxDelay.compareTo(initialDelay) < 0) throw new IllegalArgumentException("maxDelay must be >= initialDelay");
        if (multiplier < 1) throw new IllegalArgumentException("multiplier must be >= 1");
        if (maxAttempts < 1) throw new IllegalArgumentException("maxAttempts must be >= 1");
        if (heartbeatFactor <= 1) throw new IllegalArgumentException("heartbeatFactor must be > 1");
    }

    public ClientConfig withBackoff(Duration initial, Duration max) {
        return new ClientConfig(initial, max, multiplier, maxAttempts, connectTimeout, heartbeatFactor, requestTimeout);
    }

    public ClientConfig withMaxAttempts(int attempts) {
        return new ClientConfig(initialDelay, maxDelay, multiplier, attempts, connectTimeout, heartbeatFactor, requestTimeout);
    }

    public ClientConfig withRequestTimeout(Duration timeout) {
        return new ClientConfig(initialDelay, maxDelay, multiplier, maxAttempts, connectTimeout, heartbeatFactor, timeout);
    }

    @Override
    public String toString() {
        return "ClientConfig[backoff " + initialDelay.toMillis() + "ms×" + multiplier + "^n ≤ " + maxDelay.toMillis()
                + "ms full jitter, attempts " + (maxAttempts == UNLIMITED ? "unlimited" : maxAttempts)
                + ", connect " + connectTimeout.toMillis() + "ms, heartbeat×" + heartbeatFactor
                + ", request " + requestTimeout.toMillis() + "ms]";
    }
}
